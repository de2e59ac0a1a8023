import { useId, useMemo, useState } from 'react';
import type { Data, Layout } from 'plotly.js-dist-min';
import { ChartFrame } from './ChartFrame';
import { PlotlyChart } from './PlotlyChart';
import { symlog, symlogThreshold, symlogTicks } from './symlog';
import { axis, COLORS, formatNumber, formatPercent } from './theme';
import type { Band } from './types';
import './plots.css';

/** One analysed iteration. */
export interface ConvergenceRow {
  iteration: number;
  /** Unbiased MMD² of the iteration's whole synthetic batch against the real set (iteration 0: close+far). */
  batchScore: number | null;
  /** Best posterior mean among the evaluated parameter sets after this iteration (score units). */
  bestPosteriorMean: number | null;
  bestPosteriorStd?: number | null;
  /** Mean and median Euclidean distance of the batch's samples to their nearest real sample. */
  nearestMean: number | null;
  nearestMedian: number | null;
  /** Share of the batch's samples inside the ε-ball of some real sample. */
  epsilonShare: number | null;
}

export interface ConvergenceFloors {
  /** Real-vs-real floor of the batch MMD² (at the batch's held-out size). */
  batch?: Band | null;
  /** Real-vs-real floor of one parameter set's score (r replicates): what convergence is judged against. */
  parameterSet?: Band | null;
  /** Real-vs-real floor of the ε-ball share. */
  epsilonShare?: Band | null;
  /** ε itself: the real set's median nearest-neighbour distance. */
  epsilon?: number | null;
}

export type SimilarityScale = 'symlog' | 'linear';

export interface ConvergencePlotProps {
  rows: readonly ConvergenceRow[];
  floors: ConvergenceFloors;
  /** The absolute convergence threshold, when the experiment uses it (seed default 0.05). */
  threshold?: number | null;
  /** Initial scale of the similarity panel (default symlog). */
  initialScale?: SimilarityScale;
  scoreLabel?: string;
}

const ITER_LABEL = (i: number) => (i === 0 ? 'iteration 0 (close+far)' : `iteration ${i}`);

function iterationAxis(rows: readonly ConvergenceRow[]): Record<string, unknown> {
  const its = rows.map((r) => r.iteration);
  const last = Math.max(1, ...its);
  const step = last > 14 ? Math.ceil(last / 10) : 1;
  const tickvals = its.filter((i) => i === 0 || i % step === 0);
  return axis('iteration', {
    tickmode: 'array',
    tickvals,
    ticktext: tickvals.map((i) => (i === 0 ? '0<br>(close+far)' : String(i))),
    range: [-0.4, last + 0.4],
    zeroline: false,
  });
}

/** A filled band across the whole x range, as a trace so that it has a legend entry. */
function bandTrace(name: string, b: Band, x0: number, x1: number, fill: string, map: (v: number) => number, legendrank: number): Data[] {
  return [
    {
      type: 'scatter',
      mode: 'lines',
      name,
      x: [x0, x1, x1, x0, x0],
      y: [b.low, b.low, b.high, b.high, b.low].map(map),
      fill: 'toself',
      fillcolor: fill,
      line: { width: 0 },
      hoverinfo: 'skip',
      legendrank,
    },
    {
      type: 'scatter',
      mode: 'lines',
      name: `${name} (mean)`,
      showlegend: false,
      x: [x0, x1],
      y: [b.mean, b.mean].map(map),
      line: { color: COLORS.floorLine, width: 1, dash: 'dash' },
      hoverinfo: 'skip',
    },
  ] as Data[];
}

/**
 * Progress of the run: the whole batch's similarity and the best-so-far score against the noise floor,
 * then the per-sample picture (distances to the nearest real, share inside the ε-ball).
 *
 * Scale: the unbiased MMD² can be negative, so a log axis is wrong. The default is a symmetric log
 * (linear within ±c, c = the floor band's largest edge; log beyond): early values of ~0.5 and a floor
 * of ±0.02 are both readable. "Linear" is one click away.
 */
