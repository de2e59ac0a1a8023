import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { calibrate } from '../../src/cli/calibrate';
import { createRng, hashSeed } from '../../src/engine/random/rng';
import { encodeNpy } from '../../src/storage/archive/npy';
import { openChromium, type ChromiumSession } from '../helpers/chromium';
import { screenshot } from '../helpers/screenshots';

/**
 * A study run from the command line (a client's own generator: parameters → 12 values), exported as a
 * ZIP and imported in the page: the page shows its history — the map fixed at iteration 0 with every
 * told sample, and the optimizer's best set in the client's own parameters.
 */
const D = 12;
const dir = mkdtempSync(join(tmpdir(), 'lcs-study-page-'));
const study = join(dir, 'pool_study');
const zip = join(dir, 'pool_study.zip');

function simulate(params: Record<string, string>, seed: number): number[] {
  const rng = createRng(hashSeed('page-client', seed));
  const g = Number(params.gain);
  const k = Number(params.kernel) / 9;
  return Array.from({ length: D }, (_, j) => Math.tanh((j + 1) * g * 0.3 - k * (j % 4)) + rng.normal(0, 0.05));
}

async function cli(...argv: string[]): Promise<string> {
  let out = '';
  let err = '';
  const code = await calibrate(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  if (code !== 0) throw new Error(`calibrate ${argv[0]}: exit ${code}: ${err}`);
  return out;
}

async function round(name: string): Promise<void> {
  const [header, ...lines] = (await cli('ask', study)).trim().split('\n');
  const names = header.split(',');
  const rows = ['sample_id,param_set_id,gain,kernel'];
  const vectors: number[] = [];
  lines.forEach((line, i) => {
    const params = Object.fromEntries(names.map((n, c) => [n, line.split(',')[c]]));
    for (let r = 0; r < 3; r++) {
      rows.push(`${name}_${params.param_set_id}_${r},${params.param_set_id},,`);
      vectors.push(...simulate(params, i * 7 + r));
    }
  });
  writeFileSync(join(dir, `${name}.csv`), `${rows.join('\n')}\n`);
  writeFileSync(join(dir, `${name}.npy`), encodeNpy(Float32Array.from(vectors), [vectors.length / D, D]));
  await cli('tell', study, '--samples', join(dir, `${name}.csv`), '--embeddings', join(dir, `${name}.npy`));
}

describe('a command-line study opened in the page (real Chromium)', () => {
  let session: ChromiumSession;
  beforeAll(async () => {
    writeFileSync(join(dir, 'space.yaml'), 'parameters:\n  - {name: gain, type: float, low: 0.5, high: 4}\n  - {name: kernel, type: int, low: 1, high: 9}\n');
    const real = Array.from({ length: 16 }, (_, i) => simulate({ gain: '2.2', kernel: '5' }, 500 + i)).flat();
    writeFileSync(join(dir, 'real.npy'), encodeNpy(Float32Array.from(real), [16, D]));
    await cli('init', study, '--space', join(dir, 'space.yaml'), '--real', join(dir, 'real.npy'), '--batch', '3', '--seed', '2');
    for (let r = 0; r < 3; r++) await round(`r${r}`);
    await cli('ask', study); // a pending batch at export time
    await cli('export', study, '--zip', zip);
    session = await openChromium();
  }, 120_000);
  afterAll(async () => {
    await session?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports the study ZIP and draws its map and best set in the client\'s parameters', async () => {
    const { page } = session;
    await page.goto(inject('baseUrl'));
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Import ZIP' }).click();
    await (await chooser).setFiles(zip);
    await page.getByText('Imported pool_study.zip.').waitFor({ timeout: 120_000 });
    expect((await page.locator('.results-head h2').innerText()).trim()).toBe('pool_study');
    const map = page.locator('[data-chart="latent-map"]');
    await map.locator('.main-svg').first().waitFor({ timeout: 60_000 });
    const markers = await map.locator('canvas.viz-chart__markers').evaluate((c) => JSON.parse((c as HTMLCanvasElement).dataset.markers ?? '{}') as Record<string, number>);
    const drawn = Object.values(markers).reduce((a, b) => a + b, 0);
    expect(drawn).toBeGreaterThanOrEqual(16 + 6 * 3); // the real set and the initial design at least
    // The best-set table speaks the study's parameters, not the voids'.
    const text = await page.locator('main').innerText();
    expect(text).toMatch(/gain/);
    expect(text).not.toMatch(/Void count/);
    // The sidebar shows the study's own panels: its space, and its pending batch to evaluate.
    expect(await page.locator('[aria-label="Parameters"] th').allInnerTexts()).toEqual(['gain', 'kernel']);
    expect(await page.locator('[aria-label="Pending parameter sets"] tbody tr').count()).toBe(3);
    await screenshot(page, 'study-import');
    // The void panels are untouched by the study (its inputs are its files): choosing that kind shows the demo chips.
    await page.getByText('X-ray voids', { exact: true }).click();
    await page.locator('[aria-label="Loaded chip images"] li').nth(4).waitFor({ timeout: 60_000 });
    expect(readFileSync(zip).length).toBeGreaterThan(1000);
  });
});
