/**
 * From a model's output to the embedding we score with (see docs/decisions.md, 'Embedding: the
 * L2-normalised CLS token'): the CLS token, L2-normalised, with the raw vector kept. DINOv2's CLS is last_hidden_state[:, 0, :] after the final LayerNorm, which is
 * also what pooler_output holds when an export has it.
 */

/** Layout of a token output: [batch, tokens, dim], row-major. */
export interface TokenLayout {
  tokens: number;
  dim: number;
}

/** Token 0 (CLS) of item `b`, copied. */
export function clsToken(data: Float32Array, layout: TokenLayout, b: number): Float32Array {
  const start = b * layout.tokens * layout.dim;
  return data.slice(start, start + layout.dim);
}

/**
 * How many trailing tokens are image patches: (H/p)·(W/p) when that fits (DINOv2 with registers puts
 * 4 register tokens between CLS and the patches, which must not enter the patch mean), else all but CLS.
 */
export function patchTokenCount(tokens: number, inputHeight: number, inputWidth: number, patchSize = 14): number {
  const grid = Math.floor(inputHeight / patchSize) * Math.floor(inputWidth / patchSize);
  return grid >= 1 && grid <= tokens - 1 ? grid : tokens - 1;
}

/** Mean of the last `patches` tokens of item `b`. */
export function meanPatchToken(data: Float32Array, layout: TokenLayout, b: number, patches: number): Float32Array {
  const { tokens, dim } = layout;
  if (patches < 1 || patches > tokens - 1) throw new Error(`meanPatchToken: ${patches} patch tokens out of ${tokens}`);
  const mean = new Float64Array(dim);
  const first = b * tokens * dim + (tokens - patches) * dim;
  for (let t = 0; t < patches; t++) {
    const row = first + t * dim;
    for (let d = 0; d < dim; d++) mean[d] += data[row + d];
  }
  return Float32Array.from(mean, (v) => v / patches);
}

/** Euclidean norm, accumulated in float64. */
export function l2Norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

/** v / ‖v‖ (a zero vector stays zero rather than becoming NaN). */
export function l2Normalize(v: ArrayLike<number>): Float32Array {
  const n = l2Norm(v);
  const out = new Float32Array(v.length);
  if (n > 0) for (let i = 0; i < v.length; i++) out[i] = v[i] / n;
  return out;
}

export interface EmbeddingPair {
  /** What the metrics use: L2-normalised. */
  embedding: Float32Array;
  /** The model's vector as it came out (CLS, or CLS ⊕ mean patch). */
  raw: Float32Array;
}

/** CLS alone: raw = CLS, embedding = CLS / ‖CLS‖. */
export function clsEmbedding(cls: Float32Array): EmbeddingPair {
  return { raw: cls, embedding: l2Normalize(cls) };
}

/**
 * CLS ⊕ mean patch (the DINOv2 paper's linear-probe feature). raw is the plain concatenation; the
 * normalised form normalises each half separately and scales by 1/√2, so the whole has unit length and
 * the patch mean (whose norm is typically much smaller than CLS's) weighs as much as CLS.
 */
export function clsMeanPatchEmbedding(cls: Float32Array, meanPatch: Float32Array): EmbeddingPair {
  const raw = new Float32Array(cls.length + meanPatch.length);
  raw.set(cls);
  raw.set(meanPatch, cls.length);
  const a = l2Normalize(cls);
  const b = l2Normalize(meanPatch);
  const embedding = new Float32Array(raw.length);
  for (let i = 0; i < a.length; i++) embedding[i] = a[i] * Math.SQRT1_2;
  for (let i = 0; i < b.length; i++) embedding[a.length + i] = b[i] * Math.SQRT1_2;
  return { raw, embedding };
}
