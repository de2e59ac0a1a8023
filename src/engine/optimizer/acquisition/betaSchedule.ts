/**
 * UCB exploration weight β by iteration: high β (exploration) first, decaying toward exploitation as
 * the iterations progress (see docs/decisions.md, 'UCB β schedule'). Geometric decay from `start` at iteration 1 to the end value at
 * the last planned iteration:
 *   β_t = start · (end/start)^{(t − 1)/(T − 1)},  t clamped to [1, T].
 * β multiplies the posterior standard deviation in the standardised output units of the GP, so β = 2
 * asks for a two-sigma optimistic bound. Defaults (start 2, end 0.2) were chosen on the benchmark
 * (bench/bo.ts; 1 → 0.1 lost on Ackley-6 and the void-like function): exploration early, and by the
 * last rounds a bound close to the posterior mean, which refines the optimum inside ~10 batches. Within
 * a batch, members hedge upward from β_t (settings.batchBetaRatio, see proposeBatch.ts).
 *
 * The end value follows the noise the model has learned (`endNoisy`, see endBeta): on noiseless data a
 * point at the optimum tells the model exactly what is there, so the last rounds exploit; under noise a
 * point at the optimum, where the function is flat, is nearly uninformative about where the minimum is,
 * and points around it (a larger β) locate it better. endNoisy 1 was screened on bench/bo.ts seeds
 * 100–199 (medians of 100 final regrets, adaptive vs end 0.2 always): Branin+noise 0.256 vs 0.300,
 * Hartmann-6+noise 0.0123 vs 0.0199, void-like+noise 0.0071 vs 0.0073, Ackley-6+noise 1.68 vs 1.67;
 * noiseless Branin, Hartmann-6 and void-like stay within chaos of each other (1e-6…5e-6); Ackley-6, whose
 * ripples the model takes for noise, loses (1.47 vs 1.33).
 */
export interface BetaSchedule {
  start: number;
  /** β at the last planned iteration when the model sees (nearly) noiseless data. */
  end: number;
  /** β at the last planned iteration when the model's noise is material (endBeta); absent: always `end`. */
  endNoisy?: number;
}

export const DEFAULT_BETA_SCHEDULE: BetaSchedule = { start: 2, end: 0.2, endNoisy: 1 };

/** Latent noise variances (standardised output, so a share of the scores' variance) where the end moves. */
const QUIET_NOISE = 1e-4;
const MATERIAL_NOISE = 1e-3;

/**
 * The schedule's end value for a model with latent noise variance `noise`: `end` at ≤ 1e-4 (noise sd ≤ 1 %
 * of the scores' sd), `endNoisy` at ≥ 1e-3 (≥ 3 %), geometric in between (log-linear in the noise).
 * Measured on bench/bo.ts's fits: noiseless functions end at 1e-8…2e-4, noisy ones (and Ackley-6, whose
 * ripples the model takes for noise) stay at 6e-4…1e-2.
 */
export function endBeta(schedule: BetaSchedule, noise = 0): number {
  if (schedule.endNoisy === undefined) return schedule.end;
  if (!(schedule.endNoisy > 0)) throw new Error('β schedule: endNoisy must be positive');
  const w = Math.min(1, Math.max(0, Math.log(Math.max(noise, 1e-300) / QUIET_NOISE) / Math.log(MATERIAL_NOISE / QUIET_NOISE)));
  return schedule.end * Math.pow(schedule.endNoisy / schedule.end, w);
}

export function betaAt(schedule: BetaSchedule, iteration: number, maxIterations: number, noise = 0): number {
  if (!(schedule.start > 0) || !(schedule.end > 0)) throw new Error('β schedule: start and end must be positive');
  const end = endBeta(schedule, noise);
  const T = Math.max(1, maxIterations);
  if (T === 1) return end;
  const t = Math.min(T, Math.max(1, iteration));
  return schedule.start * Math.pow(end / schedule.start, (t - 1) / (T - 1));
}
