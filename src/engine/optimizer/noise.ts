import { untransformDerivative } from './gp/outputTransform';
import type { EvaluatedSet, Surrogate } from './surrogate';

/**
 * Is the GP's fitted noise measurement noise, or structure the model does not resolve?
 *
 * The GP explains what its smooth kernel cannot fit with its noise term σ_n² (the nugget). On a noisy
 * score that is measurement noise, and the reported best must be the lowest posterior mean, not the
 * luckiest observation. On a deterministic objective with ripples finer than the data resolve (Rastrigin,
 * Gallagher's peaks), or with values spread over orders of magnitude (an ill-conditioned ellipsoid), the
 * nugget is the unresolved part of the objective itself; the posterior mean then smooths real differences
 * away, and the reported best can be far worse than the best evaluated set (bench/bo.ts --suite bbob,
 * 20 instances, without the probe: median regret of the posterior-mean pick 16.2 against 3.69 for the best
 * evaluated set of the same runs on 2-D separable Rastrigin, 0.79 against 0.072 on 2-D Gallagher; see
 * docs/decisions.md, 'Deterministic or noisy'). Geostatistics calls this the nugget's split into
 * measurement error and micro-scale variation (Cressie 1993, "Statistics for spatial data", §3.2.1): one
 * realisation at distinct points cannot tell them apart, repeated measurements at one point can.
 *
 * So the noise is read from repeated observations of a set:
 * - 'known': the caller gave the noise of a score (scoreNoiseStd), or said its scores are noisy without a
 *   scale (noisyScores: a statistic of random samples, such as an MMD² of r generated images): the nugget
 *   is measurement noise, as before, and no set is re-evaluated to find out;
 * - 'replicates': some set was observed more than once. Under the model each set's scores scatter with
 *   the row noise σ_n² · r_ref / r, so S = Σ_sets Σ_rows (y − ȳ)² / (σ_n² r_ref / r) is χ² with
 *   k = Σ (rows − 1) degrees of freedom. S below χ²_k's 1 % quantile says the scores repeat far more
 *   closely than the nugget: the objective is (nearly) deterministic and the nugget is structure, so the
 *   value at an evaluated set is what was observed there. Otherwise the nugget is measurement noise.
 * - 'unknown': no set observed twice yet. proposeBatch then re-evaluates its best set once (the probe,
 *   one member of one batch), after which the noise is 'replicates'.
 * A repeat only measures the noise when it is a new draw: a score computed from samples seeded by the
 * parameters alone repeats exactly and reads as deterministic. A caller whose scores are statistics of
 * random samples says so (noisyScores) instead of letting a probe decide.
 */
export type NoiseSource = 'known' | 'replicates' | 'unknown';

export interface NoiseReading {
  source: NoiseSource;
  /** The scores of repeated sets agree far more closely than the model's noise: the nugget is structure. */
  deterministic: boolean;
  /** Pooled variance of repeated scores in score units at the reference count (null without repeats). */
  replicateVariance: number | null;
  /** Degrees of freedom of replicateVariance: Σ over sets of (observations − 1). */
  degreesOfFreedom: number;
}

/** Significance of the determinism test: a noisy objective is read as deterministic with probability 1 %. */
const DETERMINISM_ALPHA = 0.01;

