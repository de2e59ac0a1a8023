import { ITERATION_STAGES, type IterationStage } from '../experiment/records';

export { ITERATION_STAGES, type IterationStage };

/** What a running stage is doing, for progress lines: the one vocabulary of the pipeline's work. */
export const WORK_STEPS = ['plan', 'generate', 'embed', 'score', 'propose', 'store'] as const;
export type WorkStep = (typeof WORK_STEPS)[number];

/** What the UI shows while a stage runs. */
export interface StageProgress {
  iteration: number;
  stage: WorkStep;
  done: number;
  total: number;
  startedAt: number;
}

/** Human name of a committed stage (or of planning) for progress lines and failure messages. */
export function stageLabel(stage: IterationStage | 'plan'): string {
  switch (stage) {
    case 'plan':
    case 'planned':
      return 'Plan';
    case 'sampled':
      return 'Generate and embed';
    case 'analysed':
      return 'Score and project';
    case 'proposed':
      return 'Propose next batch';
  }
}
