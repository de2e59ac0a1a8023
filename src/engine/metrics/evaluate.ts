import type { Matrix } from '../linalg/matrix';
import { projectPca, type PcaModel } from '../projection/pca';
import { estimateCovariance, frechetOfCoordinates, type CovarianceEstimate, type CovarianceShrinkage } from './frechet';
import type { SampleGeometry, SampleSet } from './geometry';
import type { MetricId } from './info';
import { kernelSide, kernelStatistics, type KernelSide } from './kernelTwoSample';
import { coverageOfBlock, densityOfBlock, precisionOfBlock, recallOfBlock } from './manifold';
import { epsilonOfBlock, kthNeighbourDistances, nearestOfBlock, shareWithin } from './nearest';
import { slicedWassersteinOf, sortedSlices } from './slicedWasserstein';
import { median } from './summary';

/**
 * Every metric of the suite for one (reference, candidate) pair of index sets of one geometry. The same
 * function scores the real set against a synthetic batch, a reference split against its held-out reals
 * (the noise floor), and a reference split against a synthetic subsample (the matched value), so the
 * three are computed identically by construction.
 *
 * The reference side (within-sample kernel sums, sorted slice projections, the Fréchet mean, covariance
 * and its square root, k-NN radii, ε) depends only on the real rows, so a ReferenceSummary is computed
 * once per split and reused: for the floor, and for the matched values of every later iteration. Reuse
 * is exact — the same rows through the same arithmetic give the same bits in any geometry.
 */
export interface EvaluationSettings {
  sigma: number;
  reduction: PcaModel;
  directions: Matrix;
  swOrder: 1 | 2;
  k: number;
  shrinkage: CovarianceShrinkage;
}

export interface EvaluationPair {
  /** Real row ids playing the real set. */
  refs: Int32Array;
  /** Candidates for the per-sample metrics (all synthetic rows, or held-out reals). */
  candidates: SampleSet;
  /** Candidates for the pair-based metrics: members must be in the geometry's pool. */
  pooledCandidates: SampleSet;
}

export type MetricValues = Partial<Record<MetricId, number>>;

export interface EvaluationDetails {
  kReal: number;
  kSynthetic: number;
  epsilon: number;
  shrinkageReal: number;
  shrinkageSynthetic: number;
}

export interface ReferenceSummary {
  refs: Int32Array;
  kernel: KernelSide;
  sortedSlices: Float64Array;
  frechet: CovarianceEstimate;
  /** k used on the reference manifold: min(k, |refs| − 1). */
  kReal: number;
  radii: Float64Array;
  epsilon: number;
}

export function summarizeReference(geometry: SampleGeometry, refs: Int32Array, settings: EvaluationSettings): ReferenceSummary {
  const refSet: SampleSet = { source: 'real', ids: refs };
  const reduced = geometry.reduced(settings.reduction, (m) => projectPca(settings.reduction, m));
  const refRef = geometry.distances(refs, refSet);
  const kReal = Math.min(settings.k, refs.length - 1);
  return {
    refs,
    kernel: kernelSide(geometry, refSet, { sigma: settings.sigma, polynomial: true, distance: true }),
    sortedSlices: sortedSlices(geometry, refSet, settings.directions),
    frechet: estimateCovariance(reduced.real, reduced.k, refs, settings.shrinkage),
    kReal,
    radii: kthNeighbourDistances(refRef, refs.length, kReal),
    epsilon: epsilonOfBlock(refRef, refs.length),
  };
}

const kernelIds: MetricId[] = ['mmd2_unbiased', 'mmd2_biased', 'kid', 'energy_distance'];
const blockIds: MetricId[] = ['nearest_real_median', 'epsilon_ball_share', 'precision', 'recall', 'density', 'coverage'];

export function evaluatePair(
  geometry: SampleGeometry,
  pair: EvaluationPair,
  settings: EvaluationSettings,
  selection: ReadonlySet<MetricId>,
  reference: ReferenceSummary = summarizeReference(geometry, pair.refs, settings),
): { values: MetricValues; details: EvaluationDetails } {
  const values: MetricValues = {};
  const details: EvaluationDetails = { kReal: reference.kReal, kSynthetic: NaN, epsilon: reference.epsilon, shrinkageReal: NaN, shrinkageSynthetic: NaN };
  const refSet: SampleSet = { source: 'real', ids: pair.refs };

  if (kernelIds.some((id) => selection.has(id))) {
    const s = kernelStatistics(geometry, refSet, pair.pooledCandidates, { sigma: settings.sigma, polynomial: true, distance: true }, reference.kernel);
    if (selection.has('mmd2_unbiased')) values.mmd2_unbiased = s.mmd2Unbiased;
    if (selection.has('mmd2_biased')) values.mmd2_biased = s.mmd2Biased;
    if (selection.has('kid')) values.kid = s.kid;
    if (selection.has('energy_distance')) values.energy_distance = s.energy;
  }

  if (selection.has('sliced_wasserstein')) {
    values.sliced_wasserstein = slicedWassersteinOf(geometry, refSet, pair.pooledCandidates, settings.directions, settings.swOrder, reference.sortedSlices);
  }

  if (selection.has('frechet_pca')) {
    const reduced = geometry.reduced(settings.reduction, (m) => projectPca(settings.reduction, m));
    const candidateCoords = pair.candidates.source === 'real' ? reduced.real : reduced.synthetic;
    const fd = frechetOfCoordinates(reduced.real, pair.refs, candidateCoords, pair.candidates.ids, reduced.k, settings.shrinkage, reference.frechet);
    values.frechet_pca = fd.value;
    details.shrinkageReal = fd.shrinkageReal;
    details.shrinkageSynthetic = fd.shrinkageSynthetic;
  }

  if (blockIds.some((id) => selection.has(id))) {
    const a = pair.refs.length;
    const c = pair.candidates.ids.length;
    const refCand = geometry.distances(pair.refs, pair.candidates);
    const nearest = nearestOfBlock(refCand, a, c);
    if (selection.has('nearest_real_median')) values.nearest_real_median = median(nearest.distances);
    if (selection.has('epsilon_ball_share')) values.epsilon_ball_share = shareWithin(nearest.distances, reference.epsilon);
    if (selection.has('precision')) values.precision = precisionOfBlock(refCand, reference.radii, c);
    if (selection.has('density')) values.density = densityOfBlock(refCand, reference.radii, c, reference.kReal);
    if (selection.has('coverage')) values.coverage = coverageOfBlock(refCand, reference.radii, c);
    if (selection.has('recall')) {
      const w = pair.pooledCandidates.ids.length;
      details.kSynthetic = Math.min(settings.k, w - 1);
      const candRadii = kthNeighbourDistances(geometry.withinDistances(pair.pooledCandidates), w, details.kSynthetic);
      values.recall = recallOfBlock(geometry.distances(pair.refs, pair.pooledCandidates), a, candRadii);
    }
  }
  return { values, details };
}
