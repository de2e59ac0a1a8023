import { formatNumber, formatPercent } from '../../../../ui/plots';
import { axis } from '../../../../ui/plots/theme';
import type { DcrDistributions } from '../../views';
import { formatCount, histogramOutline, shares, TABLE_STYLE, withAlpha, type Figure, type Trace } from './figure';

const HOLDOUT = 'holdout → train';
const SYNTHETIC = 'synthetic → train';

/**
 * Share of rows per distance bin: holdout → train (rows the generator never saw: the yardstick) as
 * filled bars, synthetic → train as an outline over them, each median a dotted line (named in the summary).
 */
export function dcrFigure(d: DcrDistributions): Figure {
  const { edges } = d;
  const holdout = shares(d.counts.holdout, d.holdoutToTrain.length);
  const synthetic = shares(d.counts.synthetic, d.syntheticToTrain.length);
  const centres = holdout.map((_, b) => (edges[b] + edges[b + 1]) / 2);
  const outline = histogramOutline(edges, synthetic);
  const peak = Math.max(0, ...holdout, ...synthetic) * 1.08 || 1;
  const medianLine = (name: string, value: number | null, color: string): Trace[] =>
    value === null
      ? []
      : [
          {
            type: 'scatter',
            mode: 'lines',
            name: `${name} median ${formatNumber(value)}`,
            x: [value, value],
            y: [0, peak],
            line: { color, width: 1.4, dash: 'dot' },
            hovertemplate: `${name} median ${formatNumber(value)}<extra></extra>`,
            showlegend: false,
          } as Trace,
        ];
  const data: Trace[] = [
    {
      type: 'bar',
      name: HOLDOUT,
      x: centres,
      y: holdout,
      width: holdout.map((_, b) => edges[b + 1] - edges[b]),
      marker: { color: withAlpha(TABLE_STYLE.holdout.color, 0.3), line: { width: 0 } },
      text: centres.map((_, b) => `distance ${formatNumber(edges[b])} to ${formatNumber(edges[b + 1])}<br>${HOLDOUT}: ${formatPercent(holdout[b], 1)}<br>${SYNTHETIC}: ${formatPercent(synthetic[b], 1)}`),
      textposition: 'none',
      hovertemplate: '%{text}<extra></extra>',
    } as Trace,
    {
      type: 'scatter',
      mode: 'lines',
      name: SYNTHETIC,
      x: outline.x,
      y: outline.y,
      line: { color: TABLE_STYLE.synthetic.color, width: 2.2, shape: 'hv' },
      hoverinfo: 'skip',
    } as Trace,
    ...medianLine('holdout', d.medians.holdout, TABLE_STYLE.holdout.color),
    ...medianLine('synthetic', d.medians.synthetic, TABLE_STYLE.synthetic.color),
  ];
  return {
    data,
    layout: {
      xaxis: axis('distance to the closest train row (0 = a copy)', { range: [0, edges[edges.length - 1] ?? 1], zeroline: false }),
      yaxis: axis('share of rows', { tickformat: '.0%', range: [0, peak] }),
      bargap: 0,
      hovermode: 'closest',
      showlegend: true,
      legend: { orientation: 'h' },
      margin: { l: 56, r: 12, t: 8, b: 48 },
    } as Figure['layout'],
  };
}

/** The attack's AUC in words: the sentence a reader of the card needs first. */
export function miaSentence(d: DcrDistributions): string {
  if (!d.mia) return 'The selected evaluation has no membership-inference AUC.';
  const spread = d.mia.spread !== null && d.mia.spread > 0 ? ` (±${formatNumber(d.mia.spread, 2)} across its seeded draws)` : '';
  return `A distance attack tells members from non-members with AUC ${d.mia.value.toFixed(2)}${spread}; 0.5 means no leakage.`;
}

export function dcrSummary(d: DcrDistributions): string {
  const medians =
    d.medians.synthetic === null || d.medians.holdout === null
      ? 'No distances: a table is empty.'
      : `Median distance to the closest train row: synthetic ${formatNumber(d.medians.synthetic)}, holdout ${formatNumber(d.medians.holdout)}${
          d.medians.synthetic < d.medians.holdout ? ' — synthetic rows sit closer to train than unseen real rows do.' : ' — synthetic rows sit no closer to train than unseen real rows.'
        }`;
  const sampled = d.sampled
    ? ` Distances of ${formatCount(d.compared.synthetic.rows)} of ${formatCount(d.compared.synthetic.of)} synthetic and ${formatCount(d.compared.holdout.rows)} of ${formatCount(d.compared.holdout.of)} holdout rows (seeded subsamples).`
    : '';
  return `${miaSentence(d)} ${medians}${sampled}`;
}
