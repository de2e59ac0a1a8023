import type { ParameterSet, ParameterSpace } from '../../engine/space/space';
import type { ProgressCallback } from '../../engine/progress';
import { parseConstraints } from './constraints/parseConstraints';
import { NO_CONSTRAINTS, type Constraints } from './constraints/types';
import { validateConstraints } from './constraints/validateConstraints';
import { detectSumGroups, type SumGroupOffer } from './constraints/detectSumGroups';
import { decodeTableText } from './csv/decodeText';
import { detectDelimiter } from './csv/delimiter';
import { readTable } from './csv/readTable';
import { formatTable } from './csv/writeTable';
import type { GatePresetName } from './gates';
import { METRIC_KEYS, type MetricKey } from './metrics/keys';
import { openCalibration, type CalibrationSession, type CalibrationStop } from './loop/calibrationSession';
import type { Failure } from './loop/diagnose';
import type { Evaluation, TrainingProgress } from './loop/evaluation';
import { calibrationReport } from './loop/report';
import { reportHtml } from './loop/reportHtml';
import type { GeneratorName } from './loop/settingsSpace';
import type { StrategyName } from './loop/strategies';
import { summarizeColumns, type ColumnSummary } from './review/columnSummary';
import { isNumeric, type ColumnRole, type ColumnType, type Table } from './table';
import { fitRowMap, type RowMap } from './views/rowMap';
import { lookData, type LookData } from './views/lookData';

/**
 * What the page asks of a real table, in one place: the tabular worker hosts a TabularWorkbench, and Node
 * tests and the command line can call the same one in-process. Inputs and outputs are plain data (they
 * cross a worker boundary); the parsed table and the open calibration stay here, cached by key, so a
 * calibration's next evaluation does not parse the file again.
 */

/** The real table as the user gave it. */
export interface TableSource {
  file: string;
  bytes: Uint8Array;
}

/** The user's choices over the inferred reading: type overrides and roles, by header name. */
export interface TableChoices {
  types: Readonly<Record<string, ColumnType>>;
  roles: Readonly<Record<string, ColumnRole>>;
}

export interface ReviewedColumn {
  name: string;
  type: ColumnType;
  role: ColumnRole;
  numeric: boolean;
}

/** What the review step shows: the columns as read, their summaries, and a sum group to offer. */
export interface TableReview {
  file: string;
  rowCount: number;
  delimiter: string;
  columns: ReviewedColumn[];
  summaries: ColumnSummary[];
  offer: SumGroupOffer | null;
}

/** A calibration's run settings, as the user chooses them. */
export interface CalibrationSettings {
  gates: GatePresetName;
  strategy: StrategyName;
  budget: number;
  seed: number;
  /** Rows of each synthetic table; null: the real row count. */
  rows: number | null;
  holdoutShare: number;
  /** The generators searched (some of GENERATOR_NAMES). */
  generators: GeneratorName[];
}

/** Everything that determines a calibration: the table, how it is read, its constraints and the run's settings. */
export interface CalibrationSpec extends CalibrationSettings {
  source: TableSource;
  choices: TableChoices;
  /** The constraints YAML (empty: none) and the name messages give it. */
  constraints: string;
  constraintsFile: string;
}

/** The fixed facts of an open calibration, for the page's table of evaluations. */
export interface CalibrationFacts {
  rows: { real: number; train: number; holdout: number; synthetic: number };
  space: ParameterSpace;
  classColumn: string | null;
  gates: GatePresetName;
  /** Every metric's holdout floor (null where it does not apply). */
  floor: Record<MetricKey, number | null>;
  floorUtility: number | null;
}

export type StepOutcome = { evaluation: Evaluation; isBest: boolean } | { stopped: CalibrationStop };

export interface CalibrationReport {
  json: ReturnType<typeof calibrationReport>;
  html: string;
}

const roleOf = (choices: TableChoices, role: ColumnRole) => Object.entries(choices.roles).find(([, r]) => r === role)?.[0] ?? null;

/** The table of a source read with the user's choices (throws TabularInputError naming the file, row and column). */
export function readSource(source: TableSource, choices: TableChoices): Table {
  const text = decodeTableText(source.bytes, source.file);
  return readTable(text, source.file, { types: choices.types, roles: choices.roles });
}

/** The constraints of a YAML text, checked against the real rows (throws TabularInputError naming the constraint). */
export function checkConstraints(table: Table, yaml: string, file: string): Constraints {
  const constraints = yaml.trim() === '' ? NO_CONSTRAINTS : parseConstraints(yaml, file);
  validateConstraints(constraints, table, file);
  return constraints;
}

