/**
 * The embed worker: owns onnxruntime-web (the only module that imports it, and only its WebGPU entry,
 * which also carries the WASM CPU backend: one 27 MB wasm, not two). It loads one model at a time,
 * picks WebGPU or WASM, warms the model up, embeds batches with progress and cancel, and when the WebGPU
 * device is lost mid-run it reloads the same bytes on WASM and finishes. The image-statistics embedder
 * also runs here, without loading onnxruntime at all.
 */
import * as Comlink from 'comlink';
import { chooseBackend, wasmThreadCount, type Backend, type BackendCapabilities } from '../embedders/backendChoice';
import { IMAGE_STATISTICS_DIM, IMAGE_STATISTICS_ID, IMAGE_STATISTICS_LABEL, imageStatisticsEmbedding } from '../embedders/imageStatistics';
import { l2Normalize } from '../embedders/pooling';
import { assertRgbaPixels } from '../embedders/rgbaImage';
import type { ProgressCallback } from './bridge/protocol';
import { exposeWorker, runJob, yieldToEventLoop } from './bridge/workerJobs';
import { OnnxEmbedder, messageOf, type OrtModule } from '../embedders/onnx/onnxEmbedder';
import type { EmbedCallOptions, EmbedResult, EmbedWorkerApi, LoadOnnxRequest, ModelInfo, RgbaPixels } from '../embedders/protocol';
import { probeCapabilities, type GpuDeviceLike } from '../embedders/onnx/webgpu';
import { onnxWeightSummary } from '../embedders/onnxWeightPrecision';

type Current =
  | { kind: 'onnx'; embedder: OnnxEmbedder; request: LoadOnnxRequest; bytes: Uint8Array | null; info: ModelInfo }
  | { kind: 'statistics'; info: ModelInfo };

let ortPromise: Promise<OrtModule> | null = null;
let initialisedThreads: number | null = null;

/** Loads onnxruntime-web on first use; the thread count is fixed from then on (a wasm-runtime rule). */
function loadOrt(threads: number): Promise<OrtModule> {
  if (!ortPromise) {
    ortPromise = import('onnxruntime-web/webgpu').then((ort) => {
      ort.env.wasm.numThreads = threads;
      ort.env.wasm.proxy = false; // already off the main thread
      ort.env.logLevel = 'error';
      initialisedThreads = threads;
      return ort;
    });
  }
  return ortPromise;
}

class EmbedWorker implements EmbedWorkerApi {
  private current: Current | null = null;
  private capabilities: BackendCapabilities | null = null;
  private device: GpuDeviceLike | null = null;
  private deviceLostReason: string | null = null;

  async probe(): Promise<BackendCapabilities> {
    this.capabilities ??= await probeCapabilities();
    return this.capabilities;
  }

  wasmThreads(): number | null {
    return initialisedThreads;
  }

  async loadOnnx(bytes: Uint8Array, request: LoadOnnxRequest, threads: number): Promise<ModelInfo> {
    const caps = await this.probe();
    // The file decides, not its label: a dropped int8 or fp16 export goes where it can run.
    const precision = onnxWeightSummary(bytes).precision;
    const decision = chooseBackend(request.backend, caps, precision);
    // A device lost earlier cannot come back in this worker: later loads stay on WASM.
    const backend: Backend = decision.backend === 'webgpu' && this.deviceLostReason ? 'wasm' : decision.backend;
    const reason = backend === decision.backend ? decision.reason : `WebGPU device was lost earlier (${this.deviceLostReason})`;
    const ort = await loadOrt(wasmThreadCount(caps, threads));
    const embedder = await OnnxEmbedder.create(ort, bytes, this.embedderOptions(request, backend));
    if (backend === 'webgpu') await this.watchDevice(ort);
    await this.replace({
      kind: 'onnx',
      embedder,
      request: { ...request, precision },
      // Kept only on WebGPU: the bytes to reload on WASM if the device is lost.
      bytes: backend === 'webgpu' ? bytes : null,
      info: this.describe(embedder, { ...request, precision }, backend, reason, null),
    });
    return this.current!.info;
  }

  async loadImageStatistics(): Promise<ModelInfo> {
    await this.replace({
      kind: 'statistics',
      info: {
        id: IMAGE_STATISTICS_ID,
        name: IMAGE_STATISTICS_LABEL,
        kind: 'image-statistics',
        isDinov2: false,
        inputSize: null,
        embeddingDim: IMAGE_STATISTICS_DIM,
        readout: 'intensity histogram, 4×4 grid means, gradient statistics, dark-blob statistics',
        readoutKind: 'statistics',
        readoutNote: null,
        pooling: 'statistics',
        precision: null,
        backend: 'js',
        backendReason: 'plain JavaScript, no model',
        threads: 1,
        batchSize: 1,
        warmupMs: 0,
        msPerImage: null,
        fallbackReason: null,
        modelBytes: 0,
        producer: 'built in',
      },
    });
    return this.current!.info;
  }

