/**
 * `npm run bench:bo` — sample efficiency and speed of the Bayesian optimizer against Optuna
 * TPE, a scikit-learn GP-EI loop and random search. Not a test: it prints a table and writes
 * bench/results/bo.json (the shape of bench/lib/report.ts), bench/results/bo_runs.json (every run's curves) and
 * bench/results/bo_regret.png (median regret curves with quartile bands, via matplotlib when present).
 *
 *   npm run bench:bo -- [--seeds 20] [--seed-start 0] [--functions all|branin,hartmann6,ackley6,void_mixed]
 *                       [--noise both|on|off] [--methods all|ours,ours_ei,random,sobol,optuna_tpe,sklearn_gp_ei]
 *                       [--jobs 2] [--timing-repeats 7] [--no-timing] [--out bo]
 *                       [--settings '{"kernel":"rbf"}'] [--iterations 10]
 *
 * --settings overrides the optimizer's settings for `ours` and `ours_ei` (a screen of a candidate
 * default). The runs keep their method names, so a variant sees the same initial design and the same
 * noise draws as the default did on each seed: compare its file with bo.json seed by seed.
 *
 * The standard suite (docs/bench-bbob.md): `--suite bbob` runs COCO's BBOB noiseless functions on random instances
 * (bench/bo/bbob/): every seed a new instance, in [−5, 5]^D, with noisy and mixed-space variants, and
 * writes bench/results/bo-bbob.json, bo-bbob_runs.json and bo-bbob.svg (ECDF of targets per class):
 *
 *   npm run bench:bo -- --suite bbob [--dims 2,5,10] [--functions all|f1,f3,f8,f10,f15,f16,f20,f22]
 *                       [--variants all|plain,noise,mulnoise,mixed] [--mul-beta 1] [--seeds 5] [--jobs 2]
 *
 * `--reuse-runs a_runs.json,b_runs.json` takes the runs of the methods that --settings does not change (the
 * peers, random, Sobol) from earlier runs files of the same protocol instead of running them again: a run is
 * determined by (method, problem, seed, protocol) — the peers are seeded, the noise stream is hashed from
 * the same — so only its proposal timings differ. The GP methods of this repository always run afresh.
 *
 * `--reuse-only sklearn_gp_ei` takes that method's runs from the --reuse-runs files only and runs none of it
 * (a problem the files lack has no such row, and "every peer" there means the peers it has).
 *
 * `--seeds-of sklearn_gp_ei=3` runs a method on the first N of the seeds only (the scikit-learn loop costs
 * ten times the others); its medians are then over those N, which the tables' header says.
 *
 * Protocol (bench/bo/protocol.ts): 16 scrambled-Sobol initial points shared by every method of a seed,
 * 10 iterations × batch 8; simple regret of each method's recommendation on the noiseless function.
 * `--iterations 30` runs a longer study (16 + 30 × 8) for every method, the Python peers included (the
 * bench drives their ask/tell loop, so they need no change).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { BBOB_FUNCTIONS } from './bo/bbob/functions';
import { classTableRows, ecdfSvg, summariseClasses, summariseProblems } from './bo/bbob/report';
import { BBOB_DIMS, BBOB_VARIANTS, bbobSuite, DEFAULT_MULTIPLICATIVE_BETA, type BbobVariant } from './bo/bbob/suite';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_OPTIMIZER_SETTINGS, getAcquisition, type OptimizerSettings, type ProposalStrategy } from '../src/engine/optimizer';
import { machineInfo, printTable, writeBenchResult, type Figure, type Row } from './lib/report';
import { noiseStd, TEST_FUNCTIONS, voidLike, hartmann6 } from './bo/functions';
import { PEERS, peerUnavailable, PYTHON } from './bo/peers';
import { runPool, type Task } from './bo/pool';
import { PROTOCOL, problemName, type Problem, type Protocol, type RunRecord } from './bo/protocol';
import { regretCurves, type RegretCurve } from './bo/stats';
import { tfjsCheck } from './bo/tfjsCheck';
import { timeFitPropose, type TimingRow } from './bo/timing';

interface LocalMethod {
  method: string;
  strategy: ProposalStrategy;
  settings: Partial<OptimizerSettings>;
}

/** `ours` is the optimizer as the app runs it by default (UCB with the decaying β schedule). */
const LOCAL_METHODS: readonly LocalMethod[] = [
  { method: 'ours', strategy: 'ucb', settings: {} },
  { method: 'ours_ei', strategy: 'ei', settings: {} },
  { method: 'random', strategy: 'random', settings: {} },
  { method: 'sobol', strategy: 'sobol', settings: {} },
];
/** The issue's peers: "lower median final regret than every peer". Sobol and ours_ei are extra rows. */
const PEER_METHODS = ['random', 'optuna_tpe', 'sklearn_gp_ei'];

