import { ITERATION_STAGES, type ExperimentRecord, type IterationRecord, type IterationStage } from '../experiment/records';

/**
 * What the pipeline does next, from what is stored: the stage after the last committed one. After a
 * reload this is where the run resumes; nothing committed is redone.
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
  // A threshold or plateau stop ends auto-run; the user may still Step on (the budget always holds).
  if (convergence?.converged && !(options.continuePastConvergence && convergence.reason !== 'budget')) return { kind: 'finished', reason: convergence.detail };
  if (last.iteration >= experiment.config.max_iterations) return { kind: 'finished', reason: `budget: ${experiment.config.max_iterations} iterations run` };
  return { kind: 'stage', iteration: last.iteration + 1, stage: 'plan' };
}
