import type { Observation } from './types';

/**
 * Replicate counts → the GP's per-observation noise (heteroscedastic).
 *
 * A score computed from r replicate samples is treated as the mean of r independent draws, so its noise
 * variance is σ²/r: row i of the GP gets noise variance σ_n² · r_ref / r_i, where r_ref is the reference
 * count. σ_n² stays the one fitted noise hyperparameter; it is the noise of an observation at r_ref (and
 * the known score noise, ProposeBatchInput.scoreNoiseStd, bounds it from below at that count). With every
 * observation at r_ref each row's relative noise is exactly 1 and the model is the homoscedastic one.
 *
 * r_ref is the caller's (ProposeBatchInput.referenceReplicates: the study's usual count) when given, else
 * the median count of the observations. An observation without a count stands for r_ref; a mix of
 * observations with and without counts needs the caller's r_ref, since the median of the given counts
 * says nothing about what the others were computed from.
 */

/** The reference replicate count r_ref; throws (naming the observation) for an invalid count or an ambiguous mix. */
export function referenceReplicates(observations: readonly Observation[], given?: number): number {
  if (given !== undefined && !(Number.isFinite(given) && given > 0)) throw new Error(`referenceReplicates ${given} must be a positive finite number`);
  const counts: number[] = [];
  let firstWithout = -1;
  observations.forEach((o, i) => {
    if (o.replicates === undefined) {
      if (firstWithout < 0) firstWithout = i;
      return;
    }
    if (!(Number.isInteger(o.replicates) && o.replicates >= 1)) throw new Error(`observation ${i}: replicates ${String(o.replicates)} must be a positive whole number`);
    counts.push(o.replicates);
  });
  if (given !== undefined) return given;
  if (counts.length === 0) return 1; // no counts at all: every row is at the reference, whatever it is
  if (firstWithout >= 0) {
    throw new Error(`observation ${firstWithout} has no replicate count while others have one: give referenceReplicates, the count an observation without one was computed from`);
  }
  return median(counts);
}

/** The replicate count of each observation: its own, else the reference. */
export function replicateCountOf(observation: Observation, reference: number): number {
  return observation.replicates ?? reference;
}

/**
 * Each row's relative noise variance r_ref / r_i, or undefined when every row is at the reference (the
 * homoscedastic model, computed exactly as before replicate counts existed).
 */
export function relativeNoise(replicates: readonly number[], reference: number): Float64Array | undefined {
  if (replicates.every((r) => r === reference)) return undefined;
  return Float64Array.from(replicates, (r) => reference / r);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
