/**
 * npm run bench:reliability — the reliability and security campaign, measured (docs/benchmarks.md):
 *
 * 1. Faults: an uninterrupted twin run of the studio in real Chromium (image-statistics embedder, 26
 *    images at iteration 0, then 3 iterations of 4 sets × 2), then `--kills` seeded kill points (default
 *    36: six per stage — generate, embed, score, store, propose, export), each a fresh profile whose run
 *    is interrupted by closing the tab, reloading it or crashing the stage's worker, then carried on to
 *    the end and compared record by record with the twin (bench/reliability/faults.ts); a second tab on
 *    the running experiment; a real quota error (bench/reliability/scenarios.ts).
 * 2. Hostile input: every case of bench/reliability/hostileInputs.ts, the Chromium ones included.
 * 3. Data stays in the tab: the twin run's requests that left the page's origin and its CSP refusals; a
 *    run with a catalog model (its host answered with the stand-in), then a reloaded page with it cached
 *    (bench/reliability/modelCacheScenario.ts).
 *
 * 4. Load and soak: a 50-iteration auto-run with the image-statistics embedder and a 10-iteration one
 *    with the ViT-S/14-sized DINOv2 stand-in (built on demand into models/standin/), then the export
 *    (bench/reliability/soak.ts): heap, storage, workers, longest main-thread task per iteration.
 *
 * Prints the tables and writes bench/results/reliability.json.
 *
 *   npm run bench:reliability -- [--kills 36] [--seed 1] [--soak 50] [--soak-dinov2 10] [--skip-hostile] [--skip-soak]
 *   npm run bench:reliability -- --soak-only     the soaks again, alone on the machine (the longest-task
 *                                                figures are wall time: a busy machine inflates them); their
 *                                                figures and rows replace those in the results file
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAppServer } from './lib/browser';
import { machineInfo, printTable, writeBenchResult, type BenchResult, type Figure, type Row } from './lib/report';
import { runFaultCampaign, twinRun, type FaultResult } from './reliability/faults';
import { campaignCounts, runHostileCampaign } from './reliability/hostileInputs';
import { modelCacheScenario } from './reliability/modelCacheScenario';
import { storageFullScenario, twoTabScenario } from './reliability/scenarios';
import { runSoak, soakRows } from './reliability/soak';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
};
const KILLS = arg('kills', 36);
const SEED = arg('seed', 1);
const SKIP_HOSTILE = process.argv.includes('--skip-hostile');
const SKIP_SOAK = process.argv.includes('--skip-soak');
const SOAK_ONLY = process.argv.includes('--soak-only');
const SOAK = arg('soak', 50);
const SOAK_DINOV2 = arg('soak-dinov2', 10);

const figure = (value: number, unit: string, target: number | null, better: Figure['better']): Figure => ({ value, unit, target, better });

function faultRow(r: FaultResult): Row {
  return {
    part: 'fault',
    kill: r.point.index,
    stage: r.point.stage,
    iteration: r.point.iteration,
    how: r.point.how,
    delay_ms: r.point.delayMs,
    killed_at: r.killedAt,
    survived: r.survived,
    lost: r.comparison.lost,
    duplicated: r.comparison.duplicated,
    changed: r.comparison.changed,
    retries: r.failures.length,
    export_matches: r.exportMatches,
    seconds: +r.seconds.toFixed(1),
    error: r.error,
  };
}

async function runSoaks(rows: Row[], figures: Record<string, Figure>): Promise<void> {
  // Each soak starts its own server and browser: alone on the machine, so its long tasks are its own.
  for (const [prefix, iterations, embedder] of [['soak', SOAK, 'image-statistics'], ['soak_dinov2', SOAK_DINOV2, 'dinov2-standin']] as const) {
    if (iterations <= 0) continue;
    console.log(`\n${prefix}: ${iterations} iterations, ${embedder}…`);
    const soak = await runSoak({ iterations, embedder });
    const table = soakRows(soak);
    printTable(table, `Soak: ${iterations} iterations, ${embedder}`);
    rows.push(...table.map((r) => ({ part: prefix, ...r })));
    for (const [name, f] of Object.entries(soak.figures)) figures[`${prefix}_${name}`] = f;
  }
}

/** Replaces the soak figures and rows of the results file with a fresh soak's. */
async function soakOnly(): Promise<void> {
  const path = join(dirname(fileURLToPath(import.meta.url)), 'results', 'reliability.json');
  const previous = JSON.parse(readFileSync(path, 'utf8')) as BenchResult;
  const isSoak = (key: string) => key.startsWith('soak');
  const rows = previous.rows.filter((r) => !isSoak(String(r.part)));
  const figures = Object.fromEntries(Object.entries(previous.figures).filter(([name]) => !isSoak(name)));
  await runSoaks(rows, figures);
  writeBenchResult({ ...previous, machine: { ...previous.machine, soak_date: new Date().toISOString() }, figures, rows });
}

