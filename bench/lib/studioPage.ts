/* eslint-disable @typescript-eslint/no-explicit-any -- code inside page.evaluate runs in the browser */
/**
 * The studio page driven by the benches that run the closed loop in headless Chromium (bench/loop.ts,
 * bench/reliability/soak.ts): opening it with a config and an embedder, clicking a run button until
 * the run is idle again, the main-thread long tasks and long animation frames it saw, and what the
 * experiment put in IndexedDB.
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { Page } from 'playwright-core';
import { VITS14_STANDIN_PATH, buildVits14Standin } from '../../scripts/build-standin';
import { installStoreReader, type ReadStores } from '../../tests/helpers/storedRecords';

export interface LongTask {
  start: number;
  duration: number;
}

export interface Loaf {
  start: number;
  duration: number;
  styleAndLayoutStart: number;
  scripts: Array<{ start: number; duration: number; forced: number; invoker: string; fn: string; src: string }>;
}

/**
 * Installed before navigation: every main-thread long task (Long Tasks API), and every animation frame
 * over 50 ms with the scripts that ran in it (long-animation-frame), with performance.now() times.
 */
export const LONGTASK_OBSERVER = `
window.__longtasks = [];
try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longtasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
} catch (e) { window.__longtaskError = String(e); }
window.__loafs = [];
try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.duration < 50) continue;
      window.__loafs.push({
        start: e.startTime,
        duration: e.duration,
        styleAndLayoutStart: e.styleAndLayoutStart,
        scripts: e.scripts.map((x) => ({
          start: x.startTime,
          duration: x.duration,
          forced: x.forcedStyleAndLayoutDuration,
          invoker: x.invoker,
          fn: x.sourceFunctionName,
          src: String(x.sourceURL || '').replace(/^.*\\/\\/[^/]+/, '').replace(/\\?.*$/, ''),
        })),
      });
    }
  }).observe({ type: 'long-animation-frame', buffered: true });
} catch (e) { window.__loafError = String(e); }
`;

export type StudioEmbedder = 'image-statistics' | 'dinov2-standin';

/**
 * Opens the studio at baseUrl with the long-task observers installed, loads the experiment config
 * (whose experiment_name must be `experimentName`) and the embedder: the image-statistics embedder, or
 * the ViT-S/14-sized DINOv2 stand-in (built first when missing) dropped in "Model file" on the WASM
 * backend. Leaves the page at
 * the run controls, where a user is when they click "Run iteration 0".
 */
export async function openStudio(
  page: Page,
  baseUrl: string,
  options: {
    configYaml: string;
    experimentName: string;
    embedder: StudioEmbedder;
    /** The ONNX file dropped in "Model file" for 'dinov2-standin' (default: the fp32 ViT-S/14 stand-in). */
    modelPath?: string;
    log?: (line: string) => void;
  },
): Promise<{ backend: string; threads: number }> {
  const log = options.log ?? console.log;
  const modelPath = options.modelPath ?? VITS14_STANDIN_PATH;
  if (options.embedder === 'dinov2-standin' && !options.modelPath && !existsSync(VITS14_STANDIN_PATH)) {
    log('building the ViT-S/14 stand-in (models/standin/, git-ignored)…');
    buildVits14Standin();
  }
  await page.setViewportSize({ width: 1440, height: 960 });
  await page.addInitScript(LONGTASK_OBSERVER);
  page.on('console', (m) => {
    if (m.type() === 'error') console.error('[page console]', m.text());
  });
  await page.goto(baseUrl);
  await page.locator('[aria-label="Loaded chip images"] li').nth(4).waitFor({ timeout: 120_000 });
  await page.getByLabel('Experiment config').setInputFiles({ name: `${options.experimentName}.yaml`, mimeType: 'application/yaml', buffer: Buffer.from(options.configYaml) });
  await page.getByText(options.experimentName).first().waitFor();
  const facts = page.locator('[aria-label="Loaded model"]');
  let backend = 'none';
  let threads = 0;
  if (options.embedder === 'image-statistics') {
    log('the image-statistics embedder (no ViT; the page work is the same)');
    await page.getByLabel('Embedder').selectOption({ label: 'Image statistics (offline, not DINOv2)' });
    await page.getByRole('button', { name: 'Load model' }).click();
    await facts.getByText('Image statistics').first().waitFor();
  } else {
    await page.getByLabel('Backend').selectOption('wasm');
    log(`loading ${basename(modelPath)} on WASM…`);
    await page.getByLabel('Model file').setInputFiles(modelPath);
    const loaded = facts.getByText(basename(modelPath)).first();
    const failed = page.locator('[role="alert"]').filter({ hasText: /model|wasm|onnx/i }).first();
    await loaded.or(failed).waitFor({ timeout: 300_000 });
    if (!(await loaded.isVisible())) throw new Error(`the stand-in did not load: ${await failed.innerText()}`);
    const factText = (await facts.innerText()).replace(/\s+/g, ' ');
    backend = /Backend (\S+)/.exec(factText)?.[1] ?? '?';
    threads = Number(/Threads (\d+)/.exec(factText)?.[1] ?? 0);
    if (backend !== 'WASM') throw new Error(`asked for WASM, the page loaded the model on ${backend}: ${factText}`);
  }
  // Loading the model scrolled the page down to the model panel; the run controls are at the top, where
  // a user is when they click "Run iteration 0" (and the charts drawn are the ones on screen there).
  await page.getByRole('button', { name: 'Run iteration 0' }).scrollIntoViewIfNeeded();
  await page.waitForTimeout(1000); // let the load's own work settle before the run window opens
  return { backend, threads };
}

