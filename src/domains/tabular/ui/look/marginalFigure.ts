import { formatNumber, formatPercent } from '../../../../ui/plots';
import { axis } from '../../../../ui/plots/theme';
import type { CategoricalMarginal, EcdfPoints, Marginal, NumericMarginal } from '../../views';
import { formatCount, histogramOutline, shares, TABLE_KEYS, TABLE_STYLE, withAlpha, type Figure, type Trace } from './figure';

export type MarginalView = 'histogram' | 'ecdf';

export function marginalFigure(marginal: Marginal, view: MarginalView): Figure {
  if (marginal.kind === 'categorical') return categoryFigure(marginal);
  return view === 'ecdf' ? ecdfFigure(marginal) : histogramFigure(marginal);
}

const LEGEND = { orientation: 'h' } as const;

/**
 * Shares of each table's present values per bin (the tables differ in size): train as filled bars, the
 * holdout and the synthetic table as outlines over them. One hover on a bar reads all three.
 */
function histogramFigure(m: NumericMarginal): Figure {
  const { edges } = m;
  const share = { train: shares(m.counts.train, m.present.train), holdout: shares(m.counts.holdout, m.present.holdout), synthetic: shares(m.counts.synthetic, m.present.synthetic) };
  const centres = share.train.map((_, b) => (edges[b] + edges[b + 1]) / 2);
  const binText = (b: number) => (m.integer && edges[b + 1] - edges[b] === 1 ? formatNumber(centres[b]) : `${formatNumber(edges[b])} to ${formatNumber(edges[b + 1])}`);
  const data: Trace[] = [
    {
      type: 'bar',
      name: TABLE_STYLE.train.name,
      x: centres,
      y: share.train,
      width: share.train.map((_, b) => edges[b + 1] - edges[b]),
      marker: { color: withAlpha(TABLE_STYLE.train.color, 0.35), line: { width: 0 } },
      text: centres.map((_, b) => `${m.column} ${binText(b)}<br>${TABLE_KEYS.map((k) => `${TABLE_STYLE[k].name}: ${formatPercent(share[k][b], 1)}`).join('<br>')}`),
      textposition: 'none',
      hovertemplate: '%{text}<extra></extra>',
    } as Trace,
    ...(['holdout', 'synthetic'] as const).map((k) => {
      const outline = histogramOutline(edges, share[k]);
      return {
        type: 'scatter',
        mode: 'lines',
        name: TABLE_STYLE[k].name,
        x: outline.x,
        y: outline.y,
        line: { color: TABLE_STYLE[k].color, width: k === 'synthetic' ? 2.2 : 1.6, shape: 'hv', dash: k === 'holdout' ? 'dash' : 'solid' },
        hoverinfo: 'skip',
      } as Trace;
    }),
  ];
  return {
    data,
    layout: {
      xaxis: axis(m.column, { zeroline: false }),
      yaxis: axis('share of present values', { tickformat: '.0%', rangemode: 'tozero' }),
      bargap: 0,
      hovermode: 'closest',
      showlegend: true,
      legend: LEGEND,
      margin: { l: 64, r: 16, t: 8, b: 48 },
    } as Figure['layout'],
  };
}

/** F(v), the share of present values ≤ v, as steps from 0 before the first value. */
function ecdfFigure(m: NumericMarginal): Figure {
  const data = TABLE_KEYS.map((k) => {
    const e: EcdfPoints = m.ecdf[k];
    return {
      type: 'scatter',
      mode: 'lines',
      name: TABLE_STYLE[k].name,
      x: e.values.length ? [e.values[0], ...e.values] : [],
      y: e.values.length ? [0, ...e.shares] : [],
      line: { color: TABLE_STYLE[k].color, width: k === 'synthetic' ? 2.2 : 1.6, shape: 'hv', dash: k === 'holdout' ? 'dash' : 'solid' },
      hovertemplate: `${TABLE_STYLE[k].name}: %{y:.1%} of values ≤ %{x}<extra></extra>`,
    } as Trace;
  });
  return {
    data,
    layout: {
      xaxis: axis(m.column, { zeroline: false }),
      yaxis: axis('share of values ≤ x', { tickformat: '.0%', range: [0, 1.02] }),
      hovermode: 'closest',
      showlegend: true,
      legend: LEGEND,
      margin: { l: 64, r: 16, t: 8, b: 48 },
    } as Figure['layout'],
  };
}

