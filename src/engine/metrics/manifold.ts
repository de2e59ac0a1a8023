import type { Matrix } from '../linalg/matrix';
import { assertIntegerInRange, assertSameDimension, assertSample } from '../linalg/validateMatrix';
import { SampleGeometry } from './geometry';
import { kthNeighbourDistances } from './nearest';

/**
 * k-NN manifold metrics. A sample's manifold is the union of balls B(x_i, NND_k(x_i)), NND_k = distance to
 * the k-th nearest other member. Balls are closed (≤), as in both papers; the prdc package uses < (the two
 * differ only on exact ties). With few samples k is clamped to (sample size − 1), and the k used is
 * reported.
 *
 * Blocks: refCand is the |refs| × |candidates| Euclidean distance block; radii are NND_k of the refs.
 */

export function precisionOfBlock(refCand: Float64Array, refRadii: Float64Array, candidates: number): number {
  let inside = 0;
  for (let j = 0; j < candidates; j++) {
    for (let i = 0; i < refRadii.length; i++) {
      if (refCand[i * candidates + j] <= refRadii[i]) {
        inside++;
        break;
      }
    }
  }
  return inside / candidates;
}

export function recallOfBlock(refCand: Float64Array, refs: number, candRadii: Float64Array): number {
  const m = candRadii.length;
  let covered = 0;
  for (let i = 0; i < refs; i++) {
    for (let j = 0; j < m; j++) {
      if (refCand[i * m + j] <= candRadii[j]) {
        covered++;
        break;
      }
    }
  }
  return covered / refs;
}

export function densityOfBlock(refCand: Float64Array, refRadii: Float64Array, candidates: number, k: number): number {
  let count = 0;
  for (let i = 0; i < refRadii.length; i++) {
    for (let j = 0; j < candidates; j++) if (refCand[i * candidates + j] <= refRadii[i]) count++;
  }
  return count / (k * candidates);
}

export function coverageOfBlock(refCand: Float64Array, refRadii: Float64Array, candidates: number): number {
  let covered = 0;
  for (let i = 0; i < refRadii.length; i++) {
    for (let j = 0; j < candidates; j++) {
      if (refCand[i * candidates + j] <= refRadii[i]) {
        covered++;
        break;
      }
    }
  }
  return covered / refRadii.length;
}

export interface ManifoldOptions {
  /** Neighbourhood size k (default 5, the papers' choice); clamped to sample size − 1. */
  k?: number;
  maxPooledSynthetic?: number;
  seed?: number;
}

function setUp(fn: string, real: Matrix, synthetic: Matrix, minSynthetic: number, options: ManifoldOptions) {
  assertSample(fn, 'real', real, 2, 'a k-NN radius needs another real row');
  assertSample(fn, 'synthetic', synthetic, minSynthetic, minSynthetic > 1 ? 'recall needs a k-NN radius among synthetic rows' : 'nothing to measure');
  assertSameDimension(fn, 'real', real, 'synthetic', synthetic);
  const k = options.k ?? 5;
  assertIntegerInRange(fn, 'k', k, 1, 1000);
  const geometry = new SampleGeometry(real, synthetic, options);
  const refs = geometry.all('real');
  const kReal = Math.min(k, real.rows - 1);
  const refRadii = kthNeighbourDistances(geometry.distances(refs.ids, refs), real.rows, kReal);
  return { geometry, refs, k, kReal, refRadii };
}

export interface PrecisionRecallResult {
  /** Fraction of synthetic rows inside the real manifold. */
  precision: number;
  /** Fraction of real rows inside the synthetic manifold. */
  recall: number;
  kReal: number;
  kSynthetic: number;
  /** Synthetic rows that defined the synthetic manifold (all, or the seeded pool when capped). */
  syntheticUsedForRecall: number;
}

/**
 * Improved precision and recall (Kynkäänniemi et al., NeurIPS 2019):
 *   precision = (1/m) Σ_j 1[∃i: ‖y_j − x_i‖ ≤ NND_k(x_i)]
 *   recall    = (1/n) Σ_i 1[∃j: ‖x_i − y_j‖ ≤ NND_k(y_j)]
 * Plug-in proportions (unit: fraction), both in [0, 1]. Recall grows with m (more and larger balls),
 * precision with n; compare at matched sizes (the noise floor does). Above the pooling cap the synthetic
 * manifold is built from the seeded pool.
 */
export function precisionRecall(real: Matrix, synthetic: Matrix, options: ManifoldOptions = {}): PrecisionRecallResult {
  const { geometry, refs, k, kReal, refRadii } = setUp('precisionRecall', real, synthetic, 2, options);
  const all = geometry.all('synthetic');
  const precision = precisionOfBlock(geometry.distances(refs.ids, all), refRadii, synthetic.rows);
  const pooled = geometry.pooled();
  const w = pooled.ids.length;
  const kSynthetic = Math.min(k, w - 1);
  const candRadii = kthNeighbourDistances(geometry.withinDistances(pooled), w, kSynthetic);
  const recall = recallOfBlock(geometry.distances(refs.ids, pooled), real.rows, candRadii);
  return { precision, recall, kReal, kSynthetic, syntheticUsedForRecall: w };
}

export interface DensityCoverageResult {
  /** Mean number of real k-NN balls containing a synthetic row, divided by k; 1 in expectation when equal. */
  density: number;
  /** Fraction of real rows whose k-NN ball contains some synthetic row. */
  coverage: number;
  k: number;
}

/**
 * Density and coverage (Naeem et al., ICML 2020):
 *   density  = (1/(k m)) Σ_j Σ_i 1[‖y_j − x_i‖ ≤ NND_k(x_i)]     (unit: balls per sample / k; can exceed 1)
 *   coverage = (1/n) Σ_i 1[min_j ‖x_i − y_j‖ ≤ NND_k(x_i)]       (unit: fraction of real rows)
 * Plug-in estimators; for samples from one continuous distribution E[density] = 1 exactly. Only real
 * manifolds are built, so every synthetic row is used.
 */
export function densityCoverage(real: Matrix, synthetic: Matrix, options: ManifoldOptions = {}): DensityCoverageResult {
  const { geometry, refs, kReal, refRadii } = setUp('densityCoverage', real, synthetic, 1, options);
  const block = geometry.distances(refs.ids, geometry.all('synthetic'));
  return {
    density: densityOfBlock(block, refRadii, synthetic.rows, kReal),
    coverage: coverageOfBlock(block, refRadii, synthetic.rows),
    k: kReal,
  };
}
