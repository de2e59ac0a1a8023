/**
 * `npm run bench:byo` — bring-your-own-generator studies driven through the command line, against
 * Optuna TPE and random search on the same objective, plus the command line's per-command overhead.
 * Not a test: it prints tables and writes bench/results/byo.json (the shape of bench/lib/report.ts).
 *
 *   npm run bench:byo -- [--seeds 20] [--seed-start 0] [--no-overhead] [--no-search] [--out byo]
 *
 * The problem (bench/byo/simulator.ts, one instance per seed): a mixed 5-D space (3 floats, 1 int, 1
 * categorical), a hidden truth, parameters → 64-D embedding by a fixed seeded tanh(W2·tanh(W1·x + b1) + b2)
 * of the encoded parameters plus N(0, 0.08²) noise per coordinate; the real set is 16 embeddings at the truth.
 *
 * The objective, the same for every method: the unbiased Gaussian MMD² of a set's 3 replicate
 * embeddings vs the real set, with σ fixed once by the median heuristic on iteration 0.
 *   - ours: the study computes it; each told set's score is read back from `export --optuna-journal`,
 *     the best and the noise floor from `status --json`.
 *   - peers: computed here with src/engine/metrics mmdSquaredUnbiased, σ = medianHeuristicBandwidth of
 *     the iteration-0 rows = the 16 real embeddings + the 16 × 3 replicates of the 16-set initial design.
 *     The peers start from the study's own iteration 0 (the same 16 initial sets, the same replicate
 *     embeddings), so that σ is the study's: the bench reads experiment.scoring.bandwidth from the study
 *     folder (readStudyFolder) and checks it equals the recomputed σ, and checks every journal score
 *     equals mmdSquaredUnbiased(real, set, σ).
 *
 * Budget per seed: 16 initial sets + 10 × 8 = 96 sets × 3 replicates for every method.
 *   ours   = `calibrate` init, ask 16 / tell, then 10 × (ask 8 / tell), in-process calibrate() calls;
 *   TPE    = bench/peers/optuna_tpe.py (TPESampler multivariate, constant liar), 16 told + 10 asks of 8;
 *   random = the 16 shared sets + 80 uniform random sets.
 * Regret = the best set's observed score (lowest of its 96) − the noise floor mean (status
 * `noise_floor.mean`: real-vs-real at 3 samples; the same real set and size for every method). Also
 * reported: ours' status best (the model's pick), and each pick's expected score (64 fresh 3-replicate
 * draws) − floor, since the lowest of 96 noisy scores is an optimistic draw.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { machineInfo, printTable, writeBenchResult, type Figure, type Row } from './lib/report';
import { PeerProcess, peerUnavailable, PYTHON, type PeerSpec } from './bo/peers';
import { quantile } from './bo/stats';
import { bestObserved, expectedScore, iteration0Sigma, runOurs, runRandom, runTpe, type PeerRun } from './byo/methods';
import { buildOverheadStudy, OVERHEAD, timeOverhead } from './byo/overhead';
import { timePage } from './byo/page';
import { paramDistance } from './byo/simulator';

const TPE: PeerSpec = { method: 'optuna_tpe', script: 'optuna_tpe.py', requires: ['optuna'] };

function parseArgs(argv: string[]) {
  const get = (name: string, fallback: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && i + 1 < argv.length ? argv[i + 1] : fallback;
  };
  return {
    seeds: Number(get('seeds', '20')),
    seedStart: Number(get('seed-start', '0')),
    overhead: !argv.includes('--no-overhead'),
    page: !argv.includes('--no-page'),
    search: !argv.includes('--no-search'),
    out: get('out', 'byo'),
  };
}

const median = (values: readonly number[]) => quantile(values, 0.5);
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

async function searchBench(seeds: number[], dir: string): Promise<{ rows: Row[]; medians: Record<string, number>; checks: { sigma: number; score: number } }> {
  const unavailable = peerUnavailable(TPE);
  if (unavailable) throw new Error(`Optuna TPE cannot run: ${unavailable} (apt-get install -y python3-optuna)`);
  const peer = new PeerProcess(TPE);
  const rows: Row[] = [];
  let tpeInFlight: Promise<void> = Promise.resolve();
  const finishers: Promise<void>[] = [];
  try {
    for (const seed of seeds) {
      const ours = await runOurs(seed, dir);
      const { problem, status } = ours;
      if (!status.noise_floor || !status.best) throw new Error(`seed ${seed}: status has no noise floor or best: ${JSON.stringify(status)}`);
      const floor = status.noise_floor.mean;
      const sigma = iteration0Sigma(problem, ours.initial);
      const random = runRandom(seed, ours, sigma);
      // TPE runs in its own process: it overlaps the next seed's study.
      const tpeRun: Promise<PeerRun> = tpeInFlight.then(() => runTpe(peer, seed, ours, sigma));
      tpeInFlight = tpeRun.then(() => undefined);
      finishers.push(
        tpeRun.then((tpe) => {
          const pick = {
            ours: bestObserved(ours.evaluations),
            tpe: bestObserved(tpe.evaluations),
            random: bestObserved(random.evaluations),
          };
          const fresh = (params: (typeof pick)['ours']['params'], label: string) => expectedScore(problem, params, sigma, label) - floor;
          const row: Row = {
            seed,
            floor_mean: floor,
            sigma_study: ours.studyBandwidth,
            sigma_rel_diff: Math.abs(ours.studyBandwidth - sigma) / sigma,
            score_check: ours.scoreCheck,
            confirmation_samples_ours: ours.confirmationSamples,
            regret_ours: pick.ours.score - floor,
            regret_ours_status: status.best!.score - floor,
            regret_tpe: pick.tpe.score - floor,
            regret_random: pick.random.score - floor,
            fresh_ours: fresh(pick.ours.params, 'ours'),
            fresh_ours_status: fresh(status.best!.params, 'ours_status'),
            fresh_tpe: fresh(pick.tpe.params, 'tpe'),
            fresh_random: fresh(pick.random.params, 'random'),
            dist_ours: paramDistance(pick.ours.params, problem.truth),
            dist_ours_status: paramDistance(status.best!.params, problem.truth),
            dist_tpe: paramDistance(pick.tpe.params, problem.truth),
            dist_random: paramDistance(pick.random.params, problem.truth),
            evals: `${ours.evaluations.length}/${tpe.evaluations.length}/${random.evaluations.length}`,
            ours_s: ours.seconds,
            tpe_s: tpe.seconds,
          };
          rows.push(row);
          console.error(`seed ${seed}: regret ours ${(row.regret_ours as number).toPrecision(3)}, tpe ${(row.regret_tpe as number).toPrecision(3)}, random ${(row.regret_random as number).toPrecision(3)} (ours ${ours.seconds.toFixed(1)} s, tpe ${tpe.seconds.toFixed(1)} s; load ${load()})`);
        }),
      );
    }
    await Promise.all(finishers);
  } finally {
    peer.close();
  }
  rows.sort((a, b) => Number(a.seed) - Number(b.seed));
  const columns = Object.keys(rows[0]).filter((k) => typeof rows[0][k] === 'number' && k !== 'seed');
  const medians = Object.fromEntries(columns.map((k) => [k, median(rows.map((r) => Number(r[k])))]));
  const checks = { sigma: Math.max(...rows.map((r) => Number(r.sigma_rel_diff))), score: Math.max(...rows.map((r) => Number(r.score_check))) };
  rows.push({ seed: 'median', ...medians, evals: '', sigma_rel_diff: checks.sigma, score_check: checks.score });
  return { rows: rows.map((r) => ({ table: 'search', ...r })), medians, checks };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const seeds = Array.from({ length: args.seeds }, (_, i) => args.seedStart + i);
  const dir = mkdtempSync(join(tmpdir(), 'bench-byo-'));
  const startLoad = load();
  console.log(`bench:byo — ${args.search ? `${seeds.length} seeds (${seeds[0]}…${seeds[seeds.length - 1]})` : 'no search'}${args.overhead ? ', overhead' : ''}; load ${startLoad}; work in ${dir}`);
  console.log('σ for the peers: median heuristic on the iteration-0 rows (16 real + 16 initial sets × 3 replicates, the study\'s own iteration 0), checked against the study\'s stored scoring.bandwidth.');
  const figures: Record<string, Figure> = {};
  const rows: Row[] = [];
  let browserVersion: string | null = null;
  try {
    if (args.search) {
      const { rows: searchRows, medians, checks } = await searchBench(seeds, dir);
      printTable(searchRows.map(({ table: _table, ...r }) => r), `regret per seed (MMD² above the floor mean; fresh_* = expected score of the pick; dist = normalised distance to the truth)`);
      console.log(`\nchecks: σ study vs recomputed, max relative difference ${checks.sigma.toExponential(2)}; journal score vs mmdSquaredUnbiased, max |difference| ${checks.score.toExponential(2)}`);
      rows.push(...searchRows);
      const bestPeer = Math.min(medians.regret_tpe, medians.regret_random);
      const regretUnit = 'MMD² (kernel units) of the best observed set minus the noise-floor mean, median over seeds';
      const distanceUnit = 'distance of the best observed set to the hidden truth: Euclidean over parameters, each /range, categorical mismatch = 1 (0…√5), median over seeds';
      Object.assign(figures, {
        median_regret_ours: { value: medians.regret_ours, unit: `${regretUnit}; target: below both peers (the target is the lower peer median)`, target: bestPeer, better: 'lower' },
        median_regret_tpe: { value: medians.regret_tpe, unit: `${regretUnit} (Optuna 3.1 TPE)`, target: null, better: 'lower' },
        median_regret_random: { value: medians.regret_random, unit: `${regretUnit} (random search)`, target: null, better: 'lower' },
        regret_ratio_ours_over_best_peer: { value: medians.regret_ours / bestPeer, unit: 'median regret of ours / the lower peer median (meaningful while both are > 0)', target: 1, better: 'lower' },
        median_param_distance_ours: { value: medians.dist_ours, unit: distanceUnit, target: null, better: 'lower' },
        median_param_distance_tpe: { value: medians.dist_tpe, unit: distanceUnit, target: null, better: 'lower' },
        median_param_distance_random: { value: medians.dist_random, unit: distanceUnit, target: null, better: 'lower' },
        confirmation_samples_ours: { value: medians.confirmation_samples_ours, unit: 'samples ours told for confirmations the study asked for, beside the 16 + 10 × 8 × 3 budget (median over seeds)', target: null, better: 'lower' },
      } satisfies Record<string, Figure>);
    }
    if (args.overhead) {
      console.error(`overhead: building a study of ${OVERHEAD.samples} × ${OVERHEAD.dim} told samples (load ${load()})`);
      const { study, status } = await buildOverheadStudy(dir);
      console.error(`overhead: ${status.observations} scored sets, ${status.samples} samples; timing ${OVERHEAD.repeats} × (ask, tell) as processes (load ${load()})`);
      const runs = timeOverhead(dir, study);
      const overheadRows: Row[] = runs.map((r) => ({ table: 'overhead', repeat: r.repeat, ask_s: r.ask_s, tell_s: r.tell_s }));
      const askMedian = median(runs.map((r) => r.ask_s));
      const tellMedian = median(runs.map((r) => r.tell_s));
      overheadRows.push({ table: 'overhead', repeat: 'median', ask_s: askMedian, tell_s: tellMedian });
      printTable(overheadRows.map(({ table: _table, ...r }) => r), `overhead: one command as a process on a study of ${status.samples} samples × ${OVERHEAD.dim} (${status.observations} scored sets, ${OVERHEAD.real} real)`);
      rows.push(...overheadRows);
      const unit = (what: string) => `seconds, wall, one \`npm run --silent calibrate -- ${what}\` process (npm + tsx start included) on a study of ${OVERHEAD.samples} × ${OVERHEAD.dim} samples, median of ${OVERHEAD.repeats}`;
      figures.ask_overhead_s = { value: askMedian, unit: unit('ask --n 8'), target: 1.5, better: 'lower' };
      figures.tell_overhead_s = { value: tellMedian, unit: unit('tell (8 sets × 3)'), target: 1.5, better: 'lower' };
      if (args.page) {
        console.error(`page: importing the same study in headless Chromium, timing ${OVERHEAD.repeats} × (Propose next batch, upload → map) (load ${load()})`);
        const page = await timePage(dir, study, OVERHEAD.repeats);
        browserVersion = page.browser;
        const pageRows: Row[] = page.runs.map((r) => ({ table: 'page', repeat: r.repeat, page_ask_s: r.page_ask_s, page_tell_to_map_s: r.page_tell_to_map_s }));
        const pageAsk = median(page.runs.map((r) => r.page_ask_s));
        const pageTell = median(page.runs.map((r) => r.page_tell_to_map_s));
        pageRows.push({ table: 'page', repeat: 'median', page_ask_s: pageAsk, page_tell_to_map_s: pageTell });
        printTable(pageRows.map(({ table: _table, ...r }) => r), `page: the same study in Chromium (${page.browser}), 8 sets asked, then 8 × 3 results uploaded until the map has placed them`);
        rows.push(...pageRows);
        const pageUnit = (what: string) => `seconds, wall, in the page (headless Chromium, dev server) on the same study: ${what}, median of ${OVERHEAD.repeats}`;
        figures.page_ask_s = { value: pageAsk, unit: pageUnit('"Propose next batch" (8 sets) until the pending table shows them'), target: null, better: 'lower' };
        figures.page_tell_to_map_s = { value: pageTell, unit: pageUnit('upload of 8 × 3 results (CSV + .npy) until the map has placed every new sample'), target: null, better: 'lower' };
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const optuna = spawnSync(PYTHON, ['-c', 'import optuna; print(optuna.__version__)'], { encoding: 'utf8' }).stdout.trim();
  writeBenchResult({
    bench: args.out,
    machine: machineInfo({ ...(browserVersion ? { browser: browserVersion } : {}), python: PYTHON, optuna: optuna || 'missing', seeds: args.search ? `${seeds[0]}-${seeds[seeds.length - 1]}` : 'none', load_start: startLoad, load_end: load() }),
    figures,
    rows,
  });
}

await main();
