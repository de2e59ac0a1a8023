import { toFloat16Bits } from '../../src/embedders/float16';

/**
 * How the Hugging Face exports store their weights, re-done in TypeScript for the stand-ins:
 *
 * - model_quantized.onnx: onnxruntime's dynamic quantisation (IntegerOps mode, per tensor, no reduced
 *   range). transformers.js's conversion script picks uint8 weights when the model has a Conv, as
 *   DINOv2 does (its patch embedding): onnxruntime-web has no ConvInteger kernel for int8 weights.
 *   Asymmetric uint8 per tensor (onnxruntime.quantization.quant_utils compute_scale_zp and
 *   quantize_nparray):
 *     rmin = min(0, min W), rmax = max(0, max W), scale = (rmax − rmin) / 255,
 *     zero_point = round(−rmin / scale), q = clip(round(W / scale) + zero_point, 0, 255),
 *   rounding half to even as numpy does.
 * - model_fp16.onnx: every float initializer as IEEE half (round to nearest even), after onnxruntime's
 *   float16 converter's clamp: magnitudes below 1e-7 become ±1e-7 and above 1e4 become ±1e4 (zeros,
 *   infinities and NaN unchanged).
 */

export interface Uint8Quantized {
  values: Uint8Array;
  scale: number;
  zeroPoint: number;
}

/** Round half to even (numpy.round). */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function quantizeUint8PerTensor(weights: Float32Array): Uint8Quantized {
  let min = 0;
  let max = 0;
  for (const w of weights) {
    if (w < min) min = w;
    if (w > max) max = w;
  }
  // onnxruntime derives the zero point from the float64 scale, then stores the scale as float32.
  const scale64 = max > min ? (max - min) / 255 : 1;
  const zeroPoint = Math.min(255, Math.max(0, roundHalfEven(-min / scale64)));
  const scale = Math.fround(scale64);
  const values = new Uint8Array(weights.length);
  for (let i = 0; i < weights.length; i++) {
    values[i] = Math.min(255, Math.max(0, roundHalfEven(Math.fround(weights[i] / scale)) + zeroPoint));
  }
  return { values, scale, zeroPoint };
}

const FP16_MIN_POSITIVE = 1e-7;
const FP16_MAX_FINITE = 1e4;

export function toFloat16Weights(weights: Float32Array): Uint16Array {
  const out = new Uint16Array(weights.length);
  for (let i = 0; i < weights.length; i++) {
    let w = weights[i];
    const magnitude = Math.abs(w);
    if (magnitude > 0 && magnitude < FP16_MIN_POSITIVE) w = Math.sign(w) * FP16_MIN_POSITIVE;
    else if (magnitude > FP16_MAX_FINITE && Number.isFinite(w)) w = Math.sign(w) * FP16_MAX_FINITE;
    out[i] = toFloat16Bits(w);
  }
  return out;
}
