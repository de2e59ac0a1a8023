import type { Surrogate } from './surrogate';

/**
 * Re-measuring a contender for the reported best on a noisy objective.
 *
 * On a noisy objective the reported best is the evaluated set with the lowest posterior mean (surrogate.ts,
 * bestByPosteriorMean). When the incumbent's posterior standard deviation is larger than its lead over the
 * runner-up, the model cannot tell which of the two is better, and a new point elsewhere does little to
 * settle it; a second measurement of a contender does. Then the last member of a batch re-measures, among
 * the close contenders (of the five lowest posterior means, those whose ±1 sd band reaches the
 * incumbent's: μ_i − μ_1 < σ_i + σ_1), the one with the largest posterior sd, where one more measurement
 * can change the ranking most (the knowledge-gradient idea, Frazier, Powell & Dayanik 2008, restricted to
 * evaluated sets, as BoTorch and Ax report the "best in-sample point" by the model).
 * Chosen over re-measuring the incumbent itself (with the same trigger, or in every batch) on 2-D BBOB with
 * additive noise (docs/decisions.md, 'Replicates under noise').
 * Latent units throughout: the output transform is monotone, so the ranking holds in score units too.
 */

/** Contenders considered for a re-measurement: the top five by posterior mean, as current_best reports. */
const CONTENDERS = 5;

/** The index (in surrogate.evaluated) of the set to re-measure, or −1 when the incumbent's lead is clear. */
export function replicateTarget(surrogate: Surrogate): number {
  if (surrogate.evaluated.length < 2) return -1;
  const rows = surrogate.evaluated
    .map((set, index) => {
      const p = surrogate.posterior.predict(set.x);
      return { index, mean: p.mean, sd: Math.sqrt(Math.max(0, p.variance)) };
    })
    .sort((a, b) => a.mean - b.mean)
    .slice(0, CONTENDERS);
  const [best, runnerUp] = rows;
  if (!(best.sd > runnerUp.mean - best.mean)) return -1;
  let target = best;
  for (const row of rows) if (row.mean - best.mean < row.sd + best.sd && row.sd > target.sd) target = row;
  return target.index;
}