export function ConvergencePlot({ rows, floors, threshold = null, initialScale = 'symlog', scoreLabel = 'MMD² (unbiased)' }: ConvergencePlotProps) {
  const [scale, setScale] = useState<SimilarityScale>(initialScale);
  const scaleId = useId();
  const sorted = useMemo(() => [...rows].sort((a, b) => a.iteration - b.iteration), [rows]);

  const similarity = useMemo(() => similarityFigure(sorted, floors, threshold, scale, scoreLabel), [sorted, floors, threshold, scale, scoreLabel]);
  const distances = useMemo(() => distanceFigure(sorted, floors), [sorted, floors]);
  const share = useMemo(() => shareFigure(sorted, floors), [sorted, floors]);

  const controls = (
    <span className="viz-select">
      <label htmlFor={scaleId}>Vertical scale</label>
      <select id={scaleId} value={scale} onChange={(e) => setScale(e.target.value as SimilarityScale)}>
        <option value="symlog">symmetric log (negative values allowed)</option>
        <option value="linear">linear</option>
      </select>
    </span>
  );

  return (
    <div className="viz-convergence">
      <ChartFrame title={`Similarity to the real set (${scoreLabel})`} summary={similarity.summary} controls={controls} chartId="convergence-similarity">
        {(id) => <PlotlyChart data={similarity.data} layout={similarity.layout} height={350} ariaLabel={`${scoreLabel} per iteration with the noise floor`} describedBy={id} />}
      </ChartFrame>
      <div className="viz-row">
        <ChartFrame title="Distance to the nearest real sample" summary={distances.summary} chartId="convergence-distance">
          {(id) => <PlotlyChart data={distances.data} layout={distances.layout} height={250} ariaLabel="Mean and median nearest-real distance per iteration" describedBy={id} />}
        </ChartFrame>
        <ChartFrame title="Share inside a real sample's ε-ball" summary={share.summary} chartId="convergence-epsilon">
          {(id) => <PlotlyChart data={share.data} layout={share.layout} height={250} ariaLabel="Share of samples inside the ε-ball per iteration" describedBy={id} />}
        </ChartFrame>
      </div>
    </div>
  );
}

interface Figure {
  data: Data[];
  layout: Partial<Layout>;
  summary: string;
}

const num = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

export function similarityFigure(rows: readonly ConvergenceRow[], floors: ConvergenceFloors, threshold: number | null, scale: SimilarityScale, scoreLabel: string): Figure {
  const values: number[] = [];
  for (const r of rows) {
    if (num(r.batchScore)) values.push(r.batchScore);
    if (num(r.bestPosteriorMean)) {
      values.push(r.bestPosteriorMean);
      if (num(r.bestPosteriorStd)) values.push(r.bestPosteriorMean + r.bestPosteriorStd, r.bestPosteriorMean - r.bestPosteriorStd);
    }
  }
  const bands = [floors.parameterSet, floors.batch].filter((b): b is Band => !!b);
  for (const b of bands) values.push(b.low, b.high);
  if (num(threshold)) values.push(threshold);
  const c = symlogThreshold(bands.flatMap((b) => [b.low, b.high]), values);
  const map = scale === 'symlog' ? (v: number) => symlog(v, c) : (v: number) => v;
  const last = Math.max(1, ...rows.map((r) => r.iteration));
  const x0 = -0.4;
  const x1 = last + 0.4;

  const data: Data[] = [];
  if (floors.parameterSet) data.push(...bandTrace('floor: one set', floors.parameterSet, x0, x1, COLORS.floor, map, 5));
  if (floors.batch) data.push(...bandTrace('floor: whole batch', floors.batch, x0, x1, COLORS.batchFloor, map, 6));
  const batch = rows.filter((r) => num(r.batchScore));
  data.push({
    type: 'scatter',
    mode: 'lines+markers',
    name: 'whole batch',
    x: batch.map((r) => r.iteration),
    y: batch.map((r) => map(r.batchScore!)),
    text: batch.map((r) => `${ITER_LABEL(r.iteration)}<br>batch ${scoreLabel}: ${formatNumber(r.batchScore)}`),
    hovertemplate: '%{text}<extra></extra>',
    line: { color: COLORS.batch, width: 2 },
    marker: { color: COLORS.batch, size: 7 },
    legendrank: 1,
  } as Data);
  const best = rows.filter((r) => num(r.bestPosteriorMean));
  const hasStd = best.some((r) => num(r.bestPosteriorStd));
  data.push({
    type: 'scatter',
    mode: 'lines+markers',
    name: hasStd ? 'best so far ± sd' : 'best so far',
    x: best.map((r) => r.iteration),
    y: best.map((r) => map(r.bestPosteriorMean!)),
    text: best.map(
      (r) => `${ITER_LABEL(r.iteration)}<br>best posterior mean: ${formatNumber(r.bestPosteriorMean)}${num(r.bestPosteriorStd) ? ` ± ${formatNumber(r.bestPosteriorStd)}` : ''}`,
    ),
    hovertemplate: '%{text}<extra></extra>',
    line: { color: COLORS.bestLine, width: 2.5 },
    marker: { color: COLORS.bestLine, size: 8, symbol: 'diamond' },
    error_y: hasStd
      ? {
          type: 'data',
          symmetric: false,
          array: best.map((r) => (num(r.bestPosteriorStd) ? map(r.bestPosteriorMean! + r.bestPosteriorStd) - map(r.bestPosteriorMean!) : 0)),
          arrayminus: best.map((r) => (num(r.bestPosteriorStd) ? map(r.bestPosteriorMean!) - map(r.bestPosteriorMean! - r.bestPosteriorStd) : 0)),
          color: COLORS.bestLine,
          thickness: 1.2,
          width: 4,
        }
      : undefined,
    legendrank: 2,
  } as Data);
  if (num(threshold)) {
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: `threshold ${formatNumber(threshold)}`,
      x: [x0, x1],
      y: [map(threshold), map(threshold)],
      line: { color: '#b42318', width: 1.5, dash: 'dot' },
      hoverinfo: 'skip',
      legendrank: 7,
    } as Data);
  }

  const lo = values.length ? Math.min(...values) : -1;
  const hi = values.length ? Math.max(...values) : 1;
  const yTitle = scale === 'symlog' ? `${scoreLabel}, symmetric log` : scoreLabel;
  let yaxis: Record<string, unknown>;
  if (scale === 'symlog') {
    const ticks = symlogTicks(lo, hi, c, (v) => formatNumber(v, 2));
    const pad = (map(hi) - map(Math.min(lo, 0))) * 0.06 || 0.1;
    yaxis = axis(yTitle, { tickmode: 'array', ...ticks, range: [map(Math.min(lo, 0)) - pad, map(hi) + pad], zeroline: true });
  } else {
    const pad = (hi - Math.min(lo, 0)) * 0.06 || 0.1;
    yaxis = axis(yTitle, { range: [Math.min(lo, 0) - pad, hi + pad], zeroline: true, exponentformat: 'power' });
  }

  const layout = {
    xaxis: iterationAxis(rows),
    yaxis,
    hovermode: 'closest',
    showlegend: true,
    legend: { orientation: 'h' }, // the HTML legend above the plot (PlotlyChart)
    margin: { l: 64, r: 16, t: 12, b: 56 },
  } as Partial<Layout>;

  return { data, layout, summary: similaritySummary(rows, floors, scoreLabel, scale) };
}

