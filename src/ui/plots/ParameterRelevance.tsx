import { useMemo } from 'react';
import type { Data, Layout } from 'plotly.js-dist-min';
import type { LeaveOneOutQuality, ParameterRelevance as Relevance } from '../../engine/optimizer/types';
import { parameterLabel } from '../params/parameterLabels';
import { ChartFrame } from './ChartFrame';
import { PlotlyChart } from './PlotlyChart';
import { axis, COLORS, formatNumber, formatPercent, labelMargin } from './theme';
import './plots.css';

export interface ParameterRelevanceProps {
  /** diagnostics.relevance: lengthscale-based, 1 = most influential. */
  relevance: readonly Relevance[];
  /** diagnostics.leaveOneOut: how well the surrogate predicts held-out observations (null: not enough points). */
  leaveOneOut: LeaveOneOutQuality | null;
  /** diagnostics.warnings. */
  warnings?: readonly string[];
  /** Number of observations the surrogate was fitted on (for the text). */
  observationCount?: number;
  title?: string;
}

/** The bar chart's figure, most relevant first (also drawn, tiny, by the page's warm-up). */
export function relevanceFigure(sorted: ParameterRelevanceProps['relevance']) {
  const labels = sorted.map((r) => parameterLabel(r.name).label);
  const data: Data[] = [
    {
      type: 'bar',
      orientation: 'h',
      x: sorted.map((r) => r.relevance),
      y: labels,
      text: sorted.map((r) => `ℓ = ${formatNumber(r.lengthscale)}`),
      textposition: 'auto',
      insidetextanchor: 'end',
      textfont: { size: 11 },
      customdata: sorted.map((r) => `${parameterLabel(r.name).label}<br>relevance ${formatNumber(r.relevance)}<br>lengthscale ${formatNumber(r.lengthscale)} (unit-cube units)`),
      hovertemplate: '%{customdata}<extra></extra>',
      marker: { color: sorted.map((r) => (r.relevance >= 0.5 ? COLORS.accent : '#9fb8e6')) },
      cliponaxis: false,
    } as Data,
  ];
  const layout = {
    xaxis: axis('relevance (1 / lengthscale, max = 1)', { range: [0, 1.05], tickformat: '.1f', zeroline: false }),
    yaxis: axis('', { autorange: 'reversed', showgrid: false, ticks: 'outside', ticklen: 6, tickcolor: 'rgba(0,0,0,0)', showline: false }),
    margin: { l: labelMargin(labels, 12, 130), r: 16, t: 8, b: 48 },
    bargap: 0.3,
    hovermode: 'closest',
  } as Partial<Layout>;
  return { data, layout };
}

/**
 * Which parameters the surrogate thinks matter: horizontal bars of relevance (1/lengthscale, scaled so
 * the most influential is 1), most relevant at the top, with the leave-one-out quality and the
 * optimizer's warnings as text — relevance is only as trustworthy as the model's predictions.
 */
export function ParameterRelevance({ relevance, leaveOneOut, warnings = [], observationCount, title = 'Parameter relevance (surrogate)' }: ParameterRelevanceProps) {
  const sorted = useMemo(() => [...relevance].sort((a, b) => b.relevance - a.relevance), [relevance]);
  const figure = useMemo(() => relevanceFigure(sorted), [sorted]);

  const top = sorted[0];
  const summaryParts: string[] = [];
  if (top) {
    const strong = sorted.filter((r) => r.relevance >= 0.5).map((r) => parameterLabel(r.name).label);
    summaryParts.push(`Most relevant: ${strong.join(', ')}.`);
    const weak = sorted.filter((r) => r.relevance < 0.1).map((r) => parameterLabel(r.name).label);
    if (weak.length) summaryParts.push(`Little effect so far: ${weak.join(', ')}.`);
  } else {
    summaryParts.push('No surrogate model yet.');
  }
  if (leaveOneOut) summaryParts.push(`Leave-one-out Spearman ${formatNumber(leaveOneOut.spearman, 2)}.`);

  const footer = (
    <div className="viz-notes">
      {leaveOneOut ? (
        <p>
          <strong>Leave-one-out check</strong>
          {observationCount !== undefined ? ` (${observationCount} observations)` : ''}: rank correlation (Spearman) {formatNumber(leaveOneOut.spearman, 2)}, R²{' '}
          {formatNumber(leaveOneOut.rSquared, 2)}, {formatPercent(leaveOneOut.coverage95)} of observations inside their 95 % interval
          {leaveOneOut.coverage95 < 0.75 || leaveOneOut.spearman < 0.3 ? ' — treat the relevance with caution.' : '.'}
        </p>
      ) : (
        <p>Leave-one-out check: not available yet (too few observations).</p>
      )}
      {warnings.length > 0 && (
        <ul className="viz-warnings" aria-label="Optimizer warnings">
          {warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
    </div>
  );

  return (
    <ChartFrame title={title} summary={summaryParts.join(' ')} footer={footer} chartId="parameter-relevance">
      {(id) =>
        sorted.length ? (
          <PlotlyChart data={figure.data} layout={figure.layout} height={Math.max(160, 56 + sorted.length * 30)} ariaLabel="Bar chart of parameter relevance" describedBy={id} />
        ) : (
          <p className="viz-empty">The surrogate has not been fitted yet.</p>
        )
      }
    </ChartFrame>
  );
}
