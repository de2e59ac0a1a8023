/**
 * When to stop (threshold, plateau, budget), with the reason recorded; see docs/decisions.md,
 * 'Convergence: threshold, plateau, budget'.
 *
 * - threshold: the best posterior mean is within the noise floor band — at or below the upper end of
 *   what a perfect generator scores (real-vs-real; rule 'noise_floor', the default), or at or below the
 *   config's absolute `convergence_threshold` (rule 'absolute').
 * - plateau: the best posterior mean has not improved by more than the noise for `patience` iterations:
 *   the last `patience` values are all ≥ (best before them) − tolerance, where the tolerance is the
 *   incumbent's posterior standard deviation (when the history carries it), else the width of the
 *   noise-floor band (high − mean), else 0. Improvements smaller than what the model cannot tell from
 *   noise do not reset the count.
 * - budget: `maxIterations` iterations have been run.
 * Priority when several hold: threshold, then plateau, then budget.
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

export interface ConvergenceInput {
  history: readonly ConvergencePoint[];
  rule: 'noise_floor' | 'absolute';
  /** The absolute threshold (config convergence_threshold, seed default 0.05). */
  threshold: number;
  noiseFloor?: NoiseFloor | null;
  patience: number;
  maxIterations: number;
}

export type ConvergenceReason = 'threshold' | 'plateau' | 'budget';

export interface ConvergenceResult {
  converged: boolean;
  reason: ConvergenceReason | null;
  detail: string;
}

function fmt(x: number): string {
  return Math.abs(x) >= 1e-3 || x === 0 ? x.toFixed(4) : x.toExponential(2);
}

export function checkConvergence(input: ConvergenceInput): ConvergenceResult {
  const { history, patience, maxIterations } = input;
  if (history.length === 0) return { converged: false, reason: null, detail: 'no iterations yet' };
  const last = history[history.length - 1];

  if (input.rule === 'noise_floor') {
    if (input.noiseFloor && last.bestPosteriorMean <= input.noiseFloor.high) {
      return {
        converged: true,
        reason: 'threshold',
        detail: `best posterior mean ${fmt(last.bestPosteriorMean)} is within the noise floor band (≤ ${fmt(input.noiseFloor.high)}, real-vs-real mean ${fmt(input.noiseFloor.mean)})`,
      };
    }
  } else if (last.bestPosteriorMean <= input.threshold) {
    return { converged: true, reason: 'threshold', detail: `best posterior mean ${fmt(last.bestPosteriorMean)} ≤ absolute threshold ${fmt(input.threshold)}` };
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
        detail: `no improvement beyond the noise (${fmt(tolerance)}) in the last ${patience} iteration(s): best before ${fmt(bestBefore)}, now ${fmt(last.bestPosteriorMean)}`,
      };
    }
  }

  if (last.iteration >= maxIterations) {
    return { converged: true, reason: 'budget', detail: `reached max_iterations = ${maxIterations}` };
  }
  const floorNote = input.rule === 'noise_floor' && !input.noiseFloor ? ' (no noise floor known yet: the threshold rule cannot fire)' : '';
  return { converged: false, reason: null, detail: `iteration ${last.iteration} of ${maxIterations}, best posterior mean ${fmt(last.bestPosteriorMean)}${floorNote}` };
}