function similaritySummary(rows: readonly ConvergenceRow[], floors: ConvergenceFloors, scoreLabel: string, scale: SimilarityScale): string {
  if (rows.length === 0) return 'No iteration has been analysed yet.';
  const parts: string[] = [];
  const batch = rows.filter((r) => num(r.batchScore));
  if (batch.length) {
    const first = batch[0];
    const last = batch[batch.length - 1];
    parts.push(
      batch.length > 1
        ? `Whole-batch ${scoreLabel} went from ${formatNumber(first.batchScore)} at ${ITER_LABEL(first.iteration)} to ${formatNumber(last.batchScore)} at ${ITER_LABEL(last.iteration)}.`
        : `Whole-batch ${scoreLabel}: ${formatNumber(first.batchScore)} at ${ITER_LABEL(first.iteration)}.`,
    );
  }
  const best = [...rows].reverse().find((r) => num(r.bestPosteriorMean));
  const f = floors.parameterSet;
  if (best) {
    let s = `Best so far (posterior mean) ${formatNumber(best.bestPosteriorMean)}${num(best.bestPosteriorStd) ? ` ± ${formatNumber(best.bestPosteriorStd)}` : ''}`;
    if (f) s += `, floor ${formatNumber(f.low)} to ${formatNumber(f.high)} (mean ${formatNumber(f.mean)}): ${best.bestPosteriorMean! <= f.high ? 'within the noise floor' : `${formatNumber(best.bestPosteriorMean! - f.high)} above it`}`;
    parts.push(`${s}.`);
  } else if (f) {
    parts.push(`Noise floor ${formatNumber(f.low)} to ${formatNumber(f.high)}.`);
  }
  parts.push(scale === 'symlog' ? 'Symmetric-log scale.' : 'Linear scale.');
  return parts.join(' ');
}

