/**
 * UCB exploration weight β by iteration (seed 000: "start with high β (exploration), decay toward
 * exploitation as iterations progress"). Geometric decay from `start` at iteration 1 to `end` at the last
 * planned iteration:
 *   β_t = start · (end/start)^{(t − 1)/(T − 1)},  t clamped to [1, T].
 * β multiplies the posterior standard deviation in the standardised output units of the GP, so β = 2
 * asks for a two-sigma optimistic bound. Defaults (start 2, end 0.2) were chosen on the benchmark
 * (bench/bo.ts; 1 → 0.1 lost on Ackley-6 and the void-like function): exploration early, and by the
 * last rounds a bound close to the posterior mean, which refines the optimum inside ~10 batches. Within
 * a batch, members hedge upward from β_t (settings.batchBetaRatio, see proposeBatch.ts).
 */
export interface BetaSchedule {
  start: number;
  end: number;
}

export const DEFAULT_BETA_SCHEDULE: BetaSchedule = { start: 2, end: 0.2 };

export function betaAt(schedule: BetaSchedule, iteration: number, maxIterations: number): number {
  if (!(schedule.start > 0) || !(schedule.end > 0)) throw new Error('β schedule: start and end must be positive');
  const T = Math.max(1, maxIterations);
  if (T === 1) return schedule.end;
  const t = Math.min(T, Math.max(1, iteration));
  return schedule.start * Math.pow(schedule.end / schedule.start, (t - 1) / (T - 1));
}
