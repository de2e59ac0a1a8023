import { resolve } from 'node:path';
import {
  calibrateTable,
  calibrationReport,
  decodeTableText,
  describeSettings,
  formatTable,
  GATE_PRESET_NAMES,
  GENERATOR_NAMES,
  NO_CONSTRAINTS,
  parseConstraints,
  readTable,
  reportJson,
  searchedGenerators,
  shortNumber,
  STRATEGY_NAMES,
  TabularInputError,
  validateConstraints,
  type CalibrationEvent,
  type Constraints,
  type Evaluation,
  type GatePresetName,
  type GeneratorName,
  type StrategyName,
  type Table,
} from '../domains/tabular';
import { parse, positiveInteger, readInput, required, UsageError, type Io, type Values } from './args';
import { checkOutputFolder, writeOutputs } from './writeOutputs';

export const TABULAR_USAGE = `  tabular REAL.csv --out SYNTH.csv --report REPORT.json [--constraints C.yaml] [--rows N] [--budget 24]
          [--gates seed003_adjusted|seed003_original|all_green] [--strategy bo|rules|random] [--seed S]
          [--holdout-share 0.2] [--target COL] [--group COL] [--generators jitter,gaussian_copula,vae]
          [--spreadsheet-safe]  (text cells starting =, +, -, @, tab or CR get a leading ' in SYNTH.csv)
          (exit 0 all green; 3 not all green: the best attempt is written, "all_green": false in the report)`;

const OPTIONS = {
  out: { type: 'string' },
  report: { type: 'string' },
  constraints: { type: 'string' },
  rows: { type: 'string' },
  budget: { type: 'string' },
  gates: { type: 'string' },
  strategy: { type: 'string' },
  seed: { type: 'string' },
  'holdout-share': { type: 'string' },
  target: { type: 'string' },
  group: { type: 'string' },
  generators: { type: 'string' },
  'spreadsheet-safe': { type: 'boolean' },
} as const;

function oneOf<T extends string>(values: Values, name: string, choices: readonly T[], fallback: T): T {
  const v = values[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got "${String(v)}"`);
  return v as T;
}

function share(values: Values): number {
  const v = values['holdout-share'];
  if (v === undefined) return 0.2;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !(n > 0 && n < 1)) throw new UsageError(`--holdout-share must be a number strictly between 0 and 1, got "${String(v)}"`);
  return n;
}

/** --generators: a comma-separated subset of GENERATOR_NAMES (default all of them). */
function generatorList(values: Values): GeneratorName[] {
  const v = values.generators;
  if (v === undefined) return [...GENERATOR_NAMES];
  const names = typeof v === 'string' ? v.split(',').map((s) => s.trim()) : [];
  const unknown = names.filter((n) => !(GENERATOR_NAMES as readonly string[]).includes(n));
  if (names.length === 0 || names.includes('') || unknown.length > 0) throw new UsageError(`--generators must list some of ${GENERATOR_NAMES.join(', ')} separated by commas, got "${String(v)}"`);
  return GENERATOR_NAMES.filter((g) => names.includes(g));
}

function optionalColumn(values: Values, name: string): string | null {
  const v = values[name];
  if (v === undefined) return null;
  if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`--${name} needs a column name`);
  return v;
}

/** The real table, its --target and --group columns checked against the header and given their roles. */
function readReal(text: string, file: string, target: string | null, group: string | null): Table {
  const plain = readTable(text, file);
  const names = plain.columns.map((c) => c.name);
  for (const [flag, name] of [['--target', target], ['--group', group]] as const) {
    if (name !== null && !names.includes(name)) throw new TabularInputError(file, `${flag} names this column, which the header does not have (it has ${names.join(', ')})`, { column: name });
  }
  const roles: Record<string, 'target' | 'group'> = {};
  if (target !== null) roles[target] = 'target';
  if (group !== null) roles[group] = 'group';
  return readTable(text, file, { roles });
}

function failedText(e: Evaluation): string {
  const failed = e.gates.gates.filter((g) => g.pass === false);
  if (failed.length === 0) return 'all green';
  return failed.map((g) => `${g.metric} ${shortNumber(g.value as number)} ${g.op === '<=' ? '>' : g.op === '>=' ? '<' : '≠'} ${shortNumber(g.threshold)}`).join(', ');
}

function progress(io: Io, budget: number, strategy: StrategyName, gates: GatePresetName, seed: number) {
  const width = String(budget).length;
  return (event: CalibrationEvent) => {
    if (event.kind === 'setup') {
      const { rows, context, floorUtility } = event.setup;
      io.err(`calibrate: tabular: ${rows.real} real rows (train ${rows.train}, holdout ${rows.holdout}), ${rows.synthetic} synthetic rows per evaluation; strategy ${strategy}, budget ${budget}, gates ${gates}, seed ${seed}\n`);
      io.err(`calibrate: generators ${searchedGenerators(context).join(', ')}; class column ${context.classColumn ?? 'none'}; the holdout's utility (the floor) ${floorUtility === null ? 'n/a' : shortNumber(floorUtility)}\n`);
      return;
    }
    const e = event.evaluation;
    const utility = e.utility === null ? 'n/a' : e.utility.toFixed(4);
    const note = e.note ? ` [${e.note}]` : e.origin === 'model' && e.predicted ? ` [predicted utility ${e.predicted.utility.toFixed(3)}, P(all green) ${e.predicted.p_all_green.toFixed(2)}]` : ` [${e.origin}]`;
    io.err(
      `calibrate: [${String(e.index).padStart(width)}/${budget}] ${describeSettings(e.params)}: utility ${utility}, ${e.passed}/${e.applicable} gates (${failedText(e)})${note} ${(event.milliseconds / 1000).toFixed(2)} s${event.isBest ? ' *' : ''}\n`,
    );
  };
}