async function main() {
  if (SOAK_ONLY) return soakOnly();
  const downloads = mkdtempSync(join(tmpdir(), 'lcs-reliability-'));
  const { server, baseUrl } = await startAppServer();
  const rows: Row[] = [];
  const figures: Record<string, Figure> = {};
  try {
    console.log('twin run…');
    const twin = await twinRun(baseUrl, downloads);
    console.log(`twin: ${twin.stored.samples.length} samples in ${twin.seconds.toFixed(1)} s`);
    const campaign = await runFaultCampaign({
      baseUrl,
      count: KILLS,
      seed: SEED,
      downloads,
      twin,
      onResult: (r) => console.log(`kill ${r.point.index} ${r.point.stage}/${r.point.how} at ${r.killedAt}: ${r.survived ? 'survived' : `NOT survived ${JSON.stringify(r.comparison)} ${r.error ?? ''} ${r.failures.join('; ')}`}`),
    });
    const faultRows = campaign.results.map(faultRow);
    printTable(faultRows, 'Kill points (each against the uninterrupted twin)');
    rows.push(...faultRows);

    // A scenario that throws counts as not survived, with its error, and the campaign goes on.
    const orFailed = async <T extends { survived: boolean; message: string }>(run: Promise<T>, failed: T): Promise<T> => run.catch((e: Error) => ({ ...failed, survived: false, message: `failed: ${e.message.split('\n')[0]}` }));
    const none = { lost: 0, duplicated: 0, extra: 0, changed: 0, iterationsDiffer: false, statusDiffers: false };
    console.log('\ntwo tabs…');
    const tabs = await orFailed(twoTabScenario(baseUrl, twin), { readOnlyShown: false, buttonsDisabled: false, followed: false, tookOver: false, message: '', comparison: none, survived: false });
    console.log('storage full…');
    const full = await orFailed(storageFullScenario(baseUrl, twin), { paused: false, message: '', samplesBefore: 0, keptBefore: false, resumed: false, quotaBytes: 0, comparison: none, survived: false });
    const scenarioRows: Row[] = [
      { part: 'scenario', name: 'two tabs', survived: tabs.survived, detail: `read-only shown ${tabs.readOnlyShown}, buttons disabled ${tabs.buttonsDisabled}, followed ${tabs.followed}, took over ${tabs.tookOver}`, lost: tabs.comparison.lost, duplicated: tabs.comparison.duplicated, message: tabs.message },
      { part: 'scenario', name: 'storage full (real quota)', survived: full.survived, detail: `quota ${full.quotaBytes} B, paused ${full.paused}, kept ${full.samplesBefore} samples ${full.keptBefore}, resumed ${full.resumed}`, lost: full.comparison.lost, duplicated: full.comparison.duplicated, message: full.message },
    ];
    printTable(scenarioRows, 'Scenarios');
    rows.push(...scenarioRows);

    const results = campaign.results;
    const injected = results.filter((r) => r.injected).length + 2;
    const survived = results.filter((r) => r.injected && r.survived).length + Number(tabs.survived) + Number(full.survived);
    const comparisons = [...results.map((r) => r.comparison), tabs.comparison, full.comparison];
    figures.faults_injected = figure(injected, 'faults (kill points reached, two tabs, full disk)', 32, 'higher');
    figures.faults_survived = figure(survived, 'faults ending with the twin\'s records', injected, 'higher');
    figures.samples_lost = figure(comparisons.reduce((s, c) => s + c.lost, 0), 'samples, all faults', 0, 'lower');
    figures.samples_duplicated = figure(comparisons.reduce((s, c) => s + c.duplicated, 0), 'samples, all faults', 0, 'lower');
    figures.stages_needing_retry = figure(results.reduce((s, r) => s + r.failures.length, 0), 'Retry stage clicks after a fault', 0, 'lower');
    figures.requests_outside_origin = figure(twin.requestsOutside.length, 'requests, iteration 0 to export (model not downloaded: image statistics)', 0, 'lower');
    figures.csp_violations = figure(twin.cspViolations.length, 'refusals reported, whole run', 0, 'lower');
    const cached = await modelCacheScenario(baseUrl);
    rows.push({ part: 'scenario', name: 'catalog model: first run, then cached', survived: cached.passed, detail: `first run outside the origin: ${cached.firstRunOutside.join(' ')}; cached run: ${cached.cachedRunOutside.length}` });
    figures.model_host_requests_first_run = figure(cached.firstRunOutside.length, 'requests, all to the model host (model not cached)', null, 'lower');
    figures.requests_outside_origin_cached_model = figure(cached.cachedRunOutside.length, 'requests, reloaded page with the model cached, one Step', 0, 'lower');
    figures.twin_run_seconds = figure(+twin.seconds.toFixed(1), 's', null, 'lower');

    if (!SKIP_HOSTILE) {
      console.log('\nhostile inputs…');
      const hostile = await runHostileCampaign({ browser: true });
      const counts = campaignCounts(hostile);
      const hostileRows: Row[] = hostile.map((h) => ({ part: 'hostile', case: h.id, family: h.family, ran: h.ran, named: h.named, changed: h.changed, passed: h.passed, message: h.message.slice(0, 160), error: h.error ?? null }));
      printTable(hostileRows.map(({ message: _m, ...r }) => r), 'Hostile inputs');
      rows.push(...hostileRows);
      figures.bad_inputs_tried = figure(counts.tried, 'cases', 40, 'higher');
      figures.bad_inputs_named_unchanged = figure(counts.passed, 'cases with a named message and zero changes', counts.tried, 'higher');
    }
  } finally {
    await server.close();
    rmSync(downloads, { recursive: true, force: true });
  }
  if (!SKIP_SOAK) await runSoaks(rows, figures);
  writeBenchResult({ bench: 'reliability', machine: machineInfo({ browser: 'Chromium (headless, Debian)' }), figures, rows });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
