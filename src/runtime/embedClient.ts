/**
 * The main thread's handle on the embed worker, over the worker bridge. The worker starts on first use
 * (so a page that never embeds never downloads onnxruntime) and is never stopped for being idle: it
 * holds the loaded model. An aborted signal rejects with CancelledError.
 *
 *   const client = createEmbedClient();
 *   const info = await client.loadModel(bytes, { name: 'DINOv2 ViT-S/14 (fp32)', id: 'dinov2-small/fp32' });
 *   const { items } = await client.embed(images, { onProgress, signal });
 *   items[i].embedding  // L2-normalised CLS (Float32Array); items[i].raw: as the model gave it
 */
import * as Comlink from 'comlink';
import { createWorkerBridge } from './bridge/workerBridge';
import { cancelledError, type Progress } from './lib/jobs';
import type {
  BackendCapabilities,
  BackendPreference,
  EmbedResult,
  EmbedWorkerApi,
  LoadOnnxRequest,
  ModelInfo,
  Pooling,
  Precision,
  RgbaPixels,
} from '../embedders/protocol';

export type { BackendCapabilities, BackendPreference, EmbedResult, ModelInfo, Pooling, Precision, RgbaPixels };

export interface LoadModelOptions {
  name: string;
  /** Identity stored with the embeddings; defaults to "file:<name>". */
  id?: string;
  precision?: Precision;
  backend?: BackendPreference;
  pooling?: Pooling;
  patchSize?: number;
  /** WASM threads; the default is every core (up to 8) when the page is cross-origin isolated. */
  threads?: number;
  batchSize?: number;
}

export interface EmbedOptions {
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  /** Overrides the model's batch size for this call. */
  batchSize?: number;
  /**
   * Move the pixel buffers to the worker instead of copying them: structured-cloning a chunk (8 images of
   * 512 × 512 RGBA, 8 MB) is a 30–90 ms main-thread task. The caller's images are unusable afterwards
   * (their buffers are detached).
   */
  transferPixels?: boolean;
}

export interface EmbedClient {
  /** What the worker's browser supports (WebGPU adapter, shader-f16, isolation, cores). */
  probe(): Promise<BackendCapabilities>;
  /**
   * Validates, loads and warms up an ONNX model (the bytes are transferred, not copied). Rejects with a
   * message naming the model and the reason; the previously loaded model then stays in place.
   */
  loadModel(bytes: ArrayBuffer | Uint8Array, options: LoadModelOptions): Promise<ModelInfo>;
  /** Switches to the offline image-statistics embedder (not DINOv2). */
  loadImageStatistics(): Promise<ModelInfo>;
  /** Embeds RGBA images with the current model, in order. Rejects with CancelledError when aborted. */
  embed(images: readonly RgbaPixels[], options?: EmbedOptions): Promise<EmbedResult>;
  /** Whether the worker that loaded the current model is still the one running (a restarted worker holds none). */
  holdsModel(): boolean;
  /** Test hook: makes the WebGPU device go away, as a GPU reset would. */
  loseWebGpuDevice(): Promise<boolean>;
  /** Terminates the worker (a later call starts a fresh one). */
  dispose(): void;
}

export interface EmbedClientOptions {
  /** For tests and the bench: how to start the worker. */
  createWorker?: () => Worker;
}

const defaultWorker = () => new Worker(new URL('./embed.worker.ts', import.meta.url), { type: 'module', name: 'embed' });

export function createEmbedClient(options: EmbedClientOptions = {}): EmbedClient {
  const bridge = createWorkerBridge<EmbedWorkerApi>({
    name: 'embed',
    createWorker: options.createWorker ?? defaultWorker,
    idleTimeoutMs: false,
    abortError: cancelledError,
  });
  // Reads and the device-loss hook run beside a long embed instead of waiting for it.
  const now = { queue: false };
  /** The bridge's worker number that holds the loaded model (0: none). */
  let loadedOn = 0;
  const loaded = (info: ModelInfo) => {
    loadedOn = bridge.starts;
    return info;
  };

  return {
    probe: () => bridge.call((remote) => remote.probe(), now),

    async loadModel(bytes, o) {
      // The wasm runtime fixes its thread count when it starts: a different count needs a fresh worker.
      if (o.threads !== undefined && bridge.running) {
        const current = await bridge.call((remote) => remote.wasmThreads(), now);
        if (current !== null && current !== o.threads) bridge.terminate();
      }
      const request: LoadOnnxRequest = {
        name: o.name,
        id: o.id ?? `file:${o.name}`,
        precision: o.precision ?? 'fp32',
        backend: o.backend ?? 'auto',
        pooling: o.pooling ?? 'cls',
        patchSize: o.patchSize ?? 14,
        batchSize: o.batchSize,
      };
      const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
      return loaded(await bridge.call((remote) => remote.loadOnnx(Comlink.transfer(view, [view.buffer as ArrayBuffer]), request, o.threads ?? 0), { what: 'loading' }));
    },

    loadImageStatistics: async () => loaded(await bridge.call((remote) => remote.loadImageStatistics())),

    holdsModel: () => loadedOn > 0 && bridge.running && bridge.starts === loadedOn,

    embed: (images, o = {}) =>
      bridge.call(
        (remote, job) => {
          const list = [...images];
          if (o.transferPixels) {
            const buffers = new Set(list.map((im) => im.pixels.buffer).filter((b): b is ArrayBuffer => b instanceof ArrayBuffer));
            Comlink.transfer(list, [...buffers]);
          }
          return remote.embed(list, { jobId: job.id, batchSize: o.batchSize }, job.onProgress);
        },
        { signal: o.signal, onProgress: o.onProgress, what: 'embedding' },
      ),

    loseWebGpuDevice: () => bridge.call((remote) => remote.loseWebGpuDevice(), now),
    dispose: () => bridge.terminate(),
  };
}
