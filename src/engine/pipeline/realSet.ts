/**
 * The smallest real set the tool scores against. The noise floor splits the real set in two
 * (real-vs-real), and each half needs two samples for an unbiased MMD² (its U-statistic averages over
 * distinct pairs), so 4 is the least that gives a floor at all; about 16 is typical.
 */
export const MIN_REAL_SAMPLES = 4;

/** Why a real set of `count` samples cannot be scored against, or null when it can. */
export function realSetProblem(count: number): string | null {
  return count >= MIN_REAL_SAMPLES ? null : `the real set has ${count} sample(s); scoring and its noise floor need at least ${MIN_REAL_SAMPLES}`;
}

/**
 * Why iteration 0's vectors cannot be mapped and scored, or null when they can: when every vector is
 * the same (within float32 rounding), nothing separates the samples — typically an embedding model
 * that does not see what differs between these images.
 */
export function identicalVectorsProblem(vectors: readonly Float32Array[]): string | null {
  if (vectors.length < 2) return null;
  const first = vectors[0];
  let scale = 0;
  for (const v of first) scale = Math.max(scale, Math.abs(v));
  const tolerance = 1e-6 * Math.max(scale, 1e-30);
  for (let i = 1; i < vectors.length; i++) {
    const v = vectors[i];
    if (v.length !== first.length) return null;
    for (let j = 0; j < v.length; j++) if (Math.abs(v[j] - first[j]) > tolerance) return null;
  }
  return `all ${vectors.length} vectors of iteration 0 are the same: the embedding model does not tell these samples apart, so there is nothing to map or score (choose another model)`;
}
