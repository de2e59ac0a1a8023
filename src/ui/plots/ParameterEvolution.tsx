import { useMemo } from 'react';
import type { Data, Layout } from 'plotly.js-dist-min';
import type { ParameterSet, ParameterSpace, ParameterSpec } from '../../engine/space/space';
import { parameterLabel } from '../params/parameterLabels';
import { ChartFrame } from './ChartFrame';
import { PlotlyChart } from './PlotlyChart';
import { axis, formatParam, formatPercent, labelMargin, UNIT_COLORSCALE } from './theme';
import './plots.css';

/** The parameter sets one iteration evaluated (the optimizer's recommendations from the iteration before). */
export interface EvolutionColumn {
  iteration: number;
  sets: readonly ParameterSet[];
}

export interface ParameterEvolutionProps {
  space: ParameterSpace;
  columns: readonly EvolutionColumn[];
  /** The current best parameter set: shown as its own column at the right. */
  best?: ParameterSet | null;
  /** Simulated target only: the hidden real parameter sets (their mean / level shares), shown as "hidden truth". */
  truth?: readonly ParameterSet[] | null;
  title?: string;
}

interface Row {
  key: string;
  label: string;
  spec: ParameterSpec;
  level?: string;
}

function rowsOf(space: ParameterSpace): Row[] {
  return space.parameters.flatMap((p): Row[] => {
    const label = parameterLabel(p.name).label;
    if (p.kind === 'categorical') return p.choices.map((c) => ({ key: `${p.name}=${c}`, label: `${label} = ${c}`, spec: p, level: c }));
    return [{ key: p.name, label, spec: p }];
  });
}

interface Cell {
  /** Normalised to [0, 1] (numeric: by bounds; a categorical level: share of sets at that level). */
  z: number | null;
  text: string;
  hover: string;
}

function cell(row: Row, sets: readonly ParameterSet[], what: string): Cell {
  const p = row.spec;
  if (sets.length === 0) return { z: null, text: '', hover: `${row.label}<br>${what}: no sets` };
  if (p.kind === 'categorical') {
    const share = sets.filter((s) => String(s[p.name]) === row.level).length / sets.length;
    const n = Math.round(share * sets.length);
    return { z: share, text: sets.length === 1 ? (share ? '✓' : '') : share ? formatPercent(share) : '', hover: `${row.label}<br>${what}: ${n} of ${sets.length} sets (${formatPercent(share)})` };
  }
  const values = sets.map((s) => Number(s[p.name])).filter(Number.isFinite);
  if (values.length === 0) return { z: null, text: '', hover: `${row.label}<br>${what}: —` };
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const z = p.high > p.low ? (mean - p.low) / (p.high - p.low) : 0.5;
  const unit = parameterLabel(p.name).unit;
  const u = unit ? ` ${unit}` : '';
  const range = values.length > 1 ? `<br>min–max ${formatParam(lo)}–${formatParam(hi)}${u}` : '';
  return { z: Math.min(1, Math.max(0, z)), text: formatParam(Number(mean.toPrecision(3))), hover: `${row.label}<br>${what}: ${values.length > 1 ? 'mean ' : ''}${formatParam(mean)}${u}${range}<br>bounds ${p.low}–${p.high}${u}` };
}

