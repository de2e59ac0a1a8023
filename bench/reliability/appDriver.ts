/* eslint-disable @typescript-eslint/no-explicit-any -- code inside page.evaluate runs in the browser */
/**
 * Drives the studio's page as a user would, for the fault campaign: loads a config, picks the offline
 * image-statistics embedder, runs iteration 0 and Auto-run to the end, exports the ZIP, and reads what
 * IndexedDB holds with the raw API (not through the code under test).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { installStoreReader, type ReadStores } from '../../tests/helpers/storedRecords';

/**
 * Wraps the page's Worker constructor before the app loads, so the campaign can crash a worker (it
 * terminates the worker and fires the error event a crashing worker fires) or hold the messages sent to
 * the workers of one name until released (a stage that waits on its worker: the run stays in it). `__name` is defined for
 * functions that tsx (esbuild keepNames) wraps when they are passed to page.evaluate.
 */
export const WORKER_HOOK = `(() => {
  window.__name = (f) => f;
  const Original = window.Worker;
  const live = [];
  window.Worker = class extends Original {
    constructor(url, options) {
      super(url, options);
      this.faultName = (options && options.name) || String(url);
      live.push(this);
    }
    terminate() {
      const i = live.indexOf(this);
      if (i >= 0) live.splice(i, 1);
      super.terminate();
    }
    postMessage(...args) {
      if (held.has(this.faultName)) (this.heldMessages ??= []).push(args);
      else super.postMessage(...args);
    }
  };
  const held = new Set();
  window.__holdWorkers = (name) => void held.add(name);
  window.__releaseWorkers = (name) => {
    held.delete(name);
    for (const w of live.filter((w) => w.faultName === name)) for (const args of (w.heldMessages ?? []).splice(0)) w.postMessage(...args);
  };
  window.__crashWorkers = (name) => {
    const victims = live.filter((w) => w.faultName === name);
    for (const w of victims) {
      w.terminate();
      w.dispatchEvent(new ErrorEvent('error', { message: 'Uncaught Error: injected crash', cancelable: true }));
    }
    return victims.length;
  };
})();`;

export async function installWorkerHook(context: BrowserContext): Promise<void> {
  await context.addInitScript(WORKER_HOOK);
}

/** A catalog model to load instead of the image statistics, and the name the loaded model shows. */
export interface CatalogChoice {
  catalogModel: string;
  precision: string;
  loadedName: string;
}

/** Opens the app, loads the config and the embedder: the image statistics, or a catalog model. */
export async function setUpApp(page: Page, baseUrl: string, configYaml: string, experimentName: string, catalog?: CatalogChoice): Promise<void> {
  await page.goto(baseUrl);
  await page.locator('[aria-label="Loaded chip images"] li').nth(4).waitFor({ timeout: 120_000 });
  await page.getByLabel('Experiment config').setInputFiles({ name: 'faults.yaml', mimeType: 'application/yaml', buffer: Buffer.from(configYaml) });
  await page.getByText(experimentName).first().waitFor();
  await page.getByLabel('Embedder').selectOption(catalog?.catalogModel ?? 'image-statistics');
  if (catalog) await page.getByLabel('Weights').selectOption(catalog.precision);
  await page.getByRole('button', { name: 'Load model' }).click();
  await page.locator('[aria-label="Loaded model"] dd', { hasText: catalog?.loadedName ?? 'Image statistics' }).first().waitFor({ timeout: 120_000 });
}

/** What the run panel shows: running (a stage in progress), failed (Retry stage), finished, or ready for the next click. */
export async function runState(page: Page): Promise<'running' | 'failed' | 'finished' | 'start' | 'continue' | 'locked' | 'unknown'> {
  return page.evaluate(() => {
    const buttons = [...document.querySelectorAll('button')];
    const button = (label: string) => buttons.find((b) => b.textContent?.trim() === label) as HTMLButtonElement | undefined;
    const stop = button('Stop') ?? button('Stopping…');
    if (document.querySelector('.stage-progress') || (stop && !stop.disabled)) return 'running';
    if (document.body.innerText.includes('This experiment is running in another tab')) return 'locked';
    if (button('Retry stage')) return 'failed';
    if (/finished: /.test(document.body.innerText)) return 'finished';
    const start = button('Run iteration 0');
    if (start && !start.disabled) return 'start';
    const auto = button('Auto-run');
    if (auto && !auto.disabled) return 'continue';
    return 'unknown';
  });
}

/** What happened on the way to the end of a run. */
export interface FinishLog {
  clicks: string[];
  /** Messages of failed stages seen (each needed a Retry stage click). */
  failures: string[];
}

/**
 * Clicks through to the end of the run: Run iteration 0, then Auto-run whenever the page is idle (a
 * reload resumes a run by itself; idle must hold for a second before a click). A failed stage is retried
 * and noted.
 */
export async function finishRun(page: Page, log: FinishLog, timeoutMs = 240_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  let idleSince = 0;
  while (Date.now() < end) {
    const state = await runState(page);
    if (state === 'finished') return;
    if (state === 'running' || state === 'unknown' || state === 'locked') {
      idleSince = 0;
      await page.waitForTimeout(100);
      continue;
    }
    idleSince ||= Date.now();
    if (Date.now() - idleSince < 1_000) {
      await page.waitForTimeout(100);
      continue;
    }
    idleSince = 0;
    if (state === 'failed') {
      log.failures.push(await page.locator('.error[role="alert"]').first().innerText().catch(() => '(no message)'));
      log.clicks.push('Retry stage');
      await page.getByRole('button', { name: 'Retry stage' }).click();
    } else {
      const label = state === 'start' ? 'Run iteration 0' : 'Auto-run';
      log.clicks.push(label);
      await page.getByRole('button', { name: label }).click();
    }
    await page.waitForTimeout(300);
  }
  throw new Error(`the run did not finish within ${timeoutMs / 1000} s (last clicks: ${log.clicks.slice(-5).join(', ')})`);
}

