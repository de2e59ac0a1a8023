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
  GraphOptimizationLevel,
  LoadOnnxRequest,
  ModelInfo,
  Pooling,
  Precision,
  RgbaPixels,
} from '../embedders/protocol';

export type { BackendCapabilities, BackendPreference, EmbedResult, ModelInfo, Pooling, Precision, RgbaPixels };

/**
 * How long loading a model may take, from the moment the worker starts on it: reading the file,
 * onnxruntime's session (graph optimisation, kernel or shader compilation) and the test run on two
 * images. The slowest real load measured here, DINOv2 ViT-B/14 fp32 on single-threaded WASM, takes
 * seconds; three minutes leaves a slow machine or a software GPU room while a graph that never ends
 * (a Loop with an enormous trip count, say) cannot hold the tab's embedder forever.
 */
export const MODEL_LOAD_TIME_LIMIT_MS = 180_000;

/**
 * A model that did not finish loading within the time limit. Its worker was stopped (the only way to
 * stop a WebAssembly or WebGPU run), so no model is loaded afterwards: the previous one must be loaded
 * again (the page reloads it from its cache when next needed). Nothing stored is touched.
 */
export class ModelLoadTimeoutError extends Error {
  constructor(
    readonly modelName: string,
    readonly limitMs: number,
  ) {
    super(
      `"${modelName}" did not finish loading and its test run within the ${formatLimit(limitMs)} time limit, so it was stopped: ` +
        'the model may never finish (a graph that loops) or be far too heavy for this machine. No model is loaded now; choose one again.',
    );
    this.name = 'ModelLoadTimeoutError';
  }
}

function formatLimit(ms: number): string {
  return ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000}-minute` : ms >= 1000 ? `${+(ms / 1000).toFixed(1)}-second` : `${ms} ms`;
}

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
  graphOptimization?: GraphOptimizationLevel;
  /** The load's time limit (default MODEL_LOAD_TIME_LIMIT_MS; tests shorten it). */
  loadTimeLimitMs?: number;
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
        graphOptimization: o.graphOptimization,
      };
      const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
      // The clock starts when the worker takes the call (not while it waits behind an embed). A run in
      // WebAssembly or WebGPU cannot be interrupted from inside: past the limit the worker is stopped.
      const limitMs = o.loadTimeLimitMs ?? MODEL_LOAD_TIME_LIMIT_MS;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let startTimer = () => {};
      const timedOut = new Promise<never>((_, reject) => {
        startTimer = () => {
          timer = setTimeout(() => {
            reject(new ModelLoadTimeoutError(o.name, limitMs));
            bridge.terminate();
          }, limitMs);
        };
      });
      const loading = bridge.call(
        (remote) => {
          startTimer();
          return remote.loadOnnx(Comlink.transfer(view, [view.buffer as ArrayBuffer]), request, o.threads ?? 0);
        },
        { what: 'loading' },
      );
      try {
        return loaded(await Promise.race([loading, timedOut]));
      } finally {
        clearTimeout(timer);
      }
    },

    loadImageStatistics: async () => loaded(await bridge.call((remote) => remote.loadImageStatistics())),

    holdsModel: () => loadedOn > 0 && bridge.running && bridge.starts === loadedOn,

    embed: (images, o = {}) =>
      bridge.call(
        (remote, job) => {
          const list = [...images];
          if (o.transferPixels) {
            const buffers = new Set(list.flatMap((im) => [im.pixels.buffer, im.prepared?.data.buffer]).filter((b): b is ArrayBuffer => b instanceof ArrayBuffer));
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
