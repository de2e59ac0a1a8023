/**
 * npm run bench:tabular — the tabular calibration's strategies side by side on the four real tables of
 * tests/fixtures/tabular: constrained BO (`bo`), the same BO with the tabular VAE left out of its space
 * (`bo_no_vae`: jitter and the Gaussian copula only — does the VAE help the search or cost it?), the
 * users' rule-based retry loop (`rules`), random search (`random`) and Optuna's TPE with
 * constraints_func (`optuna_tpe`, Debian's /usr/bin/python3, skipped with a message when it cannot
 * import optuna), each with the same budget (24 evaluations), the same seeds, the same evaluation
 * (generate, project, measure against train, gate: loop/evaluation.ts), under the `all_green` and
 * `seed003_original` presets (under `seed003_adjusted` the users' defaults pass at the first evaluation
 * on every table, so every strategy that starts there ties).
 *
 * `bo`, `rules` and `random` are runCalibration itself, stepped; `bo_no_vae` is the same loop with the
 * settings context built without the VAE (settingsContext's `generators`), and Optuna gets what bo
 * gets: the same space (the VAE's settings included), the users' defaults as its first trial, the bo
 * strategy's initial count as its random start-up trials, −utility to minimise and the gates'
 * constraint values (c ≤ 0 passes). Every strategy's settings go through canonicalSettings.
 *
 * Per run: whether some evaluation was all green, the index of the first all-green one and the wall
 * time until it was made (from the calibration's start: split, reference and floor included, proposals
 * included), the best utility among the all-green tables, the evaluations that ran the VAE and their
 * time, and the run's wall time. Per table, preset and strategy: the share of runs all green within the
 * budget, the mean and median of the best all-green utility (over the runs that got one), the median
 * evaluations and seconds to the first all-green table, the median seconds a run took and the VAE's
 * share of the evaluations.
 *
 * Options: --seeds N (default 10), --seed-start S (0: seeds S … S+N−1), --budget N (24), --tables a,b, --presets a,b, --methods a,b,
 * --out NAME (default tabular: writes bench/results/NAME.json, and NAME_runs.json after every run, seeds
 * outermost), --from-runs a.json,b.json (no runs: aggregate the run files of earlier invocations — parts
 * run side by side, or a bench stopped after some seeds; their whole seeds only — into NAME and NAME_runs.json).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  canonicalSettings,
  defaultSettings,
  evaluateSettings,
  failureGroups,
  initialCount,
  modelledGates,
  parseConstraints,
  readTable,
  runCalibration,
  settingsContext,
  settingsSpace,
  toObservations,
  validateConstraints,
  type CalibrationInput,
  type CalibrationSetup,
  type Evaluation,
  type GatePresetName,
  type StrategyName,
} from '../src/domains/tabular';
import { createStrategy } from '../src/domains/tabular/loop/strategies';
import { machineInfo, printTable, writeBenchResult, type Figure, type Row } from './lib/report';
import { PeerProcess, peerUnavailable, PYTHON, type PeerSpec } from './bo/peers';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '..', 'tests', 'fixtures', 'tabular');

interface TableSpec {
  name: string;
  file: string;
  constraints: string | null;
  target: string | null;
  group: string | null;
}

const TABLES: readonly TableSpec[] = [
  { name: 'glass', file: 'fgl.csv', constraints: 'fgl_constraints.yaml', target: null, group: 'type' },
  { name: 'birthwt', file: 'birthwt.csv', constraints: 'birthwt_constraints.yaml', target: 'bwt', group: null },
  { name: 'wine', file: 'wine.csv', constraints: null, target: 'target', group: null },
  { name: 'breast_cancer', file: 'breast_cancer.csv', constraints: null, target: 'target', group: null },
];
const PRESETS: readonly GatePresetName[] = ['all_green', 'seed003_original'];
const METHODS = ['bo', 'bo_no_vae', 'rules', 'random', 'optuna_tpe'] as const;
type Method = (typeof METHODS)[number];
const OPTUNA: PeerSpec = { method: 'optuna_tpe', script: 'optuna_tpe_constrained.py', requires: ['optuna'] };

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const seeds = Number(option('seeds', '10'));
const seedStart = Number(option('seed-start', '0'));
const budget = Number(option('budget', '24'));
const out = option('out', 'tabular');
const fromRuns = option('from-runs', '');
const tables = TABLES.filter((t) => option('tables', TABLES.map((x) => x.name).join(',')).split(',').includes(t.name));
const presets = option('presets', PRESETS.join(',')).split(',') as GatePresetName[];
let methods = option('methods', METHODS.join(',')).split(',') as Method[];

interface RunRecord {
  table: string;
  preset: GatePresetName;
  method: Method;
  seed: number;
  all_green: boolean;
  first_green: number | null;
  seconds_to_green: number | null;
  /** The highest utility among the run's all-green evaluations (the table the run writes). */
  green_utility: number | null;
  evaluations: number;
  vae_evaluations: number;
  vae_seconds: number;
  seconds: number;
}

