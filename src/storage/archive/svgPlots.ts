/**
 * Small static SVG charts for the exported report: a scatter (the latent map) and a line chart with
 * shaded bands (convergence with the noise floor). Pure string output, deterministic (numbers are
 * rounded to 2 decimals of pixel space), no scripts, so report.html works offline and re-exports
 * byte for byte.
 */

export interface ScatterPoint {
  x: number;
  y: number;
  /** Hover text (an SVG <title>). */
  title: string;
}

export interface ScatterSeries {
  label: string;
  color: string;
  points: ScatterPoint[];
  radius?: number;
  /** Drawn as rings instead of filled dots (e.g. the current best). */
  ring?: boolean;
}

export interface LineSeries {
  label: string;
  color: string;
  points: Array<{ x: number; y: number }>;
  dashed?: boolean;
}

export interface BandSeries {
  label: string;
  color: string;
  points: Array<{ x: number; low: number; high: number }>;
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
  /** Tick values of the x axis are whole numbers (iterations). */
  integerX?: boolean;
}

type Scale = (v: number) => string;

const MARGIN = { left: 64, right: 16, top: 32, bottom: 44 };
const LEGEND_ROW = 18;

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const px = (v: number) => String(Math.round(v * 100) / 100);

/** A short, deterministic label for a tick or a value. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(2);
  return String(Number(v.toPrecision(3)));
}

/** About `count` round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

interface Extent {
  lo: number;
  hi: number;
}

function extent(values: number[], pad: number): Extent {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return { lo: 0, hi: 1 };
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (hi === lo) {
    const d = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= d;
    hi += d;
  }
  const margin = (hi - lo) * pad;
  return { lo: lo - margin, hi: hi + margin };
}

function frame(options: ChartOptions, xs: Extent, ys: Extent, legend: Array<{ label: string; color: string; kind: 'dot' | 'ring' | 'line' | 'dash' | 'band' }>, draw: (sx: Scale, sy: Scale) => string): string {
  const width = options.width ?? 640;
  const height = options.height ?? 420;
  const plotW = width - MARGIN.left - MARGIN.right;
  const legendHeight = legend.length * LEGEND_ROW + 8;
  const plotH = height - MARGIN.top - MARGIN.bottom - legendHeight;
  const sx = (x: number) => MARGIN.left + ((x - xs.lo) / (xs.hi - xs.lo)) * plotW;
  const sy = (y: number) => MARGIN.top + plotH - ((y - ys.lo) / (ys.hi - ys.lo)) * plotH;
  const X: Scale = (x) => px(sx(x));
  const Y: Scale = (y) => px(sy(y));
  let xTicks = niceTicks(xs.lo, xs.hi);
  if (options.integerX) xTicks = xTicks.filter((t) => Number.isInteger(t));
  const yTicks = niceTicks(ys.lo, ys.hi);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(options.title)}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(options.title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${px(width / 2)}" y="18" text-anchor="middle" font-size="13" font-weight="bold">${escapeXml(options.title)}</text>`,
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${px(plotW)}" height="${px(plotH)}" fill="none" stroke="#888888"/>`,
  );
  for (const t of xTicks) {
    const x = px(sx(t));
    parts.push(`<line x1="${x}" y1="${px(MARGIN.top + plotH)}" x2="${x}" y2="${px(MARGIN.top + plotH + 4)}" stroke="#888888"/>`);
    parts.push(`<text x="${x}" y="${px(MARGIN.top + plotH + 16)}" text-anchor="middle">${escapeXml(formatNumber(t))}</text>`);
  }
  for (const t of yTicks) {
    const y = px(sy(t));
    parts.push(`<line x1="${MARGIN.left - 4}" y1="${y}" x2="${MARGIN.left}" y2="${y}" stroke="#888888"/>`);
    parts.push(`<line x1="${MARGIN.left}" y1="${y}" x2="${px(MARGIN.left + plotW)}" y2="${y}" stroke="#eeeeee"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeXml(formatNumber(t))}</text>`);
  }
  parts.push(`<text x="${px(MARGIN.left + plotW / 2)}" y="${px(MARGIN.top + plotH + 34)}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`);
  parts.push(
    `<text x="14" y="${px(MARGIN.top + plotH / 2)}" text-anchor="middle" transform="rotate(-90 14 ${px(MARGIN.top + plotH / 2)})">${escapeXml(options.yLabel)}</text>`,
  );
  parts.push(`<g class="data">${draw(X, Y)}</g>`);
  let ly = height - legendHeight + 8;
  parts.push('<g class="legend">');
  for (const item of legend) {
    const cx = MARGIN.left + 8;
    const cy = ly + LEGEND_ROW / 2;
    if (item.kind === 'dot') parts.push(`<circle cx="${cx}" cy="${cy}" r="4" fill="${item.color}"/>`);
    else if (item.kind === 'ring') parts.push(`<circle cx="${cx}" cy="${cy}" r="5" fill="none" stroke="${item.color}" stroke-width="2"/>`);
    else if (item.kind === 'band') parts.push(`<rect x="${cx - 8}" y="${cy - 5}" width="16" height="10" fill="${item.color}" fill-opacity="0.25"/>`);
    else parts.push(`<line x1="${cx - 8}" y1="${cy}" x2="${cx + 8}" y2="${cy}" stroke="${item.color}" stroke-width="2"${item.kind === 'dash' ? ' stroke-dasharray="4 3"' : ''}/>`);
    parts.push(`<text x="${cx + 14}" y="${cy}" dominant-baseline="middle">${escapeXml(item.label)}</text>`);
    ly += LEGEND_ROW;
  }
  parts.push('</g></svg>');
  return parts.join('\n');
}

/** Scatter plot; axes span every series' points (a fixed map: iteration 0 and later together). */
export function scatterSvg(series: readonly ScatterSeries[], options: ChartOptions): string {
  const all = series.flatMap((s) => s.points);
  const xs = extent(all.map((p) => p.x), 0.05);
  const ys = extent(all.map((p) => p.y), 0.05);
  const draw = (X: Scale, Y: Scale) => series.map((s) => scatterGroup(s, X, Y)).join('\n');
  const legend = series.map((s) => ({ label: `${s.label} (${s.points.length})`, color: s.color, kind: s.ring ? ('ring' as const) : ('dot' as const) }));
  return frame(options, xs, ys, legend, draw);
}

