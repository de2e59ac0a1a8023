import type { PlotlyChartProps } from '../../../../ui/plots';
import { COLORS } from '../../../../ui/plots';

/** One chart's traces and layout (plotly.js's types, reached through the shared chart's props). */
export interface Figure {
  data: PlotlyChartProps['data'];
  layout: PlotlyChartProps['layout'];
}

export type Trace = PlotlyChartProps['data'][number];

/** The three tables of a look: how the charts name and colour them (real = the app's orange, as everywhere). */
export const TABLE_STYLE = {
  train: { name: 'real (train)', color: COLORS.real },
  holdout: { name: 'holdout', color: '#495867' },
  synthetic: { name: 'synthetic', color: COLORS.accent },
} as const;

export type TableKey = keyof typeof TABLE_STYLE;
export const TABLE_KEYS: readonly TableKey[] = ['train', 'holdout', 'synthetic'];

/** `color` (#rrggbb) at `alpha`. */
export function withAlpha(color: string, alpha: number): string {
  const v = parseInt(color.slice(1), 16);
  return `rgba(${(v >> 16) & 255}, ${(v >> 8) & 255}, ${v & 255}, ${alpha})`;
}

/**
 * A histogram's outline as a line with plotly.js's 'hv' shape: up from 0 at the first edge, across each
 * bin at its height, down to 0 at the last edge.
 */
export function histogramOutline(edges: readonly number[], heights: readonly number[]): { x: number[]; y: number[] } {
  if (heights.length === 0) return { x: [], y: [] };
  return { x: [edges[0], ...edges.slice(0, heights.length), edges[heights.length]], y: [0, ...heights, 0] };
}

/** Each count as a share of `total` (0 when the total is 0). */
export function shares(counts: readonly number[], total: number): number[] {
  return counts.map((c) => (total > 0 ? c / total : 0));
}

/** "1,234": a count for people. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