function inputOf(t: TableSpec, preset: GatePresetName, seed: number, strategy: StrategyName): CalibrationInput {
  const real = readTable(readFileSync(join(fixtures, t.file), 'utf8'), t.file, { roles: { ...(t.target ? { [t.target]: 'target' } : {}), ...(t.group ? { [t.group]: 'group' } : {}) } });
  const constraints = t.constraints
    ? validateConstraints(parseConstraints(readFileSync(join(fixtures, t.constraints), 'utf8'), t.constraints), real, t.constraints).constraints
    : parseConstraints('', 'none');
  return { real, constraints, gates: preset, strategy, budget, seed, target: t.target, group: t.group };
}

/** An evaluation with the wall time from the calibration's start to its end, and its own time. */
interface Timed {
  evaluation: Evaluation;
  at: number;
  seconds: number;
}

function summarise(t: TableSpec, preset: GatePresetName, method: Method, seed: number, timed: readonly Timed[], seconds: number): RunRecord {
  const first = timed.find((x) => x.evaluation.gates.all_green) ?? null;
  const green = timed.filter((x) => x.evaluation.gates.all_green && x.evaluation.utility !== null).map((x) => x.evaluation.utility as number);
  const vae = timed.filter((x) => x.evaluation.generator === 'vae');
  return {
    table: t.name,
    preset,
    method,
    seed,
    all_green: first !== null,
    first_green: first?.evaluation.index ?? null,
    seconds_to_green: first?.at ?? null,
    green_utility: green.length ? Math.max(...green) : null,
    evaluations: timed.length,
    vae_evaluations: vae.length,
    vae_seconds: vae.reduce((s, x) => s + x.seconds, 0),
    seconds,
  };
}

/** runCalibration stepped to its end, each evaluation timed from the start. */
function runOurs(input: CalibrationInput, started: number): Timed[] {
  const timed: Timed[] = [];
  for (const event of runCalibration(input)) {
    if (event.kind === 'evaluation') timed.push({ evaluation: event.evaluation, at: (performance.now() - started) / 1000, seconds: event.milliseconds / 1000 });
  }
  return timed;
}

/** The setup runCalibration makes for an input (split, reference, floor, space), without evaluating anything. */
function setupOf(input: CalibrationInput): CalibrationSetup {
  const run = runCalibration(input);
  const first = run.next();
  if (first.done || first.value.kind !== 'setup') throw new Error('runCalibration did not start with its setup');
  run.return(undefined as never);
  return first.value.setup;
}

/** The loop of runCalibration with bo over a space without the VAE (its settings context built without it). */
function runBoWithoutVae(input: CalibrationInput, started: number): Timed[] {
  const setup = setupOf(input);
  const context = settingsContext(setup.reference.train, setup.context.classColumn, ['jitter', 'gaussian_copula']);
  const space = settingsSpace(context);
  const defaults = defaultSettings(context);
  const failuresOf = (e: Evaluation) => failureGroups(e.gates.gates, (metric) => setup.floor[metric].value);
  const strategy = createStrategy('bo', { space, context, defaults, preset: setup.preset, budget, seed: input.seed ?? 0, failuresOf });
  const request = { reference: setup.reference, context, preset: setup.preset, rows: setup.rows.synthetic, seed: input.seed ?? 0 };
  const timed: Timed[] = [];
  const history: Evaluation[] = [];
  while (history.length < budget) {
    const proposal = strategy.next(history);
    if (!proposal) break;
    const t = performance.now();
    const { evaluation } = evaluateSettings(request, history.length + 1, { ...proposal, params: canonicalSettings(space, proposal.params, defaults) });
    history.push(evaluation);
    timed.push({ evaluation, at: (performance.now() - started) / 1000, seconds: (performance.now() - t) / 1000 });
  }
  return timed;
}

