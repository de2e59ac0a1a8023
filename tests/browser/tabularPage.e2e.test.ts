import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readTable } from '../../src/domains/tabular/csv/readTable';
import { isNumeric, type Table } from '../../src/domains/tabular/table';
import { openChromium, requestsOutside, type ChromiumSession } from '../helpers/chromium';
import { screenshot } from '../helpers/screenshots';

/**
 * Synthetic tables in the page, in real Chromium, by accessible names: the glass example reviewed, its
 * detected oxide sum group kept as a rule, optimised to all green under the adjusted preset, and its
 * exported CSV checked row by row against the rule; birth weight with its derived column added in the
 * editor and kept on every exported row; a reload in the middle of an optimisation that resumes with
 * nothing lost; and a ragged CSV refused next to the drop zone with nothing stored.
 */
const OXIDES = ['Na', 'Mg', 'Al', 'Si', 'K', 'Ca', 'Ba', 'Fe'];

async function downloaded(page: Page, button: string, dir: string): Promise<string> {
  const pending = page.waitForEvent('download', { timeout: 120_000 });
  await page.getByRole('button', { name: button, exact: true }).click();
  const download = await pending;
  const file = join(dir, download.suggestedFilename());
  await download.saveAs(file);
  return readFileSync(file, 'utf8');
}

function numeric(table: Table, name: string): Float64Array {
  const column = table.columns.find((c) => c.name === name);
  if (!column || !isNumeric(column)) throw new Error(`${name} is not a numeric column`);
  return column.values;
}

const evaluationCount = (page: Page) => page.locator('table[aria-label="Evaluations"] tbody tr:not(.tabular-eval--pinned)').count();

/** Calibrations stored by the tests so far (the page opens the newest one). */
let stored = 0;

/** Opens the page once its stored experiments are listed, with a new table calibration's form showing. */
async function openNewCalibration(page: Page) {
  await page.goto(inject('baseUrl'));
  await expect.poll(() => page.locator('.experiments li').count(), { timeout: 60_000 }).toBe(stored);
  await page.locator('.kind-picker').getByText('Synthetic tables', { exact: true }).click();
  const another = page.getByRole('button', { name: 'New table calibration' });
  if (await another.isVisible()) await another.click();
  await page.getByRole('region', { name: 'New table calibration' }).waitFor();
}

async function startExample(page: Page, example: string, budget: number) {
  await openNewCalibration(page);
  await page.getByRole('button', { name: example, exact: true }).click();
  await page.getByRole('table', { name: 'Columns' }).waitFor({ timeout: 60_000 });
  await page.getByLabel('Budget (evaluations)').fill(String(budget));
}

async function optimize(page: Page) {
  await page.getByRole('button', { name: 'Optimize' }).click();
  stored++;
}

async function waitFinished(page: Page, timeout = 240_000) {
  await page.getByText(/^Finished: /).waitFor({ timeout });
}

