import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import type { Page } from 'playwright-core';
import { decodePngSize } from '../helpers/pngInfo';
import { openChromium, type ChromiumSession } from '../helpers/chromium';
import { screenshot } from '../helpers/screenshots';
import { installStoreReader, type ReadStores } from '../helpers/storedRecords';

/**
 * What the user sees when a pipeline stage fails, with a real model file that makes it fail, in real
 * Chromium. dinov2-tiny-colouronly.onnx sees only the colour differences of a pixel: it passes the
 * load-time check (the probe images are coloured) but embeds every grey image to the same vector. The
 * demo chips, the voids painted on them and the simulated target are all grey, so iteration 0 generates
 * and embeds its samples and then "Score and project" fails. The run panel must name the stage, the
 * iteration and the reason, offer Retry stage instead of Step and Auto-run, keep the embedded samples,
 * and show the same after a reload.
 */
const MODEL = join(process.cwd(), 'tests/fixtures/models/dinov2-tiny-colouronly.onnx');

// A short run, as in the loop test; the run never gets past iteration 0's analysis anyway.
const CONFIG_YAML = `experiment_name: "e2e_failed_stage"
max_iterations: 2
convergence_rule: absolute
convergence_threshold: -1
early_stop_patience: 5
`;

const FAILED_AT = 'Score and project of iteration 0 failed: ';
// The reason, in words: either "every vector is the same / the model does not tell them apart", or the
// numerical failure of fitting the map and the kernel bandwidth on such vectors that it replaces (PCA:
// "spans only 0 direction(s) of variance"; bandwidth: "the median pairwise distance ... is 0 (... duplicates)").
const REASON = /\b(same|identical|(does not|cannot|can't) tell\b.*\bapart|variance|duplicates?|distance\b.*\bis 0|singular|not positive definite)\b/i;

interface Stored {
  experiments: Array<{ id: string; name: string; status: string; statusDetail?: string }>;
  iterations: Array<{ experimentId: string; iteration: number; stage: string }>;
  samples: Array<{ experimentId: string; iteration: number; sample_id: string; dataset_type: string; embeddingLength: number; embeddingKey: string }>;
}

/** The experiment, iteration and sample records as IndexedDB holds them (embeddings reduced to a key). */
async function stored(page: Page): Promise<Stored> {
  await installStoreReader(page);
  return page.evaluate(async () => {
    const stored = await (window as unknown as { __readStores: ReadStores }).__readStores(['experiments', 'iterations', 'samples']);
    const all = <T,>(store: string): T[] => stored[store] as T[];
    const experiments = all<{ id: string; name: string; status: string; statusDetail?: string }>('experiments');
    const iterations = all<{ experimentId: string; iteration: number; stage: string }>('iterations');
    const samples = all<{ experimentId: string; iteration: number; sample_id: string; metadata: { dataset_type: string }; embedding?: Float32Array }>('samples');
    return {
      experiments: experiments.map(({ id, name, status, statusDetail }) => ({ id, name, status, statusDetail })),
      iterations: iterations.map(({ experimentId, iteration, stage }) => ({ experimentId, iteration, stage })),
      samples: samples.map((s) => ({
        experimentId: s.experimentId,
        iteration: s.iteration,
        sample_id: s.sample_id,
        dataset_type: s.metadata.dataset_type,
        embeddingLength: s.embedding?.length ?? 0,
        embeddingKey: s.embedding ? Array.from(s.embedding).join(',') : '',
      })),
    };
  });
}

const runPanel = (page: Page) => page.locator('section.panel').filter({ has: page.getByRole('heading', { name: 'Run', exact: true }) });

/** Step and Auto-run are either absent or disabled. */
async function expectNoStepping(page: Page) {
  for (const name of ['Step', 'Auto-run']) {
    const buttons = runPanel(page).getByRole('button', { name, exact: true });
    const n = await buttons.count();
    for (let i = 0; i < n; i++) expect(await buttons.nth(i).isDisabled(), `${name} is offered on a failed experiment`).toBe(true);
  }
}

describe('a failed stage, as the user sees it (colour-only model on grey images)', () => {
  const profile = mkdtempSync(join(tmpdir(), 'lcs-failed-'));
  let session: ChromiumSession | null = null;
  let message = '';

  afterAll(async () => {
    await session?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  it('iteration 0 fails in Score and project: the stage, the reason, Retry stage, the samples kept', { timeout: 420_000 }, async () => {
    session = await openChromium({ profileDir: profile });
    const { page } = session;
    onTestFailed(async () => {
      await screenshot(page, 'failed-stage-test-failed');
      console.log(session?.logs.slice(-30).join('\n'));
    });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(inject('baseUrl'));
    await page.locator('[aria-label="Loaded chip images"] li').nth(4).waitFor({ timeout: 60_000 });
    await page.getByLabel('Experiment config').setInputFiles({ name: 'failed.yaml', mimeType: 'application/yaml', buffer: Buffer.from(CONFIG_YAML) });
    await page.getByText('e2e_failed_stage').first().waitFor();
    await page.getByLabel('Model file').setInputFiles(MODEL);
    // The model passes the load check (coloured probe images differ): it is loaded, not refused.
    await page.locator('[aria-label="Loaded model"]').getByText('dinov2-tiny-colouronly.onnx').first().waitFor({ timeout: 60_000 });

    await runPanel(page).getByRole('button', { name: 'Run iteration 0' }).click();
    const retry = runPanel(page).getByRole('button', { name: 'Retry stage', exact: true });
    await retry.waitFor({ timeout: 300_000 });
    await page.waitForFunction(() => !document.querySelector('.stage-progress'), null, { timeout: 60_000 });

    const alert = runPanel(page).getByRole('alert').filter({ hasText: FAILED_AT });
    await alert.waitFor();
    message = (await alert.innerText()).trim();
    console.log(`failure message: ${message}`);
    expect(message.startsWith(FAILED_AT)).toBe(true);
    expect(message.slice(FAILED_AT.length)).toMatch(REASON);
    expect(await retry.isEnabled()).toBe(true);
    await expectNoStepping(page);

    const db = await stored(page);
    expect(db.experiments).toHaveLength(1);
    const [experiment] = db.experiments;
    expect(experiment.status).toBe('failed');
    expect(experiment.statusDetail).toBe(message);
    // Generate and embed was committed; Score and project was not.
    expect(db.iterations).toEqual([{ experimentId: experiment.id, iteration: 0, stage: 'sampled' }]);
    // Every sample of iteration 0 was generated and embedded and is kept (the loop test's iteration 0
    // with the same config stores 63), and all of them embed to the one vector that made the stage fail.
    const samples = db.samples.filter((s) => s.experimentId === experiment.id && s.iteration === 0);
    expect(samples).toHaveLength(63);
    expect(new Set(samples.map((s) => s.embeddingLength))).toEqual(new Set([16]));
    expect(new Set(samples.map((s) => s.embeddingKey)).size).toBe(1);
    expect(new Set(samples.map((s) => s.dataset_type))).toEqual(new Set(['real', 'close', 'far']));

    const shot = await screenshot(page, 'failed-stage-1-after-failure');
    expect(decodePngSize(shot)).toEqual({ width: 1280, height: 800 });
    await runPanel(page).scrollIntoViewIfNeeded();
    await screenshot(runPanel(page), 'failed-stage-2-run-panel');
  });

  it('after a reload the failed state, its message and Retry stage are still shown', { timeout: 180_000 }, async () => {
    const { page } = session!;
    await page.reload();
    await page.locator('[aria-label="Loaded chip images"] li').first().waitFor({ timeout: 60_000 });
    const alert = runPanel(page).getByRole('alert').filter({ hasText: FAILED_AT });
    await alert.waitFor({ timeout: 60_000 });
    expect((await alert.innerText()).trim()).toBe(message);
    await runPanel(page).getByRole('button', { name: 'Retry stage', exact: true }).waitFor();
    await expectNoStepping(page);
    // The reload resumed nothing: the experiment is still failed with iteration 0's samples.
    const db = await stored(page);
    expect(db.experiments.map((e) => e.status)).toEqual(['failed']);
    expect(db.iterations.map((i) => i.stage)).toEqual(['sampled']);
    expect(db.samples.filter((s) => s.iteration === 0)).toHaveLength(63);
    await screenshot(page, 'failed-stage-3-after-reload');
    await runPanel(page).scrollIntoViewIfNeeded();
    await screenshot(runPanel(page), 'failed-stage-4-run-panel-after-reload');
  });
});
