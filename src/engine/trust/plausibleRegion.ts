import { normalCdf } from '../optimizer/acquisition/normal';
import { decodeParameters, inputFromUniform, spaceLayout } from '../optimizer/encoding';
import { sobolPoints } from '../optimizer/sampling/sobol';
import type { ScorePrediction } from '../optimizer/surrogate';
import type { ParameterSet, ParameterSpace } from '../space/space';
import { formatNumber } from './confirmationStatement';
import { pairDensity, type PairDensity } from './plausibleRegionDensity';
import { parameterIntervals, type ParameterInterval } from './plausibleRegionIntervals';
import { checkCount, checkSeed } from './trustArguments';

/**
 * The plausible region: the settings the fitted surrogate finds consistent with the real data, not only
 * the best point. A point x is plausible when the posterior of its score puts
 *   P(score(x) ≤ δ) = Φ((δ − μ(x)) / σ(x)) > ½,
 * μ and σ the posterior mean and standard deviation of the score (not of a noisy observation of it) in
 * score units, δ the tolerance. Since Φ(z) > ½ exactly when z > 0, a point is plausible when μ(x) < δ;
 * σ shapes the probabilities reported, not the set. With the 'power' output transform, μ is the
 * back-transformed latent mean and σ its delta-method std (surrogate.ts), so the probability is an
 * approximation there; with 'standardize' (the default) it is exact.
 *
 * The space is sampled quasi-randomly: N (default 4096) points of a scrambled, seeded Sobol sequence,
 * one coordinate per parameter, mapped as the optimizer maps uniform draws (encoding.ts: an integer level
 * or a choice each equally likely). The plausible share of the sample estimates the plausible share of
 * the space (uniform measure over the box and the choices).
 */

/** The posterior of the score at a parameter set, in score units (e.g. `(p) => predictScore(surrogate, p)`). */
export type ScorePosterior = (params: ParameterSet) => ScorePrediction;

/**
 * A posterior that also gives its mean alone, when that is much cheaper than mean and std (a GP's mean
 * costs O(n) a point, its std an O(n²) triangular solve). The region then decides plausibility from the
 * means (μ < δ: the same set) and asks for the std only where a probability is read: at the plausible
 * points, among which the highest probability lies (the others have P ≤ ½), or at every point when none
 * is plausible. `mean(p)` must equal `predict(p).mean`.
 */
export interface MeanFirstPosterior {
  mean(params: ParameterSet): number;
  predict: ScorePosterior;
}

export const DEFAULT_REGION_SAMPLE = 4096;

export interface PlausibleRegionOptions {
  /** δ, in score units. */
  tolerance: number;
  /** Seed of the Sobol scramble. */
  seed: number;
  /** Points of the quasi-random sample (default 4096). */
  count?: number;
  /** Bins of a numeric parameter's density (default 20). */
  bins?: number;
  /**
   * Bins per numeric axis of the pairwise histogram (default: `bins`). Fewer than the strips' bins keeps
   * the cells populated: 4096 points over 20 × 20 cells are ~10 a cell, over 10 × 10 ~41.
   */
  pairBins?: number;
  /** The two parameters of the pairwise histogram (the caller picks the most relevant); omitted: none. */
  pair?: readonly [string, string];
}

export interface PlausiblePoints {
  /** P(score ≤ δ) at each sample point (NaN at a point a MeanFirstPosterior showed implausible without its std). */
  probability: Float64Array;
  /** 1 where the probability is above ½. */
  plausible: Uint8Array;
  count: number;
}

export interface PlausibleRegion {
  tolerance: number;
  sampleSize: number;
  plausibleCount: number;
  /** Share of the space that is plausible (plausibleCount / sampleSize). */
  share: number;
  /** The sample point with the largest P(score ≤ δ). */
  highest: { probability: number; params: ParameterSet };
  /** Every parameter's interval, identifiability and density, in the space's order; empty when no point is plausible. */
  parameters: ParameterInterval[];
  /** The pairwise histogram of options.pair; null when not asked for or no point is plausible. */
  pair: PairDensity | null;
  /** A plain statement when no point is plausible; null otherwise. */
  statement: string | null;
}

/** `count` points of the space from a scrambled Sobol sequence seeded by `seed`. */
export function regionSample(space: ParameterSpace, count: number, seed: number): ParameterSet[] {
  if (space.parameters.length === 0) throw new Error('regionSample: the space has no parameters');
  const layout = spaceLayout(space);
  return sobolPoints(space.parameters.length, count, 0, { seed }).map((u) => decodeParameters(layout, inputFromUniform(layout, u)));
}

/** P(score ≤ δ) = Φ((δ − μ)/σ) for each prediction; with σ = 0 it is 1, ½ or 0 as μ is below, at or above δ. */
export function plausibility(predictions: readonly ScorePrediction[], tolerance: number): Float64Array {
  if (!Number.isFinite(tolerance)) throw new Error(`plausibility: \`tolerance\` must be a finite number, got ${tolerance}`);
  return Float64Array.from(predictions, ({ mean, std }, i) => {
    if (!Number.isFinite(mean) || !(std >= 0 && Number.isFinite(std))) throw new Error(`plausibility: prediction ${i} (mean ${mean}, std ${std}) needs a finite mean and a finite std ≥ 0`);
    if (std === 0) return mean < tolerance ? 1 : mean === tolerance ? 0.5 : 0;
    return normalCdf((tolerance - mean) / std);
  });
}

