import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import type { Page } from 'playwright-core';
import { decodeNpy } from '../../src/storage/archive';
import { openChromium, requestsOutside, type ChromiumSession } from '../helpers/chromium';
import { pixelStats, screenshot } from '../helpers/screenshots';
import { installStoreReader, type ReadStores } from '../helpers/storedRecords';

/**
 * The closed loop in the page, end to end, in real Chromium: demo chips → iteration 0 → auto-run two
 * iterations → reload during iteration 2 → the run resumes → export the ZIP → the .npy files parse with
 * the right shapes and metadata.json has the Python pipeline's keys → import into a fresh profile → same experiment.
 * The embedder is the tiny DINOv2-shaped stand-in on onnxruntime-web (a .onnx dropped in "Model file").
 */
const TINY_MODEL = join(process.cwd(), 'tests/fixtures/models/dinov2-tiny.onnx');

// A short run: two iterations, nothing stops it early (an absolute threshold nothing reaches).
const CONFIG_YAML = `experiment_name: "e2e_loop"
max_iterations: 2
convergence_rule: absolute
convergence_threshold: -1
early_stop_patience: 5
`;

const MAP = '[data-chart="latent-map"]';

const SEED_METADATA_KEYS = ['base_image_id', 'dataset_type', 'iteration', 'param_set_id', 'params', 'replication_seed', 'sample_id', 'timestamp', 'uncontrolled_params'];

async function waitForChips(page: Page) {
  await page.locator('[aria-label="Loaded chip images"] li').nth(4).waitFor({ timeout: 60_000 });
}

async function storedIterations(page: Page): Promise<Array<{ iteration: number; stage: string; samples: number }>> {
  await installStoreReader(page);
  return page.evaluate(async () => {
    const stored = await (window as unknown as { __readStores: ReadStores }).__readStores(['iterations', 'samples']);
    const all = <T,>(store: string): T[] => stored[store] as T[];
    const iterations = all<{ iteration: number; stage: string }>('iterations');
    const samples = all<{ iteration: number; sample_id: string }>('samples');
    return iterations
      .sort((a, b) => a.iteration - b.iteration)
      .map((it) => ({ iteration: it.iteration, stage: it.stage, samples: samples.filter((s) => s.iteration === it.iteration).length }));
  });
}