export function distanceFigure(rows: readonly ConvergenceRow[], floors: ConvergenceFloors): Figure {
  const withMean = rows.filter((r) => num(r.nearestMean));
  const withMedian = rows.filter((r) => num(r.nearestMedian));
  const last = Math.max(1, ...rows.map((r) => r.iteration));
  const data: Data[] = [
    {
      type: 'scatter',
      mode: 'lines+markers',
      name: 'median',
      x: withMedian.map((r) => r.iteration),
      y: withMedian.map((r) => r.nearestMedian),
      text: withMedian.map((r) => `${ITER_LABEL(r.iteration)}<br>median nearest-real distance ${formatNumber(r.nearestMedian)}`),
      hovertemplate: '%{text}<extra></extra>',
      line: { color: COLORS.batch, width: 2 },
      marker: { size: 6 },
    },
    {
      type: 'scatter',
      mode: 'lines+markers',
      name: 'mean',
      x: withMean.map((r) => r.iteration),
      y: withMean.map((r) => r.nearestMean),
      text: withMean.map((r) => `${ITER_LABEL(r.iteration)}<br>mean nearest-real distance ${formatNumber(r.nearestMean)}`),
      hovertemplate: '%{text}<extra></extra>',
      line: { color: '#7048e8', width: 2, dash: 'dash' },
      marker: { size: 6, symbol: 'square' },
    },
  ] as Data[];
  const eps = floors.epsilon;
  if (num(eps)) {
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: `ε = ${formatNumber(eps)} (real↔real)`,
      x: [-0.4, last + 0.4],
      y: [eps, eps],
      line: { color: COLORS.real, width: 1.5, dash: 'dot' },
      hoverinfo: 'skip',
    } as Data);
  }
  const values = [...withMean.map((r) => r.nearestMean!), ...withMedian.map((r) => r.nearestMedian!), ...(num(eps) ? [eps] : [])];
  const hi = values.length ? Math.max(...values) : 1;
  const layout = {
    xaxis: iterationAxis(rows),
    yaxis: axis('embedding distance', { rangemode: 'tozero', range: [0, hi * 1.1 || 1] }),
    hovermode: 'closest',
    legend: { orientation: 'h' }, // the HTML legend above the plot (PlotlyChart)
    margin: { l: 56, r: 12, t: 12, b: 56 },
  } as Partial<Layout>;
  let summary = 'No distances yet.';
  if (withMedian.length) {
    const a = withMedian[0];
    const b = withMedian[withMedian.length - 1];
    summary = `Median distance to the nearest real ${withMedian.length > 1 ? `went from ${formatNumber(a.nearestMedian)} to ${formatNumber(b.nearestMedian)}` : `is ${formatNumber(a.nearestMedian)}`}${num(eps) ? `; real samples sit ${formatNumber(eps)} from each other (ε)` : ''}.`;
  }
  return { data, layout, summary };
}

export function shareFigure(rows: readonly ConvergenceRow[], floors: ConvergenceFloors): Figure {
  const withShare = rows.filter((r) => num(r.epsilonShare));
  const last = Math.max(1, ...rows.map((r) => r.iteration));
  const data: Data[] = [];
  const f = floors.epsilonShare;
  if (f) data.push(...bandTrace('floor (real vs real)', f, -0.4, last + 0.4, COLORS.floor, (v) => v, 5));
  data.push({
    type: 'scatter',
    mode: 'lines+markers',
    name: 'inside ε-ball',
    x: withShare.map((r) => r.iteration),
    y: withShare.map((r) => r.epsilonShare),
    text: withShare.map((r) => `${ITER_LABEL(r.iteration)}<br>inside ε-ball: ${formatPercent(r.epsilonShare, 1)}`),
    hovertemplate: '%{text}<extra></extra>',
    line: { color: COLORS.close, width: 2 },
    marker: { size: 7 },
    legendrank: 1,
  } as Data);
  const layout = {
    xaxis: iterationAxis(rows),
    yaxis: axis('share of samples', { range: [0, 1.02], tickformat: '.0%', zeroline: false }),
    hovermode: 'closest',
    legend: { orientation: 'h' }, // the HTML legend above the plot (PlotlyChart)
    margin: { l: 56, r: 12, t: 12, b: 56 },
  } as Partial<Layout>;
  let summary = 'No shares yet.';
  if (withShare.length) {
    const a = withShare[0];
    const b = withShare[withShare.length - 1];
    summary = `Share inside the ε-ball ${withShare.length > 1 ? `went from ${formatPercent(a.epsilonShare)} to ${formatPercent(b.epsilonShare)}` : `is ${formatPercent(a.epsilonShare)}`}${f ? `; real vs real: ${formatPercent(f.low)}–${formatPercent(f.high)}` : ''}.`;
  }
  return { data, layout, summary };
}
