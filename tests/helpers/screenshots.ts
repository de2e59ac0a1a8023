import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';

export const SCREENSHOT_DIR = join(process.cwd(), 'test-results', 'screenshots');

/** Saves a screenshot under test-results/screenshots and returns its PNG bytes. */
export async function screenshot(target: Page | Locator, name: string): Promise<Buffer> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return target.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}

/**
 * Statistics of a region's pixels, computed in the page from a canvas or image element: a blank or
 * single-colour region has a standard deviation near 0 and few distinct grey levels.
 */
export async function pixelStats(page: Page, selector: string, index = 0): Promise<{ width: number; height: number; std: number; distinct: number }> {
  return page.evaluate(
    async ([sel, i]) => {
      const el = document.querySelectorAll(sel)[i as number] as HTMLImageElement | HTMLCanvasElement | undefined;
      if (!el) throw new Error(`no element ${sel} #${i}`);
      if (el instanceof HTMLImageElement) await el.decode();
      const w = el instanceof HTMLImageElement ? el.naturalWidth : el.width;
      const h = el instanceof HTMLImageElement ? el.naturalHeight : el.height;
      const canvas = new OffscreenCanvas(w, h);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(el, 0, 0);
      const d = ctx.getImageData(0, 0, w, h).data;
      let sum = 0, sumSq = 0;
      const levels = new Set<number>();
      for (let p = 0; p < d.length; p += 4) {
        const g = (d[p] + d[p + 1] + d[p + 2]) / 3;
        sum += g;
        sumSq += g * g;
        levels.add(Math.round(g));
      }
      const n = d.length / 4;
      return { width: w, height: h, std: Math.sqrt(sumSq / n - (sum / n) ** 2), distinct: levels.size };
    },
    [selector, index] as const,
  );
}

/**
 * Scrolls each chart of the page into view and waits until it is drawn (charts draw only on screen),
 * then scrolls back to the top: before a full-page screenshot or a check across every chart.
 */
export async function scrollThroughCharts(page: Page, timeout = 60_000): Promise<void> {
  const charts = page.locator('.viz-chart');
  const n = await charts.count();
  for (let i = 0; i < n; i++) {
    const chart = charts.nth(i);
    await chart.scrollIntoViewIfNeeded();
    await chart.and(page.locator('[data-drawn="true"]')).waitFor({ timeout });
  }
  await page.evaluate(() => window.scrollTo(0, 0));
}