/** The points whose P(score ≤ δ) is above ½. */
export function plausiblePoints(probability: Float64Array): PlausiblePoints {
  const plausible = Uint8Array.from(probability, (p) => (p > 0.5 ? 1 : 0));
  return { probability, plausible, count: plausible.reduce((a, b) => a + b, 0) };
}

/**
 * The points a MeanFirstPosterior makes plausible: μ < δ decides (Φ((δ − μ)/σ) > ½ ⟺ μ < δ); the
 * probability is computed at the plausible points, or at every point when there is none.
 */
export function plausibleFromMeans(sample: readonly ParameterSet[], posterior: MeanFirstPosterior, tolerance: number): PlausiblePoints {
  if (!Number.isFinite(tolerance)) throw new Error(`plausibility: \`tolerance\` must be a finite number, got ${tolerance}`);
  const plausible = new Uint8Array(sample.length);
  let count = 0;
  sample.forEach((params, i) => {
    const mean = posterior.mean(params);
    if (!Number.isFinite(mean)) throw new Error(`plausibility: prediction ${i} (mean ${mean}) needs a finite mean`);
    if (mean < tolerance) {
      plausible[i] = 1;
      count++;
    }
  });
  if (count === 0) return { probability: plausibility(sample.map((p) => posterior.predict(p)), tolerance), plausible, count };
  const probability = new Float64Array(sample.length).fill(Number.NaN);
  plausible.forEach((flag, i) => {
    if (flag) probability[i] = plausibility([posterior.predict(sample[i])], tolerance)[0];
  });
  return { probability, plausible, count };
}

/** The point with the largest probability (points without one, NaN, are skipped). */
function highestPoint(sample: readonly ParameterSet[], probability: Float64Array): { probability: number; params: ParameterSet } {
  let best = -1;
  for (let i = 0; i < probability.length; i++) if (!Number.isNaN(probability[i]) && (best < 0 || probability[i] > probability[best])) best = i;
  return { probability: probability[best], params: sample[best] };
}

function describeSetting(params: ParameterSet): string {
  return Object.entries(params)
    .map(([name, value]) => `${name} = ${typeof value === 'number' ? formatNumber(value) : value}`)
    .join(', ');
}

function noPlausibleStatement(tolerance: number, sampleSize: number, highest: { probability: number; params: ParameterSet }): string {
  return (
    `No setting is plausible: at none of ${sampleSize} quasi-random points of the space does the model give P(score ≤ δ = ${formatNumber(tolerance)}) above ½ ` +
    `(the highest is ${formatNumber(highest.probability)}, at ${describeSetting(highest.params)}). ` +
    'The real data may lie outside what these bounds can generate, or the model needs more evaluations near the best settings.'
  );
}

/** The plausible region of the space under `posterior` at tolerance δ (see the top of this file). */
export function plausibleRegion(space: ParameterSpace, posterior: ScorePosterior | MeanFirstPosterior, options: PlausibleRegionOptions): PlausibleRegion {
  const fn = 'plausibleRegion';
  const seed = checkSeed(fn, options.seed);
  const count = checkCount(fn, 'count', options.count ?? DEFAULT_REGION_SAMPLE, 1, 'a region needs at least one point');
  const bins = checkCount(fn, 'bins', options.bins ?? 20, 1, 'a histogram needs at least one bin');
  const pairBins = checkCount(fn, 'pairBins', options.pairBins ?? bins, 1, 'a histogram needs at least one bin');
  if (options.pair) {
    for (const name of options.pair) if (!space.parameters.some((p) => p.name === name)) throw new Error(`${fn}: option \`pair\` names "${name}", which is not a parameter of the space`);
    if (options.pair[0] === options.pair[1]) throw new Error(`${fn}: option \`pair\` must name two different parameters, got "${options.pair[0]}" twice`);
  }
  const sample = regionSample(space, count, seed);
  const points =
    typeof posterior === 'function'
      ? plausiblePoints(plausibility(sample.map((params) => posterior(params)), options.tolerance))
      : plausibleFromMeans(sample, posterior, options.tolerance);
  const highest = highestPoint(sample, points.probability);
  const region = { tolerance: options.tolerance, sampleSize: count, plausibleCount: points.count, share: points.count / count, highest };
  if (points.count === 0) return { ...region, parameters: [], pair: null, statement: noPlausibleStatement(options.tolerance, count, highest) };
  return {
    ...region,
    parameters: parameterIntervals(space, sample, points.plausible, bins),
    pair: options.pair ? pairDensity(space, options.pair[0], options.pair[1], sample, points.plausible, pairBins) : null,
    statement: null,
  };
}
