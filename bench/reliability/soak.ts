/**
 * Load and soak: a long auto-run of the real page in headless Chromium (the dev server `npm start`
 * serves), watched iteration by iteration, then the export of everything it made.
 *
 * The config lets nothing stop the run before max_iterations = N: the absolute threshold −1 (no best
 * set's MMD² reaches it, so no confirmation is ever due) and a plateau patience beyond N. "Run
 * iteration 0" and "Auto-run" are clicked in the page. Whenever the progress view moves to the next
 * iteration (and when the run is idle at the end), the bench records for the iteration just finished:
 * the main thread's JS heap after a forced full GC (CDP HeapProfiler.collectGarbage, then
 * Runtime.getHeapUsage), navigator.storage.estimate()'s usage, the live workers (playwright's
 * page.workers(); also sampled between), the iteration's wall time and its longest main-thread task with
 * what ran in it (long-animation-frame scripts). A task that overlaps the bench's own forced GC is
 * the measurement's, not the app's, and is left out (and counted).
 *
 * At the end: every stored sample id against the ids the config implies (iteration 0's sets × their
 * replications, batch × replicates per later iteration): lost, duplicated, unexpected; the bytes each
 * iteration stored (PNG + embeddings + JSON-size of its records); then "Export ZIP" clicked, timed to
 * the download, and the ZIP read back (size, PNG count, metadata rows, lost and duplicated ids in it).
 *
 * Growth figures are least-squares slopes over the iterations after the first few (warm-up: plotly.js,
 * workers and caches settle), in bytes per iteration, beside the stored data per iteration.
 */
import { readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import type { CDPSession, Page } from 'playwright-core';
import { parse as parseYaml } from 'yaml';
import { DATASET_TYPES, parseExperimentConfig } from '../../src/engine/config/experimentConfig';
import { formatSampleId } from '../../src/engine/experiment/sample';
import { launchBenchBrowser, startAppServer } from '../lib/browser';
import { machineInfo, type Figure, type Row } from '../lib/report';
import { mainThreadEvents, readTrace, type TraceEvent } from '../lib/trace';
import {
  clickAndWaitIdle,
  longTaskScripts,
  longTasks,
  loafs,
  openStudio,
  storageUsage,
  storedIterations,
  type LongTask,
  type StudioEmbedder,
} from '../lib/studioPage';

export interface SoakOptions {
  iterations: number;
  embedder: StudioEmbedder;
  /** Progress lines (default: console.log). */
  log?: (line: string) => void;
  /**
   * Samples the main thread's JS (the V8 profiler over CDP) from the start of this iteration to the end
   * of the run, and gives the functions that took the most time: to find what grows. It slows the page.
   */
  cpuProfileFrom?: number;
}

/** One iteration of the run: what it took and what was held after it. */
export interface SoakIteration {
  iteration: number;
  images: number;
  wall_s: number;
  /** Main-thread JS heap used after a forced full GC, measured as the next iteration began. */
  heap_used_bytes: number;
  /** navigator.storage.estimate().usage after the iteration. */
  idb_usage_bytes: number;
  /** What the iteration stored: PNG blobs + embeddings + JSON size of its sample and iteration records. */
  data_added_bytes: number;
  /** Live workers when measured, and the most seen while the iteration ran (sampled every poll). */
  workers: number;
  workers_max: number;
  /** Elements in the document when measured: a view that renders everything it ever showed grows here. */
  dom_nodes: number;
  longest_task_ms: number;
  /**
   * The longest thread (CPU) time of a main-thread task in the iteration, from a Chromium trace: what a
   * task cost without its waits for a core on a shared machine (wall times include them).
   */
  longest_task_cpu_ms: number | null;
  tasks_over_100ms: number;
  longest_task_what: string;
}

export interface SoakResult {
  bench: string;
  date: string;
  options: { iterations: number; embedder: StudioEmbedder };
  machine: Record<string, string | number>;
  figures: Record<string, Figure>;
  rows: SoakIteration[];
  samples: { expected: number; stored: number; lost: string[]; duplicated: string[]; unexpected: string[] };
  export: { seconds: number; bytes: number; pngs: number; metadataRows: number; lost: string[]; duplicated: string[]; longestTaskMs: number; longestTaskWhat: string };
  /** Long tasks that overlapped the bench's own forced GC: the measurement's, left out of the figures. */
  measurementTasks: { count: number; longestMs: number };
  /** With cpuProfileFrom: the functions with the most main-thread time, self and inclusive (app code). */
  profile?: { fromIteration: number; self: ProfileLine[]; appInclusive: ProfileLine[] };
}

export type ProfileLine = { fn: string; ms: number };

/** A config nothing ends before `iterations` batches. */
export function soakConfigYaml(iterations: number): string {
  return `experiment_name: "soak"
max_iterations: ${iterations}
convergence_rule: absolute
convergence_threshold: -1
early_stop_patience: ${iterations + 1}
`;
}

/** The sample ids the config asks for: iteration 0's sets × their replications, then batch × replicates per iteration. */
export function expectedSampleIds(configYaml: string, simulatedReal = true): string[] {
  const parsed = parseExperimentConfig(parseYaml(configYaml));
  if (!parsed.ok) throw new Error(`soak config: ${parsed.errors.join('; ')}`);
  const config = parsed.config;
  const ids: string[] = [];
  for (const dataset of DATASET_TYPES) {
    if (dataset === 'real' && !simulatedReal) continue;
    const count = config[dataset].param_sets * config[dataset].replications;
    for (let i = 0; i < count; i++) ids.push(formatSampleId(0, dataset, i));
  }
  for (let iteration = 1; iteration <= config.max_iterations; iteration++) {
    for (let i = 0; i < config.iteration_batch_size * config.replications_per_iteration; i++) ids.push(formatSampleId(iteration, 'synthetic', i));
  }
  return ids;
}

/** Lost (expected, not seen), duplicated (seen more than once) and unexpected (seen, not expected) ids. */
export function compareIds(expected: readonly string[], seen: readonly string[]): { lost: string[]; duplicated: string[]; unexpected: string[] } {
  const counts = new Map<string, number>();
  for (const id of seen) counts.set(id, (counts.get(id) ?? 0) + 1);
  const wanted = new Set(expected);
  return {
    lost: expected.filter((id) => !counts.has(id)),
    duplicated: [...counts].filter(([, n]) => n > 1).map(([id]) => id),
    unexpected: [...counts.keys()].filter((id) => !wanted.has(id)),
  };
}

/** Least-squares slope of y over x. */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  if (n < 2) return NaN;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  return sxy / sxx;
}

/** The iterations left out of the growth fits: the first few, while plotly.js, workers and caches settle. */
export function warmupIterations(iterations: number): number {
  return Math.min(5, Math.floor(iterations / 3));
}

interface Measurement {
  iteration: number;
  heapUsed: number;
  usage: number;
  workers: number;
  domNodes: number;
  /** Page time of the bench's forced GC, [from, to]. */
  gc: [number, number];
}

async function measure(page: Page, cdp: CDPSession, iteration: number): Promise<Measurement> {
  const from = await page.evaluate(() => performance.now());
  await cdp.send('HeapProfiler.collectGarbage');
  const to = await page.evaluate(() => performance.now());
  const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  const domNodes = await page.evaluate(() => document.getElementsByTagName('*').length);
  return { iteration, heapUsed: heap.usedSize, usage: await storageUsage(page), workers: page.workers().length, domNodes, gc: [from, to] };
}

