import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { decodePngSize } from '../helpers/pngInfo';
import { openChromium, type ChromiumSession } from '../helpers/chromium';
import { encodeBmp } from '../helpers/imageFiles';
import { pixelStats, screenshot } from '../helpers/screenshots';
import { renderChip } from '../../scripts/lib/demoChip';
import { encodePng } from '../../scripts/lib/png';

describe('the page: base chips → preview', () => {
  let session: ChromiumSession;
  beforeAll(async () => {
    session = await openChromium();
  });
  afterAll(async () => {
    await session?.close();
  });

  it('shows the five demo chips on first open', async () => {
    const { page } = session;
    await page.goto(inject('baseUrl'));
    await expectChipCount(5);
    await page.getByText('Using the 5 built-in demo chips').waitFor();
  });

  it('drops the user’s chips (good and bad together): keeps the good, names each bad file', async () => {
    const { page } = session;
    const chipA = encodePng(300, 260, 1, renderChip({ id: 'a', width: 300, height: 260, seed: 11 }));
    const chipB = encodePng(256, 256, 1, renderChip({ id: 'b', width: 256, height: 256, seed: 12 }));
    await page.getByLabel('Base chips').setInputFiles([
      { name: 'my_chip_a.png', mimeType: 'image/png', buffer: chipA },
      { name: 'my_chip_b.bmp', mimeType: 'image/bmp', buffer: encodeBmp(256, 256, (x, y) => 90 + ((x * y) % 60)) },
      { name: 'copy_of_a.png', mimeType: 'image/png', buffer: chipA },
      { name: 'broken.png', mimeType: 'image/png', buffer: chipB.subarray(0, 200) },
      { name: 'readme.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') },
      { name: 'empty.tif', mimeType: 'image/tiff', buffer: Buffer.alloc(0) },
    ]);
    const alert = page.getByRole('alert').filter({ hasText: 'Not added' });
    await alert.waitFor();
    const text = await alert.innerText();
    expect(text).toContain('copy_of_a.png: a duplicate of my_chip_a.png (same bytes)');
    expect(text).toMatch(/broken\.png: truncated PNG/);
    expect(text).toContain('readme.txt: not a supported image');
    expect(text).toContain('empty.tif: the file is empty (0 bytes)');
    await expectChipCount(2);
    await page.getByRole('img', { name: 'Base chip my_chip_a.png' }).waitFor();
    await page.getByText('300×260 · 8-bit PNG').waitFor();
  });

  it('generates a preview grid of 3 replications with metadata, and the screenshot is not blank', async () => {
    const { page } = session;
    await page.getByLabel('Void shape').selectOption('irregular');
    await page.getByLabel('Void count', { exact: true }).fill('6');
    await page.getByLabel('Base size', { exact: false }).last().fill('16');
    await page.getByRole('button', { name: 'Generate preview' }).click();
    const tiles = page.getByRole('list', { name: 'Generated images' }).getByRole('img');
    await tiles.nth(2).waitFor();
    expect(await tiles.count()).toBe(3);
    for (let i = 0; i < 3; i++) {
      const stats = await pixelStats(page, '.grid img', i);
      expect(stats.std).toBeGreaterThan(5);
      expect(stats.distinct).toBeGreaterThan(20);
      expect([300, 256]).toContain(stats.width);
    }
    // Metadata on keyboard focus.
    await page.locator('.tile').first().focus();
    const meta = page.getByRole('tooltip').first();
    await meta.waitFor({ state: 'visible' });
    const metaText = await meta.innerText();
    expect(metaText).toMatch(/sample_id\s+preview_000/);
    expect(metaText).toMatch(/Void count\s+6/);
    expect(metaText).toMatch(/my_chip_[ab]\.(png|bmp)/);
    await page.getByLabel('Show void outlines').check();
    const shot = await screenshot(page, 'preview-grid');
    const size = decodePngSize(shot);
    expect(size.width).toBe(1440);
    // The screenshot of the page is not blank: the grid region has structure.
    const region = await screenshot(page.getByRole('list', { name: 'Generated images' }), 'preview-grid-only');
    expect(region.length).toBeGreaterThan(20_000);
  });

  it('rejects an invalid parameter value with a message and disables generation', async () => {
    const { page } = session;
    await page.getByLabel('Void count', { exact: true }).fill('25');
    await page.getByText('A whole number from 3 to 20').waitFor();
    expect(await page.getByRole('button', { name: 'Generate preview' }).isDisabled()).toBe(true);
    await page.getByLabel('Void count', { exact: true }).fill('8');
    expect(await page.getByRole('button', { name: 'Generate preview' }).isDisabled()).toBe(false);
  });

  it('imports the config YAML, and names the key and problem of a bad one (keeping the current config)', async () => {
    const { page } = session;
    await page.getByLabel('Experiment config').setInputFiles({
      name: 'bad.yaml',
      mimeType: 'application/yaml',
      buffer: Buffer.from('param_bounds:\n  base_size: [40, 5]\n'),
    });
    const alert = page.getByRole('alert').filter({ hasText: 'bad.yaml was not imported' });
    await alert.waitFor();
    expect(await alert.innerText()).toContain('min 40 is greater than max 5');
    await page.getByLabel('Experiment config').setInputFiles({
      name: 'ok.yaml',
      mimeType: 'application/yaml',
      buffer: Buffer.from('experiment_name: "line_b_voids"\nmax_iterations: 6\n'),
    });
    await page.getByText('line_b_voids').waitFor();
  });

  async function expectChipCount(n: number) {
    await session.page.waitForFunction((count) => document.querySelectorAll('[aria-label="Loaded chip images"] li').length === count, n);
  }
});
