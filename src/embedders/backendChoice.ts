/**
 * Which onnxruntime-web backend runs a model, how many WASM threads, and what batch size fits. Pure
 * decisions from what the worker measured about the browser, so they can be tested and explained.
 */
export type BackendPreference = 'auto' | 'webgpu' | 'wasm';
export type Backend = 'webgpu' | 'wasm';
export type Precision = 'fp32' | 'fp16' | 'int8';

/** What the embed worker found out about its browser. */
export interface BackendCapabilities {
  /** navigator.gpu.requestAdapter() returned an adapter. */
  webgpu: boolean;
  /** The adapter supports the shader-f16 feature (needed for fp16 weights on WebGPU). */
  shaderF16: boolean;
  /** Vendor / architecture / description of the adapter, when it says. */
  adapterName: string;
  /** The adapter's maxStorageBufferBindingSize (bytes): bounds the largest activation per dispatch. */
  maxStorageBufferBindingSize: number;
  /** SharedArrayBuffer is usable: the precondition for multithreaded WASM. */
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
}

export interface BackendDecision {
  backend: Backend;
  /** Why, in a sentence the UI can show. */
  reason: string;
}

export class BackendUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackendUnavailableError';
  }
}

/** Why int8 weights do not go to WebGPU (seen in onnxruntime-web 1.30's node placement log). */
export const INT8_ON_WEBGPU_REASON =
  "int8 weights run on WASM: onnxruntime-web's WebGPU backend has no kernels for their DynamicQuantizeLinear, MatMulInteger and ConvInteger nodes, which would run on the CPU with a GPU↔CPU copy around every layer";

/**
 * auto: WebGPU when there is an adapter and it can run the weights (fp16 needs shader-f16; int8
 * dynamically-quantised weights use CPU kernels, so they go to WASM); otherwise WASM.
 * Forced: that backend, or an error saying why it cannot run here — except int8 forced onto WebGPU,
 * which runs on WASM with INT8_ON_WEBGPU_REASON (the session would run, with its integer nodes on the
 * CPU anyway).
 */
export function chooseBackend(preference: BackendPreference, caps: BackendCapabilities, precision: Precision): BackendDecision {
  const fp16Blocked = precision === 'fp16' && !caps.shaderF16;
  if (preference === 'wasm') return { backend: 'wasm', reason: 'WASM chosen by the user' };
  if (preference === 'webgpu') {
    if (!caps.webgpu) throw new BackendUnavailableError('WebGPU was chosen, but this browser exposes no WebGPU adapter (navigator.gpu.requestAdapter() gave none). Choose Auto or WASM.');
    if (fp16Blocked) throw new BackendUnavailableError('WebGPU was chosen with fp16 weights, but this GPU adapter lacks the shader-f16 feature. Choose fp32 weights or WASM.');
    if (precision === 'int8') return { backend: 'wasm', reason: `WebGPU was chosen, but ${INT8_ON_WEBGPU_REASON}` };
    return { backend: 'webgpu', reason: 'WebGPU chosen by the user' };
  }
  if (!caps.webgpu) return { backend: 'wasm', reason: 'no WebGPU adapter in this browser' };
  if (fp16Blocked) return { backend: 'wasm', reason: 'fp16 weights and the GPU adapter lacks shader-f16' };
  if (precision === 'int8') return { backend: 'wasm', reason: INT8_ON_WEBGPU_REASON };
  return { backend: 'webgpu', reason: `WebGPU adapter available${caps.adapterName ? ` (${caps.adapterName})` : ''}` };
}

/**
 * WASM threads: all cores up to 8 when cross-origin isolated (SharedArrayBuffer), else 1.
 * A requested count is honoured within the same bounds.
 */
export function wasmThreadCount(caps: Pick<BackendCapabilities, 'crossOriginIsolated' | 'hardwareConcurrency'>, requested?: number): number {
  if (!caps.crossOriginIsolated) return 1;
  const cores = Math.max(1, caps.hardwareConcurrency || 1);
  const wanted = requested && requested > 0 ? Math.floor(requested) : Math.min(cores, 8);
  return Math.max(1, Math.min(wanted, 16));
}

export const MAX_BATCH = 16;

/**
 * A batch size whose largest single activation fits the device. For a ViT with T tokens and width D
 * (heads ≈ D/64, MLP width 4D) the largest per-image tensors are the attention scores heads·T²·4 bytes
 * and the MLP hidden layer T·4D·4 bytes. On WebGPU one tensor must fit in a storage-buffer binding;
 * we keep it under half of maxStorageBufferBindingSize. On WASM (4 GiB address space, weights
 * included) we keep the sum of live activations (≈ 8 such tensors) under 1 GiB.
 */
export function chooseBatchSize(options: {
  backend: Backend;
  tokens: number;
  dim: number;
  maxStorageBufferBindingSize?: number;
  fixedBatch?: number | null;
  requested?: number;
}): number {
  if (options.fixedBatch) return options.fixedBatch;
  if (options.requested && options.requested > 0) return Math.floor(options.requested);
  const heads = Math.max(1, Math.round(options.dim / 64));
  const perImage = Math.max(heads * options.tokens * options.tokens * 4, options.tokens * 4 * options.dim * 4);
  const budget = options.backend === 'webgpu' ? (options.maxStorageBufferBindingSize ?? 128 * 2 ** 20) / 2 : 2 ** 30 / 8;
  return Math.max(1, Math.min(MAX_BATCH, Math.floor(budget / perImage)));
}
