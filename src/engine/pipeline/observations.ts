import type { IterationRecord } from '../experiment/records';
import type { ParameterSet } from '../space/space';
import type { ConvergencePoint, NoiseFloor, Observation } from '../optimizer';
import { isConfirmationIteration } from './confirmationPlan';

/**
 * What the surrogate learns from: every scored parameter set that is not part of the real set (close and
 * far at iteration 0, the optimizer's proposals after, and confirmations: m samples of the best set, one
 * observation). Each carries the number of samples its score was computed from, which sets its noise
 * (a confirmation's m samples weigh more than a batch set's 3). The hidden real sets of a simulated
 * target are never observations: the optimizer must not see them.
 */
export function observationsFrom(iterations: readonly IterationRecord[]): Observation[] {
  const out: Observation[] = [];
  for (const it of iterations) {
    for (const set of it.paramSets) {
      if (set.dataset_type === 'real' || !set.score || !Number.isFinite(set.score.score)) continue;
      out.push({ params: set.params, score: set.score.score, replicates: set.score.sizes.synthetic });
    }
  }
  return out;
}

/**
 * Parameter sets that were planned but are not scored yet (their iteration has not been analysed):
 * the optimizer must not propose them again. The page's loop scores every set before it proposes, so
 * this is empty there; sets asked for by clients that have not told yet (ask/tell) are the case it is for.
 */
export function pendingParamSets(iterations: readonly IterationRecord[], except?: number): ParameterSet[] {
  return iterations
    .filter((it) => it.iteration !== except && (it.stage === 'planned' || it.stage === 'sampled'))
    .flatMap((it) => it.paramSets.filter((set) => set.dataset_type !== 'real').map((set) => set.params));
}

/**
 * The per-parameter-set noise floor (mean, upper band edge and sd) of the latest scored batch set: the
 * plateau's fallback tolerance, and its sd as the optimizer's known score noise
 * (ProposeBatchInput.scoreNoiseStd). A confirmation's set is skipped: its floor is at m samples, not at
 * the replicate count the other scores have.
 */
export function parameterSetFloor(iterations: readonly IterationRecord[]): NoiseFloor | null {
  for (let i = iterations.length - 1; i >= 0; i--) {
    for (const set of iterations[i].paramSets) {
      if (set.dataset_type === 'confirmation') continue;
      const floor = set.score?.floor;
      if (floor?.available && Number.isFinite(floor.mean) && Number.isFinite(floor.high)) return { mean: floor.mean, high: floor.high, ...(Number.isFinite(floor.sd) ? { sd: floor.sd } : {}) };
    }
  }
  return null;
}

/**
 * Best posterior mean after each batch iteration that has a proposal: the convergence history. A
 * confirmation iteration adds no point: plateau patience counts batches.
 */
export function convergenceHistory(iterations: readonly IterationRecord[]): ConvergencePoint[] {
  return iterations
    .filter((it) => it.proposal && it.proposal.current_best.length > 0 && !isConfirmationIteration(it))
    .map((it) => ({
      iteration: it.iteration,
      bestPosteriorMean: it.proposal!.current_best[0].posteriorMean,
      bestPosteriorStd: it.proposal!.current_best[0].posteriorStd,
    }));
}
