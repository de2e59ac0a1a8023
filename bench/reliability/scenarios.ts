/**
 * Two faults of the reliability campaign that are not a kill: a second tab on a running experiment, and
 * a full disk. Each is played in real Chromium on the fault campaign's config and checked record by
 * record against the uninterrupted twin run (bench/reliability/faults.ts).
 */
import type { Page } from 'playwright-core';
import { openChromium } from '../../tests/helpers/chromium';
import { compareWithTwin, finishRun, holdWorkers, installWorkerHook, readStoredExperiment, runState, setUpApp, type FinishLog, type SampleComparison } from './appDriver';
import { FAULT_CONFIG_YAML, FAULT_EXPERIMENT, matchesTwin, type TwinRun } from './faults';

const RUN_NOTE = '.panel .panel__note';

async function waitIdle(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('.stage-progress'), null, { timeout: 120_000 });
}


export interface TwoTabOutcome {
  /** Tab B said the experiment runs in another tab, and its run buttons were disabled. */
  readOnlyShown: boolean;
  buttonsDisabled: boolean;
  /** Tab B's view moved on with tab A's commits (its "next:" line changed). */
  followed: boolean;
  /** After tab A closed mid-run, tab B resumed the run and finished it without a failed stage. */
  tookOver: boolean;
  message: string;
  comparison: SampleComparison;
  survived: boolean;
}

/**
 * Tab A runs iteration 0 and starts Auto-run, held in iteration 1 (its workers' messages held, so the
 * run cannot end before tab B looks); tab B, open on the same experiment, asks to run it too, is told it
 * runs elsewhere and shows it read-only, following tab A's commits; tab A closes mid-run; tab B takes
 * over and finishes; the records equal the twin's.
 */
export async function twoTabScenario(baseUrl: string, twin: TwinRun): Promise<TwoTabOutcome> {
  const session = await openChromium();
  const outcome: TwoTabOutcome = { readOnlyShown: false, buttonsDisabled: false, followed: false, tookOver: false, message: '', comparison: compareWithTwin(twin.stored, twin.stored), survived: false };
  try {
    await installWorkerHook(session.context);
    const a = session.page;
    await setUpApp(a, baseUrl, FAULT_CONFIG_YAML, FAULT_EXPERIMENT);
    await a.getByRole('button', { name: 'Run iteration 0' }).click();
    await a.getByRole('button', { name: 'Auto-run' }).waitFor();
    await waitIdle(a);
    const b = await session.context.newPage();
    await b.goto(baseUrl);
    await b.getByRole('button', { name: 'Auto-run' }).waitFor({ timeout: 120_000 });

    // Tab A's run waits in iteration 1's scoring (its analyze worker's messages held) while tab B asks.
    await holdWorkers(a, 'analyze', true);
    await a.getByRole('button', { name: 'Auto-run' }).click();
    await a.locator('.stage-progress li[aria-current="step"]', { hasText: 'Score + map' }).waitFor({ timeout: 120_000 });
    await b.getByRole('button', { name: 'Auto-run' }).click();
    const alert = b.getByRole('alert').filter({ hasText: 'running in another tab' });
    await alert.waitFor({ timeout: 30_000 });
    outcome.readOnlyShown = true;
    outcome.message = (await alert.innerText()).trim();
    outcome.buttonsDisabled = (await b.getByRole('button', { name: 'Auto-run' }).isDisabled()) && (await b.getByRole('button', { name: 'Step' }).isDisabled());
    const noteBefore = await b.locator(RUN_NOTE).first().innerText();
    // Scoring goes on and commits; the run then waits in Propose (its optimize worker held), and tab B must follow.
    await holdWorkers(a, 'optimize', true);
    await holdWorkers(a, 'analyze', false);
    outcome.followed = await b
      .waitForFunction((before) => (document.querySelector('.panel .panel__note')?.textContent ?? '') !== before, noteBefore, { timeout: 30_000 })
      .then(() => true)
      .catch(() => false);
    // Closed mid-run: tab A waits in iteration 1's Propose.
    await a.close({ runBeforeUnload: false });

    // Tab B lets go of the read-only view once the lock is free, and resumes the run (which may be short).
    const log: FinishLog = { clicks: [], failures: [] };
    await alert.waitFor({ state: 'detached', timeout: 30_000 });
    await finishRun(b, log);
    outcome.tookOver = log.failures.length === 0 && !log.clicks.includes('Retry stage') && (await runState(b)) === 'finished';
    const stored = await readStoredExperiment(b);
    outcome.comparison = compareWithTwin(stored, twin.stored);
    outcome.survived = outcome.readOnlyShown && outcome.buttonsDisabled && outcome.followed && outcome.tookOver && matchesTwin(stored, outcome.comparison);
  } finally {
    await session.close();
  }
  return outcome;
}

