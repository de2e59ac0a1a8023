/**
 * When the loop stops, and when it confirms its best set first, with the reason recorded; see
 * docs/decisions.md, 'Convergence: threshold, plateau, budget' and 'Convergence compares like with like'.
 *
 * The loop ends "converged" only on a passed confirmation: m fresh samples of the best set, tested
 * against the n real samples (engine/trust/confirmation.ts), read "indistinguishable within δ". Plateau
 * and budget end it "stopped, not converged".
 *
 * - threshold, a candidate and not a stop: the best posterior mean μ* is at or below
 *     rule 'noise_floor' (default): the confirmation's tolerance δ — the real-vs-real floor of the same
 *       statistic (unbiased MMD²) at the confirmation's sizes, m synthetic vs n real, or the config's δ;
 *     rule 'absolute': the config's `convergence_threshold`.
 *   μ* estimates the best set's population MMD², which is the mean of the unbiased MMD² at every sample
 *   size, so μ* ≤ δ compares the statistic at (m, n) with its own null at (m, n). (The per-set floor of
 *   a 3-replicate score is wider and measures a different statistic; it stays the plateau's fallback
 *   tolerance.) When the rule holds for a best set that has not been confirmed, `confirmationDue` asks
 *   the pipeline to confirm it. A set is confirmed at most once by the rule: a failed confirmation's
 *   samples join the surrogate's data and the rule waits for another best set, so "indistinguishable"
 *   cannot be reached by testing one set until a draw passes.
 * - confirmation: one ran in this iteration (`confirmation`). "indistinguishable" ends the run,
 *   converged with reason 'threshold' and its statement; "distinguishable" or "not enough evidence"
 *   lets it go on, and plateau and budget are checked as usual.
 * - plateau: the best posterior mean has not improved by more than the noise for `patience` batches:
 *   the last `patience` values are all ≥ (best before them) − tolerance, where the tolerance is the
 *   incumbent's posterior standard deviation (when the history carries it), else the width of the
 *   noise-floor band (high − mean), else 0. Improvements smaller than what the model cannot tell from
 *   noise do not reset the count.
 * - budget: `maxIterations` batches have been run (a confirmation is not a batch).
 * Priority: a passed confirmation, a due confirmation (a candidate is checked even when plateau or
 * budget would stop), plateau, budget.
 *
 * `converged` is true whenever the loop stops (the field predates the distinction); `reason` says
 * which: only 'threshold' means converged.
 */
export interface ConvergencePoint {
  iteration: number;
  /** Best posterior mean among evaluated sets after this iteration (current_best[0].posteriorMean). */
  bestPosteriorMean: number;
  /** Its posterior standard deviation (current_best[0].posteriorStd). */
  bestPosteriorStd?: number | null;
}

export interface NoiseFloor {
  /** Mean real-vs-real score. */
  mean: number;
  /** Upper end of its band (e.g. a bootstrap 95th percentile). */
  high: number;
  /** Standard deviation of the real-vs-real scores: the noise scale of one score (proposeBatch's scoreNoiseStd). */
  sd?: number;
}

/** The confirmation's tolerance δ at its sizes: what rule 'noise_floor' compares the best posterior mean with. */
export interface ConfirmationTolerance {
  delta: number;
  /** Synthetic (m) and real (n) sample counts of the confirmation. */
  m: number;
  n: number;
  /** 'floor': the real-vs-real floor at (m, n); 'user': the config's δ. */
  source: 'floor' | 'user';
}

export type ConfirmationVerdict = 'indistinguishable' | 'distinguishable' | 'not enough evidence';

export interface ConvergenceInput {
  /** One point per batch iteration, in order (a confirmation iteration adds none). */
  history: readonly ConvergencePoint[];
  rule: 'noise_floor' | 'absolute';
  /** The absolute threshold (config convergence_threshold, seed default 0.05). */
  threshold: number;
  /** The per-set noise floor: the plateau's fallback tolerance. */
  noiseFloor?: NoiseFloor | null;
  /** δ at the confirmation's sizes; without it rule 'noise_floor' cannot ask for a confirmation. */
  tolerance?: ConfirmationTolerance | null;
  /** The best set was confirmed before: the threshold does not ask again. */
  bestConfirmed?: boolean;
  /** A confirmation ran in this iteration. */
  confirmation?: { verdict: ConfirmationVerdict; statement: string } | null;
  patience: number;
  maxIterations: number;
  /** Batches run so far, for the budget; default: the last point's iteration. */
  batches?: number;
}

