import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import { openChromium, type ChromiumSession } from '../helpers/chromium';
import { screenshot } from '../helpers/screenshots';

/**
 * A confirmation asked for in the page, in real Chromium: iteration 0 on the demo chips with the tiny
 * DINOv2-shaped stand-in, then "Confirm the best set": 16 fresh samples of the best set are generated,
 * embedded and tested against the real set in the analyze worker; the page shows the three-way
 * statement with its numbers, and after a reload it is still there (stored with the experiment).
 */
const TINY_MODEL = join(process.cwd(), 'tests/fixtures/models/dinov2-tiny.onnx');
const CONFIG_YAML = `experiment_name: "e2e_confirm"
max_iterations: 3
confirmation_samples: 16
convergence_rule: absolute
convergence_threshold: -1
`;

describe('a confirmation in the page (tiny stand-in model)', () => {
  const profile = mkdtempSync(join(tmpdir(), 'lcs-confirm-'));
  let session: ChromiumSession | null = null;
  afterAll(async () => {
    await session?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  it('confirms the best set on request and shows the statement with its numbers, also after a reload', { timeout: 600_000 }, async () => {
    session = await openChromium({ profileDir: profile });
    const { page } = session;
    onTestFailed(async () => {
      await screenshot(page, 'confirmation-failed');
      console.log(session?.logs.slice(-30).join('\n'));
    });
    await page.goto(inject('baseUrl'));
    await page.locator('[aria-label="Loaded chip images"] li').nth(4).waitFor({ timeout: 60_000 });
    await page.getByLabel('Experiment config').setInputFiles({ name: 'confirm.yaml', mimeType: 'application/yaml', buffer: Buffer.from(CONFIG_YAML) });
    await page.getByText('e2e_confirm').first().waitFor();
    await page.getByLabel('Model file').setInputFiles(TINY_MODEL);
    await page.locator('[aria-label="Loaded model"]').getByText('dinov2-tiny.onnx').first().waitFor({ timeout: 60_000 });

    await page.getByRole('button', { name: 'Run iteration 0' }).click();
    const confirm = page.getByRole('button', { name: 'Confirm the best set (16 samples)' });
    await confirm.waitFor({ timeout: 180_000 });
    await page.waitForFunction(() => !document.querySelector('.stage-progress'), null, { timeout: 180_000 });
    await expect.poll(() => confirm.isEnabled(), { timeout: 60_000 }).toBe(true);
    await confirm.click();
    const card = page.locator('section[aria-label="Confirmation"]');
    await card.waitFor({ timeout: 240_000 });
    const verdict = await card.getAttribute('data-verdict');
    expect(['indistinguishable', 'distinguishable', 'not enough evidence']).toContain(verdict);
    const text = await card.innerText();
    expect(await card.locator('h3').innerText()).toMatch(/^Confirmation of \S+ \(iteration 1\)$/);
    expect(await card.locator('.confirmation__statement').innerText()).toMatch(new RegExp(`^${verdict}: MMD² `));
    const n = Number(text.match(/16 synthetic vs (\d+) real, asked by you/)?.[1]);
    expect(n).toBeGreaterThanOrEqual(8);
    expect(text).toMatch(/p = [\d.e-]+ \(1000 permutations\), α = 0\.05/);
    expect(text).toMatch(new RegExp(`Tolerance δ\\s+[\\d.e-]+ \\(95th percentile of real vs real at 16 vs ${n}\\)`));
    // The confirmation's 16 samples are stored as iteration 1 and placed on the map.
    const stored = await page.evaluate(async () => {
      const open = indexedDB.open('latent-calibration-studio');
      const db: IDBDatabase = await new Promise((res) => (open.onsuccess = () => res(open.result)));
      const samples: Array<{ iteration: number; metadata: { dataset_type: string } }> = await new Promise((res) => {
        const r = db.transaction('samples').objectStore('samples').getAll();
        r.onsuccess = () => res(r.result);
      });
      db.close();
      return samples.filter((s) => s.metadata.dataset_type === 'confirmation').map((s) => s.iteration);
    });
    expect(stored).toEqual(Array(16).fill(1));
    await page.setViewportSize({ width: 1280, height: 800 });
    await screenshot(page, 'confirmation');

    await page.reload();
    await card.waitFor({ timeout: 60_000 });
    expect(await card.getAttribute('data-verdict')).toBe(verdict);
  });

  it('shows the plausible region of the last fit, computes the recipe and confirms it by generating it', { timeout: 600_000 }, async () => {
    const { page } = session!;
    onTestFailed(async () => {
      await screenshot(page, 'recipe-failed');
      console.log(session?.logs.slice(-30).join('\n'));
    });
    const region = page.locator('section[aria-label="Plausible region"]');
    await region.waitFor({ state: 'attached', timeout: 60_000 });
    const summary = (await region.locator('.viz-figure__summary').first().textContent()) ?? '';
    expect(summary).toMatch(/of the space has P\(MMD² ≤ δ\) > ½|No point|no point/);
    const recipe = page.locator('section[aria-label="Distribution recipe"]');
    await recipe.scrollIntoViewIfNeeded();
    await recipe.getByRole('button', { name: 'Compute the recipe' }).click();
    await recipe.locator('table[aria-label="Recipe settings"] tbody tr').first().waitFor({ timeout: 120_000 });
    const weights = await recipe.locator('table[aria-label="Recipe settings"] tbody tr td:nth-last-child(2)').allTextContents();
    const total = weights.reduce((sum, w) => sum + Number(w.replace(/[^\d.]/g, '')), 0);
    expect(total).toBeCloseTo(100, 0);
    const download = page.waitForEvent('download');
    await recipe.getByRole('button', { name: 'Download recipe.yaml' }).click();
    expect((await download).suggestedFilename()).toBe('recipe.yaml');
    await recipe.getByRole('button', { name: /Generate and confirm the recipe \(16 images\)/ }).click();
    const verdict = recipe.locator('.recipe__confirmation');
    await verdict.waitFor({ timeout: 240_000 });
    expect(['indistinguishable', 'distinguishable', 'not enough evidence']).toContain(await verdict.getAttribute('data-verdict'));
    expect(await verdict.textContent()).toMatch(/^Generated and tested \(iteration \d+\): (indistinguishable|distinguishable|not enough evidence)/);
    await screenshot(recipe, 'recipe');
    await region.scrollIntoViewIfNeeded();
    await screenshot(region, 'plausible-region');
  });

  it('a self-check recovers the best setting from the generator\'s own images and says which parameters it pinned down', { timeout: 600_000 }, async () => {
    const { page } = session!;
    onTestFailed(async () => {
      await screenshot(page, 'self-check-failed');
      console.log(session?.logs.slice(-30).join('\n'));
    });
    await page.getByRole('button', { name: 'Self-check: recover a known setting' }).click();
    await page.locator('.results-head h2', { hasText: "Self-check at e2e_confirm" }).waitFor({ timeout: 60_000 });
    // It auto-runs to its short budget (the experiment's 3 iterations here, 6 at most), then the recovery is the answer.
    await page.getByText(/finished: /).waitFor({ timeout: 540_000 });
    const recovery = page.locator('[data-table="recovery"]');
    await recovery.scrollIntoViewIfNeeded();
    const note = (await recovery.locator('.viz-figure__summary').textContent()) ?? '';
    expect(note).toMatch(/^Best parameter set vs the hidden real parameter sets: mean error [\d.]+\s%/);
    expect(note).toMatch(/Every parameter recovered|Not recovered: /);
    // The hidden truth is one setting: every hidden set is the confirmed experiment's best.
    const truth = await recovery.locator('tbody tr').count();
    expect(truth).toBe(6);
    await screenshot(recovery, 'self-check-recovery');
  });
});
