/**
 * npx tsx scripts/screenshot-tabular.ts — the synthetic-table page's panels at 1280 × 800, as the README
 * and docs/tabular.md show them: the glass example reviewed with its sum group kept, a calibration under
 * the `seed003_original` gates (strict enough that some evaluations fail, so the diagnosis has one to
 * explain), each Look plot and the export. Writes docs/tabular/*.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { launchBenchBrowser, startAppServer } from '../bench/lib/browser';

const OUT = join(process.cwd(), 'docs', 'tabular');

async function shoot(target: Locator, name: string): Promise<void> {
  await target.scrollIntoViewIfNeeded();
  await target.screenshot({ path: join(OUT, `${name}.png`) });
  console.log(`wrote docs/tabular/${name}.png`);
}

/** A chart draws only on screen: scroll to it and wait until it says it is drawn. */
async function chart(page: Page, title: string): Promise<Locator> {
  const figure = page.getByRole('figure', { name: title });
  await figure.scrollIntoViewIfNeeded();
  await figure.locator('.viz-chart[data-drawn="true"]').waitFor({ timeout: 60_000 });
  return figure;
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const { server, baseUrl } = await startAppServer();
  const { browser, page } = await launchBenchBrowser();
  await page.setViewportSize({ width: 1280, height: 800 });
  try {
    await page.goto(baseUrl);
    await page.locator('.kind-picker').getByText('Synthetic tables', { exact: true }).click();
    const another = page.getByRole('button', { name: 'New table calibration' });
    if (await another.isVisible()) await another.click();
    await page.getByRole('button', { name: 'Glass composition', exact: true }).click();
    await page.getByRole('table', { name: 'Columns' }).waitFor({ timeout: 60_000 });
    await shoot(page.getByRole('region', { name: 'New table calibration' }), 'new');
    await shoot(page.getByRole('region', { name: 'Review the columns' }), 'review');
    await page.getByRole('button', { name: 'Keep as a rule' }).click();
    await shoot(page.getByRole('region', { name: 'Rules of the table' }), 'rules');
    await page.getByLabel('Gates').selectOption('seed003_original');
    await page.getByLabel('Budget (evaluations)').fill('12');
    await page.getByRole('button', { name: 'Optimize' }).click();
    await page.getByText(/^Finished: /).waitFor({ timeout: 300_000 });
    await shoot(page.getByRole('region', { name: 'Table calibration' }), 'calibration');
    await shoot(page.getByRole('region', { name: 'Evaluations of the calibration' }), 'evaluations');
    const failed = page.locator('table[aria-label="Evaluations"] tbody tr:not(.tabular-eval--pinned)').filter({ has: page.locator('.tabular-green--no') });
    if ((await failed.count()) > 0) {
      await failed.first().getByRole('button').click();
      const diagnosis = page.getByRole('region', { name: 'Diagnosis' });
      await diagnosis.getByText('Run this suggestion').first().waitFor({ timeout: 60_000 });
      await shoot(diagnosis, 'diagnosis');
      await page.locator('table[aria-label="Evaluations"] tbody tr.tabular-eval--pinned').getByRole('button').click();
    }
    for (const [title, name] of [
      ['Marginals', 'marginals'],
      ['Correlations', 'correlations'],
      ['Distance to closest record', 'dcr'],
      ['Utility vs privacy', 'utility-privacy'],
      ['Map of rows', 'row-map'],
    ] as const) {
      await shoot(await chart(page, title), name);
    }
    await shoot(page.getByRole('region', { name: 'Export' }), 'export');
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