export type ConvergenceReason = 'threshold' | 'plateau' | 'budget';

export interface ConvergenceResult {
  /** The loop stops here: converged (reason 'threshold') or stopped, not converged (plateau, budget). */
  converged: boolean;
  reason: ConvergenceReason | null;
  detail: string;
  /** The threshold holds for a best set not confirmed yet: the next iteration confirms it. */
  confirmationDue?: boolean;
  /** A passed confirmation's statement (reason 'threshold'). */
  statement?: string;
}

function fmt(x: number): string {
  return Math.abs(x) >= 1e-3 || x === 0 ? x.toFixed(4) : x.toExponential(2);
}

const notConverged = 'stopped, not converged';

/** Whether the best posterior mean meets the rule's threshold, and the sentence saying so (null: no threshold known). */
function thresholdHolds(input: ConvergenceInput, mean: number): { holds: boolean; sentence: string } | null {
  if (input.rule === 'absolute') {
    return { holds: mean <= input.threshold, sentence: `best posterior mean ${fmt(mean)} ${mean <= input.threshold ? '≤' : '>'} absolute threshold ${fmt(input.threshold)}` };
  }
  const t = input.tolerance;
  if (!t) return null;
  const what = t.source === 'floor' ? `the real-vs-real floor at ${t.m} synthetic vs ${t.n} real` : 'set in the config';
  return { holds: mean <= t.delta, sentence: `best posterior mean ${fmt(mean)} ${mean <= t.delta ? '≤' : '>'} δ = ${fmt(t.delta)} (${what})` };
}

export function checkConvergence(input: ConvergenceInput): ConvergenceResult {
  const { history, patience, maxIterations, confirmation } = input;
  if (confirmation?.verdict === 'indistinguishable') {
    return { converged: true, reason: 'threshold', detail: `converged: ${confirmation.statement}`, statement: confirmation.statement };
  }
  const failed = confirmation ? `; the confirmation read "${confirmation.verdict}", its samples joined the model's data` : '';
  if (history.length === 0) return { converged: false, reason: null, detail: `no iterations yet${failed}` };
  const last = history[history.length - 1];

  const threshold = confirmation ? null : thresholdHolds(input, last.bestPosteriorMean);
  if (threshold?.holds && !input.bestConfirmed) {
    return { converged: false, reason: null, confirmationDue: true, detail: `${threshold.sentence}: a candidate, to be confirmed with new samples of the best set` };
  }

  if (patience >= 1 && history.length > patience) {
    const before = history.slice(0, history.length - patience);
    const recent = history.slice(history.length - patience);
    const bestBefore = Math.min(...before.map((p) => p.bestPosteriorMean));
    const tolerance =
      last.bestPosteriorStd != null && Number.isFinite(last.bestPosteriorStd)
        ? last.bestPosteriorStd
        : input.noiseFloor
          ? Math.max(0, input.noiseFloor.high - input.noiseFloor.mean)
          : 0;
    const improved = recent.some((p) => p.bestPosteriorMean < bestBefore - tolerance);
    if (!improved) {
      return {
        converged: true,
        reason: 'plateau',
        detail: `${notConverged}: no improvement beyond the noise (${fmt(tolerance)}) in the last ${patience} iteration(s): best before ${fmt(bestBefore)}, now ${fmt(last.bestPosteriorMean)}${failed}`,
      };
    }
  }

  const batches = input.batches ?? last.iteration;
  if (batches >= maxIterations) {
    return { converged: true, reason: 'budget', detail: `${notConverged}: reached max_iterations = ${maxIterations}${failed}` };
  }
  const state = threshold
    ? threshold.holds
      ? `${threshold.sentence}, but this set was confirmed before: waiting for another best set`
      : threshold.sentence
    : confirmation
      ? `best posterior mean ${fmt(last.bestPosteriorMean)}`
      : `best posterior mean ${fmt(last.bestPosteriorMean)} (no confirmation tolerance known yet: the threshold rule cannot fire)`;
  return { converged: false, reason: null, detail: `iteration ${batches} of ${maxIterations}, ${state}${failed}` };
}
