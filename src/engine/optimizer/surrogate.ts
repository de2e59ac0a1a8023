import { assertInSpace, parameterSetKey, type ParameterSet, type ParameterSpace, type ParameterValue } from '../space/space';
import { decodeParameters, encodeParameters, spaceLayout, type SpaceLayout } from './encoding';
import { fitGp } from './gp/fit';
import { defaultPriors, type GpHyperparameters, type HyperparameterPriors } from './gp/hyperparameters';
import type { KernelKind } from './gp/kernel';
import {
  fitOutputTransform,
  transformOutput,
  untransformDerivative,
  untransformOutput,
  type OutputTransform,
  type OutputTransformKind,
} from './gp/outputTransform';
import type { GpPosterior } from './gp/posterior';
import { gpInputs } from './gp/trainingData';
import { replicateNoiseLowerBound } from './noise';
import { referenceReplicates, relativeNoise, replicateCountOf } from './replicates';
import type { BestCandidate, Observation } from './types';

/** A distinct evaluated parameter set with its model input and observed scores. */
export interface EvaluatedSet {
  key: string;
  params: Record<string, ParameterValue>;
  x: Float64Array;
  scores: number[];
  /** Replicate count of each score (aligned with `scores`; an observation without one: the reference count). */
  replicates: number[];
}

/**
 * A fitted surrogate: the latent (output-transformed) posterior over model inputs, with its mean and
 * variance at a point (`posterior.predict`), their gradients for the acquisition optimiser, and fantasies
 * (`posterior.withObservation`) for batch members and pending points; and what the diagnostics report.
 */
export interface Surrogate {
  layout: SpaceLayout;
  transform: OutputTransform;
  posterior: GpPosterior;
  hyperparameters: GpHyperparameters;
  kernel: KernelKind;
  evaluated: EvaluatedSet[];
  /** r_ref: the replicate count at which the noise σ_n² is stated (replicates.ts). */
  referenceReplicates: number;
}

/**
 * Validates observations (naming the offending one) and groups repeated observations of the same
 * parameter set; `reference` is the replicate count of an observation without one.
 */
export function groupObservations(
  space: ParameterSpace,
  layout: SpaceLayout,
  observations: readonly Observation[],
  reference = referenceReplicates(observations),
): EvaluatedSet[] {
  const byKey = new Map<string, EvaluatedSet>();
  observations.forEach((o, i) => {
    try {
      assertInSpace(space, o.params);
    } catch (error) {
      throw new Error(`observation ${i}: ${(error as Error).message}`);
    }
    if (typeof o.score !== 'number' || !Number.isFinite(o.score)) throw new Error(`observation ${i}: score ${String(o.score)} is not a finite number`);
    const key = parameterSetKey(space, o.params);
    const existing = byKey.get(key);
    const replicates = replicateCountOf(o, reference);
    if (existing) {
      existing.scores.push(o.score);
      existing.replicates.push(replicates);
    } else {
      const x = encodeParameters(layout, o.params);
      byKey.set(key, { key, params: decodeParameters(layout, x), x, scores: [o.score], replicates: [replicates] });
    }
  });
  // Keep the caller's exact values (decode can differ from the input in the last bit of a continuous value).
  for (const o of observations) {
    const set = byKey.get(parameterSetKey(space, o.params));
    if (set) set.params = { ...o.params };
  }
  return [...byKey.values()];
}

export interface SurrogateOptions {
  kernel: KernelKind;
  outputTransform: OutputTransformKind;
  fitStarts: number;
  seed: number;
  warmStart?: GpHyperparameters;
  priors?: Partial<HyperparameterPriors>;
  /** Known noise scale of one score (score units); see ProposeBatchInput.scoreNoiseStd. */
  scoreNoiseStd?: number;
  /** The reference replicate count; see ProposeBatchInput.referenceReplicates. */
  referenceReplicates?: number;
  /** Bound the noise from below by the scatter of repeated scores (noise.ts, replicateNoiseLowerBound). */
  replicateNoiseBound?: boolean;
}