/** log Γ(x) for x > 0: Lanczos' approximation with g = 7 and nine coefficients (relative error of Γ about 1e-15). */
function logGamma(x: number): number {
  const g = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = g[0];
  for (let i = 1; i < 9; i++) sum += g[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/**
 * P(χ²_k ≤ x), the regularised lower incomplete gamma P(k/2, x/2) by its series
 * e^(−y) y^a Σ_n y^n / Γ(a + n + 1), y = x/2, a = k/2 (Abramowitz & Stegun 6.5.29); used below the
 * median, where it converges in a few dozen terms.
 */
export function chiSquareCdf(x: number, k: number): number {
  if (x <= 0) return 0;
  const a = k / 2;
  const y = x / 2;
  let term = Math.exp(a * Math.log(y) - y - logGamma(a + 1));
  let sum = term;
  for (let n = 1; n < 1000 && term > sum * 1e-16; n++) {
    term *= y / (a + n);
    sum += term;
  }
  return Math.min(1, sum);
}

/** The lower α quantile of χ²_k (α below ½): bisection of chiSquareCdf on [0, k], k being above the median. */
export function chiSquareLowerQuantile(k: number, alpha: number): number {
  if (!(alpha > 0 && alpha < 0.5)) throw new Error(`chiSquareLowerQuantile: alpha ${alpha} must be in (0, 0.5)`);
  let low = 0;
  let high = k;
  for (let i = 0; i < 200 && high - low > 1e-15 * high; i++) {
    const mid = (low + high) / 2;
    if (chiSquareCdf(mid, k) < alpha) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/** The p quantile of χ²_k (0 < p < 1): bisection of chiSquareCdf on [0, k + 20√(2k) + 40], far above any p used here. */
export function chiSquareQuantile(k: number, p: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`chiSquareQuantile: p ${p} must be in (0, 1)`);
  let low = 0;
  let high = k + 20 * Math.sqrt(2 * k) + 40;
  for (let i = 0; i < 200 && high - low > 1e-15 * high; i++) {
    const mid = (low + high) / 2;
    if (chiSquareCdf(mid, k) < p) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/**
 * Confidence of the replicates' lower bound on the noise: σ_n² ≥ SS / χ²_k's REPLICATE_BOUND_LEVEL quantile
 * is the one-sided lower confidence limit of a normal variance from k degrees of freedom (SS/σ² ~ χ²_k).
 */
export const REPLICATE_BOUND_LEVEL = 0.9;

/** Pooled sum of squares of repeated scores about their set's mean, Σ (r/r_ref)(y − ȳ)², and its degrees of freedom Σ (rows − 1). */
export function replicateSumOfSquares(evaluated: readonly EvaluatedSet[], reference: number): { sumSquares: number; dof: number } {
  let sumSquares = 0;
  let dof = 0;
  for (const set of evaluated) {
    if (set.scores.length < 2) continue;
    const mean = replicateWeightedMean(set);
    set.scores.forEach((s, k) => {
      sumSquares += (set.replicates[k] / reference) * (s - mean) ** 2;
    });
    dof += set.scores.length - 1;
  }
  return { sumSquares, dof };
}

/** A set's mean score, each observation weighted by its replicate count: Σ r y / Σ r. */
function replicateWeightedMean(set: EvaluatedSet): number {
  let weight = 0;
  let mean = 0;
  set.scores.forEach((s, k) => {
    weight += set.replicates[k];
    mean += set.replicates[k] * s;
  });
  return mean / weight;
}

/**
 * A lower bound of the noise variance of a score at the reference count, in score units, from the repeated
 * scores alone (0 without repeats, and 0 when the repeats agree exactly: a deterministic objective is not
 * bounded). The GP's own noise estimate can fall far below the truth: on 2-D Gallagher with additive noise
 * σ ≈ 2.4 the fitted noise sd was 0.6–0.8 in three of five runs, with lengthscales of 0.05–0.15 that let
 * the posterior mean follow the noise, so the lowest posterior mean was the luckiest draw
 * (docs/decisions.md, 'Replicates under noise'). The scatter of repeated scores measures the noise without
 * the kernel: SS/σ² ~ χ²_k.
 */
export function replicateNoiseLowerBound(evaluated: readonly EvaluatedSet[], reference: number): number {
  const { sumSquares, dof } = replicateSumOfSquares(evaluated, reference);
  return dof === 0 ? 0 : sumSquares / chiSquareQuantile(dof, REPLICATE_BOUND_LEVEL);
}

/** What the caller says about the noise of its scores (ProposeBatchInput.scoreNoiseStd and noisyScores). */
export interface CallerNoise {
  scoreNoiseStd?: number;
  noisyScores?: boolean;
}

/** The measurement noise as the caller and the repeated observations tell it (see the module comment). */
export function readNoise(surrogate: Surrogate | null, evaluated: readonly EvaluatedSet[], caller: CallerNoise = {}): NoiseReading {
  if ((caller.scoreNoiseStd !== undefined && caller.scoreNoiseStd > 0) || caller.noisyScores === true) return { source: 'known', deterministic: false, replicateVariance: null, degreesOfFreedom: 0 };
  let dof = 0;
  let sumSquares = 0; // Σ r (y − ȳ_r)² / r_ref: score units at the reference count
  let standardized = 0; // the χ² statistic against the model's row noise
  const reference = surrogate?.referenceReplicates ?? 1;
  for (const set of evaluated) {
    if (set.scores.length < 2) continue;
    const mean = replicateWeightedMean(set);
    set.scores.forEach((s, k) => {
      const squared = (set.replicates[k] / reference) * (s - mean) ** 2;
      sumSquares += squared;
      if (surrogate) {
        const slope = untransformDerivative(surrogate.transform, surrogate.posterior.predict(set.x).mean);
        standardized += squared / (surrogate.hyperparameters.noise * slope * slope);
      }
    });
    dof += set.scores.length - 1;
  }
  if (dof === 0) return { source: 'unknown', deterministic: false, replicateVariance: null, degreesOfFreedom: 0 };
  const deterministic = surrogate !== null && standardized < chiSquareLowerQuantile(dof, DETERMINISM_ALPHA);
  return { source: 'replicates', deterministic, replicateVariance: sumSquares / dof, degreesOfFreedom: dof };
}
