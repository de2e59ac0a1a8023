import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import type { Page } from 'playwright-core';
import { openChromium, type ChromiumSession } from '../helpers/chromium';
import { screenshot } from '../helpers/screenshots';
import { renderChip } from '../../scripts/lib/demoChip';
import { encodePng } from '../../scripts/lib/png';

/**
 * The input panels show the inputs stored with the open experiment: after a reload (the newest experiment
 * opens), after opening another one from the list, and not the demo chips or the simulated target the
 * page starts with. Inputs dropped while an experiment is open are for the next new experiment; the open
 * one keeps its own. The embedder is the tiny DINOv2-shaped stand-in, as in the closed-loop test.
 */
const TINY_MODEL = join(process.cwd(), 'tests/fixtures/models/dinov2-tiny.onnx');
const IMAGES = join(process.cwd(), 'tests/fixtures/images');
const MY_CHIPS = ['chip_gray_300x400.png', 'chip_rgb_400x300.png', 'chip_rgba_256x256.png'];
const MY_REAL = Array.from({ length: 6 }, (_, i) => `my_real_${i + 1}.png`);

const chipNames = (page: Page) => page.locator('[aria-label="Loaded chip images"] img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).alt));
const runPanel = (page: Page) => page.locator('section.panel').filter({ has: page.getByRole('heading', { name: 'Run', exact: true }) });
const realNames = (page: Page) => runPanel(page).locator('[aria-label="Real images"] img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).alt));
const chipsNote = (page: Page) => page.locator('section.panel').filter({ has: page.getByRole('heading', { name: 'Base chips' }) }).locator('p.panel__note').first();

describe('the input panels show the open experiment’s stored inputs', () => {
  const profile = mkdtempSync(join(tmpdir(), 'lcs-inputs-'));
  let session: ChromiumSession | null = null;

  afterAll(async () => {
    await session?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  it('after iteration 0 on the user’s chips and real images, a reload shows them, not the demo chips or the simulated target', { timeout: 600_000 }, async () => {
    session = await openChromium({ profileDir: profile });
    const { page } = session;
    onTestFailed(async () => {
      await screenshot(page, 'open-inputs-failed');
      console.log(session?.logs.slice(-30).join('\n'));
    });
    await page.goto(inject('baseUrl'));
    await page.getByText('Using the 5 built-in demo chips').waitFor({ timeout: 60_000 });
    await page.getByLabel('Model file').setInputFiles(TINY_MODEL);
    await page.locator('[aria-label="Loaded model"]').getByText('dinov2-tiny.onnx').first().waitFor({ timeout: 60_000 });

    await page.getByLabel('Base chips').setInputFiles(MY_CHIPS.map((f) => join(IMAGES, f)));
    await page.getByText('3 of your chips.').waitFor({ timeout: 60_000 });
    await page.getByLabel('My real void images').check();
    await page.getByLabel('Real images').setInputFiles(
      MY_REAL.map((name, i) => ({ name, mimeType: 'image/png', buffer: encodePng(160, 160, 1, renderChip({ id: name, width: 160, height: 160, seed: 100 + i })) })),
    );
    await expect.poll(() => realNames(page), { timeout: 60_000 }).toHaveLength(MY_REAL.length);

    await page.getByRole('button', { name: 'Run iteration 0' }).click();
    await page.getByRole('button', { name: 'Auto-run' }).waitFor({ timeout: 240_000 });
    await page.waitForFunction(() => !document.querySelector('.stage-progress'), null, { timeout: 240_000 });
    expect(await chipsNote(page).innerText()).toContain('The open experiment’s 3 base chips.');

    await page.setViewportSize({ width: 1280, height: 800 });
    await page.reload();
    await page.getByText('The open experiment’s 3 base chips.').waitFor({ timeout: 60_000 });
    expect((await chipNames(page)).sort()).toEqual(MY_CHIPS.map((f) => `Base chip ${f}`));
    expect(await page.getByText('built-in demo chips').count()).toBe(0);
    expect(await page.getByLabel('My real void images').isChecked()).toBe(true);
    await runPanel(page).getByText(`The open experiment’s ${MY_REAL.length} real images.`).waitFor();
    expect((await realNames(page)).sort()).toEqual(MY_REAL.map((f) => `Real image ${f}`));
    // The stored inputs are the experiment's record: nothing offers to remove them.
    expect(await page.getByRole('button', { name: /^Remove / }).count()).toBe(0);
    await screenshot(page, 'open-inputs-1-after-reload');
  });

  it('a drop while an experiment is open makes the next experiment’s inputs; the open one keeps its own', async () => {
    const { page } = session!;
    await page.getByLabel('Base chips').setInputFiles(join(IMAGES, 'chip_rgb_150x97.png'));
    await page.getByText('The next new experiment’s 1 base chip (dropped here). The open experiment keeps its 3 chips.').waitFor({ timeout: 60_000 });
    expect(await chipNames(page)).toEqual(['Base chip chip_rgb_150x97.png']);
    await page.getByLabel('Simulated: hidden').check();
    await runPanel(page).getByText('The next new experiment’s target: simulated. The open experiment keeps its 6 real images.').waitFor();
    await screenshot(page, 'open-inputs-2-next-experiment');
    await screenshot(page.locator('section.panel').filter({ has: page.getByRole('heading', { name: 'Base chips' }) }), 'open-inputs-3-next-chips-panel');

    await page.getByRole('button', { name: 'Back to the open experiment’s chips' }).click();
    await page.getByText('The open experiment’s 3 base chips.').waitFor();
    await page.getByRole('button', { name: 'Back to the open experiment’s target' }).click();
    expect(await page.getByLabel('My real void images').isChecked()).toBe(true);
    expect(await realNames(page)).toHaveLength(MY_REAL.length);
  });

  it('a new experiment on the demo chips and the simulated target; opening the first from the list shows its inputs again', async () => {
    const { page } = session!;
    await page.getByRole('button', { name: 'Use the demo chips instead' }).click();
    await page.getByText('The next new experiment’s 5 base chips (the built-in demo chips).').waitFor({ timeout: 60_000 });
    await page.getByLabel('Simulated: hidden').check();
    await page.getByRole('button', { name: 'New experiment with the current inputs' }).click();
    await page.getByText('The open experiment’s 5 base chips.').waitFor({ timeout: 60_000 });
    expect(await page.getByLabel('Simulated: hidden').isChecked()).toBe(true);
    expect(await realNames(page)).toEqual([]);
    expect(await page.locator('.experiments__item').count()).toBe(2);

    // The other one in the list: the first experiment (the two names can share the same minute).
    await page.locator('.experiments__open[aria-current="false"]').click();
    await page.getByText('The open experiment’s 3 base chips.').waitFor({ timeout: 60_000 });
    expect((await chipNames(page)).sort()).toEqual(MY_CHIPS.map((f) => `Base chip ${f}`));
    expect(await page.getByLabel('My real void images').isChecked()).toBe(true);
    expect((await realNames(page)).sort()).toEqual(MY_REAL.map((f) => `Real image ${f}`));
  });
});