function parseArgs(argv: string[]) {
  const get = (name: string, fallback: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && i + 1 < argv.length ? argv[i + 1] : fallback;
  };
  const list = (value: string, all: string[]) => (value === 'all' ? all : value.split(',').map((s) => s.trim()));
  const suite = get('suite', 'default');
  if (suite !== 'default' && suite !== 'bbob') throw new Error(`--suite ${suite}: known suites are default and bbob`);
  const bbob = suite === 'bbob';
  const functions = list(get('functions', 'all'), bbob ? Object.keys(BBOB_FUNCTIONS).map((f) => `f${f}`) : TEST_FUNCTIONS.map((f) => f.name));
  const methods = list(get('methods', 'all'), [...LOCAL_METHODS.map((m) => m.method), ...PEERS.map((p) => p.method)]);
  const noise = get('noise', 'both');
  return {
    bbob,
    dims: list(get('dims', bbob ? '2,5,10' : 'all'), BBOB_DIMS.map(String)).map(Number),
    variants: list(get('variants', 'all'), [...BBOB_VARIANTS]) as BbobVariant[],
    mulBeta: Number(get('mul-beta', String(DEFAULT_MULTIPLICATIVE_BETA))),
    seeds: Number(get('seeds', bbob ? '5' : '20')),
    /** First seed: `--seed-start 20 --seeds 20` runs seeds 20–39, a second seed set to check a change on. */
    seedStart: Number(get('seed-start', '0')),
    functions,
    methods,
    noise: noise === 'both' ? [false, true] : [noise === 'on'],
    jobs: Number(get('jobs', '2')),
    timingRepeats: Number(get('timing-repeats', '7')),
    // Fit+propose timing is about the default suite's functions: the BBOB suite skips it.
    timing: !bbob && !argv.includes('--no-timing'),
    out: get('out', bbob ? 'bo-bbob' : 'bo'),
    settings: parseSettings(get('settings', '{}')),
    iterations: Number(get('iterations', String(PROTOCOL.iterations))),
    seedsOf: Object.fromEntries(
      get('seeds-of', '')
        .split(',')
        .filter((s) => s.trim())
        .map((s) => {
          const [method, n] = s.split('=');
          if (!method || !Number.isInteger(Number(n)) || Number(n) < 1) throw new Error(`--seeds-of ${s}: expected METHOD=N with N a positive integer`);
          return [method.trim(), Number(n)];
        }),
    ) as Record<string, number>,
    reuseOnly: get('reuse-only', '').split(',').map((s) => s.trim()).filter(Boolean),
    reuseRuns: get('reuse-runs', '').split(',').map((s) => s.trim()).filter(Boolean),
  };
}

function parseSettings(json: string): Partial<OptimizerSettings> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new Error(`--settings is not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('--settings must be a JSON object');
  const unknown = Object.keys(value).filter((k) => !(k in DEFAULT_OPTIMIZER_SETTINGS) && k !== 'priors');
  if (unknown.length) throw new Error(`--settings: unknown key(s) ${unknown.join(', ')}; known: ${[...Object.keys(DEFAULT_OPTIMIZER_SETTINGS), 'priors'].join(', ')}`);
  return value as Partial<OptimizerSettings>;
}

/** Runs of the methods --settings does not change, from earlier runs files of the same protocol, by method|problem|seed. */
function reusableRuns(files: readonly string[], protocol: Protocol): Map<string, RunRecord> {
  const out = new Map<string, RunRecord>();
  for (const file of files) {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { protocol: Protocol; records: RunRecord[] };
    if (data.protocol.initialPoints !== protocol.initialPoints || data.protocol.iterations !== protocol.iterations || data.protocol.batchSize !== protocol.batchSize) {
      throw new Error(`--reuse-runs ${file}: protocol ${JSON.stringify(data.protocol)} differs from this run's ${JSON.stringify(protocol)}`);
    }
    for (const r of data.records) if (!r.method.startsWith('ours')) out.set(`${r.method}|${r.problem}|${r.seed}`, r);
  }
  return out;
}