function scatterGroup(s: ScatterSeries, X: Scale, Y: Scale): string {
  const r = s.radius ?? 3.5;
  const paint = s.ring ? `fill="none" stroke="${s.color}" stroke-width="2"` : `fill="${s.color}" fill-opacity="0.8"`;
  const dots = s.points
    .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y))
    .map((p) => `<circle cx="${X(p.x)}" cy="${Y(p.y)}" r="${r}" ${paint}><title>${escapeXml(p.title)}</title></circle>`);
  return [`<g data-series="${escapeXml(s.label)}">`, ...dots, '</g>'].join('\n');
}

function bandPolygon(band: BandSeries, X: Scale, Y: Scale): string {
  const pts = band.points.filter((p) => Number.isFinite(p.low) && Number.isFinite(p.high));
  if (pts.length === 0) return '';
  // One point becomes a short horizontal strip so a single iteration still shows its band.
  const shown = pts.length === 1 ? [{ ...pts[0], x: pts[0].x - 0.3 }, { ...pts[0], x: pts[0].x + 0.3 }] : pts;
  const upper = shown.map((p) => `${X(p.x)},${Y(p.high)}`);
  const lower = [...shown].reverse().map((p) => `${X(p.x)},${Y(p.low)}`);
  return `<polygon data-series="${escapeXml(band.label)}" points="${[...upper, ...lower].join(' ')}" fill="${band.color}" fill-opacity="0.25" stroke="none"/>`;
}

function lineGroup(line: LineSeries, X: Scale, Y: Scale): string {
  const pts = line.points.filter((p) => Number.isFinite(p.y));
  if (pts.length === 0) return '';
  const dash = line.dashed ? ' stroke-dasharray="4 3"' : '';
  const out = [`<g data-series="${escapeXml(line.label)}">`];
  if (pts.length > 1) {
    out.push(`<polyline points="${pts.map((p) => `${X(p.x)},${Y(p.y)}`).join(' ')}" fill="none" stroke="${line.color}" stroke-width="2"${dash}/>`);
  }
  for (const p of pts) {
    const title = escapeXml(`${line.label}: ${formatNumber(p.y)} at ${formatNumber(p.x)}`);
    out.push(`<circle cx="${X(p.x)}" cy="${Y(p.y)}" r="3" fill="${line.color}"><title>${title}</title></circle>`);
  }
  out.push('</g>');
  return out.join('\n');
}

/** Lines over shaded bands (bands drawn first, so lines stay visible). */
export function lineChartSvg(lines: readonly LineSeries[], bands: readonly BandSeries[], options: ChartOptions): string {
  const xsAll = [...lines.flatMap((l) => l.points.map((p) => p.x)), ...bands.flatMap((b) => b.points.map((p) => p.x))];
  const ysAll = [...lines.flatMap((l) => l.points.map((p) => p.y)), ...bands.flatMap((b) => b.points.flatMap((p) => [p.low, p.high]))];
  const xs = extent(xsAll, 0.03);
  const ys = extent(ysAll, 0.08);
  const draw = (X: Scale, Y: Scale) =>
    [...bands.map((b) => bandPolygon(b, X, Y)), ...lines.map((l) => lineGroup(l, X, Y))].filter((t) => t.length > 0).join('\n');
  const legend = [
    ...bands.map((b) => ({ label: b.label, color: b.color, kind: 'band' as const })),
    ...lines.map((l) => ({ label: l.label, color: l.color, kind: l.dashed ? ('dash' as const) : ('line' as const) })),
  ];
  return frame(options, xs, ys, legend, draw);
}

/** Viridis (matplotlib) sampled at 5 stops, interpolated: a colour per iteration 1..n. */
export function iterationColor(index: number, count: number): string {
  const stops = [
    [68, 1, 84],
    [59, 82, 139],
    [33, 145, 140],
    [94, 201, 98],
    [253, 231, 37],
  ];
  const t = count <= 1 ? 0.5 : index / (count - 1);
  const f = t * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(f));
  const w = f - i;
  const c = stops[i].map((v, k) => Math.round(v + (stops[i + 1][k] - v) * w));
  return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}