export interface ClickResult {
  t0: number;
  t1: number;
  wallMs: number;
  /** Stage label changes seen in the progress view: [ms since the click, "Iteration n: Stage"]. */
  stages: Array<[number, string]>;
}

/** Clicks a button in the page and resolves when the run it starts is idle again. */
export async function clickAndWaitIdle(page: Page, name: string): Promise<ClickResult> {
  return page.evaluate(async (label) => {
    const button = (text: string) => [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === text) as HTMLButtonElement | undefined;
    const target = button(label);
    if (!target || target.disabled) throw new Error(`button ${label} is not enabled`);
    const stages: Array<[number, string]> = [];
    performance.mark('bench:start');
    const t0 = performance.now();
    target.click();
    let seenRunning = false;
    let last = '';
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const stop = button('Stop');
        const running = !!stop && !stop.disabled;
        const title = document.querySelector('.stage-progress__title')?.textContent ?? '';
        const active = document.querySelector('.stage-progress__steps [aria-current="step"]')?.textContent ?? '';
        const label = title ? `${title}: ${active}` : '';
        if (label !== last) {
          stages.push([performance.now() - t0, label || 'idle']);
          last = label;
        }
        if (running) seenRunning = true;
        if (seenRunning && !running) {
          clearInterval(timer);
          resolve();
        }
      }, 20);
    });
    const t1 = performance.now();
    return { t0, t1, wallMs: t1 - t0, stages };
  }, name);
}

/** An iteration as stored, with the bytes it put in IndexedDB. */
export interface StoredIteration {
  iteration: number;
  stage: string;
  images: number;
  timings: Record<string, number>;
  startedAt: string;
  finishedAt?: string;
  pngBytes: number;
  embeddingBytes: number;
  sampleJsonBytes: number;
  iterationJsonBytes: number;
  /** The stored samples' ids, in store order. */
  sampleIds: string[];
}

/**
 * Every stored iteration of the page's database with the bytes it added: PNG blobs + embeddings + a
 * JSON-size estimate of the rest of its sample and iteration records.
 */
