/**
 * npm run bench:tabular — the tabular calibration's strategies side by side on the four real tables of
 * tests/fixtures/tabular: constrained BO (`bo`), the users' rule-based retry loop (`rules`), random
 * search (`random`) and Optuna's TPE with constraints_func (`optuna_tpe`, Debian's /usr/bin/python3,
 * skipped with a message when it cannot import optuna), each with the same budget (24 evaluations), the
 * same seeds, the same evaluation (generate, project, measure against train, gate: loop/evaluation.ts),
 * under the `all_green` and `seed003_original` presets (under `seed003_adjusted` the users' defaults pass
 * at the first evaluation on every table, so every strategy that starts there ties).
 *
 * Optuna gets what bo gets: the same space, the users' defaults as its first trial, the bo strategy's
 * initial count as its random start-up trials, −utility to minimise and the gates' constraint values
 * (c ≤ 0 passes). Its trials go through canonicalSettings like every strategy's.
 *
 * Per run: whether some evaluation was all green, the index of the first all-green one, the utility of
 * the best all-green table (the one written), and the wall time. Per table, preset and strategy: the share
 * of runs all green within the budget, the median evaluations to the first all-green table (over the runs
 * that got one), the mean final utility over the runs all green, and the median seconds a run took.
 * Options: --seeds N (default 5), --budget N (24), --tables a,b, --presets a,b, --methods a,b.
 * Writes bench/results/tabular.json (aggregates, figures) and bench/results/tabular_runs.json (runs).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  calibrateTable,
  canonicalSettings,
  defaultSettings,
  evaluateSettings,
  initialCount,
  isBetter,
  modelledGates,
  parseConstraints,
  readTable,
  runCalibration,
  toObservations,
  validateConstraints,
  type CalibrationInput,
  type Evaluation,
  type GatePresetName,
  type StrategyName,
} from '../src/domains/tabular';
import { machineInfo, printTable, writeBenchResult, type Row } from './lib/report';
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
const METHODS = ['bo', 'rules', 'random', 'optuna_tpe'] as const;
type Method = (typeof METHODS)[number];
const OPTUNA: PeerSpec = { method: 'optuna_tpe', script: 'optuna_tpe_constrained.py', requires: ['optuna'] };

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const seeds = Number(option('seeds', '5'));
const budget = Number(option('budget', '24'));
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
  green_utility: number | null;
  best_utility: number | null;
  evaluations: number;
  seconds: number;
}

function inputOf(t: TableSpec, preset: GatePresetName, seed: number, strategy: StrategyName): CalibrationInput {
  const real = readTable(readFileSync(join(fixtures, t.file), 'utf8'), t.file, { roles: { ...(t.target ? { [t.target]: 'target' } : {}), ...(t.group ? { [t.group]: 'group' } : {}) } });
  const constraints = t.constraints
    ? validateConstraints(parseConstraints(readFileSync(join(fixtures, t.constraints), 'utf8'), t.constraints), real, t.constraints).constraints
    : parseConstraints('', 'none');
  return { real, constraints, gates: preset, strategy, budget, seed, target: t.target, group: t.group };
}

function summarise(t: TableSpec, preset: GatePresetName, method: Method, seed: number, evaluations: readonly Evaluation[], seconds: number): RunRecord {
  const first = evaluations.find((e) => e.gates.all_green) ?? null;
  const best = evaluations.reduce((b, e) => (isBetter(e, b) ? e : b));
  return {
    table: t.name,
    preset,
    method,
    seed,
    all_green: first !== null,
    first_green: first?.index ?? null,
    green_utility: best.gates.all_green ? best.utility : null,
    best_utility: best.utility,
    evaluations: evaluations.length,
    seconds,
  };
}

/** Optuna's TPE driving the same evaluations: the loop of runCalibration with the peer as the strategy. */
async function runOptuna(peer: PeerProcess, input: CalibrationInput): Promise<Evaluation[]> {
  const run = runCalibration(input);
  const first = run.next();
  if (first.done || first.value.kind !== 'setup') throw new Error('runCalibration did not start with its setup');
  const setup = first.value.setup;
  run.return(undefined as never);
  const defaults = defaultSettings(setup.context);
  await peer.request({
    op: 'start',
    space: setup.space.parameters,
    seed: input.seed,
    startup: initialCount(budget) - 1,
    enqueue: defaults,
  });
  const request = { reference: setup.reference, context: setup.context, preset: setup.preset, rows: setup.rows.synthetic, seed: input.seed ?? 0 };
  const evaluations: Evaluation[] = [];
  while (evaluations.length < budget) {
    const asked = (await peer.request({ op: 'ask' })) as { params: Record<string, string | number> };
    const params = canonicalSettings(setup.space, asked.params, defaults);
    const { evaluation } = evaluateSettings(request, evaluations.length + 1, { params, origin: 'model', note: null });
    evaluations.push(evaluation);
    const gates = modelledGates(setup.preset, evaluations);
    const observation = toObservations([evaluation], gates)[0];
    await peer.request({ op: 'tell', value: observation.objective, constraints: observation.constraints });
  }
  return evaluations;
}

