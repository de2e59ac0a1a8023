import type { Matrix } from '../linalg/matrix';
import { assertPositiveFinite, assertSameDimension, assertSample } from '../linalg/validateMatrix';
import { SampleGeometry, type Pool, type SampleSet } from './geometry';

/**
 * Kernel two-sample statistics: MMD² with the Gaussian kernel (unbiased and biased), KID (MMD² with the
 * cubic polynomial kernel) and the energy distance (MMD² with the distance-induced kernel, Sejdinovic et
 * al., Ann. Statist. 2013). All read the pool's inner products, so one pass over the pairs serves all four.
 *
 * Notation: X = the real sample (n rows), Y = the candidate sample (m rows), D = embedding dimension.
 */

export interface KernelSelection {
  /** σ of the Gaussian kernel k(x,y) = exp(−‖x−y‖²/(2σ²)); omit to skip it. */
  sigma?: number;
  polynomial?: boolean;
  distance?: boolean;
}

interface Totals {
  gaussian: number;
  polynomial: number;
  distance: number;
}

/** Σ k(a_i, b_j) over all i, j, or over ordered pairs i ≠ j when b is null (within a). */
function kernelTotals(pool: Pool, a: Int32Array, b: Int32Array | null, dim: number, which: KernelSelection): Totals {
  const { gram, sqNorms, size } = pool;
  const gaussianScale = which.sigma ? -1 / (2 * which.sigma * which.sigma) : 0;
  const doGaussian = which.sigma !== undefined;
  const doPolynomial = !!which.polynomial;
  const doDistance = !!which.distance;
  let gaussian = 0;
  let polynomial = 0;
  let distance = 0;
  const within = b === null;
  const bb = b ?? a;
  for (let i = 0; i < a.length; i++) {
    const p = a[i];
    const row = p * size;
    const np = sqNorms[p];
    for (let j = within ? i + 1 : 0; j < bb.length; j++) {
      const q = bb[j];
      const dot = gram[row + q];
      const sq = Math.max(0, np + sqNorms[q] - 2 * dot);
      if (doGaussian) gaussian += Math.exp(sq * gaussianScale);
      if (doPolynomial) {
        const t = dot / dim + 1;
        polynomial += t * t * t;
      }
      if (doDistance) distance += Math.sqrt(sq);
    }
  }
  // Within a sample we visited each unordered pair once; the estimators count ordered pairs.
  const factor = within ? 2 : 1;
  return { gaussian: gaussian * factor, polynomial: polynomial * factor, distance: distance * factor };
}

/** Σ_i k(x_i, x_i): 1 per row for the Gaussian kernel, (‖x‖²/D + 1)³ for the polynomial one, 0 for distance. */
function diagonalTotals(pool: Pool, a: Int32Array, dim: number): Totals {
  let polynomial = 0;
  for (let i = 0; i < a.length; i++) {
    const t = pool.sqNorms[a[i]] / dim + 1;
    polynomial += t * t * t;
  }
  return { gaussian: a.length, polynomial, distance: 0 };
}

export interface KernelStatistics {
  mmd2Unbiased: number;
  mmd2Biased: number;
  kid: number;
  energy: number;
}

/** The within-sample sums of one side (ordered pairs i ≠ j, and the diagonal), reusable across candidates. */
export interface KernelSide {
  count: number;
  within: Totals;
  diagonal: Totals;
}

export function kernelSide(geometry: SampleGeometry, set: SampleSet, which: KernelSelection): KernelSide {
  const pool = geometry.pool();
  const a = geometry.poolIndices(set);
  return { count: a.length, within: kernelTotals(pool, a, null, geometry.dim, which), diagonal: diagonalTotals(pool, a, geometry.dim) };
}

/**
 * The four statistics for two samples of one geometry (NaN for kernels not selected). `xSide` may carry
 * the first sample's within-sums from an earlier call with the same selection.
 */
export function kernelStatistics(geometry: SampleGeometry, x: SampleSet, y: SampleSet, which: KernelSelection, xSide?: KernelSide): KernelStatistics {
  const sx = xSide ?? kernelSide(geometry, x, which);
  const sy = kernelSide(geometry, y, which);
  const xy = kernelTotals(geometry.pool(), geometry.poolIndices(x), geometry.poolIndices(y), geometry.dim, which);
  const n = sx.count;
  const m = sy.count;
  const unbiased = (key: keyof Totals) => sx.within[key] / (n * (n - 1)) + sy.within[key] / (m * (m - 1)) - (2 * xy[key]) / (n * m);
  const biased = (key: keyof Totals) =>
    (sx.within[key] + sx.diagonal[key]) / (n * n) + (sy.within[key] + sy.diagonal[key]) / (m * m) - (2 * xy[key]) / (n * m);
  return {
    mmd2Unbiased: which.sigma !== undefined ? unbiased('gaussian') : NaN,
    mmd2Biased: which.sigma !== undefined ? biased('gaussian') : NaN,
    kid: which.polynomial ? unbiased('polynomial') : NaN,
    // Energy distance = 2E‖X−Y‖ − E‖X−X′‖ − E‖Y−Y′‖ = −(the "unbiased MMD²" of the kernel −‖x−y‖).
    energy: which.distance ? (2 * xy.distance) / (n * m) - sx.within.distance / (n * (n - 1)) - sy.within.distance / (m * (m - 1)) : NaN,
  };
}

