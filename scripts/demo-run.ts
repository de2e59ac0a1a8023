/* eslint-disable @typescript-eslint/no-explicit-any -- code inside page.evaluate runs in the browser */
/**
 * The full demo run: the simulated target, the image-statistics embedder (offline), the
 * default config, iteration 0 then ten Steps, in real headless Chromium. Prints the final similarity
 * against its noise floor and the parameter recovery, saves screenshots to docs/, and writes
 * bench/results/demo.json.
 *
 *   npm run demo
 */
import { copyFileSync } from 'node:fs';
import { launchBenchBrowser, startAppServer } from '../bench/lib/browser';
import { machineInfo, printTable, writeBenchResult, type Row } from '../bench/lib/report';
import { parameterRecovery } from '../src/engine/pipeline/recovery';
import type { ExperimentRecord, IterationRecord } from '../src/engine/experiment/records';

const STEPS = 10;

async function main() {
  const { server, baseUrl } = await startAppServer();
  const { browser, page, version } = await launchBenchBrowser();
  await page.setViewportSize({ width: 1440, height: 1000 });
  const idle = () => page.waitForFunction(() => !document.querySelector('.stage-progress') && !!document.querySelector('.run-buttons'), null, { timeout: 600_000 });
  try {
    await page.goto(baseUrl);
    await page.locator('[aria-label="Loaded chip images"] li').nth(4).waitFor({ timeout: 60_000 });
    await page.getByLabel('Embedder').selectOption({ label: 'Image statistics (offline, not DINOv2)' });
    await page.getByRole('button', { name: 'Load model' }).click();
    await page.locator('[aria-label="Loaded model"]').getByText('Image statistics').first().waitFor();
    const t0 = Date.now();
    await page.getByRole('button', { name: 'Run iteration 0' }).click();
    await page.getByRole('button', { name: 'Step' }).waitFor({ timeout: 600_000 });
    await idle();
    console.log(`iteration 0: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    for (let i = 1; i <= STEPS; i++) {
      const t = Date.now();
      await page.getByRole('button', { name: 'Step' }).click();
      await page.waitForFunction((n) => document.body.innerText.includes(`next: iteration ${n + 1}`) || document.body.innerText.includes('finished:'), i, { timeout: 600_000 });
      await idle();
      console.log(`iteration ${i}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
    const data = await page.evaluate(async () => {
      const open = indexedDB.open('latent-calibration-studio');
      const db: IDBDatabase = await new Promise((res, rej) => ((open.onsuccess = () => res(open.result)), (open.onerror = () => rej(open.error))));
      const all = (store: string): Promise<any[]> =>
        new Promise((res) => {
          const r = db.transaction(store).objectStore(store).getAll();
          r.onsuccess = () => res(r.result);
        });
      const experiments = await all('experiments');
      const iterations = (await all('iterations')).map((it: any) => ({ ...it, scores: it.scores ? { metrics: it.scores.metrics } : undefined }));
      db.close();
      return { experiment: experiments[0], iterations };
    });
    const experiment = data.experiment as ExperimentRecord;
    const iterations = (data.iterations as IterationRecord[]).sort((a, b) => a.iteration - b.iteration);
    const rows: Row[] = iterations.map((it) => {
      const mmd = it.scores?.metrics.mmd2_unbiased;
      const best = it.proposal?.current_best[0];
      const setFloor = it.paramSets.find((p) => p.score?.floor.available)?.score?.floor;
      return {
        iteration: it.iteration,
        batch_mmd2: mmd ? +mmd.value.toPrecision(4) : null,
        batch_floor_mean: mmd?.floor.available ? +mmd.floor.mean.toPrecision(4) : null,
        batch_floor_high: mmd?.floor.available ? +mmd.floor.high.toPrecision(4) : null,
        best_posterior_mean: best ? +best.posteriorMean.toPrecision(4) : null,
        set_floor_high: setFloor?.available ? +setFloor.high.toPrecision(4) : null,
        convergence: it.convergence?.reason ?? '',
      };
    });
    printTable(rows, 'Demo run: similarity per iteration (unbiased MMD², Gaussian kernel, image-statistics embedder)');
    const last = iterations[iterations.length - 1];
    const best = last.proposal!.current_best[0];
    const recovery = parameterRecovery(experiment.config, best.params, experiment.hiddenRealParamSets ?? []);
    printTable(
      recovery.rows.map((r) => ({
        parameter: r.name,
        best: typeof r.best === 'number' ? +r.best.toFixed(3) : r.best,
        hidden: r.hiddenMean !== undefined ? +r.hiddenMean.toFixed(3) : (r.hiddenMode ?? ''),
        hidden_range: r.hiddenRange ? `${r.hiddenRange[0].toFixed(2)}–${r.hiddenRange[1].toFixed(2)}` : '',
        configured: r.configured,
        error_share_of_range: r.normalizedError !== undefined ? +r.normalizedError.toFixed(3) : r.matches ? 'match' : 'differs',
      })),
      'Parameter recovery (best posterior mean vs the hidden real parameter sets)',
    );
    const mmd = last.scores!.metrics.mmd2_unbiased;
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.locator('[data-chart="latent-map"]').screenshot({ path: 'docs/demo-map.png' });
    await page.screenshot({ path: 'docs/screenshot.png' });
    copyFileSync('docs/demo-map.png', 'bench/results/demo-map.png');
    writeBenchResult({
      bench: 'demo',
      machine: machineInfo({ browser: `Chromium ${version}`, embedder: 'image statistics (offline, not DINOv2)' }),
      figures: {
        final_batch_mmd2: { value: mmd.value, unit: 'MMD² (kernel units)', target: mmd.floor.available ? mmd.floor.high : null, better: 'lower' },
        final_batch_floor_mean: { value: mmd.floor.available ? mmd.floor.mean : NaN, unit: 'MMD² (kernel units)', target: null, better: 'lower' },
        best_posterior_mean: { value: best.posteriorMean, unit: 'MMD² (kernel units)', target: null, better: 'lower' },
        recovery_mean_normalized_error: { value: recovery.meanNormalizedError, unit: 'share of range', target: null, better: 'lower' },
        recovery_categorical_matches: { value: recovery.categoricalMatches, unit: `of ${recovery.categoricalTotal}`, target: null, better: 'higher' },
      },
      rows: [...rows, ...recovery.rows.map((r) => ({ parameter: r.name, best: String(r.best), hidden: String(r.hiddenMean ?? r.hiddenMode), error: r.normalizedError ?? (r.matches ? 'match' : 'differs') }))],
    });
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
