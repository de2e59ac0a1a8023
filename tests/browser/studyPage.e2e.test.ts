import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createRng, hashSeed } from '../../src/engine/random/rng';
import { encodeNpy } from '../../src/storage/archive/npy';
import { openChromium, type ChromiumSession } from '../helpers/chromium';
import { screenshot } from '../helpers/screenshots';

/**
 * A study of a client's own generator, made and driven in the page alone: the space typed in, the real
 * vectors uploaded, the initial design proposed and downloaded as CSV, its results uploaded as a samples
 * table with an .npy of embeddings, a model-based batch proposed (the map is fixed then), a reload while
 * that batch is pending (it comes back, same ids), one bad upload (refused by name, nothing stored), an
 * abandoned set, and the rest told as one results JSON.
 */
const D = 10;
const TINY_MODEL = join(process.cwd(), 'tests/fixtures/models/dinov2-tiny.onnx');
const IMAGES = join(process.cwd(), 'tests/fixtures/images');
const IMAGE_FILES = ['chip_gray_300x400.png', 'chip_rgb_150x97.png', 'chip_rgb_400x300.png', 'chip_rgba_256x256.png'];
const SPACE = 'parameters:\n  - {name: gain, type: float, low: 0.5, high: 4}\n  - {name: kernel, type: int, low: 1, high: 9}\n  - {name: shape, type: categorical, choices: [disc, ring]}\n';

/** The client's generator and encoder: parameters → a noisy 10-D vector. */
function simulate(params: Record<string, string | number>, seed: number): number[] {
  const rng = createRng(hashSeed('page-study', seed));
  const g = Number(params.gain);
  const k = Number(params.kernel) / 9;
  const s = params.shape === 'ring' ? 0.4 : 0;
  return Array.from({ length: D }, (_, j) => Math.tanh((j + 1) * g * 0.25 - k * (j % 3)) + s * Math.cos(j) + rng.normal(0, 0.05));
}

function parseCsv(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trim().split('\n');
  const names = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [names[i], v])));
}

async function downloaded(page: Page, button: string, dir: string): Promise<string> {
  const pending = page.waitForEvent('download', { timeout: 60_000 });
  await page.getByRole('button', { name: button }).click();
  const file = join(dir, (await pending).suggestedFilename());
  await (await pending).saveAs(file);
  return readFileSync(file, 'utf8');
}

const pendingIds = (page: Page) => page.locator('[aria-label="Pending parameter sets"] tbody th').allInnerTexts();
/** Samples on the map: drawn, or counted by its summary as outside the axes fixed at iteration 0 (the best set's stars are drawn over its samples). */
const markerCount = async (page: Page) => {
  const map = page.locator('[data-chart="latent-map"]');
  const markers = await map.locator('canvas.viz-chart__markers').evaluate((c) => JSON.parse((c as HTMLCanvasElement).dataset.markers ?? '{}') as Record<string, number>);
  const summary = (await map.locator('.viz-figure__summary').textContent()) ?? '';
  const outside = Number(summary.match(/(\d+) points? lies? outside the fixed axes/)?.[1] ?? 0);
  return Object.entries(markers).reduce((a, [key, n]) => a + (key === 'latent-best' ? 0 : n), outside);
};

