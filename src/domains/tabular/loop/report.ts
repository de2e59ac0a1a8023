import { METRIC_KEYS, type MetricKey } from '../metrics/keys';
import type { Failure } from './diagnose';
import type { Evaluation } from './evaluation';
import { SELECTION_RULE } from './selection';
import type { CalibrationResult } from './runCalibration';
import { searchedGenerators, type GeneratorName } from './settingsSpace';

/**
 * REPORT.json of a calibration: the winner's generator, settings, metrics with their holdout floors and
 * gates, whether it is all green, the diagnosis of its failures, and every evaluation in order. Plain
 * data; numbers are as computed, and a non-finite one (class_balance_ratio is Infinity when a class is
 * lost) is written by reportJson as the string "Infinity", "-Infinity" or "NaN" — JSON has no such
 * numbers, and Python's float() reads those strings back.
 */
export interface ReportInput {
  /** The real table's file, as given. */
  input: string;
  constraints: string | null;
  target: string | null;
  group: string | null;
}

function metricEntry(result: CalibrationResult, e: Evaluation, key: MetricKey) {
  const m = e.metrics[key];
  const entry: Record<string, unknown> = { value: m.value, floor: result.floor[key].value, applicable: m.applicable };
  if (m.spread !== undefined) entry.spread = m.spread;
  return entry;
}

function evaluationEntry(e: Evaluation) {
  return {
    index: e.index,
    origin: e.origin,
    note: e.note,
    generator: e.generator,
    settings: e.settings,
    utility: e.utility,
    all_green: e.gates.all_green,
    gates_passed: e.passed,
    gates_applicable: e.applicable,
    shortfall: e.shortfall,
    failed: e.gates.gates.filter((g) => g.pass === false).map((g) => g.metric),
    predicted: e.predicted,
    metrics: Object.fromEntries(METRIC_KEYS.map((key) => [key, e.metrics[key].value])),
  };
}

function failureEntry(f: Failure) {
  return { type: f.type, cause: f.cause, suggestion: f.suggestion, gates: f.gates, suggested: f.suggested };
}

export function calibrationReport(result: CalibrationResult, input: ReportInput) {
  const best = result.best;
  return {
    input: input.input,
    constraints: input.constraints,
    target: input.target,
    group: input.group,
    class_column: result.context.classColumn,
    strategy: result.strategy,
    generators: searchedGenerators(result.context),
    budget: result.budget,
    seed: result.seed,
    generator: best.generator,
    settings: best.settings,
    gates_preset: result.preset.name,
    rows: result.rows,
    all_green: best.gates.all_green,
    best_evaluation: best.index,
    selection: SELECTION_RULE,
    stopped: result.stopped,
    utility: { value: best.utility, floor: result.floorUtility },
    metrics: Object.fromEntries(METRIC_KEYS.map((key) => [key, metricEntry(result, best, key)])),
    gates: best.gates.gates.map((g) => ({ metric: g.metric, op: g.op, threshold: g.threshold, value: g.value, pass: g.pass, floor: result.floor[g.metric].value })),
    failures: result.failures.map(failureEntry),
    evaluations: result.evaluations.map(evaluationEntry),
    generators_searched: [...searchedGenerators(result.context)],
    notes: [
      `Generators searched: ${generatorsText(searchedGenerators(result.context))}.`,
      'Every metric compares the synthetic table with train; its floor is the same metric for the holdout against train.',
      'Non-finite numbers are written as the strings "Infinity", "-Infinity" and "NaN".',
    ],
  };
}

const GENERATOR_TEXT: Readonly<Record<GeneratorName, string>> = {
  jitter: 'jitter (a train row plus noise)',
  gaussian_copula: 'the Gaussian copula',
  vae: 'a tabular VAE (tfjs, trained on train for each evaluation; docs/tabular.md)',
};

function generatorsText(generators: readonly GeneratorName[]): string {
  const texts = generators.map((g) => GENERATOR_TEXT[g]);
  return texts.length < 2 ? texts.join('') : `${texts.slice(0, -1).join(', ')} and ${texts[texts.length - 1]}`;
}

/** JSON with non-finite numbers spelled as strings (see calibrationReport), two-space indented, one trailing newline. */
export function reportJson(report: unknown): string {
  return `${JSON.stringify(report, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : value), 2)}\n`;
}
