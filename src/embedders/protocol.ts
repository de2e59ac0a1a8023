import type { Backend, BackendCapabilities, BackendPreference, Precision } from './backendChoice';
import type { EmbeddingPair } from './pooling';
import type { ReadoutKind } from './readout';
import type { RgbaPixels } from './rgbaImage';
import type { ProgressCallback } from '../engine/progress';

export type { Backend, BackendCapabilities, BackendPreference, EmbeddingPair, Precision, ReadoutKind, RgbaPixels };

/** cls: the CLS token (the default). cls+meanpatch: CLS ⊕ mean of the patch tokens. */
export type Pooling = 'cls' | 'cls+meanpatch';

export interface LoadOnnxRequest {
  /** Shown in the UI and in error messages, e.g. "DINOv2 ViT-S/14 (fp32)" or the file name. */
  name: string;
  /** Stable identity recorded with embeddings, e.g. "dinov2-small/fp32" or "file:model.onnx". */
  id: string;
  /** The precision the caller expects; the worker reads the file's own (onnxWeightPrecision.ts) and runs that. */
  precision: Precision;
  backend: BackendPreference;
  pooling: Pooling;
  /** Patch size of the ViT (14 for DINOv2); locates the patch tokens for cls+meanpatch. */
  patchSize: number;
  /** Forces a batch size (the bench does); otherwise chosen from the model and device. */
  batchSize?: number;
  /** onnxruntime's graph optimisation level (the bench compares them); default GRAPH_OPTIMIZATION_LEVEL. */
  graphOptimization?: GraphOptimizationLevel;
}

export type GraphOptimizationLevel = 'disabled' | 'basic' | 'extended' | 'all';

export interface ModelInfo {
  id: string;
  name: string;
  kind: 'onnx' | 'image-statistics';
  /** False for the image-statistics embedder: its vectors are not DINOv2 features. */
  isDinov2: boolean;
  /** Spatial size of the model input (pixels), null for image statistics. */
  inputSize: { height: number; width: number } | null;
  /** Length of each embedding vector. */
  embeddingDim: number;
  /**
   * How the vector is read out, e.g. "pooler_output", "last_hidden_state[:, 0]" or, when the CLS token
   * does not depend on the image, "mean of patch tokens: mean(last_hidden_state[:, −256:])".
   */
  readout: string;
  /** The readout actually used (it differs from the requested pooling when CLS ignores the image). */
  readoutKind: ReadoutKind | 'statistics';
  /** Why readoutKind is not the requested readout (e.g. CLS is the same for every image); null if it is. */
  readoutNote: string | null;
  pooling: Pooling | 'statistics';
  /** How the file stores its weights (read from the file), null for image statistics. */
  precision: Precision | null;
  backend: Backend | 'js';
  /** Why this backend (auto choice, user's choice, or fallback). */
  backendReason: string;
  /** WASM threads (1 for WebGPU's CPU side too, as onnxruntime reports; 1 for image statistics). */
  threads: number;
  batchSize: number;
  warmupMs: number;
  /** Mean milliseconds per image over the last embed call; null before the first. */
  msPerImage: number | null;
  /** Set when the model moved to WASM mid-run (WebGPU device lost) or at load. */
  fallbackReason: string | null;
  modelBytes: number;
  producer: string;
}

export interface EmbedTiming {
  images: number;
  /** Wall time inside the worker, preprocessing included. */
  totalMs: number;
  /** Time inside session.run only. */
  inferenceMs: number;
}

export interface EmbedResult {
  /** One per input image, in order. */
  items: EmbeddingPair[];
  info: ModelInfo;
  timing: EmbedTiming;
}

export interface EmbedCallOptions {
  /** The worker bridge's job id: what its cancelJob stops. */
  jobId?: number;
  batchSize?: number;
}

/** The embed worker's interface (comlink). */
export interface EmbedWorkerApi {
  /** Capabilities as the worker sees them (adapter, shader-f16, isolation, cores). */
  probe(): Promise<BackendCapabilities>;
  /**
   * Validates and loads a model, warms it up, and makes it current. On failure the previous model
   * stays loaded and the error names the model and the reason.
   */
  loadOnnx(bytes: Uint8Array, request: LoadOnnxRequest, threads: number): Promise<ModelInfo>;
  loadImageStatistics(): Promise<ModelInfo>;
  embed(images: RgbaPixels[], options: EmbedCallOptions, onProgress?: ProgressCallback): Promise<EmbedResult>;
  /** WASM threads the runtime was initialised with (fixed for the worker's life); null before. */
  wasmThreads(): number | null;
  /** Test hook: destroys the WebGPU device the model runs on, as a driver reset would. */
  loseWebGpuDevice(): Promise<boolean>;
}
