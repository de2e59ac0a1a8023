import type { Config, Layout } from 'plotly.js-dist-min';

/**
 * Colours and number formats shared by the plots and tables. The app's own palette (styles.css): ink
 * #1f2933, muted #616e7c, lines #d9e2ec, accent #2f6fdb, real #d9480f.
 *
 * Dataset colours: real = the app's orange (the target; drawn largest, on top), close = green,
 * far = grey (context only), optimizer iterations = a sequential blue ramp, light (early) → dark navy
 * (latest), so the newest cloud is the most prominent and order reads without a legend.
 */
export const COLORS = {
  ink: '#1f2933',
  muted: '#616e7c',
  grid: '#e4e9f0',
  line: '#d9e2ec',
  accent: '#2f6fdb',
  real: '#d9480f',
  close: '#2f9e44',
  far: '#8a94a0',
  best: '#111827',
  floor: 'rgba(97, 110, 124, 0.16)',
  floorLine: '#616e7c',
  batchFloor: 'rgba(47, 111, 219, 0.2)',
  batch: '#2f6fdb',
  bestLine: '#d9480f',
} as const;

/** Blue ramp stops, light → dark (ColorBrewer Blues, trimmed so the first stop still reads on white). */
const ITERATION_RAMP = ['#74b3e0', '#4292c6', '#2171b5', '#08519c', '#08306b'];

function hexToRgb(hex: string): [number, number, number] {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/** Colour of iteration `i` of 1..`last` on the sequential ramp. */
export function iterationColor(i: number, last: number): string {
  const t = last <= 1 ? 1 : Math.min(1, Math.max(0, (i - 1) / (last - 1)));
  const x = t * (ITERATION_RAMP.length - 1);
  const k = Math.min(ITERATION_RAMP.length - 2, Math.floor(x));
  const f = x - k;
  const a = hexToRgb(ITERATION_RAMP[k]);
  const b = hexToRgb(ITERATION_RAMP[k + 1]);
  const c = a.map((v, j) => Math.round(v + (b[j] - v) * f));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/** Heatmap scale for values normalised to [0, 1] (light → dark blue; 0 stays visible against white). */
export const UNIT_COLORSCALE: Array<[number, string]> = [
  [0, '#f1f6fc'],
  [0.25, '#c6dbef'],
  [0.5, '#6baed6'],
  [0.75, '#2171b5'],
  [1, '#08306b'],
];

export const FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

export function baseLayout(): Partial<Layout> {
  return {
    font: { family: FONT_FAMILY, size: 12, color: COLORS.ink },
    paper_bgcolor: '#ffffff',
    plot_bgcolor: '#ffffff',
    margin: { l: 56, r: 16, t: 12, b: 48 },
    hoverlabel: { bgcolor: '#ffffff', bordercolor: COLORS.line, font: { family: FONT_FAMILY, size: 12, color: COLORS.ink } },
    legend: { font: { size: 12 }, bgcolor: 'rgba(255,255,255,0.9)' },
  };
}

/**
 * An axis in the app's style. Margins are fixed by each chart (`automargin` off): with automargin on,
 * plotly.js measures the tick labels after drawing and, when the margins move, draws the whole chart a
 * second time — half of a chart's first-draw cost, on the main thread, in the middle of a run. Charts
 * with text tick labels size their margin with `labelMargin`.
 */
export function axis(title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: { text: title, font: { size: 12, color: COLORS.muted }, standoff: 8 },
    gridcolor: COLORS.grid,
    zerolinecolor: '#c3ccd6',
    linecolor: COLORS.line,
    showline: true,
    ticks: 'outside',
    tickcolor: COLORS.line,
    automargin: false,
    ...extra,
  };
}

/**
 * A margin (px) wide enough for the longest of `labels` as tick labels in `fontSize` px system-ui text
 * (an estimate from the character count, on the generous side: no text measurement, no second draw).
 */
export function labelMargin(labels: readonly string[], fontSize = 12, min = 60): number {
  const longest = labels.reduce((m, l) => Math.max(m, l.length), 0);
  return Math.max(min, Math.ceil(longest * fontSize * 0.6) + 24);
}

export const BASE_CONFIG: Partial<Config> = {
  displayModeBar: false,
  displaylogo: false,
  responsive: false,
  scrollZoom: false,
  doubleClick: 'reset',
};

/** A number for people: 3 significant digits, exponent form below 1e-3, no trailing zeros. */
export function formatNumber(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  let s: string;
  if (a < 1e-3 || a >= 1e5) s = x.toExponential(Math.max(0, digits - 1)).replace(/\.?0+e/, 'e');
  else if (a >= 10 ** digits) s = x.toFixed(0);
  else s = String(Number(x.toPrecision(digits)));
  return s.replace('-', '−');
}

export function formatPercent(x: number | null | undefined, digits = 0): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return `${(x * 100).toFixed(digits)}\u00a0%`;
}

/** A parameter value: whole numbers as they are, others with 3 significant digits, strings as they are. */
export function formatParam(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : formatNumber(v);
  return String(v);
}