/** Optuna's TPE driving the same evaluations: the loop of runCalibration with the peer as the strategy. */
async function runOptuna(peer: PeerProcess, input: CalibrationInput, started: number): Promise<Timed[]> {
  const setup = setupOf(input);
  const defaults = defaultSettings(setup.context);
  await peer.request({ op: 'start', space: setup.space.parameters, seed: input.seed, startup: initialCount(budget) - 1, enqueue: defaults });
  const request = { reference: setup.reference, context: setup.context, preset: setup.preset, rows: setup.rows.synthetic, seed: input.seed ?? 0 };
  const timed: Timed[] = [];
  const history: Evaluation[] = [];
  while (history.length < budget) {
    const asked = (await peer.request({ op: 'ask' })) as { params: Record<string, string | number> };
    const params = canonicalSettings(setup.space, asked.params, defaults);
    const t = performance.now();
    const { evaluation } = evaluateSettings(request, history.length + 1, { params, origin: 'model', note: null });
    history.push(evaluation);
    timed.push({ evaluation, at: (performance.now() - started) / 1000, seconds: (performance.now() - t) / 1000 });
    const observation = toObservations([evaluation], modelledGates(setup.preset, history))[0];
    await peer.request({ op: 'tell', value: observation.objective, constraints: observation.constraints });
  }
  return timed;
}

const median = (xs: number[]) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

async function runAll(): Promise<RunRecord[]> {
  const optunaMissing = methods.includes('optuna_tpe') ? peerUnavailable(OPTUNA) : null;
  if (optunaMissing) {
    console.error(`bench:tabular — skipping optuna_tpe: ${optunaMissing}`);
    methods = methods.filter((m) => m !== 'optuna_tpe');
  }
  const peer = methods.includes('optuna_tpe') ? new PeerProcess(OPTUNA) : null;
  const runs: RunRecord[] = [];
  const total = tables.length * presets.length * methods.length * seeds;
  console.error(`bench:tabular — ${tables.length} tables × ${presets.length} presets × ${methods.length} strategies × ${seeds} seeds = ${total} runs of ${budget} evaluations`);
  // Seeds outermost, and the runs written after each one: a bench stopped early leaves whole seeds to aggregate (--from-runs).
  const runsPath = join(here, 'results', `${out}_runs.json`);
  for (let seed = seedStart; seed < seedStart + seeds; seed++) {
    for (const t of tables) {
      for (const preset of presets) {
        for (const method of methods) {
          const started = performance.now();
          const timed =
            method === 'optuna_tpe'
              ? await runOptuna(peer as PeerProcess, inputOf(t, preset, seed, 'random'), started)
              : method === 'bo_no_vae'
                ? runBoWithoutVae(inputOf(t, preset, seed, 'bo'), started)
                : runOurs(inputOf(t, preset, seed, method), started);
          const record = summarise(t, preset, method, seed, timed, (performance.now() - started) / 1000);
          runs.push(record);
          writeFileSync(runsPath, JSON.stringify(runs, null, 2) + '\n');
          console.error(
            `  ${t.name} ${preset} ${method} seed ${seed}: ${record.all_green ? `all green at ${record.first_green} (${record.seconds_to_green?.toFixed(1)} s), best green utility ${record.green_utility?.toFixed(4)}` : 'not all green'} (${record.evaluations} evaluations, ${record.vae_evaluations} VAE, ${record.seconds.toFixed(1)} s)`,
          );
        }
      }
    }
  }
  peer?.close();
  return runs;
}

