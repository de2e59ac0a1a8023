/**
 * GP training inputs: n points in the model's input space (row-major n×D), the lengthscale group of
 * each of the D coordinates, and optionally how noisy each row is relative to the others. Pairwise
 * squared distances per group are computed once per data set, so each marginal-likelihood evaluation
 * costs O(n²·G) for the kernel instead of O(n²·D).
 */
export interface GpInputs {
  /** Row-major n×D. */
  readonly X: Float64Array;
  readonly n: number;
  readonly D: number;
  /** Lengthscale group of each coordinate, 0..G−1. */
  readonly groups: Int32Array;
  readonly groupCount: number;
  /**
   * Relative noise variance of each row: row i's noise variance is σ_n² · noiseScale[i] (heteroscedastic,
   * e.g. r_ref / r_i for a score averaged over r_i replicates). Absent: 1 for every row (homoscedastic).
   */
  readonly noiseScale?: Float64Array;
}

export function gpInputs(rows: ReadonlyArray<ArrayLike<number>>, groups: ArrayLike<number>, noiseScale?: ArrayLike<number>): GpInputs {
  const n = rows.length;
  if (noiseScale !== undefined) {
    if (noiseScale.length !== n) throw new Error(`GP noise scale has ${noiseScale.length} entries, expected ${n}`);
    for (let i = 0; i < n; i++) if (!(noiseScale[i] > 0 && Number.isFinite(noiseScale[i]))) throw new Error(`GP noise scale ${noiseScale[i]} of row ${i} must be a positive finite number`);
  }
  const D = groups.length;
  const X = new Float64Array(n * D);
  rows.forEach((r, i) => {
    if (r.length !== D) throw new Error(`GP input ${i} has ${r.length} coordinates, expected ${D}`);
    for (let c = 0; c < D; c++) X[i * D + c] = r[c];
  });
  const g = Int32Array.from(groups);
  let groupCount = 0;
  for (const v of g) groupCount = Math.max(groupCount, v + 1);
  return { X, n, D, groups: g, groupCount, ...(noiseScale !== undefined ? { noiseScale: Float64Array.from(noiseScale) } : {}) };
}

/**
 * For every pair i > j (in row order: (1,0), (2,0), (2,1), (3,0), …) and group g, the squared distance
 * Σ_{c∈g} (x_ic − x_jc)², stored at [pair·G + g].
 */
export function pairwiseGroupDistances(inputs: GpInputs): Float64Array {
  const { X, n, D, groups, groupCount: G } = inputs;
  const pairs = (n * (n - 1)) / 2;
  const out = new Float64Array(pairs * G);
  let p = 0;
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++, p++) {
      const base = p * G;
      for (let c = 0; c < D; c++) {
        const d = X[i * D + c] - X[j * D + c];
        out[base + groups[c]] += d * d;
      }
    }
  }
  return out;
}