describe('closed loop e2e (tiny stand-in model)', () => {
  const profile = mkdtempSync(join(tmpdir(), 'lcs-loop-'));
  const downloads = mkdtempSync(join(tmpdir(), 'lcs-zip-'));
  let session: ChromiumSession | null = null;
  let zipPath = '';
  let experimentName = '';

  afterAll(async () => {
    await session?.close();
    rmSync(profile, { recursive: true, force: true });
    rmSync(downloads, { recursive: true, force: true });
  });

  it('runs iteration 0 and auto-runs, resumes after a reload during iteration 2', { timeout: 600_000 }, async () => {
    session = await openChromium({ profileDir: profile });
    const { page } = session;
    onTestFailed(async () => {
      await screenshot(page, 'loop-failed');
      console.log(session?.logs.slice(-30).join('\n'));
    });
    await page.goto(inject('baseUrl'));
    await waitForChips(page);
    await page.getByLabel('Experiment config').setInputFiles({ name: 'loop.yaml', mimeType: 'application/yaml', buffer: Buffer.from(CONFIG_YAML) });
    await page.getByText('e2e_loop').first().waitFor();
    await page.getByLabel('Model file').setInputFiles(TINY_MODEL);
    await page.locator('[aria-label="Loaded model"]').getByText('dinov2-tiny.onnx').first().waitFor({ timeout: 60_000 });

    await page.getByRole('button', { name: 'Run iteration 0' }).click();
    await page.getByRole('status').filter({ hasText: 'Iteration 0' }).first().waitFor();
    await screenshot(page, 'loop-1-iteration0-running');
    await page.getByRole('button', { name: 'Auto-run' }).waitFor({ timeout: 120_000 });
    await page.waitForFunction(() => !document.querySelector('.stage-progress'), null, { timeout: 180_000 });
    expect(await storedIterations(page)).toEqual([{ iteration: 0, stage: 'proposed', samples: 63 }]);
    await page.locator(`${MAP} .main-svg`).first().waitFor({ timeout: 60_000 });
    await screenshot(page, 'loop-2-iteration0-done');

    await page.getByRole('button', { name: 'Auto-run' }).click();
    await page.getByRole('status').filter({ hasText: 'Iteration 2' }).first().waitFor({ timeout: 180_000 });
    // Close the tab mid-iteration: wait until some of iteration 2's samples are stored, then reload.
    await page.waitForFunction(
      async () => {
        const open = indexedDB.open('latent-calibration-studio');
        const db: IDBDatabase = await new Promise((res) => (open.onsuccess = () => res(open.result)));
        const count: number = await new Promise((res) => {
          const r = db.transaction('samples').objectStore('samples').getAll();
          r.onsuccess = () => res((r.result as Array<{ iteration: number }>).filter((s) => s.iteration === 2).length);
        });
        db.close();
        return count > 0;
      },
      null,
      { timeout: 120_000, polling: 100 },
    );
    const before = await storedIterations(page);
    expect(before.find((i) => i.iteration === 2)?.stage).not.toBe('proposed');
    await page.reload();
    await page.getByText('Resuming the run where it stopped.').waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => !document.querySelector('.stage-progress') && document.body.innerText.includes('reached max_iterations'), null, { timeout: 240_000 });
    const after = await storedIterations(page);
    expect(after).toEqual([
      { iteration: 0, stage: 'proposed', samples: 63 },
      { iteration: 1, stage: 'proposed', samples: 24 },
      { iteration: 2, stage: 'proposed', samples: 24 },
    ]);
    // Plots drawn, not blank: the map has points of three iterations, the convergence plot has lines.
    await page.locator(`${MAP} .main-svg`).first().waitFor({ timeout: 60_000 });
    const shot = await screenshot(page, 'loop-3-after-resume');
    expect(shot.length).toBeGreaterThan(100_000);
    const markers = await page.locator(`${MAP} canvas.viz-chart__markers`).evaluate((c) => JSON.parse((c as HTMLCanvasElement).dataset.markers ?? '{}') as Record<string, number>);
    expect(markers['latent-it1']).toBeGreaterThan(0);
    expect(markers['latent-it2']).toBeGreaterThan(0);
    // Every sample is drawn, or counted by the summary as outside the axes fixed at iteration 0 (a later
    // iteration can go past them); the best set's markers are drawn a second time, starred.
    const summary = (await page.locator(`${MAP} .viz-figure__summary`).textContent()) ?? '';
    const outside = Number(summary.match(/(\d+) points? lies? outside the fixed axes/)?.[1] ?? 0);
    const drawn = Object.entries(markers).reduce((sum, [key, n]) => sum + (key === 'latent-best' ? 0 : n), 0);
    expect(drawn + outside).toBe(63 + 48);
    experimentName = (await page.locator('.results-head h2').innerText()).trim();
  });

  it("exports a ZIP that numpy can read: .npy shapes and the Python pipeline's metadata", async () => {
    const { page } = session!;
    const downloadPromise = page.waitForEvent('download', { timeout: 120_000 });
    await page.getByRole('button', { name: 'Export ZIP' }).click();
    const download = await downloadPromise;
    zipPath = join(downloads, 'experiment.zip');
    await download.saveAs(zipPath);
    const files = unzipSync(new Uint8Array(readFileSync(zipPath)));
    const names = Object.keys(files);
    const root = names.find((n) => /^data\/experiments\/[^/]+\/iteration_0\/embeddings\.npy$/.test(n))!.replace(/iteration_0\/embeddings\.npy$/, '');
    expect(names).toContain('configs/experiment_config.yaml');
    expect(names.some((n) => n.endsWith('report.html'))).toBe(true);
    for (const [iteration, count] of [[0, 63], [1, 24], [2, 24]] as const) {
      const embeddings = decodeNpy(files[`${root}iteration_${iteration}/embeddings.npy`]);
      const pca = decodeNpy(files[`${root}iteration_${iteration}/pca_2d.npy`]);
      expect(embeddings.descr).toBe('<f4');
      expect(embeddings.shape[0]).toBe(count);
      expect(pca.shape).toEqual([count, 2]);
      const metadata = JSON.parse(strFromU8(files[`${root}iteration_${iteration}/metadata.json`])) as Array<Record<string, unknown>>;
      expect(metadata).toHaveLength(count);
      for (const key of SEED_METADATA_KEYS) expect(Object.keys(metadata[0])).toContain(key);
      expect(names.filter((n) => n.startsWith(`${root}iteration_${iteration}/images/`) && n.endsWith('.png'))).toHaveLength(count);
    }

    // The whole run, from the first page load to the export, asked nothing of any other origin.
    expect(session!.requests.length).toBeGreaterThan(10);
    expect(requestsOutside(session!, inject('baseUrl'))).toEqual([]);
    expect(session!.cspViolations).toEqual([]);
  });

  it('imports the ZIP into a fresh profile and shows the same experiment', async () => {
    await session!.close();
    session = await openChromium();
    const { page } = session;
    onTestFailed(async () => {
      await screenshot(page, 'loop-import-failed');
      console.log(session?.logs.slice(-30).join('\n'));
    });
    await page.goto(inject('baseUrl'));
    await waitForChips(page);
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Import ZIP' }).click();
    await (await chooser).setFiles(zipPath);
    await page.getByText('Imported experiment.zip.').waitFor({ timeout: 120_000 });
    expect((await page.locator('.results-head h2').innerText()).trim()).toBe(experimentName);
    expect(await storedIterations(page)).toEqual([
      { iteration: 0, stage: 'proposed', samples: 63 },
      { iteration: 1, stage: 'proposed', samples: 24 },
      { iteration: 2, stage: 'proposed', samples: 24 },
    ]);
    // Charts draw when on screen: clicking Import ZIP low in the sidebar scrolled the page down.
    await page.locator(MAP).scrollIntoViewIfNeeded();
    await page.locator(`${MAP} .main-svg`).first().waitFor({ timeout: 60_000 });
    await screenshot(page, 'loop-4-imported');
    const stats = await pixelStats(page, '.gallery img, .viz-gallery img', 0).catch(() => null);
    if (stats) expect(stats.std).toBeGreaterThan(2);
  });

  it('a map point opened from the keyboard shows in the gallery (its iteration, its tile focused)', async () => {
    const { page } = session!;
    const points = page.locator(MAP).getByRole('application', { name: /^Points of/ });
    await points.focus();
    // Home is the first point drawn: a real image; Page Down walks on to the first of iteration 1.
    const card = page.locator(`${MAP} .viz-card`);
    let id = '';
    await page.keyboard.press('Home');
    for (let i = 0; i < 200 && !id.startsWith('iter1_'); i++) {
      await card.waitFor();
      id = (await card.getAttribute('data-sample-id'))!;
      if (!id.startsWith('iter1_')) await page.keyboard.press('PageDown');
    }
    expect(id).toMatch(/^iter1_/);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.sampleId)).toBe(id);
    expect(await page.locator('[data-chart="gallery"]').getByLabel('Iteration', { exact: true }).inputValue()).toBe('1');
    await screenshot(page, 'loop-5-opened-in-gallery');
  });
});