/** The stage the page shows now: "Iteration n: label", or null when nothing runs. */
export async function shownStage(page: Page): Promise<{ iteration: number; label: string; exporting: boolean } | null> {
  return page.evaluate(() => {
    const exporting = !!document.querySelector('progress[aria-label="Exporting"]');
    const title = document.querySelector('.stage-progress__title')?.textContent ?? '';
    const active = document.querySelector('.stage-progress li[aria-current="step"]')?.textContent ?? '';
    const iteration = Number(title.replace('Iteration ', ''));
    if (exporting) return { iteration: -1, label: 'Exporting', exporting };
    return title ? { iteration, label: active, exporting } : null;
  });
}

/** A stored sample, reduced to what must be identical between two runs of one config and seed. */
export interface StoredSample {
  sample_id: string;
  iteration: number;
  param_set_id: string;
  replication_seed: number;
  base_image_id: string;
  params: string;
  /** SHA-256 of the embedding's bytes, and of the PNG's bytes. */
  embedding: string;
  png: string | null;
}

export interface StoredExperiment {
  status: string;
  iterations: Array<{ iteration: number; stage: string; next: string }>;
  samples: StoredSample[];
  /** Artifacts that no sample names, and samples whose artifact is missing. */
  orphanArtifacts: number;
  missingArtifacts: number;
}

/** Everything stored of the page's newest experiment, read with the raw IndexedDB API. */
export async function readStoredExperiment(page: Page): Promise<StoredExperiment> {
  await installStoreReader(page);
  return page.evaluate(async () => {
    const stored = await (window as unknown as { __readStores: ReadStores }).__readStores(['experiments', 'iterations', 'samples', 'artifacts']);
    const all = <T,>(store: string): T[] => stored[store] as T[];
    const hex = async (bytes: ArrayBuffer | ArrayBufferView) => {
      const view = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', view.slice()));
      return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
    };
    // The newest experiment (a scenario may keep an older one beside it).
    const experiments = (all<any>('experiments')).sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
    if (experiments.length === 0) throw new Error('no experiment is stored');
    const id = experiments[0].id;
    const iterations = (all<any>('iterations')).filter((r) => r.experimentId === id);
    const samples = (all<any>('samples')).filter((r) => r.experimentId === id);
    const artifacts = (all<any>('artifacts')).filter((r) => r.experimentId === id);
    const artifactById = new Map(artifacts.map((a: any) => [a.id, a]));
    const named = new Set(samples.map((s: any) => s.artifact?.id).filter(Boolean));
    const out = [];
    for (const s of samples) {
      const artifact: any = s.artifact ? artifactById.get(s.artifact.id) : undefined;
      const pngBytes = artifact?.blob instanceof Blob ? await artifact.blob.arrayBuffer() : null;
      out.push({
        sample_id: s.sample_id,
        iteration: s.iteration,
        param_set_id: s.metadata.param_set_id,
        replication_seed: s.metadata.replication_seed,
        base_image_id: s.metadata.base_image_id,
        params: JSON.stringify(s.metadata.params),
        embedding: await hex(s.embedding),
        png: pngBytes ? await hex(pngBytes) : null,
      });
    }
    out.sort((a, b) => (a.sample_id < b.sample_id ? -1 : 1));
    return {
      status: experiments[0].status,
      iterations: iterations.sort((a: any, b: any) => a.iteration - b.iteration).map((it: any) => ({ iteration: it.iteration, stage: it.stage, next: JSON.stringify(it.proposal?.next_params ?? null) })),
      samples: out,
      orphanArtifacts: artifacts.filter((a: any) => !named.has(a.id)).length,
      missingArtifacts: samples.filter((s: any) => s.artifact && !artifactById.has(s.artifact.id)).length,
    };
  });
}

/** How a run's stored samples differ from its uninterrupted twin's. */
export interface SampleComparison {
  lost: number;
  duplicated: number;
  extra: number;
  changed: number;
  iterationsDiffer: boolean;
  statusDiffers: boolean;
}

export function compareWithTwin(run: StoredExperiment, twin: StoredExperiment): SampleComparison {
  const byId = new Map(run.samples.map((s) => [s.sample_id, s]));
  const twinIds = new Set(twin.samples.map((s) => s.sample_id));
  // One replicate of one set stored under two ids is a duplicate however it is named.
  const keys = run.samples.map((s) => `${s.iteration}/${s.param_set_id}/${s.replication_seed}/${s.base_image_id}`);
  return {
    lost: twin.samples.filter((s) => !byId.has(s.sample_id)).length,
    duplicated: keys.length - new Set(keys).size,
    extra: run.samples.filter((s) => !twinIds.has(s.sample_id)).length,
    changed: twin.samples.filter((s) => {
      const mine = byId.get(s.sample_id);
      return mine !== undefined && JSON.stringify(mine) !== JSON.stringify(s);
    }).length,
    iterationsDiffer: JSON.stringify(run.iterations) !== JSON.stringify(twin.iterations),
    statusDiffers: run.status !== twin.status,
  };
}

/** Holds the messages the page sends to the workers of that name (hold) or sends them on (release); needs WORKER_HOOK. */
export async function holdWorkers(page: Page, name: string, hold: boolean): Promise<void> {
  await page.evaluate(({ name, hold }) => {
    const w = window as unknown as { __holdWorkers(n: string): void; __releaseWorkers(n: string): void };
    if (hold) w.__holdWorkers(name);
    else w.__releaseWorkers(name);
  }, { name, hold });
}