describe('synthetic tables in the page (real Chromium)', () => {
  let session: ChromiumSession;
  const dir = mkdtempSync(join(tmpdir(), 'lcs-tabular-page-'));
  const profile = mkdtempSync(join(tmpdir(), 'lcs-tabular-page-profile-'));
  beforeAll(async () => {
    session = await openChromium({ profileDir: profile });
    await session.page.setViewportSize({ width: 1280, height: 800 });
  });
  afterAll(async () => {
    await session?.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  });

  it('glass: keeps the detected sum group, reaches all green, and exports a CSV whose every row obeys the rule', async () => {
    const { page } = session;
    await startExample(page, 'Glass composition', 8);
    expect(await page.getByLabel('Role of type').inputValue()).toBe('group');
    await page.getByText(/Na, Mg, Al, Si, K, Ca, Ba, Fe sum to/).waitFor();
    await screenshot(page, 'tabular-review');
    await page.getByRole('button', { name: 'Keep as a rule' }).click();
    await page.getByRole('button', { name: 'Remove sum_groups[0]' }).waitFor();
    await optimize(page);
    await waitFinished(page);
    expect(await evaluationCount(page)).toBe(8);
    await page.getByText(/^all green at evaluation \d+$/).waitFor();
    await page.getByRole('figure', { name: 'Marginals' }).scrollIntoViewIfNeeded();
    await page.getByRole('figure', { name: 'Map of rows' }).waitFor({ timeout: 60_000 });
    await screenshot(page, 'tabular-glass-done');

    const report = JSON.parse(await downloaded(page, 'Report (JSON)', dir)) as { all_green: boolean; gates_preset: string; best_evaluation: number; group: string };
    expect(report).toMatchObject({ all_green: true, gates_preset: 'seed003_adjusted', group: 'type' });
    const yaml = await downloaded(page, 'Constraints YAML', dir);
    const [low, high] = (yaml.match(/low: ([\d.]+), high: ([\d.]+)/) ?? []).slice(1).map(Number);
    expect(low).toBeGreaterThan(98);
    expect(high).toBeLessThan(101);

    await page.getByLabel('Rows to write').fill('1000');
    const synthetic = readTable(await downloaded(page, 'Synthetic CSV', dir), 'synthetic.csv');
    expect(synthetic.rowCount).toBe(1000);
    expect(synthetic.columns.map((c) => c.name)).toEqual(['RI', ...OXIDES, 'type']);
    const parts = OXIDES.map((name) => numeric(synthetic, name));
    for (let i = 0; i < synthetic.rowCount; i++) {
      const sum = parts.reduce((s, c) => s + c[i], 0);
      expect(sum, `row ${i + 2}`).toBeGreaterThanOrEqual(low - 1e-9);
      expect(sum, `row ${i + 2}`).toBeLessThanOrEqual(high + 1e-9);
      for (const c of parts) expect(c[i]).toBeGreaterThanOrEqual(0);
    }
    const types = synthetic.columns.find((c) => c.name === 'type')!.values as string[];
    expect(new Set(types).size).toBe(6);

    // The keyboard alone reaches every kind of control of a finished calibration: Tab from the top.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const reached = new Set<string>();
    for (let i = 0; i < 400; i++) {
      await page.keyboard.press('Tab');
      reached.add(
        await page.evaluate(() => {
          const el = document.activeElement as HTMLInputElement | null;
          if (!el) return '';
          return el.getAttribute('aria-label') ?? el.labels?.[0]?.textContent?.trim() ?? el.textContent?.trim().slice(0, 40) ?? el.tagName;
        }),
      );
    }
    // (Optimize and Step are disabled once the budget is spent, so not focusable.)
    for (const name of ['New table calibration', 'Best: evaluation', 'evaluation 1', 'Column', 'Histogram', 'Points of Map of rows', 'Rows to write', 'Safe to open in a spreadsheet', 'Synthetic CSV', 'Experiment ZIP']) {
      expect([...reached].some((r) => r.startsWith(name)), `${name} reached by Tab among ${[...reached].join(' | ')}`).toBe(true);
    }
    // Each plot's text alternative: its numbers in words, read with it (aria-describedby).
    for (const title of ['Marginals', 'Correlations', 'Distance to closest record', 'Utility vs privacy', 'Map of rows']) {
      const figure = page.getByRole('figure', { name: title });
      const summary = figure.locator('.viz-figure__summary');
      expect(await summary.innerText(), `${title}: text alternative`).toMatch(/\d/);
      expect(await figure.locator(`[aria-describedby~="${await summary.getAttribute('id')}"]`).count(), `${title}: the chart described by it`).toBeGreaterThan(0);
    }

    // The table, its calibration and every export stayed in the tab: no request left the page's origin.
    expect(session.requests.length).toBeGreaterThan(10);
    expect(requestsOutside(session, inject('baseUrl'))).toEqual([]);
    expect(session.cspViolations).toEqual([]);
  });

  it('birth weight: a derived column added in the editor holds on every exported row; only the generators chosen are searched', async () => {
    const { page } = session;
    await startExample(page, 'Birth weight', 4);
    await page.getByLabel(/^VAE/).uncheck();
    await page.getByLabel(/^Gaussian copula/).uncheck();
    await page.getByLabel('Column to derive').selectOption('low');
    await page.getByLabel('Derived rule').fill('bwt < 2500');
    await page.getByRole('button', { name: 'Add derived column' }).click();
    await page.getByRole('button', { name: 'Remove derived.low' }).waitFor();
    await optimize(page);
    await waitFinished(page);
    const synthetic = readTable(await downloaded(page, 'Synthetic CSV', dir), 'synthetic.csv');
    const low = numeric(synthetic, 'low');
    const bwt = numeric(synthetic, 'bwt');
    expect(synthetic.rowCount).toBe(189);
    for (let i = 0; i < synthetic.rowCount; i++) expect(low[i], `row ${i + 2}: bwt ${bwt[i]}`).toBe(bwt[i] < 2500 ? 1 : 0);
    expect(await page.getByRole('region', { name: 'Table calibration' }).innerText()).toMatch(/Generators\s+Jitter\n/);
    const settings = await page.locator('table[aria-label="Evaluations"] tbody tr .tabular-eval__settings').allInnerTexts();
    expect(settings.length).toBeGreaterThanOrEqual(4);
    for (const text of settings) expect(text).toMatch(/^jitter /);
  });

  it('a reload in the middle of an optimisation resumes it with nothing lost', async () => {
    let { page } = session;
    await startExample(page, 'Wine', 10);
    await optimize(page);
    await expect.poll(() => evaluationCount(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(3);
    const before = await page.locator('table[aria-label="Evaluations"] tbody tr:not(.tabular-eval--pinned) .tabular-eval__settings').allInnerTexts();
    await page.close();
    page = session.page = await session.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(inject('baseUrl'));
    await page.getByText('Resuming the calibration where it stopped.').waitFor({ timeout: 60_000 });
    await waitFinished(page);
    const after = await page.locator('table[aria-label="Evaluations"] tbody tr:not(.tabular-eval--pinned) .tabular-eval__settings').allInnerTexts();
    const indices = await page.locator('table[aria-label="Evaluations"] tbody tr:not(.tabular-eval--pinned) th').allInnerTexts();
    expect(indices.map(Number)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    // The rows made before the reload are still there, unchanged (newest first, so they are the last ones).
    expect(after.slice(-before.length)).toEqual(before);
  });

  it('a failed evaluation opens its diagnosis, and one click runs the model’s suggestion as the next evaluation', async () => {
    const { page } = session;
    await startExample(page, 'Glass composition', 4);
    await page.getByRole('button', { name: 'Keep as a rule' }).click();
    await page.getByLabel('Gates').selectOption('seed003_original');
    await page.getByLabel('Search').selectOption('random');
    await optimize(page);
    await waitFinished(page);
    const failed = page.locator('table[aria-label="Evaluations"] tbody tr:not(.tabular-eval--pinned)').filter({ has: page.locator('.tabular-green--no') }).first();
    const index = Number(await failed.locator('th').innerText());
    await failed.getByRole('button').click();
    const diagnosis = page.getByRole('region', { name: 'Diagnosis' });
    await expect.poll(() => diagnosis.getByRole('heading').innerText()).toMatch(new RegExp(`^Evaluation ${index}: \\d+ of \\d+ gates pass$`));
    await diagnosis.getByText(/^(HIGH_[A-Z_]+|CONSTRAINT_VIOLATION)$/).first().waitFor({ timeout: 60_000 });
    expect(await diagnosis.innerText()).toMatch(/Cause: [\s\S]+Suggestion: [\s\S]*predicts/);
    await screenshot(page, 'tabular-diagnosis');
    await diagnosis.getByRole('button', { name: 'Run this suggestion' }).first().click();
    await expect.poll(() => evaluationCount(page), { timeout: 120_000 }).toBe(5);
    expect(await page.locator('table[aria-label="Evaluations"] tbody tr:not(.tabular-eval--pinned)').first().locator('.tabular-eval__origin').innerText()).toBe('suggestion');

    // The keyboard: arrows move between the evaluations' rows and select each.
    const buttons = page.locator('table[aria-label="Evaluations"] tbody th button');
    await buttons.nth(0).focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => buttons.nth(1).getAttribute('aria-pressed')).toBe('true');
    expect(await buttons.nth(1).evaluate((b) => b === document.activeElement)).toBe(true);
    await page.keyboard.press('End');
    await expect.poll(() => buttons.last().getAttribute('aria-pressed')).toBe('true');
    const last = await buttons.last().innerText();
    await expect.poll(() => diagnosis.getByRole('heading').first().innerText()).toMatch(new RegExp(`^Evaluation ${last}\\b`));
  });

  it('a bad CSV (ragged, empty, one row, wider than long, a column all missing, not UTF-8) is refused next to the drop zone, naming the file, row or column, and nothing is stored', async () => {
    const { page } = session;
    await openNewCalibration(page);
    const listed = await page.locator('.experiments li').count();
    await page.getByLabel('Real table (CSV)').setInputFiles({ name: 'ragged.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b,c\n1,2,3\n4,5\n6,7,8\n') });
    const alert = page.locator('[aria-label="New table calibration"] [role="alert"]');
    await alert.waitFor({ timeout: 60_000 });
    expect(await alert.innerText()).toMatch(/ragged\.csv, row 3: it has 2 fields, the header has 3[\s\S]*Nothing was stored/);
    expect(await page.getByRole('table', { name: 'Columns' }).count()).toBe(0);
    expect(await page.locator('.experiments li').count()).toBe(listed);
    await screenshot(page, 'tabular-bad-csv');

    // The other bad files of the reading rules, each named with its reason in the same place.
    const latin1 = Buffer.from([...Buffer.from('name,v\nabc,1\n'), 0x63, 0x61, 0x66, 0xe9, ...Buffer.from(',2\nd,3\n')]);
    const cases: [string, Buffer, RegExp][] = [
      ['empty.csv', Buffer.from(''), /empty\.csv: the file is empty/],
      ['one.csv', Buffer.from('a,b\n1,2\n'), /one\.csv[\s\S]*a single data row/],
      ['wide.csv', Buffer.from('a,b,c,d\n1,2,3,4\n5,6,7,8\n'), /wide\.csv[\s\S]*4 columns but only 2 rows/],
      ['gone.csv', Buffer.from('a,b\n1,NA\n2,\n3,null\n'), /gone\.csv[\s\S]*column b[\s\S]*every value is missing/],
      ['latin1.csv', latin1, /latin1\.csv, row 3[\s\S]*not UTF-8/],
    ];
    for (const [name, buffer, message] of cases) {
      await page.getByLabel('Real table (CSV)').setInputFiles({ name, mimeType: 'text/csv', buffer });
      await expect.poll(() => alert.innerText(), { timeout: 60_000 }).toMatch(message);
      expect(await alert.innerText()).toMatch(/Nothing was stored/);
    }
    expect(await page.locator('.experiments li').count()).toBe(listed);
  });

  it('Export ZIP of a finished calibration imports back as a copy that lists its evaluations and reopens its table', async () => {
    const { page } = session;
    await startExample(page, 'Glass composition', 3);
    await optimize(page);
    await waitFinished(page);
    expect(await evaluationCount(page)).toBe(3);
    const pending = page.waitForEvent('download', { timeout: 120_000 });
    await page.getByRole('button', { name: 'Export ZIP', exact: true }).click();
    const download = await pending;
    const file = join(dir, download.suggestedFilename());
    await download.saveAs(file);
    const { unzipSync } = await import('fflate');
    const files = unzipSync(new Uint8Array(readFileSync(file)));
    expect(Object.keys(files).filter((p) => p.startsWith('data/tables/') || p.startsWith('domain/')).sort()).toEqual(['data/tables/fgl.csv', 'domain/constraints.yaml', 'domain/report.html', 'domain/report.json', 'domain/synthetic.csv']);

    await page.getByLabel('Experiment ZIP file').setInputFiles(file);
    stored++;
    await expect.poll(() => page.locator('.experiments li').count(), { timeout: 60_000 }).toBe(stored);
    await expect.poll(() => page.locator('.experiments__item--current').innerText(), { timeout: 60_000 }).toMatch(/\(imported\)/);
    await expect.poll(() => evaluationCount(page), { timeout: 60_000 }).toBe(3);
    await page.getByRole('figure', { name: 'Marginals' }).scrollIntoViewIfNeeded();
    await page.getByRole('figure', { name: 'Map of rows' }).waitFor({ timeout: 60_000 });
  });
});