/**
 * Whether two sources hold the same file: the same name and bytes. A source crosses the worker boundary
 * as a copy at every call, so identity says nothing; comparing the bytes (a few milliseconds for tens of
 * megabytes) spares parsing the table again (seconds).
 */
function sameSource(a: TableSource, b: TableSource): boolean {
  if (a.bytes === b.bytes) return a.file === b.file;
  if (a.file !== b.file || a.bytes.length !== b.bytes.length) return false;
  const n = a.bytes.length;
  const aligned = a.bytes.byteOffset % 4 === 0 && b.bytes.byteOffset % 4 === 0;
  const words = aligned ? n >> 2 : 0;
  if (words > 0) {
    const x = new Uint32Array(a.bytes.buffer, a.bytes.byteOffset, words);
    const y = new Uint32Array(b.bytes.buffer, b.bytes.byteOffset, words);
    for (let i = 0; i < words; i++) if (x[i] !== y[i]) return false;
  }
  for (let i = words << 2; i < n; i++) if (a.bytes[i] !== b.bytes[i]) return false;
  return true;
}

interface OpenCalibration {
  spec: CalibrationSpec;
  session: CalibrationSession;
  map: RowMap | null;
}

/** How many open calibrations a workbench keeps (the open experiment and one more). */
const KEPT_CALIBRATIONS = 2;

/** A stage of reading a table for review, for a progress bar (done of total stages). */
export interface ReviewProgress {
  stage: 'read' | 'summarise' | 'detect';
  done: number;
  total: number;
}

export class TabularWorkbench {
  private readonly open = new Map<string, OpenCalibration>();
  private lastRead: { source: TableSource; choices: string; table: Table; delimiter: string } | null = null;

  private read(source: TableSource, choices: TableChoices): { table: Table; delimiter: string } {
    const key = JSON.stringify(choices);
    const last = this.lastRead;
    if (last && last.choices === key && sameSource(last.source, source)) return last;
    const text = decodeTableText(source.bytes, source.file);
    const table = readTable(text, source.file, { types: choices.types, roles: choices.roles });
    const delimiter = detectDelimiter((text.startsWith('\uFEFF') ? text.slice(1) : text).replace(/\r\n?/g, '\n'));
    this.lastRead = { source, choices: key, table, delimiter };
    return this.lastRead;
  }

  private table(source: TableSource, choices: TableChoices): Table {
    return this.read(source, choices).table;
  }

  /** The review of a table read with the user's choices; `onProgress` hears each stage as it starts. */
  review(source: TableSource, choices: TableChoices, onProgress?: (progress: ReviewProgress) => void): TableReview {
    onProgress?.({ stage: 'read', done: 0, total: 3 });
    const { table, delimiter } = this.read(source, choices);
    onProgress?.({ stage: 'summarise', done: 1, total: 3 });
    const summaries = summarizeColumns(table);
    onProgress?.({ stage: 'detect', done: 2, total: 3 });
    const offer = detectSumGroups(table);
    return {
      file: source.file,
      rowCount: table.rowCount,
      delimiter,
      columns: table.columns.map((c) => ({ name: c.name, type: c.type, role: c.role, numeric: isNumeric(c) })),
      summaries,
      offer,
    };
  }