/** The iteration the progress view shows (null when it shows none) and whether a run is going. */
const progressState = (page: Page) =>
  page.evaluate(() => {
    const m = /Iteration (\d+)/.exec(document.querySelector('.stage-progress__title')?.textContent ?? '');
    const stop = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Stop') as HTMLButtonElement | undefined;
    return { iteration: m ? Number(m[1]) : null, running: !!stop && !stop.disabled };
  });

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const log = options.log ?? console.log;
  const N = options.iterations;
  if (!Number.isInteger(N) || N < 1) throw new Error(`iterations must be a whole number ≥ 1, got ${N}`);
  const configYaml = soakConfigYaml(N);
  const loadBefore = loadavg().map((v) => v.toFixed(2)).join(' ');
  const { server, baseUrl } = await startAppServer();
  const { browser, page, version } = await launchBenchBrowser();
  let workersCreated = 0;
  page.on('worker', () => workersCreated++);
  try {
    const { backend, threads } = await openStudio(page, baseUrl, { configYaml, experimentName: 'soak', embedder: options.embedder, log });
    const cdp = await page.context().newCDPSession(page);
    const measurements: Measurement[] = [];
    const workerPeaks = new Map<number, number>();
    const peak = (iteration: number) => workerPeaks.set(iteration, Math.max(workerPeaks.get(iteration) ?? 0, page.workers().length));

    // A light trace (task boundaries with their thread time, and a mark that aligns its clock with the page's).
    await cdp.send('Tracing.start', { transferMode: 'ReturnAsStream', traceConfig: { includedCategories: ['toplevel', 'blink.user_timing'] } });
    const syncAt = await page.evaluate(() => performance.mark('soak:sync').startTime);
    log('Run iteration 0…');
    const zero = await clickAndWaitIdle(page, 'Run iteration 0');
    peak(0);
    measurements.push(await measure(page, cdp, 0));
    log(`  iteration 0: ${(zero.wallMs / 1000).toFixed(1)} s`);

    log(`Auto-run to ${N} iterations…`);
    await page.getByRole('button', { name: 'Auto-run' }).waitFor({ timeout: 120_000 });
    let settled = false;
    const auto = clickAndWaitIdle(page, 'Auto-run').finally(() => (settled = true));
    let current = 0;
    let profiling = false;
    for (;;) {
      const state = await progressState(page).catch(() => ({ iteration: null, running: true }));
      peak(state.iteration ?? current);
      if (options.cpuProfileFrom !== undefined && !profiling && (state.iteration ?? 0) >= options.cpuProfileFrom) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.start');
        profiling = true;
      }
      if (state.iteration !== null && state.iteration > current) {
        for (let k = current + 1; k < state.iteration; k++) log(`  iteration ${k} passed between two polls: measured with the next`);
        // Iteration 0 was measured when its click went idle.
        if (state.iteration - 1 >= 1) {
          const m = await measure(page, cdp, state.iteration - 1);
          measurements.push(m);
          log(`  iteration ${m.iteration}: heap ${(m.heapUsed / 2 ** 20).toFixed(1)} MiB, storage ${(m.usage / 2 ** 20).toFixed(0)} MiB, ${m.workers} workers`);
        }
        current = state.iteration;
      }
      if (settled) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const autoRun = await auto;
    const profile = profiling ? summariseProfile(((await cdp.send('Profiler.stop')) as { profile: CpuProfile }).profile) : undefined;
    await page.waitForTimeout(1500); // the last iteration's reload and plots belong to it
    const last = await measure(page, cdp, current);
    measurements.push(last);
    log(`  iteration ${current}: heap ${(last.heapUsed / 2 ** 20).toFixed(1)} MiB, storage ${(last.usage / 2 ** 20).toFixed(0)} MiB, ${last.workers} workers; run idle`);
    const runEnd = await page.evaluate(() => performance.now());
    const traced = await readTrace(cdp).catch((e) => (log(`no trace: ${e}`), null));
    const tracedTasks = mainTasksFromTrace(traced, syncAt);

    const alerts = (await page.locator('[role="alert"]').allInnerTexts()).filter((t) => t.trim());
    if (alerts.length) log(`alerts in the page: ${alerts.join(' | ')}`);

    // Iteration windows in page time: iteration 0's click, then each first appearance of "Iteration n".
    // An iteration's wall time ends where the next begins (iteration 0's and the last one's: when the run
    // went idle); its long tasks run on to the next window, so the plots drawn after it count for it.
    const starts = new Map<number, number>([[0, zero.t0]]);
    for (const [at, label] of autoRun.stages) {
      const m = /^Iteration (\d+)/.exec(label);
      if (m && !starts.has(Number(m[1]))) starts.set(Number(m[1]), autoRun.t0 + at);
    }
    const wallOf = (iteration: number) => {
      const from = starts.get(iteration) ?? NaN;
      const to = iteration === 0 ? zero.t1 : (starts.get(iteration + 1) ?? autoRun.t1);
      return (to - from) / 1000;
    };
    const windowOf = (iteration: number): [number, number] => [starts.get(iteration) ?? NaN, starts.get(iteration + 1) ?? (iteration === 0 ? autoRun.t0 : runEnd)];

    const stored = await storedIterations(page);
    const tasks = await longTasks(page);
    const frames = await loafs(page);
    const gcWindows = measurements.map((m) => m.gc);
    const byMeasurement = (t: LongTask) => gcWindows.some(([a, b]) => t.start < b && t.start + t.duration > a);
    const appTasks = tasks.filter((t) => !byMeasurement(t));
    const measurementTasks = tasks.filter(byMeasurement);

    const rows: SoakIteration[] = [];
    for (const it of stored) {
      const m = measurements.find((x) => x.iteration === it.iteration);
      const [from, to] = windowOf(it.iteration);
      const inside = appTasks.filter((t) => t.start >= from && t.start < to);
      const longest = inside.reduce<LongTask | null>((a, t) => (!a || t.duration > a.duration ? t : a), null);
      rows.push({
        iteration: it.iteration,
        images: it.images,
        wall_s: +wallOf(it.iteration).toFixed(2),
        heap_used_bytes: m?.heapUsed ?? NaN,
        idb_usage_bytes: m?.usage ?? NaN,
        data_added_bytes: it.pngBytes + it.embeddingBytes + it.sampleJsonBytes + it.iterationJsonBytes,
        workers: m?.workers ?? NaN,
        workers_max: workerPeaks.get(it.iteration) ?? NaN,
        dom_nodes: m?.domNodes ?? NaN,
        longest_task_ms: Math.round(longest?.duration ?? 0),
        longest_task_cpu_ms: tracedTasks
          ? Math.round(tracedTasks.filter((t) => t.start >= from && t.start < to && !byMeasurement(t)).reduce((m, t) => Math.max(m, t.cpu), 0))
          : null,
        tasks_over_100ms: inside.filter((t) => t.duration > 100).length,
        longest_task_what: longest ? longTaskScripts(longest, frames) : '',
      });
    }

    const expected = expectedSampleIds(configYaml);
    const storedIds = stored.flatMap((it) => it.sampleIds);
    const idCheck = compareIds(expected, storedIds);
    log(`samples: ${storedIds.length} stored, ${expected.length} expected; lost ${idCheck.lost.length}, duplicated ${idCheck.duplicated.length}, unexpected ${idCheck.unexpected.length}`);

    // Export ZIP, timed from the click to the download.
    log('Export ZIP…');
    const exportFrom = await page.evaluate(() => performance.now());
    const download = page.waitForEvent('download', { timeout: 600_000 });
    const t0 = performance.now();
    await page.getByRole('button', { name: 'Export ZIP' }).click();
    const file = await download;
    const exportSeconds = (performance.now() - t0) / 1000;
    const zipPath = join(tmpdir(), `soak-${options.embedder}-${N}-${process.pid}.zip`);
    await file.saveAs(zipPath);
    const exportTo = await page.evaluate(() => performance.now());
    const zipBytes = statSync(zipPath).size;
    const zipCheck = readZip(zipPath, expected);
    rmSync(zipPath); // hundreds of MB, read back already
    const exportTasks = (await longTasks(page)).filter((t) => t.start >= exportFrom && t.start < exportTo);
    const exportLongest = exportTasks.reduce<LongTask | null>((a, t) => (!a || t.duration > a.duration ? t : a), null);
    log(`  ${exportSeconds.toFixed(1)} s, ${(zipBytes / 1e6).toFixed(1)} MB, ${zipCheck.pngs} PNGs`);

    const fitFrom = warmupIterations(N);
    const fit = rows.filter((r) => r.iteration >= fitFrom && Number.isFinite(r.heap_used_bytes));
    const xs = fit.map((r) => r.iteration);
    const heapSlope = slope(xs, fit.map((r) => r.heap_used_bytes));
    const idbSlope = slope(xs, fit.map((r) => r.idb_usage_bytes));
    const later = rows.filter((r) => r.iteration >= Math.max(1, fitFrom));
    const dataPerIteration = later.reduce((n, r) => n + r.data_added_bytes, 0) / Math.max(1, later.length);
    const longestOverall = Math.max(0, ...rows.map((r) => r.longest_task_ms), Math.round(exportLongest?.duration ?? 0));
    const figures: Record<string, Figure> = {
      heap_growth_per_iteration: { value: Math.round(heapSlope), unit: `bytes/iteration (main-thread JS heap after a forced GC, least-squares slope over iterations ${fitFrom}..${N})`, target: Math.round(dataPerIteration), better: 'lower' },
      stored_data_per_iteration: { value: Math.round(dataPerIteration), unit: 'bytes/iteration (PNG + embeddings + records, mean over the fitted iterations)', target: null, better: 'lower' },
      idb_growth_per_iteration: { value: Math.round(idbSlope), unit: `bytes/iteration (navigator.storage.estimate usage, slope over iterations ${fitFrom}..${N})`, target: null, better: 'lower' },
      idb_growth_over_data_added: { value: +(idbSlope / dataPerIteration).toFixed(3), unit: 'ratio (storage growth / stored data, per iteration)', target: null, better: 'lower' },
      max_workers: { value: Math.max(0, ...rows.map((r) => r.workers_max)), unit: `live workers at once (${workersCreated} started over the run)`, target: null, better: 'lower' },
      longest_task_ms: { value: longestOverall, unit: 'ms wall, longest main-thread task over the run and the export (Long Tasks API)', target: 100, better: 'lower' },
      longest_task_cpu_ms: {
        value: Math.max(0, ...rows.map((r) => r.longest_task_cpu_ms ?? 0)),
        unit: 'ms of thread (CPU) time, longest main-thread task of the run (Chromium trace; without the waits for a core)',
        target: null,
        better: 'lower',
      },
      samples_lost: { value: idCheck.lost.length, unit: `samples (of ${expected.length} expected)`, target: 0, better: 'lower' },
      samples_duplicated: { value: idCheck.duplicated.length + idCheck.unexpected.length, unit: 'samples stored twice or not asked for', target: 0, better: 'lower' },
      export_seconds: { value: +exportSeconds.toFixed(2), unit: 's, Export ZIP click to download', target: null, better: 'lower' },
      export_mb: { value: +(zipBytes / 1e6).toFixed(1), unit: `MB (${zipCheck.pngs} PNGs)`, target: null, better: 'lower' },
      export_images: { value: zipCheck.pngs, unit: 'PNG images in the ZIP', target: expected.length, better: 'higher' },
    };
    return {
      bench: 'soak',
      date: new Date().toISOString(),
      options: { iterations: N, embedder: options.embedder },
      machine: machineInfo({
        browser: `Chromium ${version}`,
        server: 'Vite dev server (npm start)',
        embedder: options.embedder === 'image-statistics' ? 'image statistics' : `ViT-S/14 stand-in on ${backend} (${threads} threads)`,
        loadavg_before: loadBefore,
        loadavg_after: loadavg()
          .map((v) => v.toFixed(2))
          .join(' '),
      }),
      figures,
      rows,
      samples: { expected: expected.length, stored: storedIds.length, ...idCheck },
      export: {
        seconds: +exportSeconds.toFixed(2),
        bytes: zipBytes,
        pngs: zipCheck.pngs,
        metadataRows: zipCheck.metadataRows,
        lost: zipCheck.lost,
        duplicated: zipCheck.duplicated,
        longestTaskMs: Math.round(exportLongest?.duration ?? 0),
        longestTaskWhat: exportLongest ? longTaskScripts(exportLongest, frames) : '',
      },
      measurementTasks: { count: measurementTasks.length, longestMs: Math.round(Math.max(0, ...measurementTasks.map((t) => t.duration))) },
      ...(profile ? { profile: { fromIteration: options.cpuProfileFrom!, ...profile } } : {}),
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

/**
 * The main thread's tasks of 20 ms or more in the trace (ThreadControllerImpl::RunTask), in page time
 * (the `soak:sync` mark, made at `syncAt`, aligns the clocks), with their thread time; null without a trace.
 */
function mainTasksFromTrace(events: TraceEvent[] | null, syncAt: number): Array<LongTask & { cpu: number }> | null {
  const onMain = events && mainThreadEvents(events);
  const sync = events?.find((e) => e.name === 'soak:sync' && e.cat.includes('blink.user_timing'));
  if (!onMain || !sync) return null;
  const offset = sync.ts / 1000 - syncAt;
  return onMain
    .filter((e) => e.name === 'ThreadControllerImpl::RunTask' && e.ph === 'X' && (e.dur ?? 0) >= 20_000)
    .map((e) => ({ start: e.ts / 1000 - offset, duration: e.dur! / 1000, cpu: (e.tdur ?? e.dur!) / 1000 }));
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function, and inclusive time per function of the app's own code (/src/), top 15 each. */
function summariseProfile(profile: CpuProfile): { self: ProfileLine[]; appInclusive: ProfileLine[] } {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const label = (id: number) => {
    const f = nodes.get(id)!.callFrame;
    return `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/\/[^/]+/, '').replace(/\?.*$/, '')}:${f.lineNumber + 1}`;
  };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  profile.samples.forEach((id, k) => {
    const ms = (profile.timeDeltas[k + 1] ?? 0) / 1000;
    const leaf = label(id);
    if (leaf.startsWith('(idle)') || leaf.startsWith('(program)')) return;
    self.set(leaf, (self.get(leaf) ?? 0) + ms);
    const seen = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const fn = label(n);
      if (!fn.includes(' /src/') || seen.has(fn)) continue;
      seen.add(fn);
      inclusive.set(fn, (inclusive.get(fn) ?? 0) + ms);
    }
  });
  const top = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([fn, ms]) => ({ fn, ms: Math.round(ms) }));
  return { self: top(self), appInclusive: top(inclusive) };
}

/** The ZIP's PNG count and the sample ids of its metadata.json files (PNGs are listed, not inflated). */
function readZip(path: string, expected: readonly string[]): { pngs: number; metadataRows: number; lost: string[]; duplicated: string[] } {
  let pngs = 0;
  const files = unzipSync(new Uint8Array(readFileSync(path)), {
    filter: (f) => {
      if (/\/iteration_\d+\/images\/[^/]+\.png$/.test(f.name)) pngs++;
      return /\/iteration_\d+\/metadata\.json$/.test(f.name);
    },
  });
  const ids = Object.values(files).flatMap((bytes) => (JSON.parse(strFromU8(bytes)) as Array<{ sample_id: string }>).map((s) => s.sample_id));
  const check = compareIds(expected, ids);
  return { pngs, metadataRows: ids.length, lost: check.lost, duplicated: [...check.duplicated, ...check.unexpected] };
}

/** The per-iteration table, as printed. */
export function soakRows(result: SoakResult): Row[] {
  return result.rows.map((r) => ({
    iteration: r.iteration,
    images: r.images,
    wall_s: r.wall_s,
    heap_mib: +(r.heap_used_bytes / 2 ** 20).toFixed(2),
    idb_mib: +(r.idb_usage_bytes / 2 ** 20).toFixed(1),
    data_added_mib: +(r.data_added_bytes / 2 ** 20).toFixed(2),
    workers: r.workers,
    workers_max: r.workers_max,
    dom_nodes: r.dom_nodes,
    longest_task_ms: r.longest_task_ms,
    longest_cpu_ms: r.longest_task_cpu_ms,
    over_100ms: r.tasks_over_100ms,
    longest_task_what: r.longest_task_what.slice(0, 110),
  }));
}
