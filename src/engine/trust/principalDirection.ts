import { gramMatrix } from '../linalg/innerProducts';
import type { Matrix } from '../linalg/matrix';
import { symmetricEigen } from '../linalg/symmetricEigen';

/**
 * The real set's first principal direction u (unit vector, D values) and the sample standard deviation
 * of the real rows along it, s = √(λ₁/(n − 1)), λ₁ the largest eigenvalue of X_cᵀX_c (X_c the centred
 * rows). Computed through the n × n Gram matrix X_cX_cᵀ (same non-zero eigenvalues; n ≪ D here):
 * u = X_cᵀv/√λ₁ for its top eigenvector v. Sign: the largest-magnitude entry of u is positive (the
 * metric suite's PCA convention), so the direction is deterministic.
 */
export interface PrincipalDirection {
  direction: Float64Array;
  /** Sample sd (divisor n − 1) of the real rows' projections on the direction, in embedding units. */
  sd: number;
  /** u·x_i for each real row. */
  projections: Float64Array;
}

export function firstPrincipalDirection(fn: string, real: Matrix): PrincipalDirection {
  const { rows: n, cols: d, data } = real;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[t] += data[i * d + t];
  for (let t = 0; t < d; t++) mean[t] /= n;
  const centred = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) centred[i * d + t] = data[i * d + t] - mean[t];
  const eigen = symmetricEigen(gramMatrix({ rows: n, cols: d, data: centred }), n);
  const lambda = eigen.values[0];
  if (!(lambda > 0)) throw new Error(`${fn}: argument \`real\` has no spread (all rows are equal), so it has no principal direction`);
  const direction = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const vi = eigen.vectors[i * n];
    if (vi === 0) continue;
    for (let t = 0; t < d; t++) direction[t] += centred[i * d + t] * vi;
  }
  let norm = 0;
  let largest = 0;
  for (let t = 0; t < d; t++) {
    norm += direction[t] * direction[t];
    if (Math.abs(direction[t]) > Math.abs(largest)) largest = direction[t];
  }
  const scale = (largest < 0 ? -1 : 1) / Math.sqrt(norm);
  for (let t = 0; t < d; t++) direction[t] *= scale;
  const projections = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += direction[t] * data[i * d + t];
    projections[i] = s;
  }
  return { direction, sd: Math.sqrt(lambda / (n - 1)), projections };
}
