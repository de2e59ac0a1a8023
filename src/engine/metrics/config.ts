import type { Matrix } from '../linalg/matrix';
import { assertIntegerInRange, assertPositiveFinite } from '../linalg/validateMatrix';
import { fitPca, type PcaModel } from '../projection/pca';
import { medianHeuristicBandwidth } from './bandwidth';
import type { CovarianceShrinkage } from './frechet';
import { defaultMaxPooledSynthetic } from './geometry';
import { sliceDirections } from './slicedWasserstein';

/**
 * Everything that defines the metrics of one experiment, fixed at iteration 0 and stored with it (plain
 * JSON). Scores computed under one config are comparable across iterations and reloads.
 */
export interface ScoringConfig {
  /** σ of the Gaussian kernel (median heuristic on the iteration-0 embeddings), embedding distance. */
  bandwidth: number;
  /** PCA-k fitted on the iteration-0 embeddings, k < number of real samples (Fréchet, Mahalanobis). */
  reduction: PcaModel;
  /** k of the k-NN manifolds (precision, recall, density, coverage); clamped to sample size − 1. */
  k: number;
  /** Number of sliced-Wasserstein directions. */
  projections: number;
  swOrder: 1 | 2;
  shrinkage: CovarianceShrinkage;
  /** Real-vs-real splits behind each noise floor (all splits when there are fewer). */
  repeats: number;
  /** The floor band's quantiles (type-7), default [0.05, 0.95]: a central 90 % band. */
  band: [number, number];
  /** Seed of every random choice: splits, subsamples, SW directions. */
  seed: number;
  /** Cap on synthetic rows in pair-based terms (see geometry.ts). */
  maxPooledSynthetic: number;
}

export const scoringDefaults = {
  k: 5,
  projections: 64,
  swOrder: 2 as const,
  shrinkage: 'ledoit-wolf' as CovarianceShrinkage,
  repeats: 200,
  band: [0.05, 0.95] as [number, number],
  seed: 0,
  maxPooledSynthetic: defaultMaxPooledSynthetic,
};

/**
 * Default PCA-k: at most 8, and at most half the real samples (≥ 2 real samples per covariance dimension),
 * within what the data can give (rows − 1, D).
 */
export function defaultReductionComponents(realCount: number, iteration0: Matrix): number {
  return Math.max(1, Math.min(8, Math.floor(realCount / 2), realCount - 1, iteration0.rows - 1, iteration0.cols));
}

/**
 * Builds the config at iteration 0: the bandwidth by the median heuristic and the PCA-k reduction, both
 * on the iteration-0 embeddings (real + close + far), so neither depends on later iterations.
 */
export function scoringConfigFromIteration0(
  iteration0: Matrix,
  realCount: number,
  overrides: Partial<ScoringConfig> & { reductionComponents?: number } = {},
): ScoringConfig {
  const { reductionComponents, ...rest } = overrides;
  const seed = rest.seed ?? scoringDefaults.seed;
  const components = reductionComponents ?? defaultReductionComponents(realCount, iteration0);
  if (components >= realCount) {
    throw new Error(`scoringConfigFromIteration0: option \`reductionComponents\` = ${components} must be < the ${realCount} real samples`);
  }
  const config: ScoringConfig = {
    ...scoringDefaults,
    bandwidth: rest.bandwidth ?? medianHeuristicBandwidth(iteration0, { seed }),
    reduction: rest.reduction ?? fitPca(iteration0, { components }),
    ...rest,
  };
  validateScoringConfig('scoringConfigFromIteration0', config);
  return config;
}

export function validateScoringConfig(fn: string, config: ScoringConfig): void {
  if (!config || typeof config !== 'object') throw new TypeError(`${fn}: a ScoringConfig is required`);
  assertPositiveFinite(fn, 'config.bandwidth', config.bandwidth);
  if (!config.reduction || config.reduction.kind !== 'pca') throw new Error(`${fn}: option \`config.reduction\` must be a PCA model`);
  assertIntegerInRange(fn, 'config.k', config.k, 1, 1000);
  assertIntegerInRange(fn, 'config.projections', config.projections, 1, 10_000);
  assertIntegerInRange(fn, 'config.repeats', config.repeats, 1, 100_000);
  assertIntegerInRange(fn, 'config.maxPooledSynthetic', config.maxPooledSynthetic, 2, 1_000_000);
  if (config.swOrder !== 1 && config.swOrder !== 2) throw new Error(`${fn}: option \`config.swOrder\` must be 1 or 2`);
  if (config.shrinkage !== 'ledoit-wolf' && config.shrinkage !== 'none') throw new Error(`${fn}: option \`config.shrinkage\` must be 'ledoit-wolf' or 'none'`);
  const [low, high] = config.band ?? [];
  if (!(low >= 0 && high <= 1 && low < high)) throw new Error(`${fn}: option \`config.band\` must be two quantiles 0 ≤ low < high ≤ 1`);
}

/**
 * A config plus what is derived from it once: the SW directions, and a cache of noise floors (they
 * depend only on the real set, the candidate size and the config, so one experiment computes each once).
 */
export interface ScoringContext {
  readonly config: ScoringConfig;
  readonly directions: Matrix<Float64Array>;
  readonly cache: Map<string, unknown>;
}

export function createScoringContext(config: ScoringConfig): ScoringContext {
  validateScoringConfig('createScoringContext', config);
  return {
    config,
    directions: sliceDirections(config.reduction.dim, config.projections, config.seed),
    cache: new Map(),
  };
}
