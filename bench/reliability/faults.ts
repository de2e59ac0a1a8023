/**
 * The fault campaign (issue: reliability measured): a run of the studio in real Chromium is interrupted
 * at each seeded kill point (bench/reliability/killPoints.ts) by closing the tab, reloading it, or
 * crashing the stage's worker; the page is opened again, the run goes on from what is stored, and the
 * stored experiment is compared record by record with an uninterrupted twin run of the same config and
 * seed: no sample lost, none duplicated, the same ids, the same embeddings and images, the same proposals.
 * An export interrupted the same way leaves the records as they were, and the next export completes.
 *
 * Each run uses a fresh browser profile, so one run's storage never meets another's.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { openChromium, requestsOutside, type ChromiumSession } from '../../tests/helpers/chromium';
import { compareWithTwin, finishRun, installWorkerHook, readStoredExperiment, setUpApp, shownStage, type FinishLog, type SampleComparison, type StoredExperiment } from './appDriver';
import { planKillPoints, STAGE_WORKER, type KillPoint } from './killPoints';

/** A small run: 26 images at iteration 0, then 3 iterations of 4 sets × 2 replicates; nothing stops it early. */
export const FAULT_ITERATIONS = 3;
export const FAULT_EXPERIMENT = 'fault_campaign';
export const FAULT_CONFIG_YAML = `experiment_name: "${FAULT_EXPERIMENT}"
max_iterations: ${FAULT_ITERATIONS}
convergence_rule: absolute
convergence_threshold: -1
early_stop_patience: 10
random_seed: 7
real: {param_sets: 5, replications: 2, total_size: 10}
close: {param_sets: 4, replications: 2, total_size: 8}
far: {param_sets: 4, replications: 2, total_size: 8}
iteration_batch_size: 4
replications_per_iteration: 2
`;

/** The labels the progress view shows for each stage. */
const STAGE_LABEL: Record<Exclude<KillPoint['stage'], 'export'>, string> = {
  generate: 'Generate + embed',
  embed: 'Generate + embed',
  score: 'Score + map',
  store: 'Store',
  propose: 'Propose',
};

/** The progress view's steps in the order a stage passes them. */
const STAGE_ORDER = ['Plan', 'Generate + embed', 'Score + map', 'Store', 'Propose'];

export interface FaultResult {
  point: KillPoint;
  /** What the page showed when the kill happened ("Iteration 1: Score + map"), or null when the stage was never seen. */
  killedAt: string | null;
  injected: boolean;
  /** Ended with the twin's records (and, for export, the twin's .npy files), without a Retry stage. */
  survived: boolean;
  comparison: SampleComparison;
  failures: string[];
  exportMatches: boolean | null;
  seconds: number;
  error: string | null;
}

export interface FaultCampaign {
  twinSamples: number;
  twinSeconds: number;
  results: FaultResult[];
}

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The .npy files of an exported ZIP by path below the experiment's folder, hashed (they hold no ids or times). */
function npyDigest(zipPath: string): Record<string, string> {
  const files = unzipSync(new Uint8Array(readFileSync(zipPath)));
  const out: Record<string, string> = {};
  for (const [name, bytes] of Object.entries(files)) {
    const m = name.match(/^data\/experiments\/[^/]+\/(iteration_\d+\/[^/]+\.npy)$/);
    if (m) out[m[1]] = sha(bytes);
  }
  return out;
}

async function exportZip(page: Page, dir: string, name: string): Promise<string> {
  const download = page.waitForEvent('download', { timeout: 120_000 });
  await page.getByRole('button', { name: 'Export ZIP' }).click();
  const path = `${dir}/${name}.zip`;
  await (await download).saveAs(path);
  return path;
}

/** Every record equal to the twin's, no orphaned or missing artifact. */
export function matchesTwin(stored: StoredExperiment, c: SampleComparison): boolean {
  return c.lost === 0 && c.duplicated === 0 && c.extra === 0 && c.changed === 0 && !c.iterationsDiffer && !c.statusDiffers && stored.orphanArtifacts === 0 && stored.missingArtifacts === 0;
}

/** Waits for the kill point's stage to show, waits its delay, then kills; returns what the page showed at the kill. */
async function killWhenReached(session: ChromiumSession, page: Page, point: KillPoint, baseUrl: string): Promise<{ page: Page; killedAt: string | null }> {
  const label = point.stage === 'export' ? 'Exporting' : STAGE_LABEL[point.stage];
  // The stage or any later one: a stage shorter than the polling interval is not skipped past.
  const reached = await page
    .waitForFunction(
      ({ iteration, label, order }) => {
        if (label === 'Exporting') return !!document.querySelector('progress[aria-label="Exporting"]');
        const title = document.querySelector('.stage-progress__title')?.textContent ?? '';
        const active = document.querySelector('.stage-progress li[aria-current="step"]')?.textContent ?? '';
        const shown = Number(title.replace('Iteration ', ''));
        if (!title || !order.includes(active)) return false;
        return shown > iteration || (shown === iteration && order.indexOf(active) >= order.indexOf(label));
      },
      { iteration: point.iteration, label, order: STAGE_ORDER },
      { polling: 5, timeout: 120_000 },
    )
    .then(() => true)
    .catch(() => false);
  if (!reached) return { page, killedAt: null };
  if (point.delayMs > 0) await page.waitForTimeout(point.delayMs);
  const shown = await shownStage(page);
  const killedAt = shown ? (shown.exporting ? 'Exporting' : `Iteration ${shown.iteration}: ${shown.label}`) : 'between stages';
  if (point.how === 'crash') {
    await page.evaluate((name) => (window as unknown as { __crashWorkers(n: string): number }).__crashWorkers(name), STAGE_WORKER[point.stage]!);
    return { page, killedAt };
  }
  if (point.how === 'reload') {
    await page.reload();
    return { page, killedAt };
  }
  await page.close({ runBeforeUnload: false });
  const next = await session.context.newPage();
  await next.goto(baseUrl);
  return { page: next, killedAt };
}