  /** Why the constraints YAML cannot be used with this table (its parse or the first real row that breaks it), or null. */
  constraintsProblem(source: TableSource, choices: TableChoices, yaml: string, file: string): string | null {
    try {
      checkConstraints(this.table(source, choices), yaml, file);
      return null;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }

  has(key: string): boolean {
    return this.open.has(key);
  }

  /** Opens (or reopens) the calibration of a spec under a key: reads the table, checks the constraints, splits and fixes the floors. */
  openCalibration(key: string, spec: CalibrationSpec): CalibrationFacts {
    const table = this.table(spec.source, spec.choices);
    const constraints = checkConstraints(table, spec.constraints, spec.constraintsFile);
    const session = openCalibration({
      real: table,
      constraints,
      gates: spec.gates,
      strategy: spec.strategy,
      budget: spec.budget,
      seed: spec.seed,
      ...(spec.rows !== null ? { rows: spec.rows } : {}),
      holdoutShare: spec.holdoutShare,
      generators: spec.generators,
      target: roleOf(spec.choices, 'target'),
      group: roleOf(spec.choices, 'group'),
    });
    this.open.delete(key);
    this.open.set(key, { spec, session, map: null });
    while (this.open.size > KEPT_CALIBRATIONS) this.open.delete(this.open.keys().next().value as string);
    return this.facts(key);
  }

  private calibration(key: string): OpenCalibration {
    const open = this.open.get(key);
    if (!open) throw new Error(`no calibration is open under "${key}" (open it first)`);
    return open;
  }

  facts(key: string): CalibrationFacts {
    const { session, spec } = this.calibration(key);
    const { setup } = session;
    return {
      rows: setup.rows,
      space: setup.space,
      classColumn: setup.context.classColumn,
      gates: spec.gates,
      floor: Object.fromEntries(METRIC_KEYS.map((k) => [k, setup.floor[k].applicable ? setup.floor[k].value : null])) as Record<MetricKey, number | null>,
      floorUtility: setup.floorUtility,
    };
  }

  /** The strategy's next evaluation after `history`, or why there is none; `onTraining` hears a VAE's training passes. */
  next(key: string, history: readonly Evaluation[], onTraining?: TrainingProgress): StepOutcome {
    const step = this.calibration(key).session.next(history, onTraining);
    return 'stopped' in step ? step : { evaluation: step.evaluation, isBest: step.isBest };
  }

  /** An evaluation of settings the user chose (a diagnosis's suggestion), after `history`. */
  evaluate(key: string, history: readonly Evaluation[], params: ParameterSet, note: string, onTraining?: TrainingProgress): StepOutcome {
    const step = this.calibration(key).session.evaluate(history, { params, origin: 'suggestion', note }, onTraining);
    return { evaluation: step.evaluation, isBest: step.isBest };
  }

  /** The diagnosis of evaluation `index` against the history. */
  diagnose(key: string, history: readonly Evaluation[], index: number): Failure[] {
    const evaluation = history.find((e) => e.index === index);
    if (!evaluation) throw new Error(`there is no evaluation ${index}`);
    return evaluation.gates.all_green ? [] : this.calibration(key).session.diagnose(evaluation, history);
  }

  /** The plots' data of evaluation `index`: its table made again against train and holdout. */
  look(key: string, history: readonly Evaluation[], index: number): LookData {
    const open = this.calibration(key);
    const evaluation = history.find((e) => e.index === index);
    if (!evaluation) throw new Error(`there is no evaluation ${index}`);
    const { train, holdout } = open.session.setup.reference;
    open.map ??= fitRowMap(train, holdout);
    return lookData({ train, holdout, synthetic: open.session.tableOf(evaluation).table, evaluations: history, map: open.map, bestIndex: index });
  }

  /** Evaluation `index`'s synthetic table as CSV, with `rows` rows (default: as evaluated). */
  syntheticCsv(key: string, history: readonly Evaluation[], index: number, options: { rows?: number; spreadsheetSafe?: boolean } = {}): string {
    const evaluation = history.find((e) => e.index === index);
    if (!evaluation) throw new Error(`there is no evaluation ${index}`);
    const table = this.calibration(key).session.tableOf(evaluation, options.rows).table;
    return formatTable(table, { spreadsheetSafe: options.spreadsheetSafe ?? false });
  }

  /** The report of the calibration so far: the command line's keys as JSON, and the same as an HTML page. */
  report(key: string, history: readonly Evaluation[], stopped: CalibrationStop, name: string): CalibrationReport {
    const { session, spec } = this.calibration(key);
    const best = session.best(history);
    if (!best) throw new Error('the calibration has no evaluation yet');
    const result = {
      ...session.setup,
      strategy: session.strategy,
      budget: session.budget,
      seed: session.seed,
      evaluations: [...history],
      best,
      table: session.tableOf(best),
      failures: best.gates.all_green ? [] : session.diagnose(best, history),
      stopped,
    };
    const json = calibrationReport(result, {
      input: spec.source.file,
      constraints: spec.constraints.trim() === '' ? null : spec.constraintsFile,
      target: roleOf(spec.choices, 'target'),
      group: roleOf(spec.choices, 'group'),
    });
    return { json, html: reportHtml(json, { title: name }) };
  }
}

/** A VAE's training passes as a job's progress, stage 'train' (what the page's training bar reads). */
export function trainingReporter(onProgress?: ProgressCallback): TrainingProgress | undefined {
  return onProgress ? (epoch, epochs) => onProgress({ stage: 'train', done: epoch, total: epochs }) : undefined;
}
