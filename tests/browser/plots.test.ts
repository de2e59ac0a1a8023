import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { openChromium, type ChromiumSession } from '../helpers/chromium';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCREENSHOT_DIR, screenshot, scrollThroughCharts } from '../helpers/screenshots';

/**
 * The plot and result components in real Chromium with real plotly.js, fed the
 * fixture of tests/fixtures/plots.ts through tests/browser/pages/plots.tsx. Screenshots go to
 * test-results/screenshots/plots-*.png.
 */

/** Pixel statistics of a PNG (a locator screenshot), decoded in the page. */
async function pngStats(page: Page, png: Buffer): Promise<{ width: number; height: number; std: number; distinct: number; nonWhite: number }> {
  return page.evaluate(async (b64) => {
    const blob = await (await fetch(`data:image/png;base64,${b64}`)).blob();
    const bmp = await createImageBitmap(blob);
    const canvas = new OffscreenCanvas(bmp.width, bmp.height);
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(bmp, 0, 0);
    const d = ctx.getImageData(0, 0, bmp.width, bmp.height).data;
    let sum = 0;
    let sumSq = 0;
    let nonWhite = 0;
    const colours = new Set<number>();
    for (let p = 0; p < d.length; p += 4) {
      const g = (d[p] + d[p + 1] + d[p + 2]) / 3;
      sum += g;
      sumSq += g * g;
      if (g < 245) nonWhite++;
      colours.add(((d[p] >> 3) << 10) | ((d[p + 1] >> 3) << 5) | (d[p + 2] >> 3));
    }
    const n = d.length / 4;
    return { width: bmp.width, height: bmp.height, std: Math.sqrt(sumSq / n - (sum / n) ** 2), distinct: colours.size, nonWhite: nonWhite / n };
  }, png.toString('base64'));
}

const MAP = '#panel-map';
const CHARTS = 9;

/** Markers the map's canvas drew, per trace uid (the canvas records them in data-markers). */
async function mapMarkers(page: Page): Promise<Record<string, number>> {
  return page.locator(`${MAP} canvas.viz-chart__markers`).evaluate((c) => JSON.parse((c as HTMLCanvasElement).dataset.markers ?? '{}'));
}

async function mapPointCount(page: Page): Promise<number> {
  return Object.values(await mapMarkers(page)).reduce((a, b) => a + b, 0);
}

/** Waits until the map shows `n` points (the canvas is painted in an animation frame after a change). */
async function waitForPoints(page: Page, n: number) {
  await page.waitForFunction(
    ([sel, want]) => {
      const c = document.querySelector(`${sel} canvas.viz-chart__markers`) as HTMLCanvasElement | null;
      const counts = JSON.parse(c?.dataset.markers ?? '{}') as Record<string, number>;
      return Object.values(counts).reduce((a, b) => a + b, 0) === want;
    },
    [MAP, n] as const,
    { timeout: 10_000 },
  );
}

interface MapPoint {
  sample_id: string;
  param_set_id: string;
  dataset_type: string;
  iteration: number;
  px: number;
  py: number;
}

/** Where each fixture point lies in the map's graph div (CSS px), from plotly.js's own axis transforms. */
async function mapPointPixels(page: Page): Promise<MapPoint[]> {
  return page.evaluate((sel) => {
    const gd = document.querySelector(`${sel} .js-plotly-plot`) as any;
    const xa = gd._fullLayout.xaxis;
    const ya = gd._fullLayout.yaxis;
    return (window as any).mapPoints.map((p: any) => ({ ...p, px: xa.l2p(p.x) + xa._offset, py: ya.l2p(p.y) + ya._offset }));
  }, MAP);
}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/**
 * The markers the map should draw per trace uid with iterations up to `upTo` shown: the fixture's points
 * whose centres lie inside the axes (plotly.js's plot area), and the best set's stars.
 */
async function expectedMarkers(page: Page, upTo: number): Promise<Record<string, number>> {
  const area = await page.evaluate((sel) => (document.querySelector(`${sel} .js-plotly-plot`) as any)._fullLayout._size as { l: number; t: number; w: number; h: number }, MAP);
  const bestId = await page.evaluate(() => (window as any).bestId as string);
  const expected: Record<string, number> = {};
  const add = (key: string) => (expected[key] = (expected[key] ?? 0) + 1);
  for (const p of await mapPointPixels(page)) {
    if (p.iteration > upTo || p.px < area.l || p.px > area.l + area.w || p.py < area.t || p.py > area.t + area.h) continue;
    add(p.dataset_type === 'synthetic' ? `latent-it${p.iteration}` : `latent-${p.dataset_type}`);
    if (p.param_set_id === bestId && p.dataset_type !== 'real') add('latent-best');
  }
  return expected;
}