export interface StorageFullOutcome {
  /** The run stopped (paused) with the message; every sample stored before it is still there, unchanged. */
  paused: boolean;
  message: string;
  samplesBefore: number;
  keptBefore: boolean;
  /** After another experiment was deleted, Auto-run finished the run; the records equal the twin's. */
  resumed: boolean;
  quotaBytes: number;
  comparison: SampleComparison;
  survived: boolean;
}

const usage = (page: Page) => page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);

/**
 * A real quota error. A first profile measures what iteration 0 and iteration 1 store; a second profile
 * gets a quota (CDP Storage.overrideQuotaForOrigin, set before the page opens its database: Chromium
 * reads it once) of two iteration-0s and half an iteration. There, one experiment runs iteration 0, a
 * second one runs iteration 0 and Auto-run, and the quota runs out during its iteration 1: the page must
 * say storage is full and what to do, and keep what it had. Deleting the first experiment frees the
 * space, and Auto-run finishes the run with the twin's records.
 */
export async function storageFullScenario(baseUrl: string, twin: TwinRun): Promise<StorageFullOutcome> {
  const outcome: StorageFullOutcome = { paused: false, message: '', samplesBefore: 0, keptBefore: false, resumed: false, quotaBytes: 0, comparison: compareWithTwin(twin.stored, twin.stored), survived: false };
  const measure = await openChromium();
  let afterIteration0 = 0;
  let afterIteration1 = 0;
  try {
    const page = measure.page;
    await setUpApp(page, baseUrl, FAULT_CONFIG_YAML, FAULT_EXPERIMENT);
    await page.getByRole('button', { name: 'Run iteration 0' }).click();
    await page.getByRole('button', { name: 'Auto-run' }).waitFor();
    await waitIdle(page);
    afterIteration0 = await usage(page);
    await page.getByRole('button', { name: 'Step' }).click();
    await page.getByRole('button', { name: 'Step' }).waitFor();
    await waitIdle(page);
    afterIteration1 = await usage(page);
  } finally {
    await measure.close();
  }

  const session = await openChromium();
  try {
    await installWorkerHook(session.context);
    const page = session.page;
    outcome.quotaBytes = Math.round(2 * afterIteration0 + (afterIteration1 - afterIteration0) / 2);
    const cdp = await session.context.newCDPSession(page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(baseUrl).origin, quotaSize: outcome.quotaBytes });
    await setUpApp(page, baseUrl, FAULT_CONFIG_YAML, FAULT_EXPERIMENT);
    await page.getByRole('button', { name: 'Run iteration 0' }).click();
    await page.getByRole('button', { name: 'Auto-run' }).waitFor();
    await waitIdle(page);
    await page.getByRole('button', { name: 'New experiment with the current inputs' }).click();
    await page.getByRole('button', { name: 'Run iteration 0' }).click();
    await page.getByRole('button', { name: 'Auto-run' }).waitFor();
    await waitIdle(page);
    const before = await readStoredExperiment(page);
    outcome.samplesBefore = before.samples.length;
    await page.getByRole('button', { name: 'Auto-run' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Storage is full' });
    outcome.paused = await alert
      .waitFor({ timeout: 120_000 })
      .then(() => true)
      .catch(() => false);
    if (outcome.paused) outcome.message = (await alert.innerText()).split('\n')[0].trim();
    await waitIdle(page);
    const during = await readStoredExperiment(page);
    const kept = new Map(during.samples.map((s) => [s.sample_id, JSON.stringify(s)]));
    outcome.keptBefore = before.samples.every((s) => kept.get(s.sample_id) === JSON.stringify(s));

    // The other experiment is the older one: last in the list (ordered by last update).
    await page.getByRole('button', { name: /^Delete fault_campaign/ }).last().click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.experiments__open').length === 1, null, { timeout: 30_000 });
    const log: FinishLog = { clicks: [], failures: [] };
    await finishRun(page, log);
    outcome.resumed = log.failures.length === 0;
    const stored = await readStoredExperiment(page);
    outcome.comparison = compareWithTwin(stored, twin.stored);
    outcome.survived = outcome.paused && outcome.keptBefore && outcome.resumed && matchesTwin(stored, outcome.comparison);
  } finally {
    await session.close();
  }
  return outcome;
}