/**
 * Lower bound of the GP's noise variance in latent (standardised) units. Without a known noise scale,
 * 1e-8 (fitGp's default). With one: (scoreNoiseStd / (dy/dz))², the score-unit variance converted through
 * the output transform's slope at the best observation (standardize: the scale).
 * Why a bound is needed: with 16–40 points in 6 dimensions the marginal likelihood cannot tell noise from
 * signal, the noise prior (median 0.0025 of the output variance, tuned for the benchmark's functions)
 * decides, and the model interpolates: the reported best becomes the luckiest observation with a tiny
 * posterior sd. The app's demo reported a best posterior mean of −0.113 ± 0.008 for an MMD² whose
 * single-set noise band is −0.16…0.20; on an MMD²-shaped test function with noise sd 0.09 the learned
 * noise sd was 0.005 at 16 and at 40 points (tests/unit/optimizer/scoreNoise.test.ts). The real-vs-real
 * floor is the noise of a score where the synthetic set equals the real one, and the unbiased MMD²'s
 * variance grows away from there, so the floor's variance bounds the noise from below everywhere. (The
 * floor is estimated with n − h real rows, 13 instead of 16 for a parameter set, which makes it ~7 %
 * larger in variance than the full-size null; small beside the growth of the noise away from the optimum.)
 * The bound applies to σ_n², the noise of a score at the reference replicate count: a row with r_i
 * replicates has noise σ_n² · r_ref / r_i, bounded by the same factor.
 */
export function noiseVarianceLowerBound(scoreNoiseStd: number | undefined, transform: OutputTransform, latentAtBest: number): number {
  const floor = 1e-8;
  if (scoreNoiseStd === undefined || !(scoreNoiseStd > 0)) return floor;
  const latentStd = scoreNoiseStd / Math.abs(untransformDerivative(transform, latentAtBest));
  return Math.max(floor, latentStd * latentStd);
}

/**
 * Fits the GP to all observations (repeated observations of a set as separate rows) on the transformed
 * scores, each row with noise variance σ_n² · r_ref / r_i (replicates.ts). The scaling is applied in the
 * model's (transformed) space: exact for the 'standardize' transform (linear); under 'power' the warp's
 * slope varies with the score, so there the latent noise ratio of two rows is r_j / r_i only approximately.
 */
export function fitSurrogate(space: ParameterSpace, observations: readonly Observation[], options: SurrogateOptions): Surrogate {
  const layout = spaceLayout(space);
  const reference = referenceReplicates(observations, options.referenceReplicates);
  const evaluated = groupObservations(space, layout, observations, reference);
  const rows: Float64Array[] = [];
  const scores: number[] = [];
  const replicates: number[] = [];
  for (const set of evaluated) {
    set.scores.forEach((s, k) => {
      rows.push(set.x);
      scores.push(s);
      replicates.push(set.replicates[k]);
    });
  }
  const transform = fitOutputTransform(scores, options.outputTransform);
  const y = scores.map((s) => transformOutput(transform, s));
  let minNoise = noiseVarianceLowerBound(options.scoreNoiseStd, transform, Math.min(...y));
  if (options.replicateNoiseBound) minNoise = Math.max(minNoise, noiseVarianceLowerBound(Math.sqrt(replicateNoiseLowerBound(evaluated, reference)), transform, Math.min(...y)));
  const fit = fitGp(gpInputs(rows, layout.groups, relativeNoise(replicates, reference)), y, {
    minNoise,
    kernel: options.kernel,
    starts: options.fitStarts,
    warmStart: options.warmStart,
    seed: options.seed,
    priors: { ...defaultPriors(), ...options.priors },
  });
  return {
    layout,
    transform,
    posterior: fit.posterior,
    hyperparameters: fit.hyperparameters,
    kernel: options.kernel,
    evaluated,
    referenceReplicates: reference,
  };
}

/**
 * A surrogate model: fitted to the observations (encoded with the space's layout, repeated observations
 * as separate rows), with one noise variance, learned, scaled per observation by its replicate count, and
 * bounded below by the known noise of a score when the caller has one (options.scoreNoiseStd).
 * proposeBatch and fitModel fit through this interface; the Gaussian process below is its implementation.
 */
