import type { Data, Layout } from 'plotly.js-dist-min';

/**
 * The charts' legends are HTML beside the plot, not plotly.js's SVG legend: plotly.js lays its legend
 * out on every draw (text measured, margins pushed, the plot drawn again when they move), which made
 * a third of a small chart's draw; an HTML legend is laid out once by the browser and only re-rendered
 * when its items change. This module turns a figure's traces into legend entries the way plotly.js
 * would list them.
 */

export interface LegendSwatch {
  /** Filled area (e.g. a noise-floor band). */
  fill?: string;
  /** Line colour and SVG dash array ('' = solid). */
  line?: { color: string; dash: string };
  /** Marker colour and shape (plotly.js symbol name without "-open"; `open` = outline only). */
  marker?: { color: string; symbol: 'circle' | 'square' | 'diamond' | 'star'; open: boolean };
}

export interface LegendItem {
  /** The trace's identity: uid, else name, else its index. */
  key: string;
  /** Index of the entry's own trace in `data` (its visibility is the entry's state). */
  index: number;
  name: string;
  /** Indices into `data` this entry toggles (the trace, or its whole legend group). */
  traces: number[];
  swatch: LegendSwatch;
}

export interface LegendGroup {
  /** Group title (legendgrouptitle.text), or null for ungrouped entries. */
  title: string | null;
  items: LegendItem[];
}

/** Where the legend sits: beside the plot (vertical list) or above it (a wrapping row). */
export type LegendPlacement = 'right' | 'top';

interface TraceLike {
  type?: string;
  name?: string;
  uid?: string;
  showlegend?: boolean;
  legendgroup?: string;
  legendgrouptitle?: { text?: string };
  legendrank?: number;
  visible?: boolean | 'legendonly';
  mode?: string;
  fill?: string;
  fillcolor?: string;
  line?: { color?: string; width?: number; dash?: string };
  marker?: { color?: unknown; symbol?: unknown };
}

const DASHES: Record<string, string> = { dash: '5 3', dot: '1.5 2.5', dashdot: '5 2 1.5 2', longdash: '8 3' };
const SYMBOLS = ['circle', 'square', 'diamond', 'star'] as const;
type MarkerSymbol = (typeof SYMBOLS)[number];

export function traceKey(trace: Data, index: number): string {
  const t = trace as TraceLike;
  return t.uid ?? t.name ?? `trace-${index}`;
}

function swatchOf(t: TraceLike): LegendSwatch {
  const swatch: LegendSwatch = {};
  const mode = t.mode ?? (t.type === 'scatter' || t.type === undefined ? 'markers' : '');
  if (t.fill && t.fill !== 'none') swatch.fill = t.fillcolor ?? t.line?.color ?? '#8a94a0';
  if (mode.includes('lines') && (t.line?.width ?? 2) > 0) swatch.line = { color: t.line?.color ?? '#1f2933', dash: DASHES[t.line?.dash ?? ''] ?? '' };
  if (mode.includes('markers') || t.type === 'bar') {
    const color = typeof t.marker?.color === 'string' ? t.marker.color : (t.line?.color ?? '#1f2933');
    const raw = typeof t.marker?.symbol === 'string' ? t.marker.symbol : 'circle';
    const base = raw.replace(/-open$/, '');
    const symbol: MarkerSymbol = (SYMBOLS as readonly string[]).includes(base) ? (base as MarkerSymbol) : t.type === 'bar' ? 'square' : 'circle';
    swatch.marker = { color, symbol, open: raw.endsWith('-open') };
  }
  return swatch;
}

/** Whether plotly.js would list the trace: scatter-like traces unless showlegend is false; others only when asked. */
function listed(t: TraceLike): boolean {
  if (t.visible === false || !t.name) return false;
  if (t.showlegend !== undefined) return t.showlegend;
  return t.type === undefined || t.type === 'scatter' || t.type === 'scattergl' || t.type === 'bar';
}

/**
 * The legend of a figure: entries in plotly.js's order (legendrank, then trace order), gathered under
 * their group titles; none when the layout turns the legend off, or (as plotly.js does) when a figure
 * without an explicit showlegend has a single entry. With `groupclick: 'toggleitem'` an entry toggles its
 * own trace; otherwise (plotly.js's default, 'togglegroup') every trace of its legend group.
 */
export function legendGroups(data: readonly Data[], layout: Partial<Layout>): LegendGroup[] {
  const showlegend = (layout as { showlegend?: boolean }).showlegend;
  if (showlegend === false) return [];
  const groupClick = (layout.legend as { groupclick?: string } | undefined)?.groupclick ?? 'togglegroup';
  const traces = data as readonly TraceLike[];
  const entries = traces
    .map((t, index) => ({ t, index }))
    .filter(({ t }) => listed(t))
    .sort((a, b) => (a.t.legendrank ?? 1000) - (b.t.legendrank ?? 1000) || a.index - b.index);
  if (showlegend === undefined && entries.length < 2) return [];

  const groups: LegendGroup[] = [];
  const byName = new Map<string, LegendGroup>();
  for (const { t, index } of entries) {
    const members =
      t.legendgroup && groupClick !== 'toggleitem' ? traces.map((u, i) => (u.legendgroup === t.legendgroup ? i : -1)).filter((i) => i >= 0) : [index];
    const item: LegendItem = { key: traceKey(data[index], index), index, name: t.name!, traces: members, swatch: swatchOf(t) };
    // Ungrouped entries share one untitled group (the convergence charts); grouped ones gather under their title.
    const groupKey = t.legendgroup ?? '';
    let group = byName.get(groupKey);
    if (!group) {
      const title = t.legendgroup ? (traces.find((u) => u.legendgroup === t.legendgroup && u.legendgrouptitle?.text)?.legendgrouptitle?.text ?? null) : null;
      group = { title, items: [] };
      groups.push(group);
      byName.set(groupKey, group);
    }
    group.items.push(item);
  }
  return groups;
}

/** Whether a trace is drawn, given the user's legend clicks (key → shown) over its own `visible`. */
export function traceShown(trace: Data, index: number, overrides: ReadonlyMap<string, boolean>): boolean {
  const own = (trace as TraceLike).visible;
  if (own === false) return false;
  return overrides.get(traceKey(trace, index)) ?? own !== 'legendonly';
}

/** The figure's traces with the legend clicks applied (hidden traces as 'legendonly', i.e. not drawn). */
export function applyLegendClicks(data: Data[], overrides: ReadonlyMap<string, boolean>): Data[] {
  if (overrides.size === 0) return data;
  return data.map((trace, i) => {
    const key = traceKey(trace, i);
    if (!overrides.has(key)) return trace;
    return { ...trace, visible: traceShown(trace, i, overrides) ? true : 'legendonly' } as Data;
  });
}
