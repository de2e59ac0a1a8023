/**
 * `npm run bench:trust` — does the loop's "indistinguishable" mean what it says? Calibrations of the void
 * domain against hidden truths, through ExperimentService in Node (auto-run, budget 10 batches), each
 * answer then checked against fresh images the loop never saw (docs/benchmarks.md).
 * Prints tables and writes bench/results/trust.json (the shape of bench/lib/report.ts).
 *
 *   npm run bench:trust -- [--runs 20] [--dino 6] [--jobs 2] [--null-splits 60] [--seed 1] [--quick] [--out trust]
 *
 * Truths (bench/trust/truths.ts), each a run with its own seed:
 *   single       --runs settings drawn from the config's real distribution (the generator can reproduce them);
 *   mixture      ⌈runs/2⌉ mixtures of 2 or 3 separated settings (no single setting reproduces them);
 *   unreachable  ⌈runs/5⌉ settings with one parameter outside its bounds.
 * Embedders: the image-statistics embedder for every run; the DINOv2-shaped stand-in
 * (tests/fixtures/models/dinov2-tiny.onnx, onnxruntime-web WASM in Node) on the first --dino truths of
 * the list, with the same truths and seeds.
 * The experiment: the void domain's default config (real set 5 × 3 = 15 images, iteration 0 of 8 close
 * and 8 far sets, batches of 8 × 3, confirmation m = 32, α = 0.05, δ from the floor), max_iterations 10,
 * plateau off (patience 11; the app's default patience 3 is replayed on the records).
 *
 * Per run (bench/trust/run.ts has the definitions): the verdict, the fresh check of its answer (64 fresh
 * images of the answer vs 64 fresh truth draws, permutation test at α = 0.05), the old rule's stop
 * reconstructed from the same records and its answer's fresh check, the default patience's stop, the
 * recovery error, the recipe against the best single set, and for single truths the perfect-generator
 * splits (how often a confirmation of the truth itself reads "indistinguishable" at the loop's sizes).
 *
 * --quick: 2 single truths, 1 mixture, 1 unreachable, 1 DINOv2 run, 20 null splits (a smoke run, minutes).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { machineInfo, printTable, writeBenchResult, type Figure, type Row } from './lib/report';
import { quantile } from './bo/stats';
import { ALPHA, DEFAULT_PATIENCE, type RunResult, type RunSpec } from './trust/run';
import type { TruthKind } from './trust/truths';
import type { WorkerReply, WorkerRequest } from './trust/worker';

function parseArgs(argv: string[]) {
  const get = (name: string, fallback: number) => {
    const i = argv.indexOf(`--${name}`);
    if (i < 0) return fallback;
    const v = Number(argv[i + 1]);
    if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} needs a number ≥ 0, got ${argv[i + 1]}`);
    return v;
  };
  const quick = argv.includes('--quick');
  const runs = get('runs', quick ? 2 : 20);
  const outIndex = argv.indexOf('--out');
  return {
    singles: runs,
    mixtures: quick ? 1 : Math.ceil(runs / 2),
    unreachable: quick ? 1 : Math.ceil(runs / 5),
    dino: get('dino', quick ? 1 : 6),
    jobs: Math.max(1, get('jobs', 2)),
    nullSplits: get('null-splits', quick ? 20 : 60),
    seed: get('seed', 1),
    maxIterations: get('max-iterations', 10),
    out: outIndex >= 0 ? argv[outIndex + 1] : quick ? 'trust-quick' : 'trust',
  };
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

function specs(args: ReturnType<typeof parseArgs>): RunSpec[] {
  const out: RunSpec[] = [];
  const add = (kind: TruthKind, count: number, tag: string) => {
    for (let i = 0; i < count; i++) {
      out.push({ id: `${tag}${String(i).padStart(2, '0')}`, kind, index: i, seed: args.seed * 1000 + out.length, embedder: 'image-statistics', maxIterations: args.maxIterations, fresh: 64, nullSplits: args.nullSplits });
    }
  };
  add('single', args.singles, 's');
  add('mixture', args.mixtures, 'm');
  add('unreachable', args.unreachable, 'u');
  // The DINOv2 subset: the same truths and seeds, spread over the kinds (singles first, then a mixture and an unreachable one).
  const order = [...out.filter((s) => s.kind === 'single').slice(0, Math.max(0, args.dino - 2)), ...out.filter((s) => s.kind === 'mixture').slice(0, 1), ...out.filter((s) => s.kind === 'unreachable').slice(0, 1), ...out.filter((s) => s.kind === 'single').slice(Math.max(0, args.dino - 2))];
  const dino = order.slice(0, args.dino).map((s) => ({ ...s, id: `${s.id}-dino`, embedder: 'dinov2-tiny' as const }));
  return [...out, ...dino];
}

/** Runs the specs over `jobs` forked workers; the slowest (DINOv2) first. */
async function runAll(list: RunSpec[], jobs: number): Promise<RunResult[]> {
  const queue = [...list].sort((a, b) => Number(b.embedder === 'dinov2-tiny') - Number(a.embedder === 'dinov2-tiny'));
  const results: RunResult[] = [];
  const started = performance.now();
  const worker = join(import.meta.dirname, 'trust', 'worker.ts');
  const children: ChildProcess[] = [];
  await Promise.all(
    Array.from({ length: Math.min(jobs, queue.length) }, async () => {
      const child = fork(worker, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      children.push(child);
      try {
        for (let spec = queue.shift(); spec; spec = queue.shift()) {
          const reply = await new Promise<WorkerReply>((resolve, reject) => {
            child.once('message', (m) => resolve(m as WorkerReply));
            child.once('exit', (code) => reject(new Error(`worker exited (${code}) during ${spec!.id}`)));
            child.send({ spec } satisfies WorkerRequest);
          });
          child.removeAllListeners('exit');
          if ('error' in reply) throw new Error(`${reply.id}: ${reply.error}`);
          const r = reply.result;
          results.push(r);
          const row = r.row;
          console.error(
            `[${((performance.now() - started) / 1000).toFixed(0)} s] ${row.run} ${row.kind}/${row.embedder}: ${row.verdict} after ${row.iterations} iterations (${row.confirmation_verdicts ?? 'no confirmation'}), fresh p ${Number(row.fresh_p).toFixed(3)}, old rule stop ${row.old_stop_iteration ?? '—'} (fresh p ${row.old_fresh_p === null ? '—' : Number(row.old_fresh_p).toFixed(3)}); ${r.seconds.toFixed(0)} s; load ${load()}`,
          );
        }
      } finally {
        child.send({ done: true } satisfies WorkerRequest);
      }
    }),
  ).finally(() => children.forEach((c) => c.connected && c.disconnect()));
  return results;
}

const share = (rows: readonly Row[], pick: (r: Row) => boolean, among: (r: Row) => boolean = () => true) => {
  const base = rows.filter(among);
  return base.length ? base.filter(pick).length / base.length : NaN;
};
const count = (rows: readonly Row[], pick: (r: Row) => boolean) => rows.filter(pick).length;

/** ln k! for k = 0…n. */
function logFactorials(n: number): number[] {
  const out = [0];
  for (let k = 1; k <= n; k++) out.push(out[k - 1] + Math.log(k));
  return out;
}

/** P(X ≥ k) for X ~ Binomial(n, p). */
function upperTail(k: number, n: number, p: number): number {
  const lf = logFactorials(n);
  let total = 0;
  for (let j = k; j <= n; j++) total += Math.exp(lf[n] - lf[j] - lf[n - j] + j * Math.log(p) + (n - j) * Math.log1p(-p));
  return Math.min(1, total);
}

/** Exact (Clopper–Pearson) 95 % interval of a share k / n, by bisection on the binomial tails. */
function clopperPearson(k: number, n: number): [number, number] {
  const solve = (f: (p: number) => number) => {
    let lo = 0;
    let hi = 1;
    for (let i = 0; i < 60; i++) {
      const mid = (lo + hi) / 2;
      if (f(mid) < 0) lo = mid;
      else hi = mid;
    }
    return (lo + hi) / 2;
  };
  const low = k === 0 ? 0 : solve((p) => upperTail(k, n, p) - 0.025);
  const high = k === n ? 1 : solve((p) => 0.025 - (1 - upperTail(k + 1, n, p)));
  return [low, high];
}

/** "k of n, 95 % CI a–b" for a figure's unit. */
function ofRuns(k: number, n: number): string {
  if (n === 0) return 'no runs';
  const [a, b] = clopperPearson(k, n);
  return `${k} of ${n}; exact 95 % CI ${a.toFixed(3)}–${b.toFixed(3)}`;
}
const median = (values: readonly number[]) => (values.length ? quantile(values, 0.5) : NaN);
const meanOf = (values: readonly number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN);

/**
 * One rule's outcomes over runs: how often it says "indistinguishable", how often that answer is
 * distinguishable by the fresh check (of all runs; of the runs whose answer is distinguishable), and
 * missed convergence (the answer passes the fresh check but the rule ended "stopped, not converged").
 */
function ruleSummary(rule: string, rows: readonly Row[], said: (r: Row) => boolean, freshDistinguishable: (r: Row) => boolean | null, stopIteration: (r: Row) => number | null): Row {
  const known = rows.filter((r) => freshDistinguishable(r) !== null);
  const stops = rows.map(stopIteration).filter((v): v is number => v !== null);
  return {
    rule,
    runs: rows.length,
    said_indistinguishable: count(rows, said),
    false_indistinguishable: count(known, (r) => said(r) && freshDistinguishable(r) === true),
    false_rate_all_runs: share(known, (r) => said(r) && freshDistinguishable(r) === true),
    false_rate_among_distinguishable: share(known, said, (r) => freshDistinguishable(r) === true),
    answer_passes_fresh: count(known, (r) => freshDistinguishable(r) === false),
    missed_convergence_rate: share(known, (r) => !said(r), (r) => freshDistinguishable(r) === false),
    median_stop_iteration: median(stops),
  };
}

function rulesTable(rows: readonly Row[]): Row[] {
  const bool = (v: Row[string]) => (v === null ? null : v === true);
  return [
    ruleSummary('old: best posterior mean ≤ per-set floor high', rows, (r) => r.old_stop_iteration !== null, (r) => (r.old_stop_iteration !== null ? bool(r.old_fresh_distinguishable) : bool(r.fresh_distinguishable)), (r) => (r.old_stop_iteration as number | null) ?? null),
    ruleSummary(`new, default patience ${DEFAULT_PATIENCE} (replayed)`, rows, (r) => r.p3_verdict === 'indistinguishable', (r) => bool(r.p3_fresh_distinguishable), (r) => r.p3_stop_iteration as number),
    ruleSummary('new, budget 10 (as run)', rows, (r) => r.verdict === 'indistinguishable', (r) => bool(r.fresh_distinguishable), (r) => r.iterations as number),
    ruleSummary('candidate: upper end < power margin (replayed)', rows.filter((r) => r.alt_verdict !== 'beyond the run'), (r) => r.alt_verdict === 'indistinguishable', (r) => bool(r.alt_fresh_distinguishable), (r) => (r.alt_stop_iteration as number | null) ?? (r.iterations as number)),
    ruleSummary('p ≥ α alone (replayed)', rows.filter((r) => r.ponly_verdict !== 'beyond the run'), (r) => r.ponly_verdict === 'indistinguishable', (r) => bool(r.ponly_fresh_distinguishable), (r) => (r.ponly_stop_iteration as number | null) ?? (r.iterations as number)),
  ];
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const list = specs(args);
  const loadStart = load();
  const t0 = performance.now();
  console.log(
    `bench:trust — ${args.singles} single, ${args.mixtures} mixture, ${args.unreachable} unreachable truths (image statistics) + ${args.dino} DINOv2 stand-in runs; budget ${args.maxIterations} batches; ${args.jobs} worker(s); load ${loadStart}`,
  );
  const results = await runAll(list, args.jobs);
  const order = new Map(list.map((s, i) => [s.id, i]));
  results.sort((a, b) => order.get(a.spec.id)! - order.get(b.spec.id)!);
  const wallS = (performance.now() - t0) / 1000;

  const stats = results.filter((r) => r.spec.embedder === 'image-statistics');
  const dino = results.filter((r) => r.spec.embedder === 'dinov2-tiny');
  const rows = (list: RunResult[]) => list.map((r) => r.row);
  const show = (r: Row): Row => ({
    run: r.run,
    truth: r.truth,
    verdict: r.verdict === 'indistinguishable' ? 'INDIST' : 'not conv.',
    it: r.iterations,
    conf: r.confirmation_verdicts ?? '',
    fresh_p: r.fresh_p,
    old_stop: r.old_stop_iteration ?? '—',
    old_p: r.old_fresh_p ?? '—',
    p3_stop: `${r.p3_stop_iteration}${r.p3_verdict === 'indistinguishable' ? '*' : ''}`,
    rec_err: r.recovery_mean ?? '—',
    shape: r.shape_match === null ? '—' : r.shape_match ? 'ok' : 'no',
    recipe_u: r.recipe_mmd2_unbiased,
    single_u: r.best_single_mmd2_unbiased,
    null_ind: r.null_splits_indistinguishable ?? '—',
  });
  printTable(rows(stats).map(show), 'runs, image-statistics embedder (INDIST: ended "indistinguishable"; fresh_p: 64 fresh answer vs 64 fresh truth images; p3_stop * = converged with patience 3)');
  if (dino.length) printTable(rows(dino).map(show), 'runs, DINOv2 stand-in (dinov2-tiny.onnx, D = 16)');

  const ruleRows = rulesTable(rows(stats));
  printTable(ruleRows, 'the rules side by side on the same runs (image statistics; false = "indistinguishable" but the fresh check rejects at α = 0.05)');
  const byKind = (['single', 'mixture', 'unreachable'] as const).flatMap((kind) =>
    rulesTable(rows(stats).filter((r) => r.kind === kind)).map((r) => ({ kind, ...r })),
  );
  printTable(byKind, 'by truth kind');
  const dinoRules = dino.length ? rulesTable(rows(dino)) : [];
  if (dino.length) printTable(dinoRules, 'the rules on the DINOv2 stand-in runs');

  // Recovery (single truths; numeric parameters, share of range).
  const singles = stats.filter((r) => r.spec.kind === 'single');
  const params = singles[0]?.recovery ? Object.keys(singles[0].recovery) : [];
  const recoveryRows: Row[] = params.map((p) => {
    const errs = singles.map((r) => r.recovery![p]);
    return { parameter: p, mean_pct: 100 * meanOf(errs), median_pct: 100 * median(errs), max_pct: 100 * Math.max(...errs) };
  });
  const recoveryMeans = singles.map((r) => meanOf(Object.values(r.recovery!)));
  recoveryRows.push({ parameter: 'mean over parameters', mean_pct: 100 * meanOf(recoveryMeans), median_pct: 100 * median(recoveryMeans), max_pct: 100 * Math.max(...recoveryMeans) });
  recoveryRows.push({ parameter: 'void_shape (matches)', mean_pct: 100 * share(rows(singles), (r) => r.shape_match === true), median_pct: NaN, max_pct: NaN });
  printTable(recoveryRows, `recovery of the answer, ${singles.length} single truths (|answer − truth| / range, %)`);

  // Recipe on the mixture truths.
  const mixtures = rows(stats.filter((r) => r.spec.kind === 'mixture'));
  const recipeRows: Row[] = mixtures.map((r) => ({
    run: r.run,
    sets: r.recipe_sets,
    recipe_obj: r.recipe_mmd2,
    single_obj: r.best_single_mmd2,
    recipe_u: r.recipe_mmd2_unbiased,
    single_u: r.best_single_mmd2_unbiased,
    recipe_confirm: `${r.recipe_confirm} (p ${Number(r.recipe_confirm_p).toFixed(3)})`,
    single_confirm: `${r.single_confirm} (p ${Number(r.single_confirm_p).toFixed(3)})`,
    recipe_fresh_p: r.recipe_fresh_p,
    single_fresh_p: r.fresh_p,
    loop_verdict: r.verdict,
  }));
  printTable(recipeRows, 'recipe vs best single, mixture truths (obj: the convex V-form objective; u: unbiased MMD²; confirmations of m = 32 generated images)');

  // The known issue: a perfect generator's confirmations at the loop's sizes.
  const splits = singles.filter((r) => r.nullSplits);
  const nullTotal = splits.reduce((n, r) => n + r.nullSplits!.splits, 0);
  const nullShare = (key: 'indistinguishable' | 'distinguishable' | 'pointBelowDelta' | 'powerMargin' | 'halfWidthAboveDelta') => splits.reduce((n, r) => n + r.nullSplits![key], 0) / nullTotal;
  if (nullTotal) {
    printTable(
      [
        { reading: '"indistinguishable" (p ≥ α and upper end < δ): the pipeline\'s verdict', share: nullShare('indistinguishable') },
        { reading: '"distinguishable" (p < α): the test\'s size', share: nullShare('distinguishable') },
        { reading: 'observed MMD² < δ (the statistic against its own null quantile)', share: nullShare('pointBelowDelta') },
        { reading: 'upper half-width (high − MMD²) > δ: a pass needs MMD² < 0', share: nullShare('halfWidthAboveDelta') },
        { reading: 'candidate: p ≥ α and upper end < max(δ, MMD² detected with 80 % power)', share: nullShare('powerMargin') },
      ],
      `a perfect generator at the loop's sizes: ${nullTotal} splits of (run's real set + 64 fresh truth draws) into n real vs m = 32, over ${splits.length} single truths`,
    );
    const ratio = splits.map((r) => r.nullSplits!.powerMarginMmd2 / Number(r.row.delta)).filter(Number.isFinite);
    console.log(`power margin / δ over the runs: median ${median(ratio).toFixed(2)} (min ${Math.min(...ratio).toFixed(2)}, max ${Math.max(...ratio).toFixed(2)})`);
    const dinoSplits = dino.filter((r) => r.nullSplits);
    if (dinoSplits.length) {
      const total = dinoSplits.reduce((n, r) => n + r.nullSplits!.splits, 0);
      const of = (key: 'indistinguishable' | 'distinguishable') => dinoSplits.reduce((n, r) => n + r.nullSplits![key], 0) / total;
      console.log(`DINOv2 stand-in, the same splits: "indistinguishable" ${of('indistinguishable').toFixed(3)}, "distinguishable" ${of('distinguishable').toFixed(3)} (${total} splits over ${dinoSplits.length} single truths)`);
    }
    const truthP = rows(singles).map((r) => Number(r.truth_fresh_p));
    console.log(`control: the truth itself through the fresh check, p < α in ${truthP.filter((p) => p < ALPHA).length} of ${truthP.length} single truths`);
  }

  const rule = (rs: Row[], name: string) => rs.find((r) => String(r.rule).startsWith(name))!;
  const asRun = rule(ruleRows, 'new, budget');
  const oldRule = rule(ruleRows, 'old');
  const p3 = rule(ruleRows, 'new, default');
  const alt = rule(ruleRows, 'candidate');
  const converged = stats.filter((r) => r.row.verdict === 'indistinguishable');
  const num = (v: Row[string] | undefined) => Number(v);
  const figures: Record<string, Figure> = {
    false_indistinguishable_rate: { value: num(asRun.false_rate_all_runs), unit: `share of ${stats.length} runs (image statistics, all truth kinds) that end "indistinguishable" while 64 fresh images of the answer are distinguishable from 64 fresh truth draws (permutation test, α = ${ALPHA}); ${ofRuns(num(asRun.false_indistinguishable), stats.length)}`, target: 0.05, better: 'lower' },
    indistinguishable_answers_within_delta: { value: share(rows(converged), (r) => r.fresh_within_delta === true), unit: `share of the ${converged.length} "indistinguishable" answers whose fresh 64 vs 64 MMD² (an unbiased estimate of the population MMD²) is below the run's δ: the claim "within δ" itself`, target: null, better: 'higher' },
    false_indistinguishable_among_distinguishable: { value: num(asRun.false_rate_among_distinguishable), unit: 'share of the runs whose answer the fresh check rejects that still end "indistinguishable"', target: 0.05, better: 'lower' },
    false_indistinguishable_rate_mixture: { value: num(rule(byKind.filter((r) => r.kind === 'mixture'), 'new, budget').false_rate_all_runs), unit: 'as false_indistinguishable_rate, mixture truths only', target: 0.05, better: 'lower' },
    false_indistinguishable_rate_unreachable: { value: num(rule(byKind.filter((r) => r.kind === 'unreachable'), 'new, budget').false_rate_all_runs), unit: 'as false_indistinguishable_rate, truths outside the bounds only', target: 0.05, better: 'lower' },
    old_rule_false_stop_rate: { value: num(oldRule.false_rate_all_runs), unit: 'the old rule (best posterior mean ≤ per-set floor band high), reconstructed on the same runs: share of runs it stops whose answer the fresh check rejects', target: 0.05, better: 'lower' },
    old_rule_stop_rate: { value: num(oldRule.said_indistinguishable) / stats.length, unit: 'share of runs the old rule would have stopped as converged', target: null, better: 'lower' },
    old_rule_median_stop_iteration: { value: num(oldRule.median_stop_iteration), unit: 'iteration at which the old rule would have stopped (median over the runs it stops)', target: null, better: 'higher' },
    old_rule_stops_at_iteration_1: { value: share(rows(stats), (r) => r.old_stop_iteration === 1), unit: 'share of runs the old rule stops at iteration 1', target: null, better: 'lower' },
    converged_rate: { value: num(asRun.said_indistinguishable) / stats.length, unit: `share of runs ending "indistinguishable" (a passed confirmation); ${ofRuns(num(asRun.said_indistinguishable), stats.length)}`, target: null, better: 'higher' },
    missed_convergence_rate: { value: num(asRun.missed_convergence_rate), unit: `share of the runs whose answer passes the fresh check (p ≥ α) that end "stopped, not converged"; ${ofRuns(Math.round(num(asRun.missed_convergence_rate) * num(asRun.answer_passes_fresh)), num(asRun.answer_passes_fresh))}`, target: null, better: 'lower' },
    missed_convergence_rate_within_delta: {
      value: share(rows(stats), (r) => r.verdict !== 'indistinguishable', (r) => r.fresh_within_delta === true),
      unit: `the same with "truly within the floor" read as the claim itself: the answer's fresh 64 vs 64 MMD² (unbiased, so an estimate of the population MMD²) below the run's δ; ${ofRuns(count(rows(stats), (r) => r.fresh_within_delta === true && r.verdict !== 'indistinguishable'), count(rows(stats), (r) => r.fresh_within_delta === true))}`,
      target: null,
      better: 'lower',
    },
    answer_passes_fresh_check_rate: { value: num(asRun.answer_passes_fresh) / stats.length, unit: 'share of runs whose final answer passes the fresh check (p ≥ α): the denominator of missed convergence', target: null, better: 'higher' },
    missed_convergence_rate_single: { value: num(rule(byKind.filter((r) => r.kind === 'single'), 'new, budget').missed_convergence_rate), unit: 'as missed_convergence_rate, reachable single truths only', target: null, better: 'lower' },
    missed_convergence_rate_patience3: { value: num(p3.missed_convergence_rate), unit: `as missed_convergence_rate with the app's default patience ${DEFAULT_PATIENCE} (replayed on the records)`, target: null, better: 'lower' },
    false_indistinguishable_rate_patience3: { value: num(p3.false_rate_all_runs), unit: `as false_indistinguishable_rate with the default patience ${DEFAULT_PATIENCE}`, target: 0.05, better: 'lower' },
    median_iterations_to_confirmed_answer: { value: median(converged.map((r) => num(r.row.confirmed_at_iteration))), unit: `iteration of the passing confirmation (confirmation iterations counted), median over the ${converged.length} converged runs`, target: null, better: 'lower' },
    median_batches_to_confirmed_answer: { value: median(converged.map((r) => num(r.row.confirmed_at_batch))), unit: 'optimizer batches run before the passing confirmation, median over the converged runs', target: null, better: 'lower' },
    recovery_error_mean_pct: { value: num(recoveryRows.find((r) => r.parameter === 'mean over parameters')?.mean_pct), unit: `% of range, mean over the 5 numeric parameters and the ${singles.length} single truths (answer vs truth)`, target: null, better: 'lower' },
    ...Object.fromEntries(
      recoveryRows
        .filter((r) => params.includes(String(r.parameter)))
        .map((r) => [`recovery_error_${r.parameter}_pct`, { value: num(r.mean_pct), unit: '% of range, mean over the single truths', target: null, better: 'lower' } satisfies Figure]),
    ),
    recovery_shape_match_rate: { value: share(rows(singles), (r) => r.shape_match === true), unit: 'share of single truths whose answer has the true void_shape', target: null, better: 'higher' },
    recipe_objective_le_best_single: { value: share(mixtures, (r) => num(r.recipe_mmd2) <= num(r.best_single_mmd2) + 1e-12), unit: `share of the ${mixtures.length} mixture runs with the recipe's objective (V-form MMD²) ≤ the best single set's: the issue asks for every run`, target: 1, better: 'higher' },
    recipe_unbiased_le_best_single: { value: share(mixtures, (r) => num(r.recipe_mmd2_unbiased) <= num(r.best_single_mmd2_unbiased) + 1e-12), unit: 'the same with the unbiased MMD² of the mixture vs the best single set\'s (the V-form favours mixing; see docs/decisions.md, "Recipe")', target: 1, better: 'higher' },
    recipe_confirms_single_does_not: { value: share(mixtures, (r) => r.recipe_confirm === 'indistinguishable' && r.single_confirm !== 'indistinguishable'), unit: `share of mixture runs where the recipe's confirmation (m = 32 generated by its counts) reads "indistinguishable" and the single answer's does not (source: ${[...new Set(mixtures.map((r) => r.recipe_confirm_source))].join(', ')})`, target: null, better: 'higher' },
    recipe_false_indistinguishable_rate: { value: share(mixtures, (r) => r.recipe_confirm === 'indistinguishable' && r.recipe_fresh_distinguishable === true), unit: 'share of mixture runs whose recipe confirms while 64 fresh images of the recipe (counts by its weights) are distinguishable from 64 fresh truth draws', target: 0.05, better: 'lower' },
    recipe_passes_fresh_check_rate: { value: share(mixtures, (r) => r.recipe_fresh_distinguishable === false), unit: 'share of mixture runs whose recipe passes the fresh check (p ≥ α); the single answer passes it in answer_passes_fresh (mixtures: see rules_by_kind)', target: null, better: 'higher' },
    recipe_confirm_rate: { value: share(mixtures, (r) => r.recipe_confirm === 'indistinguishable'), unit: 'share of mixture runs whose recipe confirms', target: null, better: 'higher' },
    single_confirm_rate_mixtures: { value: share(mixtures, (r) => r.single_confirm === 'indistinguishable'), unit: 'share of mixture runs whose single answer confirms (same test, fresh m = 32)', target: null, better: 'lower' },
    perfect_generator_indistinguishable_rate: { value: nullTotal ? nullShare('indistinguishable') : NaN, unit: `share of ${nullTotal} perfect-generator confirmations (${splits.length} truths × ${args.nullSplits} splits of their truth draws at n real vs m = 32; the splits of one truth share its images) reading "indistinguishable": the verdict rule's power at P = R`, target: null, better: 'higher' },
    perfect_generator_distinguishable_rate: { value: nullTotal ? nullShare('distinguishable') : NaN, unit: 'the same splits reading "distinguishable" (the test\'s size, ≈ α)', target: 0.05, better: 'lower' },
    perfect_generator_half_width_above_delta: { value: nullTotal ? nullShare('halfWidthAboveDelta') : NaN, unit: 'the same splits whose bootstrap upper half-width exceeds δ (a pass then needs a negative MMD²)', target: null, better: 'lower' },
    candidate_rule_perfect_generator_rate: { value: nullTotal ? nullShare('powerMargin') : NaN, unit: 'the same splits passing the candidate rule (p ≥ α and the upper end below max(δ, the MMD² the test detects with 80 % power))', target: null, better: 'higher' },
    truth_fresh_check_reject_rate: { value: share(rows(singles), (r) => Number(r.truth_fresh_p) < ALPHA), unit: 'control: share of single truths whose own fresh images the fresh check rejects (its size, ≈ α)', target: 0.05, better: 'lower' },
    candidate_rule_false_indistinguishable_rate: { value: num(alt.false_rate_all_runs), unit: `the candidate rule replayed on the runs' confirmations (${alt.runs} runs where the replay is exact): false "indistinguishable" share`, target: 0.05, better: 'lower' },
    p_only_false_indistinguishable_rate: { value: num(rule(ruleRows, 'p ≥ α').false_rate_all_runs), unit: 'the rule "p ≥ α" alone (no interval), replayed on the runs\' confirmations: false "indistinguishable" share', target: 0.05, better: 'lower' },
    candidate_rule_converged_rate: { value: num(alt.said_indistinguishable) / num(alt.runs), unit: 'the candidate rule, replayed: share of runs ending "indistinguishable"', target: null, better: 'higher' },
    candidate_rule_missed_convergence_rate: { value: num(alt.missed_convergence_rate), unit: 'the candidate rule, replayed: missed convergence', target: null, better: 'lower' },
    ...(dino.length
      ? {
          dino_false_indistinguishable_rate: { value: num(rule(dinoRules, 'new, budget').false_rate_all_runs), unit: `as false_indistinguishable_rate on the ${dino.length} DINOv2 stand-in runs`, target: 0.05, better: 'lower' },
          dino_old_rule_false_stop_rate: { value: num(rule(dinoRules, 'old').false_rate_all_runs), unit: 'the old rule on the DINOv2 stand-in runs', target: 0.05, better: 'lower' },
          dino_converged_rate: { value: num(rule(dinoRules, 'new, budget').said_indistinguishable) / dino.length, unit: 'share of DINOv2 stand-in runs ending "indistinguishable"', target: null, better: 'higher' },
          dino_perfect_generator_indistinguishable_rate: {
            value: (() => {
              const list = dino.filter((r) => r.nullSplits);
              return list.reduce((n, r) => n + r.nullSplits!.indistinguishable, 0) / list.reduce((n, r) => n + r.nullSplits!.splits, 0);
            })(),
            unit: 'perfect-generator confirmations reading "indistinguishable" on the DINOv2 stand-in single truths',
            target: null,
            better: 'higher',
          },
          dino_missed_convergence_rate: { value: num(rule(dinoRules, 'new, budget').missed_convergence_rate), unit: 'missed convergence on the DINOv2 stand-in runs', target: null, better: 'lower' },
        }
      : {}),
    wall_s: { value: Math.round(wallS), unit: `seconds for the whole bench (${args.jobs} worker processes)`, target: 1800, better: 'lower' },
  };
  const replayProblems = results.filter((r) => r.row.replay_check !== 'ok');
  if (replayProblems.length) console.error(`replay check failed on ${replayProblems.map((r) => `${r.row.run}: ${r.row.replay_check}`).join('; ')}`);
  const confirmationRows: Row[] = results.flatMap((r) => r.confirmations.map((c) => ({ table: 'confirmation', run: r.spec.id, ...c })));
  const notMeasured: Row[] = mixtures.some((r) => r.recipe_confirm_source === 'bench')
    ? [
        {
          table: 'note',
          figure: 'recipe_confirms_single_does_not',
          note: 'ExperimentService.recipe / confirmRecipe are not in this build: the recipe is computed with engine/trust/recipe.ts on the stored embeddings, and its confirmation is the bench\'s own (m images generated by recipeCounts at fresh seeds, tested with confirmationTestInput + confirm, the pipeline\'s test), not the service\'s recipe confirmation',
        },
      ]
    : [];
  writeBenchResult({
    bench: args.out,
    machine: machineInfo({
      jobs: args.jobs,
      embedders: `image statistics (${stats.length} runs), DINOv2 stand-in dinov2-tiny.onnx on onnxruntime-web WASM (${dino.length} runs)`,
      seeds: `truth and experiment seed = ${args.seed} × 1000 + run index`,
      load_start: loadStart,
      load_end: load(),
    }),
    figures,
    rows: [
      ...results.map((r) => ({ table: 'run', ...r.row, seconds: +r.seconds.toFixed(1), ...Object.fromEntries(Object.entries(r.timings).map(([k, v]) => [`t_${k}`, v])) })),
      ...confirmationRows,
      ...ruleRows.map((r) => ({ table: 'rules', embedder: 'image-statistics', ...r })),
      ...byKind.map((r) => ({ table: 'rules_by_kind', ...r })),
      ...dinoRules.map((r) => ({ table: 'rules', embedder: 'dinov2-tiny', ...r })),
      ...recoveryRows.map((r) => ({ table: 'recovery', ...r })),
      ...(nullTotal
        ? [{ table: 'perfect_generator', splits: nullTotal, indistinguishable: nullShare('indistinguishable'), distinguishable: nullShare('distinguishable'), point_below_delta: nullShare('pointBelowDelta'), half_width_above_delta: nullShare('halfWidthAboveDelta'), candidate_rule: nullShare('powerMargin') }]
        : []),
      ...notMeasured,
    ],
  });
  console.log(`\n${results.length} runs in ${(wallS / 60).toFixed(1)} min; load ${loadStart} → ${load()}`);
}

await main();