  async embed(images: RgbaPixels[], options: EmbedCallOptions, onProgress?: ProgressCallback): Promise<EmbedResult> {
    const current = this.current;
    if (!current) throw new Error('no embedding model is loaded: load DINOv2 or the image-statistics embedder first');
    images.forEach((image, i) => assertRgbaPixels(image, `image ${i}`));
    const started = performance.now();
    let inferenceMs = 0;
    const items: EmbedResult['items'] = [];
    await runJob(options.jobId, 'embedding', async (job) => {
      onProgress?.({ done: 0, total: images.length, stage: 'embed' });
      if (current.kind === 'statistics') {
        for (let i = 0; i < images.length; i++) {
          if (i % 8 === 0) await job.checkpoint();
          const raw = imageStatisticsEmbedding(images[i]);
          items.push({ raw, embedding: l2Normalize(raw) });
          if (i % 8 === 7 || i === images.length - 1) onProgress?.({ done: i + 1, total: images.length, stage: 'embed' });
        }
      } else {
        let i = 0;
        while (i < images.length) {
          await job.checkpoint();
          const active = this.current as Extract<Current, { kind: 'onnx' }>;
          const size = Math.min(options.batchSize ?? active.embedder.batchSize, active.embedder.plan.fixedBatch ?? Infinity);
          const batch = images.slice(i, i + size);
          let result;
          try {
            if (this.deviceLostReason && active.info.backend === 'webgpu') throw new Error(`WebGPU device lost: ${this.deviceLostReason}`);
            result = await active.embedder.embedBatch(batch);
          } catch (error) {
            if (active.info.backend !== 'webgpu') throw error;
            // WebGPU failed mid-run (device lost, out of memory…): reload on WASM, redo this batch.
            await yieldToEventLoop(); // lets a pending device.lost handler record its reason first
            await this.fallBackToWasm(active, this.deviceLostReason ? `device lost: ${this.deviceLostReason}` : firstLine(messageOf(error)));
            continue;
          }
          inferenceMs += result.inferenceMs;
          items.push(...result.items);
          i += batch.length;
          onProgress?.({ done: i, total: images.length, stage: 'embed' });
        }
      }
    });
    const totalMs = performance.now() - started;
    const info = this.current!.info;
    if (images.length > 0) info.msPerImage = totalMs / images.length;
    const result: EmbedResult = { items, info: { ...info }, timing: { images: images.length, totalMs, inferenceMs } };
    const buffers = items.flatMap((item) => [item.embedding.buffer, item.raw.buffer]) as ArrayBuffer[];
    return Comlink.transfer(result, buffers);
  }

  async loseWebGpuDevice(): Promise<boolean> {
    if (!this.device) return false;
    this.device.destroy();
    // destroy() resolves device.lost; wait for our handler to record it.
    await this.device.lost;
    return true;
  }

  private embedderOptions(request: LoadOnnxRequest, backend: Backend) {
    return {
      label: `"${request.name}"`,
      backend,
      pooling: request.pooling,
      patchSize: request.patchSize,
      batchSize: request.batchSize,
      graphOptimization: request.graphOptimization,
      maxStorageBufferBindingSize: this.capabilities?.maxStorageBufferBindingSize,
    };
  }

  private describe(embedder: OnnxEmbedder, request: LoadOnnxRequest, backend: Backend, reason: string, fallbackReason: string | null): ModelInfo {
    return {
      id: request.id,
      name: request.name,
      kind: 'onnx',
      isDinov2: true,
      inputSize: { height: embedder.spec.cropHeight, width: embedder.spec.cropWidth },
      embeddingDim: embedder.embeddingDim,
      readout: embedder.readout,
      readoutKind: embedder.readoutKind,
      readoutNote: embedder.readoutNote,
      pooling: request.pooling,
      precision: request.precision,
      backend,
      backendReason: reason,
      threads: backend === 'wasm' ? (initialisedThreads ?? 1) : 1,
      batchSize: embedder.batchSize,
      warmupMs: embedder.warmupMs,
      msPerImage: null,
      fallbackReason,
      modelBytes: embedder.file.byteLength,
      producer: [embedder.file.producerName, embedder.file.producerVersion].filter(Boolean).join(' '),
    };
  }

  /** onnxruntime creates the GPUDevice; we only listen for its loss. */
  private async watchDevice(ort: OrtModule): Promise<void> {
    const device = (await ort.env.webgpu.device) as unknown as GpuDeviceLike;
    if (device === this.device) return;
    this.device = device;
    device.lost.then((lost) => {
      this.deviceLostReason = lost.message || lost.reason || 'unknown reason';
    });
  }

  private async fallBackToWasm(active: Extract<Current, { kind: 'onnx' }>, why: string): Promise<void> {
    const ort = await loadOrt(initialisedThreads ?? 1);
    const bytes = active.bytes!;
    const embedder = await OnnxEmbedder.create(ort, bytes, this.embedderOptions(active.request, 'wasm'));
    const reason = `WebGPU failed mid-run (${why}); finished on WASM`;
    await active.embedder.release().catch(() => undefined);
    this.current = { kind: 'onnx', embedder, request: active.request, bytes: null, info: this.describe(embedder, active.request, 'wasm', reason, reason) };
  }

  private async replace(next: Current): Promise<void> {
    const previous = this.current;
    this.current = next;
    if (previous?.kind === 'onnx') await previous.embedder.release().catch(() => undefined);
  }
}

/** onnxruntime's messages carry a build path and a multi-line trace; the UI needs one line. */
function firstLine(message: string): string {
  const line = message.split('\n').find((l) => l.trim()) ?? message;
  return line.length > 240 ? `${line.slice(0, 240)}…` : line;
}

exposeWorker(new EmbedWorker());
