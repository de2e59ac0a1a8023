/**
 * Means and covariances of small low-dimensional samples (the PCA-k coordinates, k ≤ ~16), Float64.
 * Points are given as a row-major array `x` (stride p) and a list of row indices, so the noise floor's
 * many random splits reuse one coordinate array without copying.
 */

export function meanOfRows(x: Float64Array, p: number, rows: ArrayLike<number>): Float64Array {
  const mean = new Float64Array(p);
  for (let r = 0; r < rows.length; r++) {
    const o = rows[r] * p;
    for (let j = 0; j < p; j++) mean[j] += x[o + j];
  }
  for (let j = 0; j < p; j++) mean[j] /= rows.length;
  return mean;
}

/**
 * Sample covariance S = Σ_i (x_i − x̄)(x_i − x̄)ᵀ / divisor, p×p. divisor n gives the maximum-likelihood
 * (biased) estimate, n − 1 the unbiased one.
 */
export function covarianceOfRows(
  x: Float64Array,
  p: number,
  rows: ArrayLike<number>,
  mean: Float64Array,
  divisor: number,
): Float64Array {
  const cov = new Float64Array(p * p);
  const centred = new Float64Array(p);
  for (let r = 0; r < rows.length; r++) {
    const o = rows[r] * p;
    for (let j = 0; j < p; j++) centred[j] = x[o + j] - mean[j];
    for (let a = 0; a < p; a++) {
      const ca = centred[a];
      for (let b = 0; b <= a; b++) cov[a * p + b] += ca * centred[b];
    }
  }
  for (let a = 0; a < p; a++) {
    for (let b = 0; b <= a; b++) {
      const v = cov[a * p + b] / divisor;
      cov[a * p + b] = v;
      cov[b * p + a] = v;
    }
  }
  return cov;
}

export interface ShrunkCovariance {
  /** (1 − s)·S + s·μ·I, p×p, with S the maximum-likelihood covariance (divisor n). */
  covariance: Float64Array;
  /** The shrinkage intensity s ∈ [0, 1]. */
  shrinkage: number;
  /** μ = tr(S)/p, the scale of the identity target. */
  target: number;
}

/**
 * Ledoit–Wolf shrinkage towards a scaled identity (Ledoit & Wolf, "A well-conditioned estimator for
 * large-dimensional covariance matrices", J. Multivariate Anal. 88, 2004), exactly as
 * sklearn.covariance.ledoit_wolf (assume_centered=False) computes it:
 *   S = XᵀX/n (X centred),  μ = tr(S)/p,
 *   δ = ‖S − μI‖²_F / p,
 *   β = (Σ_i ‖x_i‖⁴ / n − ‖S‖²_F) / (p·n),
 *   s = min(β, δ)/δ   (0 when β = 0).
 * It is well conditioned for any n ≥ 2, including n ≤ p, which is why the Fréchet and Mahalanobis
 * distances use it at 3..16 samples.
 */
export function ledoitWolfOfRows(x: Float64Array, p: number, rows: ArrayLike<number>): ShrunkCovariance {
  const n = rows.length;
  const mean = meanOfRows(x, p, rows);
  const s = covarianceOfRows(x, p, rows, mean, n);
  if (p === 1) return { covariance: s, shrinkage: 0, target: s[0] };
  let trace = 0;
  for (let j = 0; j < p; j++) trace += s[j * p + j];
  const mu = trace / p;
  let frobeniusS = 0;
  let frobeniusCentred = 0;
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < p; b++) {
      const v = s[a * p + b];
      frobeniusS += v * v;
      const c = a === b ? v - mu : v;
      frobeniusCentred += c * c;
    }
  }
  let sumFourth = 0;
  for (let r = 0; r < n; r++) {
    const o = rows[r] * p;
    let sq = 0;
    for (let j = 0; j < p; j++) {
      const c = x[o + j] - mean[j];
      sq += c * c;
    }
    sumFourth += sq * sq;
  }
  const delta = frobeniusCentred / p;
  const beta = Math.min((sumFourth / n - frobeniusS) / (p * n), delta);
  // δ = 0 means S is already a multiple of I (or zero): nothing to shrink.
  const shrinkage = beta === 0 || delta === 0 ? 0 : beta / delta;
  const covariance = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < p; b++) covariance[a * p + b] = (1 - shrinkage) * s[a * p + b] + (a === b ? shrinkage * mu : 0);
  }
  return { covariance, shrinkage, target: mu };
}