const median = (xs: number[]) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

async function main(): Promise<void> {
  const optunaMissing = methods.includes('optuna_tpe') ? peerUnavailable(OPTUNA) : null;
  if (optunaMissing) {
    console.error(`bench:tabular — skipping optuna_tpe: ${optunaMissing}`);
    methods = methods.filter((m) => m !== 'optuna_tpe');
  }
  const peer = methods.includes('optuna_tpe') ? new PeerProcess(OPTUNA) : null;
  const runs: RunRecord[] = [];
  const total = tables.length * presets.length * methods.length * seeds;
  console.error(`bench:tabular — ${tables.length} tables × ${presets.length} presets × ${methods.length} strategies × ${seeds} seeds = ${total} runs of ${budget} evaluations`);
  for (const t of tables) {
    for (const preset of presets) {
      for (const method of methods) {
        for (let seed = 0; seed < seeds; seed++) {
          const started = performance.now();
          const evaluations =
            method === 'optuna_tpe' ? await runOptuna(peer as PeerProcess, inputOf(t, preset, seed, 'random')) : calibrateTable(inputOf(t, preset, seed, method)).evaluations;
          const record = summarise(t, preset, method, seed, evaluations, (performance.now() - started) / 1000);
          runs.push(record);
          console.error(`  ${t.name} ${preset} ${method} seed ${seed}: ${record.all_green ? `all green at ${record.first_green}, utility ${record.green_utility?.toFixed(4)}` : 'not all green'} (${record.evaluations} evaluations, ${record.seconds.toFixed(1)} s)`);
        }
      }
    }
  }
  peer?.close();

  const rows: Row[] = [];
  for (const t of tables) {
    for (const preset of presets) {
      for (const method of methods) {
        const group = runs.filter((r) => r.table === t.name && r.preset === preset && r.method === method);
        const green = group.filter((r) => r.all_green);
        rows.push({
          table: t.name,
          preset,
          strategy: method,
          runs: group.length,
          all_green_share: green.length / group.length,
          median_evals_to_green: median(green.map((r) => r.first_green as number)),
          mean_green_utility: mean(green.map((r) => r.green_utility as number)),
          median_seconds: median(group.map((r) => r.seconds)),
        });
      }
    }
  }
  printTable(rows, `bench:tabular — ${seeds} seeds, budget ${budget}`);

  const share = (method: Method) => mean(rows.filter((r) => r.strategy === method).map((r) => r.all_green_share as number)) ?? 0;
  const peers = methods.filter((m) => m !== 'bo');
  const bestPeerShare = Math.max(...peers.map(share));
  // Utility where both reached all green in a run of the same table, preset and seed: paired, so easy tables do not dominate.
  const paired = (method: Method) => {
    const diffs: number[] = [];
    for (const r of runs.filter((x) => x.method === 'bo' && x.all_green)) {
      const other = runs.find((x) => x.method === method && x.table === r.table && x.preset === r.preset && x.seed === r.seed && x.all_green);
      if (other) diffs.push((r.green_utility as number) - (other.green_utility as number));
    }
    return mean(diffs) ?? 0;
  };
  const figures: Record<string, { value: number; unit: string; target: number | null; better: 'higher' | 'lower' }> = {
    bo_all_green_share: { value: share('bo'), unit: 'share of runs', target: bestPeerShare, better: 'higher' },
  };
  for (const m of peers) {
    figures[`${m}_all_green_share`] = { value: share(m), unit: 'share of runs', target: null, better: 'higher' };
    figures[`bo_minus_${m}_green_utility`] = { value: paired(m), unit: 'utility (paired runs both all green)', target: 0, better: 'higher' };
  }
  writeBenchResult({
    bench: 'tabular',
    machine: machineInfo({ python: PYTHON }),
    figures,
    rows,
  });
  const runsPath = join(here, 'results', 'tabular_runs.json');
  writeFileSync(runsPath, JSON.stringify(runs, null, 2) + '\n');
  console.log(`wrote ${runsPath}`);
}

await main();
