import type { Matrix } from '../linalg/matrix';
import { symmetricEigen } from '../linalg/symmetricEigen';
import { assertSameDimension, assertSample } from '../linalg/validateMatrix';
import { projectPca, type PcaModel } from '../projection/pca';
import { estimateCovariance, type CovarianceShrinkage } from './frechet';
import { SampleGeometry } from './geometry';
import { median } from './summary';

/**
 * Per-sample distances from candidates to the real set, and the ε-ball share built on them.
 * Distance blocks are dense row-major |refs| × |candidates| arrays.
 */

export interface NearestResult {
  /** For each candidate j: min_i d(y_j, x_i). */
  distances: Float64Array;
  /** The real row attaining it (first on ties). */
  indices: Int32Array;
}

export function nearestOfBlock(block: Float64Array, refs: number, candidates: number): NearestResult {
  const distances = new Float64Array(candidates).fill(Infinity);
  const indices = new Int32Array(candidates);
  for (let i = 0; i < refs; i++) {
    for (let j = 0; j < candidates; j++) {
      const d = block[i * candidates + j];
      if (d < distances[j]) {
        distances[j] = d;
        indices[j] = i;
      }
    }
  }
  return { distances, indices };
}

/**
 * Distance from each row to its k-th nearest *other* row of the same set (NND_k), from a symmetric
 * n×n distance block; duplicates count as neighbours at distance 0 (as prdc's partition does).
 */
export function kthNeighbourDistances(block: Float64Array, n: number, k: number): Float64Array {
  if (k < 1 || k > n - 1) throw new Error(`k-th neighbour: k = ${k} needs 1 ≤ k ≤ ${n - 1}`);
  const out = new Float64Array(n);
  const best = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    best.fill(Infinity);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const d = block[i * n + j];
      if (d >= best[k - 1]) continue;
      // Insert into the sorted list of the k smallest.
      let p = k - 1;
      while (p > 0 && best[p - 1] > d) {
        best[p] = best[p - 1];
        p--;
      }
      best[p] = d;
    }
    out[i] = best[k - 1];
  }
  return out;
}

/** The ε rule: ε = median_i min_{i′≠i} ‖x_i − x_i′‖ over the reference set (leave-one-out 1-NN). */
export function epsilonOfBlock(refBlock: Float64Array, n: number): number {
  return median(kthNeighbourDistances(refBlock, n, 1));
}

export function shareWithin(distances: Float64Array, epsilon: number): number {
  let inside = 0;
  for (let j = 0; j < distances.length; j++) if (distances[j] <= epsilon) inside++;
  return inside / distances.length;
}

export type Whitener = (source: Float64Array, rows: ArrayLike<number>) => Float64Array;

export const singularCovarianceMessage =
  'Mahalanobis distance: the real covariance in PCA-k is singular (Ledoit–Wolf shrinks nothing at 2 samples; use ≥ 3 real samples or a smaller k)';

/**
 * A map to coordinates where Euclidean distance is the Mahalanobis distance of the reference rows'
 * covariance: z ↦ Λ^{−1/2} Vᵀ z with Σ = VΛVᵀ. Null when Σ is singular (eigenvalue ≤ 1e-12 of the
 * largest): Ledoit–Wolf makes it invertible from 3 samples on in practice, but at 2 samples its
 * shrinkage is exactly 0 (as sklearn's).
 */
export function mahalanobisWhitener(coords: Float64Array, k: number, refRows: ArrayLike<number>, shrinkage: CovarianceShrinkage): Whitener | null {
  const { covariance } = estimateCovariance(coords, k, refRows, shrinkage);
  const eig = symmetricEigen(covariance, k);
  const top = eig.values[0];
  for (let c = 0; c < k; c++) if (!(eig.values[c] > 1e-12 * top)) return null;
  return (source: Float64Array, rows: ArrayLike<number>): Float64Array => {
    const out = new Float64Array(rows.length * k);
    for (let r = 0; r < rows.length; r++) {
      const o = rows[r] * k;
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let t = 0; t < k; t++) s += eig.vectors[t * k + c] * source[o + t];
        out[r * k + c] = s / Math.sqrt(eig.values[c]);
      }
    }
    return out;
  };
}

/** Euclidean distances between all rows of a (na×k) and b (nb×k): na × nb. */
export function euclideanBlock(a: Float64Array, na: number, b: Float64Array, nb: number, k: number): Float64Array {
  const out = new Float64Array(na * nb);
  for (let i = 0; i < na; i++) {
    for (let j = 0; j < nb; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) {
        const d = a[i * k + t] - b[j * k + t];
        s += d * d;
      }
      out[i * nb + j] = Math.sqrt(s);
    }
  }
  return out;
}

export type NearestMetric = 'euclidean' | 'cosine' | 'mahalanobis';

