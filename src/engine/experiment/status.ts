import type { ConvergenceResult } from '../optimizer';
import { stageLabel, type IterationStage } from '../pipeline/stages';
import type { ExperimentStatus } from './records';

/**
 * The one place an experiment's status is derived. A run ends converged (a confirmation of the best set
 * read "indistinguishable"), finished (stopped, not converged: the budget is spent or the best stopped
 * improving) or paused (it may go on); an error ends it stopped (the user cancelled), paused (storage is
 * full: nothing is lost, it resumes once space is freed) or failed.
 */
export function statusAfterRun(convergence: ConvergenceResult | undefined): ExperimentStatus {
  if (!convergence?.converged) return 'paused';
  return convergence.reason === 'threshold' ? 'converged' : 'finished';
}

export type RunEnd = 'cancelled' | 'storage-full' | 'error';

export function statusAfterError(end: RunEnd, message: string, stage: { iteration: number; stage: IterationStage | 'plan' } | null): { status: ExperimentStatus; statusDetail: string } {
  if (end === 'cancelled') return { status: 'stopped', statusDetail: 'stopped by the user' };
  if (end === 'storage-full') return { status: 'paused', statusDetail: message };
  const where = stage ? `${stageLabel(stage.stage)} of iteration ${stage.iteration} failed: ` : '';
  return { status: 'failed', statusDetail: `${where}${message}` };
}

/** Whether Step and Auto-run may start: not while running, and not on a failed run until its stage is retried. */
export function canStep(status: ExperimentStatus): boolean {
  return status !== 'running' && status !== 'failed' && status !== 'finished';
}