export interface TwinRun {
  stored: StoredExperiment;
  npy: Record<string, string>;
  seconds: number;
  /** Requests of the whole run, from the first page load to the export, that left the page's origin; CSP refusals. */
  requestsOutside: string[];
  cspViolations: string[];
}

/** An uninterrupted run: its stored records and its export's .npy files. */
export async function twinRun(baseUrl: string, downloads: string): Promise<TwinRun> {
  const t0 = performance.now();
  const session = await openChromium();
  try {
    await installWorkerHook(session.context);
    const page = session.page;
    await setUpApp(page, baseUrl, FAULT_CONFIG_YAML, FAULT_EXPERIMENT);
    const log: FinishLog = { clicks: [], failures: [] };
    await finishRun(page, log);
    if (log.failures.length) throw new Error(`the uninterrupted twin failed a stage: ${log.failures.join('; ')}`);
    const stored = await readStoredExperiment(page);
    const npy = npyDigest(await exportZip(page, downloads, 'twin'));
    return { stored, npy, seconds: (performance.now() - t0) / 1000, requestsOutside: requestsOutside(session, baseUrl), cspViolations: [...session.cspViolations] };
  } finally {
    await session.close();
  }
}

async function faultRun(point: KillPoint, baseUrl: string, downloads: string, twin: TwinRun): Promise<FaultResult> {
  const t0 = performance.now();
  const session = await openChromium();
  const log: FinishLog = { clicks: [], failures: [] };
  const result: FaultResult = {
    point,
    killedAt: null,
    injected: false,
    survived: false,
    comparison: { lost: 0, duplicated: 0, extra: 0, changed: 0, iterationsDiffer: false, statusDiffers: false },
    failures: log.failures,
    exportMatches: null,
    seconds: 0,
    error: null,
  };
  try {
    await installWorkerHook(session.context);
    let page = session.page;
    await setUpApp(page, baseUrl, FAULT_CONFIG_YAML, FAULT_EXPERIMENT);
    if (point.stage === 'export') {
      await finishRun(page, log);
      const before = await readStoredExperiment(page);
      const download = exportZip(page, downloads, `interrupted-${point.index}`);
      // Handled at once: closing the page rejects it while the kill is still under way.
      download.catch(() => undefined);
      const killed = await killWhenReached(session, page, point, baseUrl);
      page = killed.page;
      result.killedAt = killed.killedAt;
      // A crashed archive worker is restarted and the export still arrives; a closed or reloaded page's never does.
      if (point.how === 'crash') await download;
      await page.getByRole('button', { name: 'Export ZIP' }).waitFor();
      const after = await readStoredExperiment(page);
      const unchanged = JSON.stringify(after) === JSON.stringify(before);
      const npy = npyDigest(await exportZip(page, downloads, `after-${point.index}`));
      result.exportMatches = unchanged && JSON.stringify(npy) === JSON.stringify(twin.npy);
    } else {
      // The run goes on beside the watcher; a closed page ends the driver, which then starts again on the new page.
      const driving = finishRun(page, log).then(
        () => null,
        (e: Error) => e,
      );
      const killed = await killWhenReached(session, page, point, baseUrl);
      result.killedAt = killed.killedAt;
      const driveError = await driving;
      if (killed.page !== page || point.how === 'reload' || driveError) {
        page = killed.page;
        await finishRun(page, log);
      }
    }
    result.injected = result.killedAt !== null;
    const stored = await readStoredExperiment(page);
    result.comparison = compareWithTwin(stored, twin.stored);
    result.survived = matchesTwin(stored, result.comparison) && log.failures.length === 0 && result.exportMatches !== false;
  } catch (error) {
    result.error = (error as Error).message.split('\n')[0];
  } finally {
    await session.close();
    result.seconds = (performance.now() - t0) / 1000;
  }
  return result;
}

/** Runs the twin, then each kill point in its own profile. */
export async function runFaultCampaign(options: { baseUrl: string; count: number; seed: number; downloads: string; twin?: TwinRun; onResult?: (r: FaultResult) => void }): Promise<FaultCampaign> {
  const twin = options.twin ?? (await twinRun(options.baseUrl, options.downloads));
  const results: FaultResult[] = [];
  for (const point of planKillPoints(options.count, options.seed, FAULT_ITERATIONS)) {
    const result = await faultRun(point, options.baseUrl, options.downloads, twin);
    options.onResult?.(result);
    results.push(result);
  }
  return { twinSamples: twin.stored.samples.length, twinSeconds: twin.seconds, results };
}