/** RGB of the map canvas's pixel at (px, py) CSS px. */
async function canvasPixel(page: Page, px: number, py: number): Promise<[number, number, number]> {
  return page.locator(`${MAP} canvas.viz-chart__markers`).evaluate((c, [x, y]) => {
    const canvas = c as HTMLCanvasElement;
    const ratio = canvas.width / canvas.getBoundingClientRect().width;
    const d = canvas.getContext('2d')!.getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data;
    return [d[0], d[1], d[2]] as [number, number, number];
  }, [px, py] as const);
}

async function setSlider(page: Page, value: number) {
  const slider = page.getByRole('slider', { name: 'Show iterations up to' });
  await slider.focus();
  await page.keyboard.press('Home');
  for (let i = 0; i < value; i++) await page.keyboard.press('ArrowRight');
}

describe('plot and result components', () => {
  let session: ChromiumSession;
  let page: Page;
  let counts: { real: number; close: number; far: number; perIteration: number; iterations: number; total: number };
  let offScreenDrawnBeforeScroll: string | null;

  beforeAll(async () => {
    session = await openChromium();
    page = session.page;
    await page.goto(`${inject('baseUrl')}/tests/browser/pages/plots.html`);
    await page.waitForFunction(() => (window as any).harnessReady === true, undefined, { timeout: 60_000 });
    // The first chart (the map) is drawn on screen; one far below is not drawn until it is scrolled near.
    const charts = page.locator('.viz-chart');
    await charts.first().and(page.locator('[data-drawn="true"]')).waitFor({ timeout: 90_000 });
    await page.waitForTimeout(1000);
    offScreenDrawnBeforeScroll = await charts.last().getAttribute('data-drawn');
    // Map, three convergence panels (twice: full width and half a column), evolution and relevance.
    await scrollThroughCharts(page);
    await page.waitForFunction((n) => document.querySelectorAll('.viz-chart[data-drawn="true"]').length === n, CHARTS, { timeout: 90_000 });
    counts = await page.evaluate(() => (window as any).fixtureCounts);
  });
  afterAll(async () => {
    await session?.close();
  });

  it('loads plotly.js lazily: no static import of it anywhere in the UI', async () => {
    const files = readdirSync('src/ui', { recursive: true, encoding: 'utf8' }).filter((f) => /\.tsx?$/.test(f));
    const offenders = files.filter((f) => /^\s*import\s+(?!type\b)[^;]*from\s+['"]plotly\.js-dist-min['"]/m.test(readFileSync(join('src/ui', f), 'utf8')));
    expect(offenders).toEqual([]);
    // …and the page did fetch it, as its own module.
    expect(await page.evaluate(() => performance.getEntriesByType('resource').some((e) => e.name.includes('plotly')))).toBe(true);
  });

  it('draws a chart only once it is on screen (or near it)', async () => {
    const last = await page.locator('.viz-chart').last().boundingBox();
    expect(last!.y, 'the last chart lies below the first screen').toBeGreaterThan(960 + 200);
    expect(offScreenDrawnBeforeScroll).toBe('false');
    await expect.poll(() => page.locator('.viz-chart').last().getAttribute('data-drawn')).toBe('true');
  });

  it('a chart off screen waits to follow a new width until it is scrolled near', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    const panel = page.locator('#panel-relevance');
    const last = panel.locator('.viz-chart');
    expect(await last.evaluate((e) => e === [...document.querySelectorAll('.viz-chart')].pop())).toBe(true);
    const svgWidth = () => last.locator('.main-svg').first().evaluate((e) => e.getBoundingClientRect().width);
    const resizes = () => page.evaluate(() => performance.getEntriesByType('measure').filter((m) => m.name.startsWith('resize ')).length);
    const wide = await svgWidth();
    const resizesBefore = await resizes();
    await panel.evaluate((e) => ((e as HTMLElement).style.width = '600px'));
    await page.waitForTimeout(800);
    expect(await svgWidth()).toBe(wide);
    expect(await resizes()).toBe(resizesBefore);
    await last.scrollIntoViewIfNeeded();
    await expect.poll(svgWidth).toBeLessThan(wide - 100);
    expect(await resizes()).toBe(resizesBefore + 1);
    await panel.evaluate((e) => ((e as HTMLElement).style.width = ''));
    await expect.poll(svgWidth).toBe(wide);
  });

  it('draws every chart (not blank) with a title, an accessible name and a text summary', async () => {
    expect(session.logs.filter((l) => l.startsWith('[pageerror]') || l.startsWith('[error]'))).toEqual([]);
    const charts = page.locator('.viz-chart');
    expect(await charts.count()).toBe(CHARTS);
    for (let i = 0; i < CHARTS; i++) {
      const chart = charts.nth(i);
      const stats = await pngStats(page, await chart.screenshot());
      expect(stats.width).toBeGreaterThan(300);
      expect(stats.std, `chart ${i} pixel std`).toBeGreaterThan(8);
      expect(stats.distinct, `chart ${i} colours`).toBeGreaterThan(30);
      expect(stats.nonWhite, `chart ${i} ink`).toBeGreaterThan(0.02);
      const graph = chart.locator('.viz-chart__graph');
      expect(await graph.getAttribute('role')).toBe('img');
      expect((await graph.getAttribute('aria-label'))?.length).toBeGreaterThan(10);
      const summaryId = await graph.getAttribute('aria-describedby');
      expect(summaryId).toBeTruthy();
      expect((await page.locator(`[id="${summaryId}"]`).textContent())?.length).toBeGreaterThan(20);
    }
    const titles = await page.locator('.viz-figure__title').allTextContents();
    for (const t of ['Latent map', 'Similarity to the real set', 'Distance to the nearest real sample', 'Share inside', 'Parameter evolution', 'Parameter relevance', 'Current best', 'Next batch', 'Metrics of iteration 3', 'Parameter recovery', 'Images per iteration']) {
      expect(titles.some((x) => x.includes(t)), t).toBe(true);
    }
  });

  it('plots every fixture point in the map, with the legend in order and the best starred', async () => {
    expect(counts.total).toBe(counts.real + counts.close + counts.far + counts.perIteration * counts.iterations);
    expect(counts).toMatchObject({ real: 16, close: 24, far: 24, perIteration: 24, iterations: 3 });
    // Every sample inside the fixed axes once (the fixture puts one outside), plus the star outlines of the
    // best set's three replicates; per trace (by uid). plotly.js itself draws no points, only the axes.
    const all = await expectedMarkers(page, 3);
    expect(Object.keys(all).sort()).toEqual(['latent-best', 'latent-close', 'latent-far', 'latent-it1', 'latent-it2', 'latent-it3', 'latent-real']);
    expect(total(all)).toBe(counts.total + 3 - 1);
    expect(await mapMarkers(page)).toEqual(all);
    expect(await page.locator(`${MAP} .trace.scatter .point`).count()).toBe(0);
    // The pixels are there: the real diamonds (drawn over every other dataset) show the real colour at their
    // centres (a star's outline may cross one), and the canvas sits exactly over plotly.js's axes.
    const real = (await mapPointPixels(page)).filter((p) => p.dataset_type === 'real');
    const colours = await Promise.all(real.map((p) => canvasPixel(page, p.px, p.py)));
    const isReal = (c: [number, number, number]) => Math.abs(c[0] - 0xd9) + Math.abs(c[1] - 0x48) + Math.abs(c[2] - 0x0f) < 40;
    expect(colours.filter(isReal).length, JSON.stringify(colours)).toBeGreaterThanOrEqual(14);
    // Legend (HTML, beside the plot) top to bottom: group titles, then their entries.
    const legend = await page.locator(`${MAP} .viz-legend`).locator('.viz-legend__title, .viz-legend__text').allTextContents();
    expect(legend).toEqual([
      'Iteration 0',
      'real (16)',
      'close (24)',
      'far (24)',
      'Optimizer',
      'iteration 1 (24)',
      'iteration 2 (24)',
      'iteration 3 (24)',
      'Surrogate',
      expect.stringMatching(/^current best \(ps_\d{3}\)$/),
    ]);
    // An entry toggles its trace: close hidden, then shown again.
    const closeEntry = page.locator(MAP).getByRole('button', { name: 'close (24)' });
    expect(await closeEntry.getAttribute('aria-pressed')).toBe('true');
    await closeEntry.click();
    await waitForPoints(page, total(all) - all['latent-close']);
    expect(await closeEntry.getAttribute('aria-pressed')).toBe('false');
    expect((await mapMarkers(page))['latent-close']).toBeUndefined();
    await closeEntry.click();
    await waitForPoints(page, total(all));
    // Axis titles carry the explained variance; the ranges are the fixed ones.
    const axisTitles = await page.locator(`${MAP} .g-xtitle, ${MAP} .g-ytitle`).allTextContents();
    expect(axisTitles).toEqual(['PC1 (41.2 % of variance)', 'PC2 (18.6 % of variance)']);
    await screenshot(page.locator(MAP), 'plots-map');
    // The chart follows its container's width (ResizeObserver → Plots.resize).
    const svgWidth = () => page.locator(`${MAP} .main-svg`).first().evaluate((e) => e.getBoundingClientRect().width);
    const wide = await svgWidth();
    await page.locator(MAP).evaluate((e) => ((e as HTMLElement).style.width = '760px'));
    await page.waitForFunction(([sel, w]) => document.querySelector(`${sel} .main-svg`)!.getBoundingClientRect().width < w - 100, [MAP, wide] as const);
    expect(await mapMarkers(page)).toEqual(await expectedMarkers(page, 3));
    // …and the canvas follows the narrower axes: the real diamonds are where plotly.js now puts them (at this
    // width the best's stars cross more of them; a canvas left at the old width hits almost none).
    await expect
      .poll(async () => {
        const narrow = (await mapPointPixels(page)).filter((p) => p.dataset_type === 'real');
        return (await Promise.all(narrow.map((p) => canvasPixel(page, p.px, p.py)))).filter(isReal).length;
      })
      .toBeGreaterThanOrEqual(10);
    await page.locator(MAP).evaluate((e) => ((e as HTMLElement).style.width = ''));
    await page.waitForFunction(([sel, w]) => Math.abs(document.querySelector(`${sel} .main-svg`)!.getBoundingClientRect().width - w) < 2, [MAP, wide] as const);
  });

  it('the iteration slider hides later iterations (and play replays them); the axes stay fixed', async () => {
    const range = () =>
      page.evaluate((sel) => {
        const gd = document.querySelector(`${sel} .js-plotly-plot`) as any;
        return [...gd._fullLayout.xaxis.range, ...gd._fullLayout.yaxis.range];
      }, MAP);
    const before = await range();
    await setSlider(page, 0);
    await waitForPoints(page, total(await expectedMarkers(page, 0)));
    await setSlider(page, 1);
    await waitForPoints(page, total(await expectedMarkers(page, 1)));
    expect(await mapMarkers(page)).toEqual(await expectedMarkers(page, 1));
    expect(await page.locator(`${MAP} output`).textContent()).toBe('1 / 3');
    // Hidden iterations stay in the legend, greyed out.
    const hiddenLegend = await page.locator(`${MAP} .viz-legend__item[aria-pressed="false"]`).allTextContents();
    expect(hiddenLegend).toEqual(expect.arrayContaining(['iteration 2 (24)', 'iteration 3 (24)']));
    expect(await range()).toEqual(before);
    await screenshot(page.locator(MAP), 'plots-map-slider-1');
    await page.keyboard.press('End');
    await waitForPoints(page, total(await expectedMarkers(page, 3)));
    expect(await range()).toEqual(before);

    // Play: from the end it restarts at iteration 0 and walks up to the latest, then stops.
    await page.getByRole('button', { name: '▶ Play' }).click();
    await page.waitForFunction((sel) => document.querySelector(`${sel} output`)?.textContent === '0 / 3', MAP);
    await page.waitForFunction((sel) => document.querySelector(`${sel} output`)?.textContent === '3 / 3', MAP, { timeout: 10_000 });
    await page.getByRole('button', { name: '▶ Play' }).waitFor();
    await waitForPoints(page, total(await expectedMarkers(page, 3)));
  });

  it('legend clicks hold across updates of one experiment and reset when another experiment (other fixed axes) opens', async () => {
    const xRange = () => page.evaluate((sel) => [...(document.querySelector(`${sel} .js-plotly-plot`) as any)._fullLayout.xaxis.range], MAP);
    const firstRange = await xRange();
    const closeEntry = page.locator(MAP).getByRole('button', { name: 'close (24)' });
    await closeEntry.click();
    await expect.poll(async () => (await mapMarkers(page))['latent-close']).toBeUndefined();
    // The slider redraws the same experiment: close stays hidden.
    await setSlider(page, 2);
    await waitForPoints(page, total(await expectedMarkers(page, 2)) - ((await expectedMarkers(page, 2))['latent-close'] ?? 0));
    expect(await closeEntry.getAttribute('aria-pressed')).toBe('false');
    await page.keyboard.press('End');
    // Another experiment: every trace as its figure says, close included.
    await page.evaluate(() => (window as any).switchMapExperiment());
    await expect.poll(xRange).not.toEqual(firstRange);
    await expect.poll(() => closeEntry.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(async () => (await mapMarkers(page))['latent-close']).toBeGreaterThan(0);
    await page.evaluate(() => (window as any).switchMapExperiment());
    // Back to the first experiment's axes (plotly.js redraws them in a task of its own), all points drawn.
    await expect.poll(xRange).toEqual(firstRange);
    await waitForPoints(page, total(await expectedMarkers(page, 3)));
  });

  it('zooming with a drawn box redraws the canvas markers on the new axes; a double-click restores the fixed axes', async () => {
    const frame = () =>
      page.evaluate((sel) => {
        const gd = document.querySelector(`${sel} .js-plotly-plot`) as any;
        const { l, t, w, h } = gd._fullLayout._size;
        return { l, t, w, h, range: [...gd._fullLayout.xaxis.range, ...gd._fullLayout.yaxis.range] };
      }, MAP);
    const before = await frame();
    const drawnBefore = await mapPointCount(page);
    const box = (await page.locator(`${MAP} .js-plotly-plot`).boundingBox())!;
    // A box over the middle third of the plot area.
    await page.mouse.move(box.x + before.l + before.w / 3, box.y + before.t + before.h / 3);
    await page.mouse.down();
    await page.mouse.move(box.x + before.l + (2 * before.w) / 3, box.y + before.t + (2 * before.h) / 3, { steps: 8 });
    await page.mouse.up();
    await expect.poll(async () => (await frame()).range).not.toEqual(before.range);
    await expect.poll(() => mapPointCount(page)).toBeLessThan(drawnBefore);
    // Every marker drawn now lies where the zoomed axes put it: an isolated one inside shows its colour.
    const inside = (await mapPointPixels(page)).filter((p) => p.dataset_type === 'real' && p.px > before.l && p.px < before.l + before.w && p.py > before.t && p.py < before.t + before.h);
    if (inside.length > 0) {
      const colours = await Promise.all(inside.map((p) => canvasPixel(page, p.px, p.py)));
      expect(colours.some((c) => c[0] > 180 && c[1] < 120 && c[2] < 80), JSON.stringify(colours)).toBe(true);
    }
    await screenshot(page.locator(MAP), 'plots-map-zoomed');
    await page.mouse.dblclick(box.x + before.l + before.w / 2, box.y + before.t + before.h / 2);
    await expect.poll(async () => (await frame()).range).toEqual(before.range);
    await waitForPoints(page, drawnBefore);
  });

  it('hovering a point shows a card with its sample_id, parameters, score and thumbnail', async () => {
    // The most isolated point of iteration 3 (so the point under the cursor is unambiguous).
    const all = await mapPointPixels(page);
    const candidates = all.filter((p) => p.iteration === 3 && p.dataset_type === 'synthetic');
    const target = candidates
      .map((c) => ({ ...c, gap: Math.min(...all.filter((o) => o !== c).map((o) => Math.hypot(o.px - c.px, o.py - c.py))) }))
      .reduce((a, b) => (b.gap > a.gap ? b : a));
    expect(target.gap).toBeGreaterThan(4);
    const box = (await page.locator(`${MAP} .js-plotly-plot`).boundingBox())!;
    await page.mouse.move(box.x + target.px + 1, box.y + target.py + 1);
    const card = page.locator(`${MAP} .viz-card`);
    await card.waitFor({ state: 'visible' });
    const sampleId = await card.getAttribute('data-sample-id');
    expect(sampleId).toBe(target.sample_id);
    const text = await card.textContent();
    expect(text).toContain(sampleId);
    expect(text).toContain('iteration 3');
    expect(text).toContain('MMD² (set)');
    expect(text).toContain('Base size');
    expect(text).toContain('nearest real');
    // The thumbnail arrives through loadThumbnail (a Blob → object URL) and has real pixels.
    const img = card.locator('img');
    await img.waitFor();
    await page.waitForFunction((sel) => {
      const im = document.querySelector(`${sel} .viz-card img`) as HTMLImageElement | null;
      return !!im && im.complete && im.naturalWidth > 0;
    }, MAP);
    expect(await img.getAttribute('src')).toMatch(/^blob:/);
    const thumb = await pngStats(page, await img.screenshot());
    expect(thumb.std).toBeGreaterThan(5);
    // The card stays inside the map.
    const cardBox = (await card.boundingBox())!;
    const mapBox = (await page.locator(`${MAP} .viz-map`).boundingBox())!;
    expect(cardBox.x).toBeGreaterThanOrEqual(mapBox.x - 1);
    expect(cardBox.x + cardBox.width).toBeLessThanOrEqual(mapBox.x + mapBox.width + 1);
    await screenshot(page.locator(MAP), 'plots-map-hover');
    const url = (await img.getAttribute('src'))!;
    await page.mouse.move(box.x + 5, box.y + 5);
    await card.waitFor({ state: 'detached' });
    // The card's object URL was released with it.
    expect(await page.evaluate(async (u) => fetch(u).then(() => 'alive', () => 'revoked'), url)).toBe('revoked');
  });

  it('convergence: batch similarity, best so far and the floor bands, symlog by default, linear on request', async () => {
    const panel = page.locator('#panel-convergence [data-chart="convergence-similarity"]');
    const legend = await panel.locator('.viz-legend__text').allTextContents();
    expect(legend).toEqual(
      expect.arrayContaining(['whole batch', 'best so far ± sd', 'floor: one set', 'floor: whole batch']),
    );
    const ticks = await panel.locator('.xtick text').allTextContents();
    expect(ticks[0]).toContain('(close+far)');
    expect(await panel.locator('.g-ytitle').textContent()).toContain('symmetric log');
    // Four markers per series (iterations 0..3).
    expect(await panel.locator('.trace.scatter .point').count()).toBe(8);
    const summary = await panel.locator('.viz-figure__summary').textContent();
    expect(summary).toMatch(/Best so far \(posterior mean\) .* floor −0\.031 to 0\.046/);
    await screenshot(panel, 'plots-convergence-symlog');
    await panel.getByLabel('Vertical scale').selectOption('linear');
    await page.waitForFunction(() => document.querySelector('#panel-convergence [data-chart="convergence-similarity"] .g-ytitle')?.textContent === 'MMD² (unbiased)');
    await screenshot(panel, 'plots-convergence-linear');
    await panel.getByLabel('Vertical scale').selectOption('symlog');
    const row = page.locator('#panel-convergence .viz-row');
    expect(await row.locator('.viz-legend__item').count()).toBeGreaterThanOrEqual(4);
    await screenshot(page.locator('#panel-convergence'), 'plots-convergence');
    // In half a column the two small panels stack, and the threshold line joins the legend.
    const narrow = page.locator('#panel-narrow');
    const [a, b] = await narrow.locator('.viz-row > figure').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top));
    expect(b).toBeGreaterThan(a + 100);
    expect(await narrow.locator('[data-chart="convergence-similarity"] .viz-legend__text').allTextContents()).toContain('threshold 0.05');
    await screenshot(narrow, 'plots-convergence-narrow');
  });

  it('parameter evolution: one row per parameter (a row per shape level), a column per iteration, best and truth', async () => {
    const panel = page.locator('[data-chart="parameter-evolution"]');
    // Top to bottom on screen.
    const rows = await panel.locator('.ytick text').evaluateAll((els) =>
      els.map((e) => ({ t: e.textContent, y: e.getBoundingClientRect().top })).sort((a, b) => a.y - b.y).map((e) => e.t),
    );
    expect(rows).toEqual(['Void shape = circle', 'Void shape = ellipse', 'Void shape = irregular', 'Void count', 'Base size', 'Brightness factor', 'Size spread', 'Position spread']);
    // Multi-line tick labels are <tspan class="line"> elements.
    const cols = await panel.locator('.xtick text, .x2tick text').evaluateAll((els) =>
      els.map((e) => [...e.querySelectorAll('tspan.line')].map((t) => t.textContent).join(' ') || e.textContent),
    );
    expect(cols).toEqual(['it 1', 'it 2', 'it 3', 'current best', 'hidden truth']);
    await screenshot(panel, 'plots-evolution');
    const relevance = page.locator('#panel-relevance');
    const bars = await relevance.locator('.ytick text').evaluateAll((els) =>
      els.map((e) => ({ t: e.textContent, y: e.getBoundingClientRect().top })).sort((a, b) => a.y - b.y).map((e) => e.t),
    );
    expect(bars).toEqual(['Base size', 'Void count', 'Brightness factor', 'Size spread', 'Void shape', 'Position spread']);
    expect(await relevance.textContent()).toContain('Spearman');
    expect(await relevance.locator('.viz-warnings li').count()).toBe(1);
    await screenshot(relevance, 'plots-relevance');
  });

  it('tables are real tables with headers and the expected rows', async () => {
    const rowsOf = (sel: string) => page.locator(`${sel} table tbody tr`).count();
    expect(await page.locator('#panel-best th[scope="col"]').allTextContents()).toEqual(
      expect.arrayContaining(['#', 'Void shape', 'Posterior mean ± sd', 'Observed (n)', 'Within floor?']),
    );
    expect(await rowsOf('#panel-best')).toBe(5);
    expect(await rowsOf('#panel-next')).toBe(8);
    expect(await page.locator('#panel-next th[scope="col"]').last().textContent()).toBe('UCB value');
    // A portfolio batch names each member's acquisition next to its value.
    const mixed = page.locator('#panel-next-mixed');
    expect(await mixed.locator('th[scope="col"]').last().textContent()).toBe('Acquisition value');
    const values = await mixed.locator('tbody tr td:last-child').allTextContents();
    expect(values.map((v) => v.split(' ')[0])).toEqual(values.map((_, i) => (i % 2 === 1 ? 'ei' : 'ucb')));
    expect(await mixed.textContent()).toContain('ei = log expected improvement');
    expect(await rowsOf('#panel-metrics')).toBe(12);
    const mmd = page.locator('#panel-metrics tr[data-metric="mmd2_unbiased"]');
    expect(await mmd.locator('td').nth(3).textContent()).toMatch(/yes|no/);
    expect(await mmd.textContent()).toContain('↓ lower');
    expect(await rowsOf('#panel-recovery')).toBe(6);
    expect(await page.locator('#panel-recovery-user').textContent()).toContain('No ground truth');
    expect(await page.locator('#panel-recovery-user table').count()).toBe(0);
    for (const id of ['best', 'next', 'next-mixed', 'metrics', 'recovery']) await screenshot(page.locator(`#panel-${id}`), `plots-table-${id}`);
  });

  it('every component renders an empty experiment without errors and says what is missing', async () => {
    const empty = await session.context.newPage();
    const errors: string[] = [];
    empty.on('pageerror', (e) => errors.push(e.message));
    await empty.goto(`${inject('baseUrl')}/tests/browser/pages/plots.html?case=empty`);
    await empty.waitForFunction(() => (window as any).harnessReady === true);
    // Map + three convergence panels + evolution (relevance shows text instead of an empty chart).
    await scrollThroughCharts(empty, 30_000);
    await empty.waitForFunction(() => document.querySelectorAll('.viz-chart[data-drawn="true"]').length === 5, undefined, { timeout: 30_000 });
    const text = await empty.locator('body').textContent();
    for (const s of ['No samples yet', 'No iteration has been analysed yet.', 'No optimizer iteration yet.', 'The surrogate has not been fitted yet.', 'No parameter set has been scored yet.', 'No proposal yet.', 'Recovery is reported once', 'No real images.']) {
      expect(text, s).toContain(s);
    }
    expect(await empty.getByRole('slider', { name: 'Show iterations up to' }).isDisabled()).toBe(true);
    expect(errors).toEqual([]);
    await screenshot(empty, 'plots-empty');
    await empty.close();
  });

  it('gallery: real images beside one iteration, hover metadata, lazy object URLs released on change', async () => {
    const gallery = page.locator('#panel-gallery');
    await gallery.scrollIntoViewIfNeeded();
    expect(await gallery.locator('ul[aria-label="Real images"] > li').count()).toBe(16);
    const synthetic = () => gallery.locator('.viz-sets .viz-tile').count();
    expect(await synthetic()).toBe(24);
    expect(await gallery.getByLabel('Iteration', { exact: true }).inputValue()).toBe('3');
    await page.waitForFunction(() => [...document.querySelectorAll('#panel-gallery .viz-sets img')].every((i) => (i as HTMLImageElement).src.startsWith('blob:') && (i as HTMLImageElement).complete));
    const urls = await gallery.locator('.viz-sets img').evaluateAll((els) => els.map((e) => (e as HTMLImageElement).src));
    const tile: Locator = gallery.locator('.viz-sets .viz-tile').first();
    const stats = await pngStats(page, await tile.locator('img').screenshot());
    expect(stats.std).toBeGreaterThan(5);
    await tile.hover();
    const card = gallery.locator('.viz-card');
    await card.waitFor();
    expect(await card.getAttribute('data-sample-id')).toBe(await tile.getAttribute('data-sample-id'));
    await screenshot(gallery, 'plots-gallery');
    // The last tile's card is moved up so it ends inside the gallery (the page's results rows clip overflow).
    const lastTile = gallery.locator('.viz-sets .viz-tile').last();
    await lastTile.hover();
    await expect.poll(() => card.getAttribute('data-sample-id')).toBe(await lastTile.getAttribute('data-sample-id'));
    const body = (await gallery.locator('.viz-gallery__body').boundingBox())!;
    const lastCard = (await card.boundingBox())!;
    expect(lastCard.y + lastCard.height).toBeLessThanOrEqual(body.y + body.height + 1);
    expect((await lastTile.boundingBox())!.y + lastCard.height, 'at the tile’s height the card would overflow').toBeGreaterThan(body.y + body.height);
    await page.mouse.move(0, 0);
    await gallery.getByLabel('Iteration', { exact: true }).selectOption('0');
    await page.waitForFunction(() => document.querySelectorAll('#panel-gallery .viz-sets .viz-tile').length === 48);
    expect(await page.evaluate(async (u) => fetch(u).then(() => 'alive', () => 'revoked'), urls[0])).toBe('revoked');
    // Keyboard: focusing a tile shows its card too.
    await gallery.locator('.viz-sets .viz-tile').first().focus();
    await card.waitFor();
    await screenshot(gallery, 'plots-gallery-iteration-0');
    await page.mouse.move(0, 0);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await card.waitFor({ state: 'detached' });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'plots-page.png'), fullPage: true });
  });

  it('the map’s points are reachable from the keyboard, and a point opened (Enter or click) shows in the gallery', async () => {
    await setSlider(page, 3);
    const gallery = page.locator('#panel-gallery');
    await gallery.getByLabel('Iteration', { exact: true }).selectOption('0');
    const map = page.locator(MAP);
    await map.scrollIntoViewIfNeeded();
    const pixels = new Map((await mapPointPixels(page)).map((p) => [p.sample_id, p]));
    const card = map.locator('.viz-card');
    const current = async () => pixels.get((await card.getAttribute('data-sample-id'))!)!;
    const points = map.getByRole('application', { name: /^Points of Latent map/ });
    expect(await points.getAttribute('aria-describedby')).toBeTruthy();
    await points.focus();
    // The first arrow lands on a point; then each arrow moves that way on screen.
    await page.keyboard.press('ArrowRight');
    await card.waitFor();
    const a = await current();
    await page.keyboard.press('ArrowRight');
    await expect.poll(async () => (await current()).sample_id).not.toBe(a.sample_id);
    const b = await current();
    expect(b.px).toBeGreaterThan(a.px);
    await page.keyboard.press('ArrowUp');
    await expect.poll(async () => (await current()).sample_id).not.toBe(b.sample_id);
    const c = await current();
    expect(c.py).toBeLessThan(b.py);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(async () => (await current()).sample_id).not.toBe(c.sample_id);
    const d = await current();
    expect(d.px).toBeLessThan(c.px);
    // A screen reader hears the point.
    await expect.poll(() => map.locator('[aria-live="polite"]').textContent()).toContain(d.sample_id);
    // Page Down walks the drawing order and wraps: End then Page Down is Home.
    await page.keyboard.press('Home');
    await expect.poll(async () => (await current()).sample_id).not.toBe(d.sample_id);
    const first = (await current()).sample_id;
    await page.keyboard.press('End');
    await expect.poll(async () => (await current()).sample_id).not.toBe(first);
    await page.keyboard.press('PageDown');
    await expect.poll(async () => (await current()).sample_id).toBe(first);
    await screenshot(map, 'plots-map-keyboard');
    await page.keyboard.press('Escape');
    await card.waitFor({ state: 'detached' });
    // The card of the lowest point moves up to end inside the map (its height is measured, not assumed).
    const lowest = [...pixels.values()].filter((p) => [...pixels.values()].every((o) => o === p || Math.hypot(o.px - p.px, o.py - p.py) > 4)).reduce((x, y) => (y.py > x.py ? y : x));
    const graphBox = (await page.locator(`${MAP} .js-plotly-plot`).boundingBox())!;
    await page.mouse.move(graphBox.x + lowest.px, graphBox.y + lowest.py);
    await expect.poll(() => card.getAttribute('data-sample-id')).toBe(lowest.sample_id);
    const mapBox = (await map.locator('.viz-map').boundingBox())!;
    const lowCard = (await card.boundingBox())!;
    expect(lowCard.y + lowCard.height).toBeLessThanOrEqual(mapBox.y + mapBox.height + 1);
    expect(lowest.py - 40 + lowCard.height, 'beside the point the card would end below the map').toBeGreaterThan(mapBox.height);
    await page.mouse.move(graphBox.x + 2, graphBox.y + 2);
    await card.waitFor({ state: 'detached' });
    await points.focus();

    // Page Down to a point of iteration 1, then Enter: the gallery (showing iteration 0) switches to
    // iteration 1, and the point's tile is outlined, focused and shows its card.
    let target: MapPoint | undefined;
    for (let i = 0; i < pixels.size && !target; i++) {
      await page.keyboard.press('PageDown');
      await card.waitFor();
      const p = await current();
      if (p.dataset_type === 'synthetic' && p.iteration === 1) target = p;
    }
    expect(target).toBeDefined();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => (window as unknown as { openedSamples?: string[] }).openedSamples?.at(-1))).toBe(target!.sample_id);
    await expect.poll(() => gallery.getByLabel('Iteration', { exact: true }).inputValue()).toBe('1');
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.sampleId)).toBe(target!.sample_id);
    const tile = gallery.locator(`.viz-tile[data-sample-id="${target!.sample_id}"]`);
    expect(await tile.getAttribute('class')).toContain('viz-tile--revealed');
    expect(await tile.getAttribute('aria-current')).toBe('true');
    expect(await gallery.locator('.viz-card').getAttribute('data-sample-id')).toBe(target!.sample_id);
    const box = (await tile.boundingBox())!;
    const viewport = page.viewportSize()!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
    const cardBox = (await gallery.locator('.viz-card').boundingBox())!;
    const body = (await gallery.locator('.viz-gallery__body').boundingBox())!;
    expect(cardBox.y + cardBox.height, 'the card ends inside the gallery').toBeLessThanOrEqual(body.y + body.height + 1);
    await screenshot(gallery, 'plots-gallery-revealed');
    // Only one tile is outlined.
    expect(await gallery.locator('.viz-tile--revealed').count()).toBe(1);

    // A click on a real point reveals its tile in the real column (the iteration stays).
    await map.scrollIntoViewIfNeeded();
    const all = await mapPointPixels(page);
    const real = all
      .filter((p) => p.dataset_type === 'real')
      .map((p) => ({ ...p, gap: Math.min(...all.filter((o) => o !== p).map((o) => Math.hypot(o.px - p.px, o.py - p.py))) }))
      .reduce((x, y) => (y.gap > x.gap ? y : x));
    expect(real.gap).toBeGreaterThan(4);
    const graph = (await page.locator(`${MAP} .js-plotly-plot`).boundingBox())!;
    await page.mouse.move(graph.x + real.px, graph.y + real.py);
    // The point can be clicked: the cursor says so (plotly.js's drag layer shows a crosshair elsewhere).
    const cursor = () => page.locator(`${MAP} .nsewdrag`).first().evaluate((el) => getComputedStyle(el).cursor);
    await expect.poll(cursor).toBe('pointer');
    await page.mouse.click(graph.x + real.px, graph.y + real.py);
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.sampleId)).toBe(real.sample_id);
    expect(await gallery.getByLabel('Iteration', { exact: true }).inputValue()).toBe('1');
    expect(await gallery.locator('ul[aria-label="Real images"] .viz-tile--revealed').getAttribute('data-sample-id')).toBe(real.sample_id);
    await map.scrollIntoViewIfNeeded();
    const empty = (await page.locator(`${MAP} .js-plotly-plot`).boundingBox())!;
    await page.mouse.move(empty.x + 2, empty.y + 2);
    await expect.poll(cursor).toBe('crosshair');
  });
});