/** The heatmap's figure (also drawn, tiny, by the page's warm-up). */
export function evolutionFigure(rows: Row[], columns: readonly EvolutionColumn[], best: ParameterSet | null, truth: readonly ParameterSet[] | null) {
  const sorted = [...columns].sort((a, b) => a.iteration - b.iteration);
  const extras: Array<{ name: string; sets: readonly ParameterSet[] }> = [];
  if (best) extras.push({ name: 'current<br>best', sets: [best] });
  if (truth && truth.length > 0) extras.push({ name: 'hidden<br>truth', sets: truth });
  const y = rows.map((r) => r.label);
  const mainX = sorted.map((c) => `it ${c.iteration}`);
  const main = rows.map((r) => sorted.map((c) => cell(r, c.sets, `iteration ${c.iteration} (${c.sets.length} sets)`)));
  const side = rows.map((r) => extras.map((e) => cell(r, e.sets, e.name.startsWith('hidden') ? `hidden truth (${e.sets.length} sets)` : 'current best')));
  const heat = (x: string[], cells: Cell[][], xaxis: string, showscale: boolean): Data =>
    ({
      type: 'heatmap',
      x,
      y,
      z: cells.map((r) => r.map((c) => c.z)),
      text: cells.map((r) => r.map((c) => c.text)),
      customdata: cells.map((r) => r.map((c) => c.hover)),
      texttemplate: '%{text}',
      textfont: { size: 11 },
      hovertemplate: '%{customdata}<extra></extra>',
      colorscale: UNIT_COLORSCALE,
      zmin: 0,
      zmax: 1,
      xgap: 2,
      ygap: 2,
      xaxis,
      yaxis: 'y',
      showscale,
      colorbar: showscale
        ? { title: { text: 'position in bounds<br>/ share of sets', side: 'right', font: { size: 11 } }, tickvals: [0, 0.5, 1], ticktext: ['low', 'mid', 'high'], thickness: 10, len: 0.9, x: 1.01, xpad: 4 }
        : undefined,
    }) as Data;
  const sideFraction = extras.length ? Math.min(0.32, 0.1 * extras.length + 0.02) : 0;
  const data: Data[] = [heat(mainX.length ? mainX : ['—'], main.length && mainX.length ? main : rows.map(() => [{ z: null, text: '', hover: 'no iterations yet' }]), 'x', true)];
  if (extras.length) data.push(heat(extras.map((e) => e.name), side, 'x2', false));
  const split = extras.length ? 1 - sideFraction : 1;
  const layout = {
    xaxis: axis('iteration (sets evaluated)', { domain: [0, split - 0.02], showgrid: false, showline: false, ticks: '', side: 'bottom', type: 'category' }),
    xaxis2: axis('', { domain: [split, 1], showgrid: false, showline: false, ticks: '', type: 'category', anchor: 'y' }),
    yaxis: axis('', { autorange: 'reversed', showgrid: false, showline: false, ticks: '', type: 'category' }),
    margin: { l: labelMargin(y, 12, 150), r: 80, t: 10, b: 50 },
    hovermode: 'closest',
  } as Partial<Layout>;
  return { data, layout, sorted, extras };
}

/** The heatmap's rows for a parameter space. */
export { rowsOf as evolutionRows };

/**
 * Where the optimizer is looking: a heatmap with one row per parameter (a categorical: one row per level)
 * and one column per iteration. Numeric cells are the mean of the iteration's sets, normalised by the
 * parameter's bounds (0 = low bound, 1 = high bound), with the mean in its own units written in the cell
 * and min–max on hover; a categorical level's cell is the share of sets at that level. The current best
 * and the hidden truth (simulated target) get their own columns at the right for comparison.
 */
export function ParameterEvolution({ space, columns, best = null, truth = null, title = 'Parameter evolution' }: ParameterEvolutionProps) {
  const rows = useMemo(() => rowsOf(space), [space]);
  const figure = useMemo(() => evolutionFigure(rows, columns, best, truth), [rows, columns, best, truth]);

  const height = Math.max(220, 60 + rows.length * 30);
  const summary = evolutionSummary(space, figure.sorted, best, truth);
  return (
    <ChartFrame title={title} summary={summary} chartId="parameter-evolution">
      {(id) => <PlotlyChart data={figure.data} layout={figure.layout} height={height} ariaLabel="Heatmap of the evaluated parameters per iteration" describedBy={id} />}
    </ChartFrame>
  );
}

function evolutionSummary(space: ParameterSpace, columns: readonly EvolutionColumn[], best: ParameterSet | null, truth: readonly ParameterSet[] | null): string {
  if (columns.length === 0) return 'No optimizer iteration yet.';
  const last = columns[columns.length - 1];
  const parts = [`${columns.length} iteration${columns.length === 1 ? '' : 's'} of proposals, ${space.parameters.length} parameters.`];
  const numeric = space.parameters.filter((p) => p.kind !== 'categorical');
  if (numeric.length && last.sets.length) {
    const spreads = numeric.map((p) => {
      const v = last.sets.map((s) => Number(s[p.name]));
      return { p, spread: p.high > p.low ? (Math.max(...v) - Math.min(...v)) / (p.high - p.low) : 0 };
    });
    const narrow = spreads.filter((s) => s.spread < 0.15).map((s) => parameterLabel(s.p.name).label);
    if (narrow.length) parts.push(`In iteration ${last.iteration} the sets agree (within 15 % of the range) on ${narrow.join(', ')}.`);
  }
  if (best && truth && truth.length) {
    const errs = numeric.map((p) => {
      const m = truth.reduce((a, s) => a + Number(s[p.name]), 0) / truth.length;
      return p.high > p.low ? Math.abs(Number(best[p.name]) - m) / (p.high - p.low) : 0;
    });
    if (errs.length) parts.push(`Current best vs hidden truth: mean error ${formatPercent(errs.reduce((a, b) => a + b, 0) / errs.length)} of the range.`);
  }
  return parts.join(' ');
}

