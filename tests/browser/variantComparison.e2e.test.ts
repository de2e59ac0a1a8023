import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import { openChromium, type ChromiumSession } from '../helpers/chromium';
import { screenshot } from '../helpers/screenshots';

/**
 * "Compare model variants" in the page, in real Chromium: iteration 0 on the demo chips with the tiny
 * DINOv2-shaped stand-in (fp32), then the comparison with its int8 export (the same weights, quantised as
 * Hugging Face's model_quantized.onnx is): both embed the real set and iteration 0 in a worker of their
 * own, the page shows the verdict, the cosines and the MMD² against the noise floor, and after a reload
 * the stored comparison is shown again.
 */
const MODELS = join(process.cwd(), 'tests/fixtures/models');
const CONFIG_YAML = `experiment_name: "e2e_variants"
close: {param_sets: 4, replications: 2, total_size: 8}
far: {param_sets: 4, replications: 2, total_size: 8}
max_iterations: 2
`;

interface StoredComparison {
  verdict: string;
  statement: string;
  cosines: number[];
  images: { real: number; iteration0: number };
  reference: { label: string; precision: string; backend: string };
  candidate: { label: string; precision: string; backend: string };
  mmd2: number;
  floor: number;
}

describe('compare model variants in the page (tiny stand-in fp32 vs int8)', () => {
  const profile = mkdtempSync(join(tmpdir(), 'lcs-variants-'));
  let session: ChromiumSession | null = null;
  afterAll(async () => {
    await session?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  it('runs the comparison on an experiment with iteration 0, shows the verdict and numbers, and keeps them after a reload', { timeout: 600_000 }, async () => {
    session = await openChromium({ profileDir: profile });
    const { page } = session;
    onTestFailed(async () => {
      await screenshot(page, 'variant-comparison-failed');
      console.log(session?.logs.slice(-30).join('\n'));
    });
    await page.goto(inject('baseUrl'));
    await page.locator('[aria-label="Loaded chip images"] li').nth(4).waitFor({ timeout: 60_000 });
    await page.getByLabel('Experiment config').setInputFiles({ name: 'variants.yaml', mimeType: 'application/yaml', buffer: Buffer.from(CONFIG_YAML) });
    await page.getByText('e2e_variants').first().waitFor();
    const section = page.locator('section.variant-comparison');
    expect(await section.innerText()).toMatch(/Open or start an experiment to compare its model/);

    await page.getByLabel('Model file').setInputFiles(join(MODELS, 'dinov2-tiny.onnx'));
    await page.locator('[aria-label="Loaded model"]').getByText('dinov2-tiny.onnx').first().waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Run iteration 0' }).click();
    await page.getByRole('button', { name: 'Step' }).waitFor({ timeout: 180_000 });
    await page.waitForFunction(() => !document.querySelector('.stage-progress'), null, { timeout: 180_000 });

    // The experiment's model is a dropped file: the other variant is a file too.
    await section.getByText(/Embeds the real set and iteration 0 of “e2e_variants/).waitFor();
    expect(await section.getByLabel('Compare with').locator('option').allInnerTexts()).toEqual(['Local .onnx file…']);
    await section.getByLabel('Variant file').setInputFiles(join(MODELS, 'dinov2-tiny-int8.onnx'));
    const seen = new Set<string>();
    const watch = setInterval(() => {
      void section
        .locator('.progress__row span')
        .first()
        .innerText({ timeout: 200 })
        .then((t) => seen.add(t), () => undefined);
    }, 50);
    await section.getByRole('button', { name: 'Compare variants' }).click();
    const result = section.locator('[aria-label="Variant comparison result"]');
    await result.waitFor({ timeout: 180_000 });
    clearInterval(watch);
    console.log(`progress labels seen: ${[...seen].join(' | ')}`);
    expect([...seen].some((t) => /^Embedding with dinov2-tiny(-int8)?\.onnx$/.test(t))).toBe(true);

    const verdict = await result.getAttribute('data-verdict');
    expect(['safe', 'not safe']).toContain(verdict);
    const text = await result.innerText();
    expect(await result.locator('.variant-comparison__statement').innerText()).toMatch(
      new RegExp(`^${verdict} for this experiment: the MMD² between the two variants' embeddings of the same \\d+ images is -?[\\d.e-]+, -?[\\d.e-]+ % of the noise floor [\\d.e-]+ \\((below|not below) the 10 % allowed\\)$`),
    );
    expect(text).toMatch(/dinov2-tiny\.onnx \(fp32, WASM\) vs dinov2-tiny-int8\.onnx \(int8, WASM\)/);
    expect(text).toMatch(/\d+ real \+ 16 of iteration 0/);
    expect(text).toMatch(/iteration 0's noise floor: the 95th percentile of real-vs-real MMD²/);
    const minCosine = Number(text.match(/min (\d\.\d+)/)?.[1]);
    expect(minCosine).toBeGreaterThan(0.99);
    expect(await result.getByRole('img', { name: /^Images by 1 − cosine: / }).count()).toBe(1);

    // Stored with the experiment.
    const stored = await page.evaluate(async () => {
      const open = indexedDB.open('latent-calibration-studio');
      const db: IDBDatabase = await new Promise((res) => (open.onsuccess = () => res(open.result)));
      const all: Array<{ variantComparison?: unknown }> = await new Promise((res) => {
        const r = db.transaction('experiments').objectStore('experiments').getAll();
        r.onsuccess = () => res(r.result);
      });
      db.close();
      return all.map((e) => e.variantComparison) as StoredComparison[];
    });
    expect(stored).toHaveLength(1);
    const record = stored[0];
    expect(record.verdict).toBe(verdict);
    expect(record.cosines).toHaveLength(record.images.real + record.images.iteration0);
    expect(record.images.iteration0).toBe(16);
    expect(record).toMatchObject({ reference: { label: 'dinov2-tiny.onnx', precision: 'fp32', backend: 'wasm' }, candidate: { label: 'dinov2-tiny-int8.onnx', precision: 'int8', backend: 'wasm' } });
    console.log(`tiny stand-in, int8 vs fp32 on ${record.cosines.length} images: min cosine ${Math.min(...record.cosines)}, MMD² ${record.mmd2} vs floor ${record.floor} → ${record.verdict}`);

    await page.setViewportSize({ width: 1280, height: 900 });
    await section.scrollIntoViewIfNeeded();
    await screenshot(section, 'variant-comparison');

    await page.reload();
    await result.waitFor({ timeout: 60_000 });
    expect(await result.getAttribute('data-verdict')).toBe(verdict);
    expect(await result.locator('.variant-comparison__statement').innerText()).toBe(record.statement);
  });
});
