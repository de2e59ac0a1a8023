import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openChromium, type ChromiumSession } from '../helpers/chromium';
import { screenshot } from '../helpers/screenshots';

/**
 * The config panel in the page: a YAML of the original pipeline imports with a note for each key the
 * studio does not use, and the 2-D map chosen there (UMAP) is the one fitted at iteration 0.
 */
const TINY_MODEL = join(process.cwd(), 'tests/fixtures/models/dinov2-tiny.onnx');

const CONFIG_YAML = `experiment_name: "e2e_umap"
experiment_dir: "data/experiments/elsewhere"
dino_model: "dinov2_vitb14"
close: {param_sets: 4, replications: 2, total_size: 8}
far: {param_sets: 4, replications: 2, total_size: 8}
max_iterations: 1
`;

describe('the experiment config panel (real Chromium)', () => {
  let session: ChromiumSession;
  beforeAll(async () => {
    session = await openChromium();
  });
  afterAll(async () => {
    await session?.close();
  });

  it('names each imported key it does not use, and fits the chosen UMAP map at iteration 0', async () => {
    const { page } = session;
    await page.goto(inject('baseUrl'));
    await page.locator('[aria-label="Loaded chip images"] li').nth(4).waitFor({ timeout: 60_000 });
    await page.getByLabel('Experiment config').setInputFiles({ name: 'pipeline.yaml', mimeType: 'application/yaml', buffer: Buffer.from(CONFIG_YAML) });
    const notes = page.getByRole('alert').filter({ hasText: 'pipeline.yaml was imported; these keys are not used' });
    await notes.waitFor();
    const text = await notes.innerText();
    expect(text).toMatch(/experiment_dir/);
    expect(text).toMatch(/dino_model/);
    expect(text).not.toMatch(/base_image_dir/);
    await page.getByLabel('2-D map').selectOption('umap');
    await page.getByLabel('Model file').setInputFiles(TINY_MODEL);
    await page.locator('[aria-label="Loaded model"]').getByText('dinov2-tiny.onnx').first().waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Run iteration 0' }).click();
    await page.getByRole('button', { name: 'Step' }).waitFor({ timeout: 180_000 });
    await page.waitForFunction(() => !document.querySelector('.stage-progress'), null, { timeout: 180_000 });
    await page.getByText('Latent map (UMAP fitted at iteration 0)').waitFor({ timeout: 60_000 });
    const kind = await page.evaluate(async () => {
      const open = indexedDB.open('latent-calibration-studio');
      const db: IDBDatabase = await new Promise((res) => (open.onsuccess = () => res(open.result)));
      const all: Array<{ projection?: { kind: string } }> = await new Promise((res) => {
        const r = db.transaction('experiments').objectStore('experiments').getAll();
        r.onsuccess = () => res(r.result);
      });
      db.close();
      return all.map((e) => e.projection?.kind);
    });
    expect(kind).toEqual(['umap']);
    await screenshot(page, 'map-choice-umap');
  });
});
