import { ITERATION_STAGES, type ExperimentRecord, type IterationRecord, type IterationStage } from '../experiment/records';
import { batchesRun } from './confirmationPlan';

/**
 * What the pipeline does next, from what is stored: the stage after the last committed one. After a
 * reload this is where the run resumes; nothing committed is redone. After a complete iteration:
 * a due confirmation is planned next (even at the budget: it checks the answer, it is not a batch);
 * a stop (a passed confirmation, a plateau) ends auto-run, while Step may go on past all but the budget;
 * the budget ends everything once max_iterations batches have run.
 */
export type NextStep =
  | { kind: 'stage'; iteration: number; stage: IterationStage | 'plan' }
  | { kind: 'finished'; reason: string };

export function nextStep(
  experiment: ExperimentRecord,
  iterations: readonly IterationRecord[],
  options: { continuePastConvergence?: boolean } = {},
): NextStep {
  const sorted = [...iterations].sort((a, b) => a.iteration - b.iteration);
  const last = sorted[sorted.length - 1];
  if (!last) return { kind: 'stage', iteration: 0, stage: 'plan' };
  const index = ITERATION_STAGES.indexOf(last.stage);
  if (index < ITERATION_STAGES.length - 1) return { kind: 'stage', iteration: last.iteration, stage: ITERATION_STAGES[index + 1] };
  const convergence = last.convergence ?? experiment.convergence;
  if (convergence?.confirmationDue) return { kind: 'stage', iteration: last.iteration + 1, stage: 'plan' };
  if (convergence?.converged && !(options.continuePastConvergence && convergence.reason !== 'budget')) return { kind: 'finished', reason: convergence.detail };
  if (batchesRun(sorted) >= experiment.config.max_iterations) return { kind: 'finished', reason: `budget: ${experiment.config.max_iterations} iterations run` };
  return { kind: 'stage', iteration: last.iteration + 1, stage: 'plan' };
}