/**
 * `calibrate tabular REAL.csv --out SYNTH.csv --report REPORT.json …`: calibrates the generators'
 * settings on a real table and writes the best synthetic table and the report. Every input is read and
 * checked before the first evaluation, and nothing is written on bad input (exit 2, the message naming
 * the file, row, column or constraint). Exit 0 when the written table is all green under the chosen
 * gates, 3 when it is not (it is the best attempt, and the report says "all_green": false and why).
 * Progress goes to stderr, one line per evaluation; stdout stays empty.
 */
export async function tabular(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, OPTIONS, { min: 1, max: 1, names: 'one REAL.csv table' });
  const [realPath] = positionals;
  const outPath = required(values, 'out');
  const reportPath = required(values, 'report');
  const constraintsPath = typeof values.constraints === 'string' ? values.constraints : null;
  const rows = positiveInteger(values, 'rows');
  const budget = positiveInteger(values, 'budget', 24) as number;
  const seed = positiveInteger(values, 'seed', 0) as number;
  const gates = oneOf(values, 'gates', GATE_PRESET_NAMES, 'seed003_adjusted');
  const strategy = oneOf(values, 'strategy', STRATEGY_NAMES, 'bo');
  const holdoutShare = share(values);
  const target = optionalColumn(values, 'target');
  const group = optionalColumn(values, 'group');
  const generators = generatorList(values);
  if (target !== null && target === group) throw new UsageError(`--target and --group name the same column "${target}"; a table has one of each at most`);
  const paths = [realPath, outPath, reportPath, constraintsPath].filter((p): p is string => p !== null).map((p) => resolve(p));
  if (paths[1] === paths[2]) throw new UsageError('--out and --report name the same file');
  if (paths.slice(1, 3).some((p) => p === paths[0] || (constraintsPath !== null && p === paths[3]))) throw new UsageError('--out and --report must not name an input file');
  await checkOutputFolder(outPath, '--out');
  await checkOutputFolder(reportPath, '--report');

  const real = readReal(decodeTableText(await readInput(realPath), realPath), realPath, target, group);
  let constraints: Constraints = NO_CONSTRAINTS;
  if (constraintsPath !== null) {
    const parsed = parseConstraints(decodeTableText(await readInput(constraintsPath), constraintsPath), constraintsPath);
    constraints = validateConstraints(parsed, real, constraintsPath).constraints;
  }

  const result = calibrateTable({ real, constraints, gates, strategy, budget, seed, rows, holdoutShare, target, group, generators }, progress(io, budget, strategy, gates, seed));
  const report = calibrationReport(result, { input: realPath, constraints: constraintsPath, target, group });
  await writeOutputs([
    // Plain by default (it reads back to the same table); --spreadsheet-safe for a file opened in a spreadsheet.
    { path: outPath, text: formatTable(result.table.table, { spreadsheetSafe: values['spreadsheet-safe'] === true }) },
    { path: reportPath, text: reportJson(report) },
  ]);
  const best = result.best;
  const what = `evaluation ${best.index} of ${result.evaluations.length} (${describeSettings(best.params)}), utility ${best.utility === null ? 'n/a' : best.utility.toFixed(4)}`;
  if (best.gates.all_green) {
    io.err(`calibrate: all green: ${what}; wrote ${outPath} (${result.table.table.rowCount} rows) and ${reportPath}\n`);
    return 0;
  }
  io.err(`calibrate: not all green: the best attempt is ${what}, failing ${failedText(best)}; wrote it to ${outPath} and ${reportPath} ("all_green": false; its "failures" say why and what to try)\n`);
  for (const f of result.failures) io.err(`calibrate: ${f.type}: ${f.cause}\ncalibrate:   suggestion: ${f.suggestion}\n`);
  return 3;
}