export async function storedIterations(page: Page): Promise<StoredIteration[]> {
  await installStoreReader(page);
  return page.evaluate(async () => {
    const stored = await (window as unknown as { __readStores: ReadStores }).__readStores(['iterations', 'samples', 'artifacts']);
    const all = <T,>(store: string): T[] => stored[store] as T[];
    const iterations = all<any>('iterations');
    const samples = all<any>('samples');
    // Since storage schema v3 a sample's PNG is in the artifacts store, keyed like the sample.
    const artifacts = new Map((all<any>('artifacts')).map((a) => [`${a.experimentId}/${a.id}`, a.blob as Blob]));
    const bytes = (a: { byteLength: number } | undefined) => a?.byteLength ?? 0;
    const jsonBytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v)).byteLength;
    return iterations
      .sort((a, b) => a.iteration - b.iteration)
      .map((it) => {
        const own = samples.filter((s) => s.iteration === it.iteration);
        return {
          iteration: it.iteration,
          stage: it.stage,
          images: own.length,
          timings: it.timings,
          startedAt: it.startedAt,
          finishedAt: it.finishedAt,
          pngBytes: own.reduce((n, s) => n + (artifacts.get(`${s.experimentId}/${s.artifact?.id}`)?.size ?? 0), 0),
          embeddingBytes: own.reduce((n, s) => n + bytes(s.embedding) + bytes(s.rawEmbedding), 0),
          // The rest of each sample record (metadata, geometry, map position) as JSON.
          sampleJsonBytes: own.reduce((n, s) => n + jsonBytes({ ...s, embedding: undefined, rawEmbedding: undefined }), 0),
          iterationJsonBytes: jsonBytes(it),
          sampleIds: own.map((s) => String(s.sample_id)),
        };
      });
  });
}

export const storageUsage = (page: Page) => page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
export const longTasks = (page: Page) => page.evaluate(() => ((window as any).__longtasks ?? []) as LongTask[]);
export const loafs = (page: Page) => page.evaluate(() => ((window as any).__loafs ?? []) as Loaf[]);

/** The app's chart draws (its `draw …` User Timing measures) that started in [from, to). */
export const drawMeasures = (page: Page, from: number, to: number) =>
  page.evaluate(
    ([a, b]) =>
      performance
        .getEntriesByType('measure')
        .filter((m) => m.name.startsWith('draw ') && m.startTime >= a && m.startTime < b)
        .map((m) => ({ name: m.name, start: m.startTime, duration: m.duration })),
    [from, to] as const,
  );

/** The long tasks that started in [from, to): the longest, how many, how many over 100 ms, their total. */
export function summariseLongTasks(tasks: readonly LongTask[], from: number, to: number) {
  const inside = tasks.filter((t) => t.start >= from && t.start < to);
  return {
    max: inside.reduce((m, t) => Math.max(m, t.duration), 0),
    over50: inside.length,
    over100: inside.filter((t) => t.duration > 100).length,
    totalMs: inside.reduce((n, t) => n + t.duration, 0),
  };
}

/**
 * What ran in a long task: the (up to three) longest long-animation-frame scripts that overlap it, and
 * the frame's rendering time (style, layout, paint: from styleAndLayoutStart to its end) when that is
 * 20 ms or more; a task that no frame covers is browser work outside rendering (a GC, IndexedDB).
 */
export function longTaskScripts(task: LongTask, frames: readonly Loaf[]): string {
  const overlaps = (start: number, duration: number) => start < task.start + task.duration && start + duration > task.start;
  const scripts = frames
    .flatMap((f) => f.scripts)
    .filter((x) => overlaps(x.start, x.duration) && x.duration >= 5)
    .sort((a, b) => b.duration - a.duration)
    .slice(0, 3)
    .map((x) => `${x.invoker}${x.fn ? ` → ${x.fn}` : ''} ${x.src.split('/').slice(-2).join('/')} ${x.duration.toFixed(0)} ms${x.forced >= 5 ? ` (forced layout ${x.forced.toFixed(0)})` : ''}`);
  const rendering = frames
    .filter((f) => overlaps(f.start, f.duration) && f.styleAndLayoutStart > 0)
    .map((f) => f.start + f.duration - f.styleAndLayoutStart)
    .reduce((m, ms) => Math.max(m, ms), 0);
  const parts = [...scripts, ...(rendering >= 20 ? [`rendering (style/layout/paint) ${rendering.toFixed(0)} ms`] : [])];
  return parts.join(' | ') || (frames.some((f) => overlaps(f.start, f.duration)) ? '(no script over 5 ms, no rendering)' : '(in no animation frame: browser work such as GC or IndexedDB)');
}