export interface SurrogateModel {
  readonly name: string;
  fit(space: ParameterSpace, observations: readonly Observation[], options: SurrogateOptions): Surrogate;
}

export const gaussianProcess: SurrogateModel = { name: 'gp', fit: fitSurrogate };

/** Latent posterior mean of every evaluated set, in `evaluated` order. */
export function latentMeans(surrogate: Surrogate): number[] {
  return surrogate.evaluated.map((set) => surrogate.posterior.predict(set.x).mean);
}

/** The posterior of the score (not of a noisy observation of it) at a point, in score units. */
export interface ScorePrediction {
  /** The back-transformed latent mean (the posterior median of the score). */
  mean: number;
  /** The latent standard deviation through the transform's slope (delta method). */
  std: number;
}

/** A latent posterior mean and standard deviation in score units. */
function scoreFromLatent(transform: OutputTransform, latent: number, latentStd: number): ScorePrediction {
  return { mean: untransformOutput(transform, latent), std: Math.abs(untransformDerivative(transform, latent)) * latentStd };
}

/** The surrogate's posterior of the score at a parameter set of its space, in score units. */
export function predictScore(surrogate: Surrogate, params: ParameterSet): ScorePrediction {
  const p = surrogate.posterior.predict(encodeParameters(surrogate.layout, params));
  return scoreFromLatent(surrogate.transform, p.mean, Math.sqrt(p.variance));
}

/**
 * A set's observed mean: the plain mean, or, when its scores come from different replicate counts, the
 * mean weighted by count (each score's precision is proportional to its count).
 */
export function observedMean(set: EvaluatedSet): number {
  const r = set.replicates;
  if (r.every((v) => v === r[0])) return set.scores.reduce((a, b) => a + b, 0) / set.scores.length;
  let weighted = 0;
  let total = 0;
  set.scores.forEach((s, k) => {
    weighted += r[k] * s;
    total += r[k];
  });
  return weighted / total;
}

/**
 * The `count` evaluated sets with the lowest posterior mean — the reported best is the best
 * *predicted* among evaluated sets, not the luckiest observation.
 */
export function bestByPosteriorMean(surrogate: Surrogate, count: number): BestCandidate[] {
  const rows = surrogate.evaluated.map((set) => {
    const p = surrogate.posterior.predict(set.x);
    return { set, latent: p.mean, latentStd: Math.sqrt(p.variance) };
  });
  rows.sort((a, b) => a.latent - b.latent);
  return rows.slice(0, count).map(({ set, latent, latentStd }) => {
    const score = scoreFromLatent(surrogate.transform, latent, latentStd);
    return { params: set.params, posteriorMean: score.mean, posteriorStd: score.std, observed: observedMean(set), observationCount: set.scores.length };
  });
}

/**
 * For a deterministic objective (noise.ts: repeated scores agree far more closely than the model's noise):
 * rank by observed mean, which is then the value at the set; its standard deviation is that of the mean of
 * the set's scores under the replicates' pooled variance (`replicateVariance`, at the reference count r_ref),
 * 0 when the repeats agreed exactly.
 */
export function bestByObservation(surrogate: Surrogate, count: number, replicateVariance: number): BestCandidate[] {
  return surrogate.evaluated
    .map((set) => {
      const observed = observedMean(set);
      const weight = set.replicates.reduce((a, r) => a + r, 0) / surrogate.referenceReplicates;
      return { params: set.params, posteriorMean: observed, posteriorStd: Math.sqrt(replicateVariance / weight), observed, observationCount: set.scores.length };
    })
    .sort((a, b) => a.observed - b.observed)
    .slice(0, count);
}

/** Without a model (fewer than two observations): rank by observed mean. */
export function bestByObservedMean(evaluated: readonly EvaluatedSet[], count: number): BestCandidate[] {
  return evaluated
    .map((set) => {
      const observed = observedMean(set);
      return { params: set.params, posteriorMean: observed, posteriorStd: null, observed, observationCount: set.scores.length };
    })
    .sort((a, b) => a.observed - b.observed)
    .slice(0, count);
}