/** Each table's share of rows per category, side by side. */
function categoryFigure(m: CategoricalMarginal): Figure {
  const labels = m.categories.map((c) => (c.kind === 'value' ? c.label : `(${c.label})`));
  const data = TABLE_KEYS.map(
    (k) =>
      ({
        type: 'bar',
        name: TABLE_STYLE[k].name,
        x: labels,
        y: m.shares[k],
        marker: { color: k === 'synthetic' ? TABLE_STYLE.synthetic.color : withAlpha(TABLE_STYLE[k].color, k === 'train' ? 0.75 : 0.45) },
        hovertemplate: `${TABLE_STYLE[k].name}, %{x}: %{y:.1%} of rows<extra></extra>`,
      }) as Trace,
  );
  const longest = labels.reduce((n, l) => Math.max(n, l.length), 0);
  return {
    data,
    layout: {
      xaxis: axis(m.column, { type: 'category', tickangle: longest > 6 && labels.length > 6 ? -35 : 0 }),
      yaxis: axis('share of rows', { tickformat: '.0%', rangemode: 'tozero' }),
      barmode: 'group',
      bargap: 0.25,
      bargroupgap: 0.05,
      hovermode: 'closest',
      showlegend: true,
      legend: LEGEND,
      margin: { l: 64, r: 16, t: 8, b: longest > 6 && labels.length > 6 ? Math.min(140, 40 + longest * 5) : 48 },
    } as Figure['layout'],
  };
}

/** One or two sentences on the column for a reader who does not see the chart. */
export function marginalSummary(m: Marginal): string {
  if (m.kind === 'categorical') {
    const top = m.categories[0];
    const rows = `${formatCount(m.rows.train)} real (train), ${formatCount(m.rows.holdout)} holdout and ${formatCount(m.rows.synthetic)} synthetic rows`;
    if (!top) return `${m.column}: no categories in ${rows}.`;
    const tv = m.categories.reduce((s, _, i) => s + Math.abs(m.shares.synthetic[i] - m.shares.train[i]), 0) / 2;
    return `${m.column}, ${m.categories.length} bars over ${rows}. Most frequent in train: ${top.label} (${formatPercent(m.shares.train[0], 1)} real, ${formatPercent(m.shares.synthetic[0], 1)} synthetic). Synthetic and real shares differ by ${formatPercent(tv, 1)} in total variation.`;
  }
  const counts = `${formatCount(m.present.train)} real (train), ${formatCount(m.present.holdout)} holdout and ${formatCount(m.present.synthetic)} synthetic values`;
  const missing = TABLE_KEYS.filter((k) => m.missing[k] > 0).map((k) => `${formatCount(m.missing[k])} ${TABLE_STYLE[k].name}`);
  const halves = TABLE_KEYS.map((k) => `${TABLE_STYLE[k].name} ${formatNumber(halfwayPoint(m.ecdf[k]))}`).join(', ');
  return `${m.column}: ${counts}${missing.length ? ` (missing cells: ${missing.join(', ')})` : ''}. Half of the values lie at or below ${halves}.`;
}

/** The smallest ECDF point with F ≥ ½ (the lower median when the ECDF is exact; a grid point near it otherwise). */
function halfwayPoint(e: EcdfPoints): number | null {
  const i = e.shares.findIndex((s) => s >= 0.5);
  return i >= 0 ? e.values[i] : null;
}
