import type { ParameterSpace } from '../../../engine/space/space';
import type { Constraints } from '../constraints/types';
import { GATE_PRESETS, type GatePreset, type GatePresetName } from '../gates';
import type { GeneratedTable } from '../generators/generatedTable';
import type { MetricKey, TabularMetrics } from '../metrics/keys';
import { evaluateFloor, prepareReference, type TabularReference } from '../metrics/suite';
import { splitRows, splitTable } from '../split';
import { TabularInputError } from '../tabularInputError';
import { columnIndex, type Table } from '../table';
import { utility } from '../utility';
import { diagnose, type Failure } from './diagnose';
import { evaluateSettings, isBetter, type Evaluation } from './evaluation';
import { failureGroups } from './failureTypes';
import { createStrategy, type StrategyContext, type StrategyName } from './strategies';
import { canonicalSettings, defaultSettings, settingsContext, settingsSpace, type SettingsContext } from './settingsSpace';

export interface CalibrationInput {
  /** The real table, with its target and group roles set. */
  real: Table;
  /** Validated against the real rows (validateConstraints). */
  constraints: Constraints;
  gates: GatePresetName;
  strategy: StrategyName;
  /** Evaluations at most (default 24). */
  budget?: number;
  seed?: number;
  /** Synthetic rows (default: the real table's row count). */
  rows?: number;
  /** Share of the real rows held out (default 0.2). */
  holdoutShare?: number;
  target?: string | null;
  group?: string | null;
}

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
  stopped: 'budget' | 'all_green' | 'no_rule_left';
}

export type CalibrationEvent =
  | { kind: 'setup'; setup: CalibrationSetup }
  | { kind: 'evaluation'; evaluation: Evaluation; isBest: boolean; milliseconds: number };

export const DEFAULT_BUDGET = 24;

/**
 * The tabular calibration loop: split the real table (seeded, stratified by the group, else the
 * target), fix the metrics' reference on train and their floor on the holdout, then evaluate settings
 * chosen by the strategy until the budget is spent (the rules loop may stop earlier), keeping the best
 * evaluation by the selection rule (evaluation.ts) and its table, and diagnose the winner if it is not
 * all green. A generator of events (after the setup and after each evaluation), so a caller can report
 * progress or stop between evaluations; calibrateTable runs it to the end. Deterministic for its input.
 */
export function* runCalibration(input: CalibrationInput): Generator<CalibrationEvent, CalibrationResult, void> {
  const budget = input.budget ?? DEFAULT_BUDGET;
  const seed = input.seed ?? 0;
  const real = input.real;
  const file = real.file ?? 'the table';
  if (!Number.isInteger(budget) || budget < 1) throw new Error(`budget ${budget} must be a whole number ≥ 1`);
  for (const [flag, name] of [['target', input.target], ['group', input.group]] as const) {
    if (name != null && columnIndex(real, name) < 0) throw new TabularInputError(file, `the ${flag} names this column, which the table does not have`, { column: name });
  }
  const split = splitTable(real, { holdoutShare: input.holdoutShare, seed, stratifyBy: input.group ?? input.target ?? undefined });
  const parts = splitRows(real, split);
  const reference = prepareReference(parts.train, parts.holdout, { constraints: input.constraints, target: input.target ?? null, group: input.group ?? null, seed });
  const floor = evaluateFloor(reference);
  const context = settingsContext(parts.train, reference.classColumn);
  const space = settingsSpace(context);
  const preset = GATE_PRESETS[input.gates];
  const rows = input.rows ?? real.rowCount;
  const setup: CalibrationSetup = {
    rows: { real: real.rowCount, train: parts.train.rowCount, holdout: parts.holdout.rowCount, synthetic: rows },
    space,
    context,
    preset,
    floor,
    floorUtility: utility(floor),
    reference,
  };
  yield { kind: 'setup', setup };

  const floorOf = (metric: MetricKey) => floor[metric].value;
  const failuresOf = (e: Evaluation) => failureGroups(e.gates.gates, floorOf);
  const strategyContext: StrategyContext = { space, context, defaults: defaultSettings(context), preset, budget, seed, failuresOf };
  const strategy = createStrategy(input.strategy, strategyContext);
  const request = { reference, context, preset, rows, seed };
  const evaluations: Evaluation[] = [];
  let best: { evaluation: Evaluation; table: GeneratedTable } | null = null;
  let stopped: CalibrationResult['stopped'] = 'budget';
  while (evaluations.length < budget) {
    const proposal = strategy.next(evaluations);
    if (!proposal) {
      stopped = evaluations.length > 0 && evaluations[evaluations.length - 1].gates.all_green ? 'all_green' : 'no_rule_left';
      break;
    }
    const started = Date.now();
    const done = evaluateSettings(request, evaluations.length + 1, { ...proposal, params: canonicalSettings(space, proposal.params, strategyContext.defaults) });
    evaluations.push(done.evaluation);
    const isBest = best === null || isBetter(done.evaluation, best.evaluation);
    if (isBest) best = done;
    yield { kind: 'evaluation', evaluation: done.evaluation, isBest, milliseconds: Date.now() - started };
  }
  if (!best) throw new Error('the calibration made no evaluation');
  const failures = diagnose(best.evaluation, evaluations, { space, context, preset, seed, failuresOf });
  return { ...setup, strategy: input.strategy, budget, seed, evaluations, best: best.evaluation, table: best.table, failures, stopped };
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