const formatRegret = (x: number) => (x === 0 ? '0' : x.toExponential(2));

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!Number.isInteger(args.seedStart) || args.seedStart < 0) throw new Error(`--seed-start ${args.seedStart} must be a non-negative integer`);
  if (!Number.isInteger(args.iterations) || args.iterations < 1) throw new Error(`--iterations ${args.iterations} must be a positive integer`);
  const protocol: Protocol = { ...PROTOCOL, iterations: args.iterations };
  let problems: Problem[];
  if (args.bbob) {
    const fids = args.functions.map((f) => Number(f.replace(/^f/, '')));
    const unknownF = args.functions.filter((_, i) => !BBOB_FUNCTIONS[fids[i]]);
    if (unknownF.length) throw new Error(`unknown BBOB function(s) ${unknownF.join(', ')}; implemented: ${Object.keys(BBOB_FUNCTIONS).map((f) => `f${f}`).join(', ')}`);
    const badDims = args.dims.filter((d) => !Number.isInteger(d) || d < 2 || d > 40);
    if (badDims.length) throw new Error(`--dims ${badDims.join(', ')}: COCO's BBOB functions are defined for 2 ≤ D ≤ 40`);
    const badVariants = args.variants.filter((v) => !BBOB_VARIANTS.includes(v));
    if (badVariants.length) throw new Error(`--variants ${badVariants.join(', ')}: known variants ${BBOB_VARIANTS.join(', ')}`);
    if (!(args.mulBeta > 0)) throw new Error(`--mul-beta ${args.mulBeta} must be positive`);
    problems = bbobSuite({ fids, dims: args.dims, variants: args.variants, beta: args.mulBeta });
  } else {
    const unknown = args.functions.filter((f) => !TEST_FUNCTIONS.some((t) => t.name === f));
    if (unknown.length) throw new Error(`unknown function(s) ${unknown.join(', ')}; known: ${TEST_FUNCTIONS.map((t) => t.name).join(', ')}`);
    problems = TEST_FUNCTIONS.filter((f) => args.functions.includes(f.name)).flatMap((fn) => args.noise.map((noisy) => ({ fn, noisy })));
  }

  const skipped: string[] = [];
  const peers = PEERS.filter((p) => args.methods.includes(p.method)).filter((p) => {
    const reason = peerUnavailable(p);
    if (reason) {
      skipped.push(`${p.method}: SKIPPED — ${reason}`);
      console.error(`\n*** ${p.method} is SKIPPED: ${reason} ***\n`);
    }
    return !reason;
  });
  const usesModel = (m: LocalMethod) => getAcquisition(m.strategy).needsModel;
  const locals = LOCAL_METHODS.filter((m) => args.methods.includes(m.method)).map((m) => (usesModel(m) ? { ...m, settings: { ...m.settings, ...args.settings } } : m));

  // Longest tasks first (the scikit-learn loop), so the two slots finish together.
  const cost = (t: Task) => (t.kind === 'peer' ? (t.peer.method === 'sklearn_gp_ei' ? 20 : 3) : t.method.startsWith('ours') ? 4 : 1);
  const reused = reusableRuns(args.reuseRuns, protocol);
  const reusedRecords: RunRecord[] = [];
  const takeReused = (method: string, problem: Problem, seed: number) => {
    const record = reused.get(`${method}|${problemName(problem)}|${seed}`);
    if (record) reusedRecords.push(record);
    return record !== undefined;
  };
  const tasks: Task[] = [];
  for (const problem of problems) {
    for (let seed = args.seedStart; seed < args.seedStart + args.seeds; seed++) {
      const runs = (method: string) => seed < args.seedStart + (args.seedsOf[method] ?? args.seeds);
      for (const peer of peers.filter((p) => runs(p.method))) if (!takeReused(peer.method, problem, seed) && !args.reuseOnly.includes(peer.method)) tasks.push({ kind: 'peer', peer, problem, seed, protocol });
      for (const m of locals.filter((l) => runs(l.method))) if (usesModel(m) || !takeReused(m.method, problem, seed)) tasks.push({ kind: 'local', method: m.method, strategy: m.strategy, settings: m.settings, problem, seed, protocol });
    }
  }
  tasks.sort((a, b) => cost(b) - cost(a));

  console.error(`bench:bo — ${problems.length} problems × ${args.seeds} seeds × ${peers.length + locals.length} methods = ${tasks.length + reusedRecords.length} runs, ${tasks.length} on ${args.jobs} slots${reusedRecords.length ? `, ${reusedRecords.length} taken from ${args.reuseRuns.join(', ')}` : ''}`);
  for (const p of problems) if (p.noisy && !p.instance) console.error(`  ${problemName(p)}: noise σ = ${noiseStd(p.fn).toPrecision(3)}`);
  const started = Date.now();
  const loadAtStart = loadavg()[0];
  const records = [...reusedRecords];
  records.push(...await runPool(tasks, args.jobs, (r, done) => {
    const elapsed = (Date.now() - started) / 1000;
    const eta = (elapsed / done) * (tasks.length - done);
    console.error(`  [${done}/${tasks.length}] ${r.problem} ${r.method} seed ${r.seed}: final regret ${formatRegret(r.regret.at(-1)!)} (${elapsed.toFixed(0)} s, ~${eta.toFixed(0)} s left)`);
  }));
  const curves = regretCurves(records);

  // Timing of fit + propose (run alone, after the pool, so no other bench process competes).
  const timings: TimingRow[] = [];
  if (args.timing) {
    for (const fn of [voidLike, hartmann6]) {
      for (const n of [16, 96, 300, 500]) {
        console.error(`  timing ${fn.name} at ${n} observations…`);
        timings.push(timeFitPropose(fn, n, n >= 300 ? Math.min(3, args.timingRepeats) : args.timingRepeats, args.settings));
      }
    }
  }
  const tfjs = args.timing ? await tfjsCheck(96, 1280) : null;

  // ---- tables ---------------------------------------------------------------------------------
  const methodOrder = ['ours', 'ours_ei', 'sklearn_gp_ei', 'optuna_tpe', 'random', 'sobol'];
  const byProblem = new Map<string, RegretCurve[]>();
  for (const c of curves) byProblem.set(c.problem, [...(byProblem.get(c.problem) ?? []), c]);
  const summaryRows: Row[] = [];
  const figures: Record<string, Figure> = {};
  let won = 0;
  let compared = 0;
  for (const problem of problems.map(problemName)) {
    const list = (byProblem.get(problem) ?? []).sort((a, b) => methodOrder.indexOf(a.method) - methodOrder.indexOf(b.method));
    const final = (c: RegretCurve) => c.median.at(-1)!;
    const ours = list.find((c) => c.method === 'ours');
    const peerCurves = list.filter((c) => PEER_METHODS.includes(c.method));
    const bestPeer = peerCurves.length ? peerCurves.reduce((a, b) => (final(b) < final(a) ? b : a)) : undefined;
    for (const c of list) {
      summaryRows.push({
        problem,
        method: c.method,
        runs: c.runs,
        'median final regret': formatRegret(final(c)),
        'median 90% CI': c.finalMedianInterval.map(formatRegret).join('–'),
        q1: formatRegret(c.q1.at(-1)!),
        q3: formatRegret(c.q3.at(-1)!),
        'median best-evaluated': formatRegret(c.bestEvaluatedMedian.at(-1)!),
        'ms/iter': Math.round(c.proposeMs),
        dups: c.duplicates,
      });
    }
    if (ours && bestPeer) {
      compared++;
      const ratio = final(ours) / Math.max(final(bestPeer), 1e-300);
      if (final(ours) < final(bestPeer)) won++;
      if (!args.bbob) figures[`final_regret_ratio_vs_best_peer_${problem.replace('+', '_')}`] = { value: +ratio.toPrecision(3), unit: `ours / ${bestPeer.method} (median final regret)`, target: 1, better: 'lower' };
    }
  }
  if (compared && !args.bbob) figures.problems_where_ours_beats_every_peer = { value: won, unit: `of ${compared} problems`, target: compared, better: 'higher' };
  for (const t of timings) {
    if (t.fn !== voidLike.name) continue;
    const load = `1-min load average ${t.loadAverage1m} on ${cpus().length} cores`;
    figures[`fit_propose_ms_at_${t.observations}`] = {
      value: Math.round(t.warmMs),
      unit: `ms (void-like 6-D mixed space, batch 8, warm-started fit; fastest of ${t.repeats} data sets on a shared machine, ${load})`,
      target: t.observations === 96 ? 300 : t.observations === 500 ? 1500 : null,
      better: 'lower',
    };
    figures[`fit_propose_ms_at_${t.observations}_median`] = { value: Math.round(t.warmMedianMs), unit: `ms (same, median of ${t.repeats}; process CPU time median ${Math.round(t.warmCpuMs)} ms; ${load})`, target: null, better: 'lower' };
    figures[`fit_propose_ms_at_${t.observations}_cold`] = { value: Math.round(t.coldMs), unit: 'ms (same, hyperparameters fitted from scratch; fastest)', target: null, better: 'lower' };
  }
  if (tfjs) {
    figures.batched_posterior_1280x96_core_ms = { value: +tfjs.coreMs.toFixed(1), unit: 'ms (Float64 core)', target: null, better: 'lower' };
    figures.batched_posterior_1280x96_tfjs_ms = { value: +tfjs.tfjsMs.toFixed(1), unit: `ms (tfjs ${tfjs.backend} backend, float32)`, target: null, better: 'lower' };
  }

  const seedsOfNote = Object.entries(args.seedsOf).map(([m, n]) => `; ${m} on the first ${n}`).join('');
  const bbobRows: Row[] = [];
  let svg: string | null = null;
  if (args.bbob) {
    const names = problems.map(problemName);
    const summaries = summariseProblems(records, names, PEER_METHODS);
    const present = methodOrder.filter((m) => curves.some((c) => c.method === m));
    const perProblem: Row[] = summaries.map((s) => ({
      problem: s.problem,
      class: s.cls,
      ...Object.fromEntries(present.map((m) => [m, m in s.final ? formatRegret(s.final[m]) : ''])),
      'best peer': s.bestPeer ?? '',
      'ours/best peer': s.ratioBestPeer === null ? '' : +s.ratioBestPeer.toPrecision(3),
      'ours/random': s.ratioRandom === null ? '' : +s.ratioRandom.toPrecision(3),
      'ours beats all': s.win === null ? '' : s.win ? 'yes' : 'NO',
    }));
    printTable(perProblem, `BBOB suite: median final regret f(recommendation) − f_opt after ${protocol.initialPoints} + ${protocol.iterations} × ${protocol.batchSize} evaluations, ${args.seeds} seeds = COCO instances ${args.seedStart + 1}–${args.seedStart + args.seeds}${seedsOfNote}`);
    const classes = summariseClasses(records, summaries, present);
    printTable(classTableRows(classes, present), 'BBOB suite by function class: ours beats every peer (random, Optuna TPE, scikit-learn GP-EI), worst ratio to random, median normalised regret (final / best initial point), ECDF of 51 targets 10^2…10^−8');
    const losses = summaries.filter((s) => s.win === false).sort((a, b) => (b.ratioBestPeer ?? 0) - (a.ratioBestPeer ?? 0));
    if (losses.length) {
      console.log(`\nProblems where ours does not beat every peer (${losses.length}):`);
      for (const l of losses) console.log(`  ${l.problem.padEnd(28)} ours ${formatRegret(l.final.ours)} vs ${l.bestPeer} ${formatRegret(l.final[l.bestPeer!])} (×${l.ratioBestPeer!.toPrecision(3)}); vs random ×${l.ratioRandom?.toPrecision(3)}`);
    }
    const overall = classes.at(-1)!;
    figures.share_of_problems_where_ours_beats_every_peer = { value: +(overall.wins / Math.max(1, overall.problems)).toFixed(3), unit: `share of ${overall.problems} problems (median final regret below random, Optuna TPE and scikit-learn GP-EI)`, target: 0.8, better: 'higher' };
    figures.problems_where_ours_beats_every_peer = { value: overall.wins, unit: `of ${overall.problems} problems`, target: null, better: 'higher' };
    figures.worst_ratio_ours_to_random = { value: +overall.worstRatioRandom.toPrecision(3), unit: `ours / random (median final regret), worst problem: ${overall.worstProblem}`, target: 1, better: 'lower' };
    for (const m of present) {
      figures[`median_normalised_regret_${m}`] = { value: +overall.normalised[m].toPrecision(3), unit: 'median over runs of final regret / regret of the best initial point', target: null, better: 'lower' };
      figures[`ecdf_targets_reached_${m}`] = { value: +overall.ecdf[m].toFixed(3), unit: 'share of (problem, seed, target) reached by the final recommendation, 51 targets 10^2…10^−8', target: null, better: 'higher' };
    }
    for (const c of classes.slice(0, -1)) figures[`share_ours_beats_every_peer_${c.cls.replace('-', '_').replace('=', '')}`] = { value: +(c.wins / Math.max(1, c.problems)).toFixed(3), unit: `share of ${c.problems} problems`, target: 0.8, better: 'higher' };
    for (const c of classes.filter((k) => k.cls.startsWith('d='))) {
      figures[`worst_ratio_ours_to_random_${c.cls.replace('=', '')}`] = { value: +c.worstRatioRandom.toPrecision(3), unit: `ours / random (median final regret), worst problem: ${c.worstProblem}`, target: 1, better: 'lower' };
    }
    bbobRows.push(
      ...summaries.map((s) => ({ kind: 'problem', problem: s.problem, class: s.cls, best_peer: s.bestPeer, ratio_best_peer: s.ratioBestPeer, ratio_random: s.ratioRandom, ours_beats_every_peer: s.win, ...Object.fromEntries(Object.entries(s.final).map(([m, v]) => [`median_final_${m}`, v])) })),
      ...classes.map((c) => ({ kind: 'class', class: c.cls, problems: c.problems, wins: c.wins, worst_ratio_random: c.worstRatioRandom, worst_problem: c.worstProblem, ...Object.fromEntries(Object.entries(c.normalised).map(([m, v]) => [`median_normalised_${m}`, v])), ...Object.fromEntries(Object.entries(c.ecdf).map(([m, v]) => [`ecdf_${m}`, v])) })),
      ...classes.flatMap((c) => Object.entries(c.curves).flatMap(([m, curve]) => curve.map((v, i) => ({ kind: 'ecdf', class: c.cls, method: m, evaluations: protocol.initialPoints + i * protocol.batchSize, share: v })))),
    );
    const evaluations = Array.from({ length: protocol.iterations + 1 }, (_, i) => protocol.initialPoints + i * protocol.batchSize);
    svg = ecdfSvg(classes, evaluations, `BBOB suite (dims ${args.dims.join(', ')}; ${args.variants.join(', ')}; ${args.seeds} instances): ECDF of targets reached by the recommendation`);
  } else {
    printTable(summaryRows, `Final simple regret after ${protocol.initialPoints} + ${protocol.iterations} × ${protocol.batchSize} evaluations (median, quartiles over seeds)`);
  }
  if (timings.length) {
    printTable(
      timings.map((t) => ({
        function: t.fn,
        observations: t.observations,
        'warm ms (min)': Math.round(t.warmMs),
        'warm ms (median)': Math.round(t.warmMedianMs),
        'warm CPU ms (median)': Math.round(t.warmCpuMs),
        'cold ms (min)': Math.round(t.coldMs),
        'cold ms (median)': Math.round(t.coldMedianMs),
        'cold fit ms': t.coldFitMs,
        'cold propose ms': t.coldProposeMs,
        'load avg 1m': t.loadAverage1m,
      })),
      `Fit + propose time per iteration (batch 8, UCB with the default settings — EI members from 5 parameters on; over ${args.timingRepeats} data sets, 3 at 300 obs: min = what the code costs, median = what a busy machine gives)`,
    );
  }
  if (tfjs) {
    printTable([{ candidates: tfjs.candidates, observations: tfjs.observations, 'core Float64 ms': +tfjs.coreMs.toFixed(1), [`tfjs ${tfjs.backend} ms`]: +tfjs.tfjsMs.toFixed(1), 'tfjs max rel. variance error': tfjs.maxVarianceRelativeError.toExponential(1) }], 'Batched posterior over raw candidates: does tfjs pay?');
  }
  for (const s of skipped) console.log(s);

  // ---- files ----------------------------------------------------------------------------------
  const rows: Row[] = [
    ...bbobRows,
    ...curves.flatMap((c) =>
      c.median.map((m, i) => ({ kind: 'curve', problem: c.problem, method: c.method, iteration: i, evaluations: protocol.initialPoints + i * protocol.batchSize, median: m, q1: c.q1[i], q3: c.q3[i], best_evaluated_median: c.bestEvaluatedMedian[i], runs: c.runs, ...(i === c.median.length - 1 ? { median_ci90_low: c.finalMedianInterval[0], median_ci90_high: c.finalMedianInterval[1] } : {}) })),
    ),
    ...timings.map((t) => ({
      kind: 'timing',
      function: t.fn,
      observations: t.observations,
      repeats: t.repeats,
      warm_min_ms: t.warmMs,
      warm_median_ms: t.warmMedianMs,
      warm_cpu_median_ms: t.warmCpuMs,
      cold_min_ms: t.coldMs,
      cold_median_ms: t.coldMedianMs,
      cold_fit_ms: t.coldFitMs,
      cold_propose_ms: t.coldProposeMs,
      load_average_1m: t.loadAverage1m,
    })),
    ...(tfjs ? [{ kind: 'tfjs', ...tfjs }] : []),
    ...skipped.map((s) => ({ kind: 'skipped', detail: s })),
  ];
  const here = dirname(fileURLToPath(import.meta.url));
  writeBenchResult({
    bench: args.out,
    machine: machineInfo({
      python: spawnSync(PYTHON, ['-c', 'import sys, sklearn, optuna; print(sys.version.split()[0], "sklearn", sklearn.__version__, "optuna", optuna.__version__)'], { encoding: 'utf8' }).stdout.trim() || 'unavailable',
      seeds: args.seeds,
      ...(args.bbob ? { suite: 'bbob', dims: args.dims.join(','), functions: args.functions.join(','), variants: args.variants.join(','), multiplicative_beta: args.mulBeta, instances: `COCO instances ${args.seedStart + 1}–${args.seedStart + args.seeds} (seed s → instance s + 1)` } : {}),
      seed_start: args.seedStart,
      ...(Object.keys(args.seedsOf).length ? { seeds_of: JSON.stringify(args.seedsOf) } : {}),
      ...(args.reuseRuns.length ? { reused_runs: `${reusedRecords.length} runs of the peers/random/Sobol taken from ${args.reuseRuns.join(', ')}` } : {}),
      protocol: `${protocol.initialPoints} Sobol + ${protocol.iterations} × ${protocol.batchSize}`,
      settings: JSON.stringify({ ...DEFAULT_OPTIMIZER_SETTINGS, ...args.settings }),
      wall_minutes: +((Date.now() - started) / 60000).toFixed(1),
      load_average_1m_at_start: +loadAtStart.toFixed(2),
      load_average_1m_at_end: +loadavg()[0].toFixed(2),
      load_note: 'shared 2-core machine: other engineers ran browser benches and tests during this run',
    }),
    figures,
    rows,
  });
  const runsPath = join(here, 'results', `${args.out}_runs.json`);
  writeFileSync(runsPath, JSON.stringify({ protocol, noise: args.bbob ? 'per instance: 10 % of the sd over the box' : Object.fromEntries(TEST_FUNCTIONS.map((f) => [f.name, noiseStd(f)])), records }) + '\n');
  console.log(`wrote ${runsPath}`);
  if (svg) {
    const svgPath = join(here, 'results', `${args.out}.svg`);
    writeFileSync(svgPath, svg);
    console.log(`wrote ${svgPath}`);
    return;
  }
  const plot = spawnSync(PYTHON, [join(here, 'bo', 'plot_regret.py'), runsPath, join(here, 'results', `${args.out}_regret.png`)], { encoding: 'utf8' });
  if (plot.status === 0) console.log(plot.stdout.trim());
  else console.log(`plot skipped: ${(plot.stderr || plot.error?.message || '').trim().split('\n').pop()}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

