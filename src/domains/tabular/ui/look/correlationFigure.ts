import { formatNumber } from '../../../../ui/plots';
import { axis, labelMargin } from '../../../../ui/plots/theme';
import type { CorrelationMatrices } from '../../views';
import type { Figure, Trace } from './figure';

/** ColorBrewer RdBu (5 classes), negative blue, 0 white, positive red: ρ on [−1, 1]. */
const RHO_SCALE: Array<[number, string]> = [
  [0, '#2166ac'],
  [0.25, '#92c5de'],
  [0.5, '#f7f7f7'],
  [0.75, '#f4a582'],
  [1, '#b2182b'],
];
/** ColorBrewer PuOr (5 classes), 0 white: the difference, on a scale of its own so it is not read as a ρ. */
const DIFFERENCE_SCALE: Array<[number, string]> = [
  [0, '#5e3c99'],
  [0.25, '#b2abd2'],
  [0.5, '#f7f7f7'],
  [0.75, '#fdb863'],
  [1, '#e66101'],
];

/** Horizontal extent of each panel, as a share of the plot's width, and where each colour bar sits. */
const PANELS = [
  { key: 'train', title: 'real (train)', domain: [0, 0.28] },
  { key: 'synthetic', title: 'synthetic', domain: [0.31, 0.59] },
  { key: 'difference', title: 'difference (synthetic − real)', domain: [0.69, 0.97] },
] as const;

/** The difference's colour range: ±(largest |Δρ|, rounded up to a tenth), at least ±0.1. */
export function differenceRange(difference: CorrelationMatrices['difference']): number {
  let largest = 0;
  for (const row of difference) for (const d of row) if (d !== null) largest = Math.max(largest, Math.abs(d));
  return Math.max(0.1, Math.ceil(largest * 10 - 1e-9) / 10);
}

/**
 * Three heatmaps in one figure: train's ρ, the synthetic table's ρ (one colour bar), their difference
 * (its own). `height` makes the cells about square in a panel a third of a ~900 px column wide.
 */
export function correlationFigure(c: CorrelationMatrices): Figure & { height: number } {
  const labels = c.columns;
  const limit = differenceRange(c.difference);
  const data = PANELS.map(
    (p, i) =>
      ({
        type: 'heatmap',
        name: p.title,
        x: labels,
        y: labels,
        z: c[p.key],
        xaxis: i === 0 ? 'x' : `x${i + 1}`,
        yaxis: i === 0 ? 'y' : `y${i + 1}`,
        coloraxis: p.key === 'difference' ? 'coloraxis2' : 'coloraxis',
        xgap: labels.length <= 20 ? 1 : 0,
        ygap: labels.length <= 20 ? 1 : 0,
        hovertemplate: `%{y} × %{x}<br>${p.key === 'difference' ? 'Δρ' : 'ρ'} = %{z:.3f}<extra>${p.title}</extra>`,
        showlegend: false,
      }) as Trace,
  );
  const longest = labels.reduce((m, l) => Math.max(m, l.length), 0);
  // Column names under each panel only while they fit under its cells (a panel is ~230 px wide): beyond,
  // they would run into the next panel; the row names on the left and the hover name every cell.
  const columnTicks = labels.length <= 14 && longest <= 10;
  // Tick labels at −45°: their height is about 0.7 of their length.
  const bottom = columnTicks ? Math.round(Math.max(36, longest * 11 * 0.6 * 0.72 + 18)) : 14;
  const layout: Record<string, unknown> = {
    coloraxis: { colorscale: RHO_SCALE, cmin: -1, cmax: 1, colorbar: { x: 0.6, xanchor: 'left', thickness: 10, len: 1, y: 0.5, title: { text: 'ρ', side: 'top' }, tickvals: [-1, -0.5, 0, 0.5, 1] } },
    coloraxis2: { colorscale: DIFFERENCE_SCALE, cmin: -limit, cmax: limit, colorbar: { x: 0.98, xanchor: 'left', thickness: 10, len: 1, y: 0.5, title: { text: 'Δρ', side: 'top' } } },
    annotations: PANELS.map((p) => ({
      text: p.title,
      xref: 'paper',
      yref: 'paper',
      x: (p.domain[0] + p.domain[1]) / 2,
      y: 1,
      yanchor: 'bottom',
      yshift: 4,
      showarrow: false,
      font: { size: 12 },
    })),
    hovermode: 'closest',
    margin: { l: Math.min(160, labelMargin(labels, 11, 48)), r: 40, t: 24, b: bottom },
    showlegend: false,
  };
  PANELS.forEach((p, i) => {
    const suffix = i === 0 ? '' : String(i + 1);
    layout[`xaxis${suffix}`] = axis('', { domain: p.domain, anchor: `y${suffix}`, type: 'category', tickangle: -45, showticklabels: columnTicks, tickfont: { size: 11 }, showgrid: false, showline: false, ticks: '' });
    layout[`yaxis${suffix}`] = axis('', { anchor: `x${suffix}`, type: 'category', autorange: 'reversed', showticklabels: i === 0, tickfont: { size: 11 }, showgrid: false, showline: false, ticks: '' });
  });
  return { data, layout: layout as Figure['layout'], height: 224 + 24 + bottom };
}

/** The mean |Δρ| over the pairs (corr_mae) and the pair that moved most, in words. */
export function correlationSummary(c: CorrelationMatrices): string {
  const n = c.columns.length;
  if (n < 2) return 'Fewer than two numeric columns: there are no correlations to compare.';
  let total = 0;
  let pairs = 0;
  let worst: { i: number; j: number; d: number } | null = null;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = c.difference[i][j];
      if (d === null) continue;
      total += Math.abs(d);
      pairs++;
      if (!worst || Math.abs(d) > Math.abs(worst.d)) worst = { i, j, d };
    }
  }
  if (!worst) return `None of the ${(n * (n - 1)) / 2} pairs of numeric columns has a correlation in both tables (constant columns).`;
  const sign = (v: number) => (v > 0 ? `+${formatNumber(v)}` : formatNumber(v));
  return (
    `Pearson's ρ of ${n} numeric columns in real (train) and synthetic rows. Mean |Δρ| over ${pairs} pairs: ${formatNumber(total / pairs)}; ` +
    `the largest change is ${c.columns[worst.i]} × ${c.columns[worst.j]}, Δρ = ${sign(worst.d)} (real ${formatNumber(c.train[worst.i][worst.j])}, synthetic ${formatNumber(c.synthetic[worst.i][worst.j])}).`
  );
}