function aggregate(runs: RunRecord[]): void {
  const tableNames = [...new Set(runs.map((r) => r.table))];
  const presetNames = [...new Set(runs.map((r) => r.preset))];
  const methodNames = METHODS.filter((m) => runs.some((r) => r.method === m));
  const seedCounts = [...new Set(tableNames.map((t) => new Set(runs.filter((r) => r.table === t).map((r) => r.seed)).size))];
  const seedText = seedCounts.length === 1 ? `${seedCounts[0]} seeds` : tableNames.map((t) => `${t} ${new Set(runs.filter((r) => r.table === t).map((r) => r.seed)).size}`).join(', ') + ' seeds';
  const rows: Row[] = [];
  for (const table of tableNames) {
    for (const preset of presetNames) {
      for (const method of methodNames) {
        const group = runs.filter((r) => r.table === table && r.preset === preset && r.method === method);
        if (group.length === 0) continue;
        const green = group.filter((r) => r.all_green);
        const evaluations = group.reduce((s, r) => s + r.evaluations, 0);
        rows.push({
          table,
          preset,
          strategy: method,
          runs: group.length,
          all_green_share: green.length / group.length,
          mean_best_green_utility: mean(green.map((r) => r.green_utility as number)),
          median_best_green_utility: median(green.map((r) => r.green_utility as number)),
          median_evals_to_green: median(green.map((r) => r.first_green as number)),
          median_seconds_to_green: median(green.map((r) => r.seconds_to_green as number)),
          median_seconds: median(group.map((r) => r.seconds)),
          vae_share: evaluations ? group.reduce((s, r) => s + r.vae_evaluations, 0) / evaluations : 0,
        });
      }
    }
  }
  printTable(rows, `bench:tabular — ${seedText}, budget ${budget}`);

  const share = (method: Method) => mean(rows.filter((r) => r.strategy === method).map((r) => r.all_green_share as number)) ?? 0;
  const peers = methodNames.filter((m) => m !== 'bo');
  const bestPeerShare = Math.max(...peers.map(share));
  // Paired over runs of the same table, preset and seed where both were all green, so easy tables do not dominate.
  const paired = (method: Method, value: (r: RunRecord) => number) => {
    const diffs: number[] = [];
    for (const r of runs.filter((x) => x.method === 'bo' && x.all_green)) {
      const other = runs.find((x) => x.method === method && x.table === r.table && x.preset === r.preset && x.seed === r.seed && x.all_green);
      if (other) diffs.push(value(r) - value(other));
    }
    return { mean: mean(diffs) ?? 0, median: median(diffs) ?? 0, count: diffs.length };
  };
  const figures: Record<string, Figure> = {
    bo_all_green_share: { value: share('bo'), unit: 'share of runs', target: bestPeerShare, better: 'higher' },
  };
  for (const m of peers) {
    figures[`${m}_all_green_share`] = { value: share(m), unit: 'share of runs', target: null, better: 'higher' };
    const utility = paired(m, (r) => r.green_utility as number);
    if (utility.count > 0) figures[`bo_minus_${m}_green_utility`] = { value: utility.mean, unit: `utility, mean over ${utility.count} paired runs both all green`, target: 0, better: 'higher' };
    const time = paired(m, (r) => r.seconds_to_green as number);
    if (time.count > 0) figures[`bo_minus_${m}_seconds_to_green`] = { value: time.median, unit: `s, median over ${time.count} paired runs both all green`, target: null, better: 'lower' };
  }
  const seconds = (method: Method) => median(runs.filter((r) => r.method === method).map((r) => r.seconds)) ?? 0;
  if (methodNames.includes('bo_no_vae')) figures.bo_over_bo_no_vae_run_seconds = { value: seconds('bo') / seconds('bo_no_vae'), unit: 'ratio of median run seconds', target: null, better: 'lower' };
  const vae = runs.filter((r) => r.vae_evaluations > 0);
  figures.vae_seconds_per_evaluation = {
    value: vae.reduce((s, r) => s + r.vae_seconds, 0) / Math.max(1, vae.reduce((s, r) => s + r.vae_evaluations, 0)),
    unit: 's (mean over every VAE evaluation: training, sampling, metrics)',
    target: null,
    better: 'lower',
  };
  writeBenchResult({ bench: out, machine: machineInfo({ python: PYTHON, seeds: seedText, budget }), figures, rows });
}

/**
 * The runs of the seeds every part ran in full (each table of the part, each preset and strategy): a part
 * stopped early contributes its whole seeds only, so that every row of a table counts the same runs.
 */
function wholeSeeds(runs: RunRecord[]): RunRecord[] {
  const cell = (r: RunRecord) => `${r.table}\u0001${r.preset}\u0001${r.method}`;
  const byTable = new Map<string, RunRecord[]>();
  for (const r of runs) byTable.set(r.table, [...(byTable.get(r.table) ?? []), r]);
  return [...byTable.values()].flatMap((own) => {
    const cells = new Set(own.map(cell));
    const complete = (seed: number) => new Set(own.filter((r) => r.seed === seed).map(cell)).size === cells.size;
    return own.filter((r) => complete(r.seed));
  });
}

async function main(): Promise<void> {
  const runs = fromRuns ? wholeSeeds(fromRuns.split(',').flatMap((file) => JSON.parse(readFileSync(file, 'utf8')) as RunRecord[])) : await runAll();
  const runsPath = join(here, 'results', `${out}_runs.json`);
  if (fromRuns) writeFileSync(runsPath, JSON.stringify(runs, null, 2) + '\n');
  console.log(`wrote ${runsPath}`);
  aggregate(runs);
}

await main();