export interface TwoSampleOptions {
  /** Cap on synthetic rows in the within-sample term (seeded subsample beyond it); default 1000. */
  maxPooledSynthetic?: number;
  seed?: number;
}

function twoSample(fn: string, real: Matrix, synthetic: Matrix, minRows: number, why: string, options: TwoSampleOptions) {
  assertSample(fn, 'real', real, minRows, why);
  assertSample(fn, 'synthetic', synthetic, minRows, why);
  assertSameDimension(fn, 'real', real, 'synthetic', synthetic);
  const geometry = new SampleGeometry(real, synthetic, options);
  return { geometry, x: geometry.all('real'), y: geometry.pooled() };
}

const pairsNeeded = 'the unbiased estimator averages over pairs i ≠ j';

/**
 * Unbiased MMD² with the Gaussian kernel k(x,y) = exp(−‖x−y‖²/(2σ²)):
 *   MMD²_u = Σ_{i≠j} k(x_i,x_j)/(n(n−1)) + Σ_{i≠j} k(y_i,y_j)/(m(m−1)) − 2 Σ_{i,j} k(x_i,y_j)/(nm)
 * (Gretton et al., JMLR 2012, eq. 3). Unbiased U-statistic: E[MMD²_u] = MMD²(P, Q), so it is centred on 0
 * for equal distributions and can be negative. Unit: kernel units (dimensionless); range (−2, 2).
 * σ is in embedding-distance units — fix it at iteration 0 (medianHeuristicBandwidth) and keep it.
 */
export function mmdSquaredUnbiased(real: Matrix, synthetic: Matrix, bandwidth: number, options: TwoSampleOptions = {}): number {
  assertPositiveFinite('mmdSquaredUnbiased', 'bandwidth', bandwidth);
  const { geometry, x, y } = twoSample('mmdSquaredUnbiased', real, synthetic, 2, pairsNeeded, options);
  return kernelStatistics(geometry, x, y, { sigma: bandwidth }).mmd2Unbiased;
}

/**
 * Biased MMD² (V-statistic) with the Gaussian kernel:
 *   MMD²_b = Σ_{i,j} k(x_i,x_j)/n² + Σ_{i,j} k(y_i,y_j)/m² − 2 Σ_{i,j} k(x_i,y_j)/(nm)
 * (Gretton et al., JMLR 2012, eq. 5). Always ≥ 0; biased upwards: for equal distributions
 * E[MMD²_b] = (1 − E k(x,x′))·(1/n + 1/m). Unit: kernel units (dimensionless); range [0, 2].
 */
export function mmdSquaredBiased(real: Matrix, synthetic: Matrix, bandwidth: number, options: TwoSampleOptions = {}): number {
  assertPositiveFinite('mmdSquaredBiased', 'bandwidth', bandwidth);
  const { geometry, x, y } = twoSample('mmdSquaredBiased', real, synthetic, 1, 'a sample needs a row', options);
  return kernelStatistics(geometry, x, y, { sigma: bandwidth }).mmd2Biased;
}

/**
 * Kernel Inception Distance: the unbiased MMD² (formula as mmdSquaredUnbiased) with the cubic polynomial
 * kernel k(x,y) = (xᵀy/D + 1)³ (Bińkowski et al., ICLR 2018; sklearn polynomial_kernel(degree=3,
 * gamma=1/D, coef0=1)). Unbiased U-statistic, one estimate on all rows (the paper's averaging over
 * subsets of 1000 only matters above that size). Unit: kernel units (dimensionless); can be negative.
 */
export function kernelInceptionDistance(real: Matrix, synthetic: Matrix, options: TwoSampleOptions = {}): number {
  const { geometry, x, y } = twoSample('kernelInceptionDistance', real, synthetic, 2, pairsNeeded, options);
  return kernelStatistics(geometry, x, y, { polynomial: true }).kid;
}

/**
 * Energy distance (Székely & Rizzo 2013), unbiased U-statistic form:
 *   E = 2 Σ_{i,j}‖x_i−y_j‖/(nm) − Σ_{i≠j}‖x_i−x_j‖/(n(n−1)) − Σ_{i≠j}‖y_i−y_j‖/(m(m−1))
 * E[E] = 2E‖X−Y‖ − E‖X−X′‖ − E‖Y−Y′‖, which is 0 iff P = Q; the estimate can be negative. This is the
 * quantity itself, not its square root (scipy's 1-D energy_distance returns √(E)). Unit: embedding
 * distance (Euclidean).
 */
export function energyDistance(real: Matrix, synthetic: Matrix, options: TwoSampleOptions = {}): number {
  const { geometry, x, y } = twoSample('energyDistance', real, synthetic, 2, pairsNeeded, options);
  return kernelStatistics(geometry, x, y, { distance: true }).energy;
}
