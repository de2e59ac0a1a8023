import { covarianceOfRows, ledoitWolfOfRows, meanOfRows } from '../linalg/covariance';
import type { Matrix } from '../linalg/matrix';
import { symmetricEigen, symmetricMatrixFunction } from '../linalg/symmetricEigen';
import { assertSameDimension, assertSample } from '../linalg/validateMatrix';
import { projectPca, type PcaModel } from '../projection/pca';

/**
 * 'ledoit-wolf': Ledoit–Wolf shrinkage of the maximum-likelihood covariance towards tr(S)/p·I
 * (sklearn.covariance.ledoit_wolf). 'none': the unbiased sample covariance (divisor n − 1, np.cov, as
 * pytorch-fid).
 */
export type CovarianceShrinkage = 'ledoit-wolf' | 'none';

export interface CovarianceEstimate {
  mean: Float64Array;
  covariance: Float64Array;
  /** Ledoit–Wolf intensity in [0, 1]; 0 for 'none'. */
  shrinkage: number;
  /** Σ^{1/2}, filled in on first use by the Fréchet distance (cached with the estimate). */
  root?: Float64Array;
}

export function estimateCovariance(x: Float64Array, k: number, rows: ArrayLike<number>, shrinkage: CovarianceShrinkage): CovarianceEstimate {
  const mean = meanOfRows(x, k, rows);
  if (shrinkage === 'ledoit-wolf') {
    const lw = ledoitWolfOfRows(x, k, rows);
    return { mean, covariance: lw.covariance, shrinkage: lw.shrinkage };
  }
  return { mean, covariance: covarianceOfRows(x, k, rows, mean, rows.length - 1), shrinkage: 0 };
}

/**
 * tr((A^{1/2} B A^{1/2})^{1/2}) for symmetric PSD A, B — equal to tr((AB)^{1/2}) but computed with two
 * symmetric eigendecompositions instead of a general matrix square root (scipy.linalg.sqrtm), so it is
 * real and stable; eigenvalues are clamped at 0 against round-off.
 */
export function traceSqrtProduct(a: Float64Array, b: Float64Array, k: number, rootOfA?: Float64Array): number {
  const rootA = rootOfA ?? symmetricMatrixFunction(symmetricEigen(a, k), Math.sqrt);
  const tmp = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += rootA[i * k + t] * b[t * k + j];
      tmp[i * k + j] = s;
    }
  }
  const m = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += tmp[i * k + t] * rootA[t * k + j];
      m[i * k + j] = s;
      m[j * k + i] = s;
    }
  }
  let trace = 0;
  for (const lambda of symmetricEigen(m, k).values) trace += Math.sqrt(Math.max(lambda, 0));
  return trace;
}

export interface FrechetResult {
  value: number;
  shrinkageReal: number;
  shrinkageSynthetic: number;
}

/**
 * FD between row subsets of two coordinate arrays (k columns each). `xEstimate` may carry the first
 * sample's estimate from an earlier call (its square root is then computed once and kept on it).
 */
export function frechetOfCoordinates(
  x: Float64Array,
  xRows: ArrayLike<number>,
  y: Float64Array,
  yRows: ArrayLike<number>,
  k: number,
  shrinkage: CovarianceShrinkage,
  xEstimate?: CovarianceEstimate,
): FrechetResult {
  const ex = xEstimate ?? estimateCovariance(x, k, xRows, shrinkage);
  const ey = estimateCovariance(y, k, yRows, shrinkage);
  ex.root ??= symmetricMatrixFunction(symmetricEigen(ex.covariance, k), Math.sqrt);
  let meanTerm = 0;
  let traces = 0;
  for (let j = 0; j < k; j++) {
    meanTerm += (ex.mean[j] - ey.mean[j]) ** 2;
    traces += ex.covariance[j * k + j] + ey.covariance[j * k + j];
  }
  const value = meanTerm + traces - 2 * traceSqrtProduct(ex.covariance, ey.covariance, k, ex.root);
  return { value: Math.max(value, 0), shrinkageReal: ex.shrinkage, shrinkageSynthetic: ey.shrinkage };
}

export interface FrechetOptions {
  /**
   * The PCA-k model (k < real rows) fitted once at iteration 0; both samples are projected with it. Omit
   * only when the inputs are already low-dimensional coordinates (then D must be < real rows).
   */
  reduction?: PcaModel;
  shrinkage?: CovarianceShrinkage;
}

/**
 * Fréchet distance between Gaussians fitted to the two samples (Dowson & Landau 1982; FID, Heusel et
 * al. 2017; FD_DINOv2, Stein et al. 2023), computed in the fixed PCA-k coordinates:
 *   FD = ‖μ_x − μ_y‖² + tr(Σ_x) + tr(Σ_y) − 2 tr((Σ_x^{1/2} Σ_y Σ_x^{1/2})^{1/2})
 * Covariances: Ledoit–Wolf shrunk by default (k-dimensional covariances from 3..16 samples are singular
 * or nearly so without it). Plug-in estimator, biased upwards at small n (Chong & Forsyth, CVPR 2020);
 * two samples of one distribution score > 0. Unit: squared embedding distance (PCA is an orthonormal
 * projection, so the coordinates keep the embedding's units).
 */
export function frechetDistance(real: Matrix, synthetic: Matrix, options: FrechetOptions = {}): FrechetResult {
  const fn = 'frechetDistance';
  assertSample(fn, 'real', real, 2, 'a covariance needs two rows');
  assertSample(fn, 'synthetic', synthetic, 2, 'a covariance needs two rows');
  assertSameDimension(fn, 'real', real, 'synthetic', synthetic);
  const { reduction } = options;
  let x: Matrix;
  let y: Matrix;
  if (reduction) {
    if (reduction.components.length >= real.rows) {
      throw new Error(`${fn}: option \`reduction\` has k = ${reduction.components.length} components; k must be < the ${real.rows} real rows`);
    }
    x = projectPca(reduction, real);
    y = projectPca(reduction, synthetic);
  } else {
    if (real.cols >= real.rows) {
      throw new Error(`${fn}: ${real.cols}-dimensional inputs with ${real.rows} real rows: pass option \`reduction\` (a PCA-k model, k < ${real.rows})`);
    }
    x = real;
    y = synthetic;
  }
  const k = x.cols;
  const all = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
  return frechetOfCoordinates(Float64Array.from(x.data), all(x.rows), Float64Array.from(y.data), all(y.rows), k, options.shrinkage ?? 'ledoit-wolf');
}
