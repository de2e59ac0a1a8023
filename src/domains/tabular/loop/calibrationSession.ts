import type { ParameterSet } from '../../../engine/space/space';
import { GATE_PRESETS, type GatePresetName } from '../gates';
import type { GeneratedTable } from '../generators/generatedTable';
import type { MetricKey } from '../metrics/keys';
import { evaluateFloor, prepareReference } from '../metrics/suite';
import { splitRows, splitTable } from '../split';
import { TabularInputError } from '../tabularInputError';
import { columnIndex, type Table } from '../table';
import { utility } from '../utility';
import type { Constraints } from '../constraints/types';
import { diagnose, type Failure } from './diagnose';
import { evaluateSettings, type Evaluation, type EvaluationOrigin, type TrainingProgress } from './evaluation';
import { isBetter } from './selection';
import { failureGroups } from './failureTypes';
import { createStrategy, type Proposal, type StrategyContext, type StrategyName } from './strategies';
import { canonicalSettings, defaultSettings, GENERATOR_NAMES, settingsContext, settingsSpace, type GeneratorName } from './settingsSpace';
import type { CalibrationSetup } from './runCalibration';

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
  /** The generators searched (default all of GENERATOR_NAMES, in that order). */
  generators?: readonly GeneratorName[];
}

export const DEFAULT_BUDGET = 24;

/** Why a calibration stopped: the budget, the rules loop at all green or out of rules, or the user (a page's Stop). */
export type CalibrationStop = 'budget' | 'all_green' | 'no_rule_left' | 'user';

/** One evaluation made by a session, with its synthetic table. */
export interface SessionStep {
  evaluation: Evaluation;
  table: GeneratedTable;
  /** Whether it is the best of the history it extends (isBetter). */
  isBest: boolean;
}

export interface CalibrationSession {
  readonly setup: CalibrationSetup;
  readonly strategy: StrategyName;
  readonly budget: number;
  readonly seed: number;
  /**
   * The next evaluation after `history` (the evaluations made so far, in order, by this session or by an
   * earlier one over the same input: a stopped or reloaded calibration resumes from its stored history),
   * or why there is none.
   */
  next(history: readonly Evaluation[], onTraining?: TrainingProgress): SessionStep | { stopped: CalibrationStop };
  /** An evaluation of settings chosen outside the strategy (a diagnosis's suggestion the user runs), after `history`. */
  evaluate(history: readonly Evaluation[], proposal: { params: ParameterSet; origin: EvaluationOrigin; note: string | null }, onTraining?: TrainingProgress): SessionStep;
  /** The best evaluation of a history (the selection rule of evaluation.ts). */
  best(history: readonly Evaluation[]): Evaluation | null;
  /** The synthetic table of an evaluation of this session, made again (evaluations are deterministic); `rows` overrides the count. */
  tableOf(evaluation: Evaluation, rows?: number): GeneratedTable;
  /** The diagnosis of an evaluation that is not all green, against the history: failure types, causes, the model's suggestions. */
  diagnose(evaluation: Evaluation, history: readonly Evaluation[]): Failure[];
}

/**
 * A calibration opened for stepping: the seeded split of the real table (stratified by the group, else
 * the target), the metrics' reference on train and their floor on the holdout, the settings space and
 * the strategy. Each `next` makes one evaluation from the history it is given, so the history can live
 * anywhere (memory for the command line, IndexedDB in the page) and a calibration stopped at any
 * evaluation resumes with the same evaluations an uninterrupted one makes. Deterministic for its input.
 */
export function openCalibration(input: CalibrationInput): CalibrationSession {
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
  const generators = input.generators ?? GENERATOR_NAMES;
  const unknown = generators.filter((g) => !GENERATOR_NAMES.includes(g));
  if (generators.length === 0 || unknown.length > 0) throw new Error(`the generators to search must be some of ${GENERATOR_NAMES.join(', ')}, got "${generators.join(',')}"`);
  const context = settingsContext(parts.train, reference.classColumn, generators);
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
  const floorOf = (metric: MetricKey) => floor[metric].value;
  const failuresOf = (e: Evaluation) => failureGroups(e.gates.gates, floorOf);
  const strategyContext: StrategyContext = { space, context, defaults: defaultSettings(context), preset, budget, seed, failuresOf };
  const strategy = createStrategy(input.strategy, strategyContext);
  const request = { reference, context, preset, rows, seed };
  const bestOf = (history: readonly Evaluation[]) => history.reduce<Evaluation | null>((b, e) => (b === null || isBetter(e, b) ? e : b), null);
  function evaluateAfter(history: readonly Evaluation[], proposal: Proposal, onTraining?: TrainingProgress): SessionStep {
    const done = evaluateSettings(request, history.length + 1, { ...proposal, params: canonicalSettings(space, proposal.params, strategyContext.defaults) }, onTraining);
    const best = bestOf(history);
    return { ...done, isBest: best === null || isBetter(done.evaluation, best) };
  }

  return {
    setup,
    strategy: input.strategy,
    budget,
    seed,
    next(history, onTraining) {
      if (history.length >= budget) return { stopped: 'budget' };
      const proposal = strategy.next(history);
      if (!proposal) return { stopped: history.length > 0 && history[history.length - 1].gates.all_green ? 'all_green' : 'no_rule_left' };
      return evaluateAfter(history, proposal, onTraining);
    },
    evaluate: evaluateAfter,
    best: bestOf,
    tableOf(evaluation, rowCount) {
      const { origin, note, params, predicted } = evaluation;
      return evaluateSettings({ ...request, rows: rowCount ?? rows }, evaluation.index, { origin, note, params, predicted }).table;
    },
    diagnose: (evaluation, history) => diagnose(evaluation, history, { space, context, preset, seed, failuresOf }),
  };
}
