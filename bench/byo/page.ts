import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createRng } from '../../src/engine/random/rng';
import { launchBenchBrowser, startAppServer } from '../lib/browser';
import { cli, writeTellFiles } from './cli';
import { OVERHEAD, SYNTHETIC_SHIFT } from './overhead';
import { SPACE } from './simulator';

/**
 * The page's side of the overhead: the 1,000-sample study (the one the command line is timed on),
 * exported as a ZIP and imported in the page; then, `repeats` times, "Propose next batch" (8 sets) until
 * the pending table shows them (ask), and the upload of their results (8 × 3 samples, a samples CSV and
 * an .npy) until the map has placed every new sample (tell-to-map: parse, check, store in IndexedDB,
 * score in the analyze worker, project, and draw).
 */
export interface PageRun {
  repeat: number;
  page_ask_s: number;
  page_tell_to_map_s: number;
}

/** Samples on the map: drawn on its canvas, or counted by its summary as outside the fixed axes. */
async function mapSamples(page: Page): Promise<number> {
  const map = page.locator('[data-chart="latent-map"]');
  if ((await map.locator('canvas.viz-chart__markers').count()) === 0) return 0;
  const markers = await map.locator('canvas.viz-chart__markers').evaluate((c) => JSON.parse((c as HTMLCanvasElement).dataset.markers ?? '{}') as Record<string, number>);
  const summary = (await map.locator('.viz-figure__summary').textContent()) ?? '';
  const outside = Number(summary.match(/(\d+) points? lies? outside the fixed axes/)?.[1] ?? 0);
  return Object.entries(markers).reduce((a, [key, n]) => a + (key === 'latent-best' ? 0 : n), outside);
}

async function waitFor<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 300_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > end) throw new Error(`page: timed out waiting (last value ${JSON.stringify(value)})`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function timePage(dir: string, study: string, repeats: number): Promise<{ runs: PageRun[]; browser: string }> {
  const zip = join(dir, 'overhead-study.zip');
  await cli(['export', study, '--zip', zip]);
  const { server, baseUrl } = await startAppServer();
  const { browser, page, version } = await launchBenchBrowser();
  const rng = createRng('byo-page-timing');
  const runs: PageRun[] = [];
  try {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(baseUrl);
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Import ZIP' }).click();
    await (await chooser).setFiles(zip);
    await page.getByText('Imported overhead-study.zip.').waitFor({ timeout: 300_000 });
    const pendingIds = () => page.locator('[aria-label="Pending parameter sets"] tbody th').allInnerTexts();
    await waitFor(() => mapSamples(page), (n) => n >= OVERHEAD.real + OVERHEAD.samples);
    for (let repeat = 1; repeat <= repeats; repeat++) {
      const before = await mapSamples(page);
      let started = performance.now();
      await page.getByLabel('Sets to propose').fill('8');
      await page.getByRole('button', { name: 'Propose next batch' }).click();
      const ids = await waitFor(pendingIds, (list) => list.length === 8);
      const askSeconds = (performance.now() - started) / 1000;
      const files = writeTellFiles(dir, SPACE, ids.map((id) => ({ param_set_id: id, embeddings: gaussianRows(3, rng) })), `page-${repeat}`);
      started = performance.now();
      await page.getByLabel('Result files').setInputFiles([
        { name: 'results.csv', mimeType: 'text/csv', buffer: readFileSync(files.samples) },
        { name: 'results.npy', mimeType: 'application/octet-stream', buffer: readFileSync(files.embeddings) },
      ]);
      await waitFor(() => mapSamples(page), (n) => n >= before + 24);
      runs.push({ repeat, page_ask_s: askSeconds, page_tell_to_map_s: (performance.now() - started) / 1000 });
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return { runs, browser: version };
}

function gaussianRows(rows: number, rng: ReturnType<typeof createRng>) {
  const data = new Float32Array(rows * OVERHEAD.dim);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal(SYNTHETIC_SHIFT, 1);
  return { rows, cols: OVERHEAD.dim, data };
}