export interface NearestOptions {
  metric?: NearestMetric;
  /** PCA-k model for 'mahalanobis' (k < real rows); the covariance is the real rows' in those coordinates. */
  reduction?: PcaModel;
  shrinkage?: CovarianceShrinkage;
}

/**
 * For every synthetic row y_j, the distance to its nearest real row and that row's index:
 *   euclidean:   min_i ‖y_j − x_i‖                                   (embedding distance)
 *   cosine:      min_i 1 − y_jᵀx_i/(‖y_j‖‖x_i‖)                      (dimensionless, in [0, 2]; scipy's 'cosine')
 *   mahalanobis: min_i √((z_j − z_i)ᵀ Σ⁻¹ (z_j − z_i)), z = PCA-k coordinates, Σ = the real rows' covariance
 *                there, Ledoit–Wolf shrunk by default                 (dimensionless, in standard deviations)
 * A synthetic row that duplicates a real one is at distance exactly 0 (Euclidean).
 */
export function nearestRealDistances(real: Matrix, synthetic: Matrix, options: NearestOptions = {}): NearestResult {
  const fn = 'nearestRealDistances';
  const metric = options.metric ?? 'euclidean';
  assertSample(fn, 'real', real, metric === 'mahalanobis' ? 2 : 1, 'the reference set needs rows');
  assertSample(fn, 'synthetic', synthetic, 1, 'nothing to measure');
  assertSameDimension(fn, 'real', real, 'synthetic', synthetic);
  const n = real.rows;
  const m = synthetic.rows;
  if (metric === 'euclidean' || metric === 'cosine') {
    const geometry = new SampleGeometry(real, synthetic, { maxPooledSynthetic: 0 });
    const block = metric === 'euclidean' ? geometry.distances(geometry.all('real').ids, geometry.all('synthetic')) : geometry.cosineDistances();
    return nearestOfBlock(block, n, m);
  }
  if (metric !== 'mahalanobis') throw new Error(`${fn}: option \`metric\` must be euclidean, cosine or mahalanobis, got ${metric}`);
  let x: Matrix = real;
  let y: Matrix = synthetic;
  if (options.reduction) {
    x = projectPca(options.reduction, real);
    y = projectPca(options.reduction, synthetic);
  } else if (real.cols >= real.rows) {
    throw new Error(`${fn}: Mahalanobis in ${real.cols} dimensions from ${real.rows} real rows needs option \`reduction\` (a PCA-k model, k < ${real.rows})`);
  }
  const k = x.cols;
  const xs = Float64Array.from(x.data);
  const ys = Float64Array.from(y.data);
  const all = (count: number) => Int32Array.from({ length: count }, (_, i) => i);
  const whiten = mahalanobisWhitener(xs, k, all(n), options.shrinkage ?? 'ledoit-wolf');
  if (!whiten) throw new Error(`${fn}: ${singularCovarianceMessage}`);
  return nearestOfBlock(euclideanBlock(whiten(xs, all(n)), n, whiten(ys, all(m)), m, k), n, m);
}

export interface EpsilonBallResult {
  /** Fraction of synthetic rows within ε of some real row. */
  share: number;
  epsilon: number;
  inside: number;
  rule: string;
}

export const epsilonRule = 'ε = median over real samples of the Euclidean distance to the nearest other real sample';

/**
 * Share of synthetic samples inside the ε-ball of some real sample:
 *   share = (1/m) Σ_j 1[min_i ‖y_j − x_i‖ ≤ ε],  ε = median_i min_{i′≠i} ‖x_i − x_i′‖.
 * ε comes from the real set alone (its own typical nearest-neighbour spacing), so it is fixed for the
 * experiment. Plug-in proportion; unit: fraction of synthetic samples. A fresh sample from the real
 * distribution lands inside with probability ≈ 0.5 (ε is a median), which is what the noise floor shows.
 */
export function epsilonBallShare(real: Matrix, synthetic: Matrix): EpsilonBallResult {
  const fn = 'epsilonBallShare';
  assertSample(fn, 'real', real, 2, 'ε needs each real row to have a nearest other real row');
  assertSample(fn, 'synthetic', synthetic, 1, 'nothing to measure');
  assertSameDimension(fn, 'real', real, 'synthetic', synthetic);
  const geometry = new SampleGeometry(real, synthetic, { maxPooledSynthetic: 0 });
  const refs = geometry.all('real');
  const epsilon = epsilonOfBlock(geometry.distances(refs.ids, refs), real.rows);
  const { distances } = nearestOfBlock(geometry.distances(refs.ids, geometry.all('synthetic')), real.rows, synthetic.rows);
  const share = shareWithin(distances, epsilon);
  return { share, epsilon, inside: Math.round(share * synthetic.rows), rule: epsilonRule };
}
