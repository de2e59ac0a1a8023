import type { ParameterSpace } from '../../../engine/space/space';
import type { GatePreset } from '../gates';
import type { GeneratedTable } from '../generators/generatedTable';
import type { TabularMetrics } from '../metrics/keys';
import type { TabularReference } from '../metrics/suite';
import type { Failure } from './diagnose';
import type { Evaluation } from './evaluation';
import { openCalibration, type CalibrationInput, type CalibrationStop } from './calibrationSession';
import type { StrategyName } from './strategies';
import type { SettingsContext } from './settingsSpace';

export { DEFAULT_BUDGET, type CalibrationInput } from './calibrationSession';

export interface CalibrationSetup {
  rows: { real: number; train: number; holdout: number; synthetic: number };
  space: ParameterSpace;
  context: SettingsContext;
  preset: GatePreset;
  floor: TabularMetrics;
  floorUtility: number | null;
  reference: TabularReference;
}

export interface CalibrationResult extends CalibrationSetup {
  strategy: StrategyName;
  budget: number;
  seed: number;
  evaluations: Evaluation[];
  best: Evaluation;
  /** The winner's synthetic table (the only one kept). */
  table: GeneratedTable;
  failures: Failure[];
  /** Why the strategy stopped: the budget, or the rules loop at all green or out of rules. */
  stopped: CalibrationStop;
}

export type CalibrationEvent =
  | { kind: 'setup'; setup: CalibrationSetup }
  | { kind: 'evaluation'; evaluation: Evaluation; isBest: boolean; milliseconds: number };

/**
 * The tabular calibration loop run to its end in memory: evaluations chosen by the strategy until the
 * budget is spent (the rules loop may stop earlier), the best kept by the selection rule
 * (evaluation.ts) with its table, and the winner diagnosed if it is not all green. A generator of events
 * (after the setup and after each evaluation), so a caller can report progress or stop between
 * evaluations; calibrateTable runs it to the end. Each step is openCalibration's, so a page that keeps
 * its history in storage makes the same evaluations.
 */
export function* runCalibration(input: CalibrationInput): Generator<CalibrationEvent, CalibrationResult, void> {
  const session = openCalibration(input);
  yield { kind: 'setup', setup: session.setup };
  const evaluations: Evaluation[] = [];
  let best: { evaluation: Evaluation; table: GeneratedTable } | null = null;
  let stopped: CalibrationResult['stopped'] = 'budget';
  for (;;) {
    const started = Date.now();
    const step = session.next(evaluations);
    if ('stopped' in step) {
      stopped = step.stopped;
      break;
    }
    evaluations.push(step.evaluation);
    if (step.isBest) best = step;
    yield { kind: 'evaluation', evaluation: step.evaluation, isBest: step.isBest, milliseconds: Date.now() - started };
  }
  if (!best) throw new Error('the calibration made no evaluation');
  const failures = session.diagnose(best.evaluation, evaluations);
  return { ...session.setup, strategy: input.strategy, budget: session.budget, seed: session.seed, evaluations, best: best.evaluation, table: best.table, failures, stopped };
}

/** runCalibration to the end, handing each event to `onEvent`. */
export function calibrateTable(input: CalibrationInput, onEvent?: (event: CalibrationEvent) => void): CalibrationResult {
  const run = runCalibration(input);
  for (;;) {
    const step = run.next();
    if (step.done) return step.value;
    onEvent?.(step.value);
  }
}