describe('a study of your own generator, in the page (real Chromium)', () => {
  let session: ChromiumSession;
  const dir = mkdtempSync(join(tmpdir(), 'lcs-page-study-'));
  const profile = mkdtempSync(join(tmpdir(), 'lcs-page-study-profile-'));
  beforeAll(async () => {
    session = await openChromium({ profileDir: profile });
  });
  afterAll(async () => {
    await session?.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  });

  it('creates a study, runs a download/upload round, keeps pending sets over a reload, refuses a bad upload', async () => {
    let { page } = session;
    await page.goto(inject('baseUrl'));
    await page.getByText('Your own generator', { exact: true }).click();
    await page.getByLabel('Parameter space (YAML or JSON)').fill(SPACE);
    await expect.poll(() => page.locator('[aria-label="Parameters"] th').allInnerTexts()).toEqual(['gain', 'kernel', 'shape']);
    const real = Array.from({ length: 16 }, (_, i) => simulate({ gain: 2.2, kernel: 5, shape: 'ring' }, 500 + i)).flat();
    await page.getByLabel('Real vectors').setInputFiles({ name: 'real.npy', mimeType: 'application/octet-stream', buffer: Buffer.from(encodeNpy(Float32Array.from(real), [16, D])) });
    await page.getByText('real.npy: 16 vectors of 10 values').waitFor();
    await page.getByLabel('Sets per batch').fill('3');
    await page.getByLabel('Initial design sets').fill('6');
    await page.getByRole('button', { name: 'Create study' }).click();
    await page.getByText(/Created My study: 3 parameters, 16 real vectors of 10 values/).waitFor({ timeout: 60_000 });

    // Ask: the initial design, downloaded as CSV.
    await page.getByRole('button', { name: 'Propose initial design' }).click();
    await expect.poll(() => pendingIds(page), { timeout: 60_000 }).toHaveLength(6);
    const design = parseCsv(await downloaded(page, 'Download CSV', dir));
    expect(Object.keys(design[0])).toEqual(['param_set_id', 'gain', 'kernel', 'shape']);
    expect(design.map((r) => r.param_set_id)).toEqual(await pendingIds(page));

    // Tell: three replicates of each, a samples table with its embeddings.
    const rows = ['sample_id,param_set_id,gain,kernel,shape'];
    const vectors: number[] = [];
    design.forEach((set, i) => {
      for (let r = 0; r < 3; r++) {
        rows.push(`d_${set.param_set_id}_${r},${set.param_set_id},,,`);
        vectors.push(...simulate(set, i * 10 + r));
      }
    });
    await page.getByLabel('Result files').setInputFiles([
      { name: 'design.csv', mimeType: 'text/csv', buffer: Buffer.from(`${rows.join('\n')}\n`) },
      { name: 'design.npy', mimeType: 'application/octet-stream', buffer: Buffer.from(encodeNpy(Float32Array.from(vectors), [vectors.length / D, D])) },
    ]);
    await page.getByText('Told 6 parameter sets.').waitFor({ timeout: 60_000 });
    expect(await pendingIds(page)).toEqual([]);

    // The first model-based batch fixes the map and scores the design.
    await page.getByRole('button', { name: 'Propose next batch' }).click();
    await expect.poll(() => pendingIds(page), { timeout: 120_000 }).toHaveLength(3);
    await page.locator('[data-chart="latent-map"] .main-svg').first().waitFor({ timeout: 60_000 });
    expect(await markerCount(page)).toBe(16 + 18);
    await expect.poll(() => page.locator('.study-status').innerText()).toMatch(/6 scored sets · 18 samples/);
    const before = await pendingIds(page);

    // A reload while the batch is pending: the study reopens with the same pending sets.
    await page.close();
    page = session.page = await session.context.newPage();
    await page.goto(inject('baseUrl'));
    await expect.poll(() => pendingIds(page), { timeout: 60_000 }).toEqual(before);
    expect(await page.locator('.kind-picker__option--on').innerText()).toMatch(/Your own generator/);

    // A bad upload: embeddings of another dimension. Named, refused, nothing stored.
    const bad = before.map((id, i) => `bad_${i},${id},,,`);
    await page.getByLabel('Result files').setInputFiles([
      { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(`sample_id,param_set_id,gain,kernel,shape\n${bad.join('\n')}\n`) },
      { name: 'bad.npy', mimeType: 'application/octet-stream', buffer: Buffer.from(encodeNpy(new Float32Array(before.length * 7), [before.length, 7])) },
    ]);
    const alert = page.locator('.messages[role="alert"]');
    await alert.waitFor({ timeout: 60_000 });
    expect(await alert.innerText()).toMatch(/bad\.csv, row 2: the embedding has 7 values, the real set's have 10[\s\S]*Nothing was stored/);
    expect(await pendingIds(page)).toEqual(before);
    await expect.poll(() => page.locator('.study-status').innerText()).toMatch(/6 scored sets · 18 samples/);

    // Abandon one; tell the other two as one results JSON built from the JSON download.
    await page.getByLabel(`Select ${before[0]}`).check();
    await page.getByRole('button', { name: 'Abandon selected' }).click();
    await expect.poll(() => pendingIds(page), { timeout: 60_000 }).toEqual(before.slice(1));
    const asked = JSON.parse(await downloaded(page, 'Download JSON', dir)) as Array<{ param_set_id: string; params: Record<string, string | number> }>;
    expect(asked.map((a) => a.param_set_id)).toEqual(before.slice(1));
    const samples = asked.flatMap((a, i) => [0, 1, 2].map((r) => ({ sample_id: `b_${a.param_set_id}_${r}`, param_set_id: a.param_set_id, params: a.params, embedding: simulate(a.params, 900 + i * 10 + r) })));
    await page.getByLabel('Result files').setInputFiles({ name: 'batch1.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ samples })) });
    await page.getByText('Told 2 parameter sets.').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.locator('.study-status').innerText(), { timeout: 60_000 }).toMatch(/8 scored sets · 24 samples/);
    await expect.poll(() => markerCount(page), { timeout: 60_000 }).toBe(16 + 24);
    expect(await pendingIds(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 800 });
    await screenshot(page, 'study-page');
  });

  it('embeds real images in the page with the chosen model, and a bad image is refused by name with no study made', async () => {
    const { page } = session;
    await page.getByRole('button', { name: 'New study' }).click();
    await page.getByLabel('Parameter space (YAML or JSON)').fill(SPACE);
    await page.getByText('Images, embedded here with the model below').click();
    await page.getByLabel('Model file').setInputFiles(TINY_MODEL);
    await page.locator('[aria-label="Loaded model"]').getByText('dinov2-tiny.onnx').first().waitFor({ timeout: 60_000 });
    const before = await page.locator('[aria-label="Stored experiments"] li').count();
    const images = IMAGE_FILES.map((f) => ({ name: f, mimeType: 'image/png', buffer: readFileSync(join(IMAGES, f)) }));
    await page.getByLabel('Real images').setInputFiles([...images, { name: 'broken.png', mimeType: 'image/png', buffer: Buffer.from('not a png') }]);
    await page.getByRole('button', { name: 'Create study' }).click();
    await page.locator('.messages[role="alert"]').getByText(/^broken\.png: not a readable image/).waitFor({ timeout: 60_000 });
    expect(await page.locator('[aria-label="Stored experiments"] li').count()).toBe(before);
    // An existing batch whose vectors do not match the real set's dimension: refused, and no study is left behind.
    await page.getByLabel('Real images').setInputFiles(images);
    await page.getByText('My existing synthetic batch').click();
    await page.getByLabel('Existing batch').setInputFiles([
      { name: 'batch.csv', mimeType: 'text/csv', buffer: Buffer.from('sample_id,param_set_id,gain,kernel,shape\nb1,,1,3,disc\nb2,,2,4,ring\n') },
      { name: 'batch.npy', mimeType: 'application/octet-stream', buffer: Buffer.from(encodeNpy(new Float32Array(2 * 3), [2, 3])) },
    ]);
    await page.getByRole('button', { name: 'Create study' }).click();
    await page.locator('.messages[role="alert"]').getByText(/^batch\.csv, row 2: the embedding has 3 values, the real set's have \d+/).waitFor({ timeout: 120_000 });
    expect(await page.locator('[aria-label="Stored experiments"] li').count()).toBe(before);
    await page.getByText('A space-filling design proposed here').click();
    await page.getByRole('button', { name: 'Create study' }).click();
    await page.getByText(/Created My study: 3 parameters, 4 real vectors of \d+ values/).waitFor({ timeout: 120_000 });
    expect(await page.locator('[aria-label="Stored experiments"] li').count()).toBe(before + 1);
  });
});
