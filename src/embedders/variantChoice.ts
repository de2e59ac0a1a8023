import { chooseBackend, type Backend, type BackendCapabilities, type BackendPreference, type Precision } from './backendChoice';

/**
 * Which of a model's weight files (fp32 model.onnx, fp16 model_fp16.onnx, int8 model_quantized.onnx) to
 * load, and on which backend: a pure decision from the files there are, the user's wishes and what the
 * embed worker found out about the browser. It never picks a variant the session cannot run well:
 * - fp16 only for WebGPU on an adapter with shader-f16. onnxruntime-web 1.30's WebGPU kernels refuse
 *   float16 without it ("requires f16 but the device does not support it"); on WASM the graph runs, but
 *   onnxruntime casts around every float16 node to its float32 kernels — no faster than fp32, and less
 *   exact — so fp32 is loaded instead and the note says why.
 * - int8 always on WASM: the WebGPU EP of onnxruntime-web 1.30 has no DynamicQuantizeLinear,
 *   MatMulInteger or ConvInteger kernel, so those nodes would run on the CPU with a GPU↔CPU copy around
 *   every linear layer (chooseBackend says so in its reason).
 * - a precision the model has no file for falls back to fp32, said in the note.
 */
export interface VariantChoice {
  /** The file to load. */
  precision: Precision;
  backend: Backend;
  /** Why this backend, as the UI shows it. */
  backendReason: string;
  /** Why `precision` is not the wanted one; null when it is. */
  note: string | null;
}

function fp16Obstacle(preference: BackendPreference, caps: BackendCapabilities): string | null {
  if (preference === 'wasm') return 'fp16 weights are only used on WebGPU with shader-f16 (on WASM they run through float32 casts: no faster, less exact) and WASM was chosen';
  if (!caps.webgpu) return 'fp16 weights need a WebGPU adapter with shader-f16, and this browser has no WebGPU adapter';
  if (!caps.shaderF16) return 'fp16 weights need a WebGPU adapter with shader-f16, and this adapter lacks it';
  return null;
}

export function chooseModelVariant(available: readonly Precision[], wanted: Precision, preference: BackendPreference, caps: BackendCapabilities): VariantChoice {
  const fallback: Precision = available.includes('fp32') ? 'fp32' : available[0];
  let precision = wanted;
  let note: string | null = null;
  if (!available.includes(wanted)) {
    precision = fallback;
    note = `there is no ${wanted} file of this model; using ${fallback}`;
  } else if (wanted === 'fp16') {
    const obstacle = fp16Obstacle(preference, caps);
    if (obstacle && fallback !== 'fp16') {
      precision = fallback;
      note = `${obstacle}; using ${fallback}`;
    }
  }
  const decision = chooseBackend(preference, caps, precision);
  return { precision, backend: decision.backend, backendReason: decision.reason, note };
}
