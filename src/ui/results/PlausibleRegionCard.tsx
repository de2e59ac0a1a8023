import type { DensityAxis, PairDensity } from '../../engine/trust/plausibleRegionDensity';
import type { PlausibleRegion } from '../../engine/trust/plausibleRegion';
import type { ParameterInterval } from '../../engine/trust/plausibleRegionIntervals';
import type { ParameterSet } from '../../engine/space/space';
import { parameterLabel } from '../params/parameterLabels';
import { formatNumber, formatParam, formatPercent } from '../plots/theme';
import '../plots/plots.css';

export interface PlausibleRegionCardProps {
  region: PlausibleRegion;
  /** The optimizer's best set, marked on each strip. */
  best: ParameterSet | null;
  /** The iteration whose fit the region comes from. */
  iteration: number;
}

/**
 * Which settings are consistent with the real data, not only the best one: the share of the space where
 * the surrogate gives P(score ≤ δ) > ½ (on a quasi-random sample), per parameter the plausible interval
 * over a density strip of where the plausible points lie (the best set marked), with parameters the
 * embeddings cannot pin down called out, and the two most relevant parameters against each other.
 */
export function PlausibleRegionCard({ region, best, iteration }: PlausibleRegionCardProps) {
  const loose = region.parameters.filter((p) => !p.identifiable);
  return (
    <section className="viz-tablebox region" aria-label="Plausible region" data-region-share={region.share}>
      <h3 className="viz-figure__title">Plausible region (fit of iteration {iteration})</h3>
      <p className="viz-figure__summary">
        {region.statement ??
          `${formatPercent(region.share, region.share < 0.01 ? 2 : 1)} of the space has P(MMD² ≤ δ) > ½ under the surrogate (δ = ${formatNumber(region.tolerance)}; ${region.plausibleCount} of ${region.sampleSize} quasi-random points). ${
            loose.length
              ? `Not identifiable from these embeddings: ${loose.map((p) => parameterLabel(p.name).label).join(', ')} — their plausible values cover most of the range (more real samples, a different embedding, or fixing them would help).`
              : 'Every parameter is pinned to part of its range.'
          }`}
      </p>
      {region.parameters.length > 0 && (
        <div className="region__layout">
          <div className="viz-tablewrap">
            <table className="viz-table region__table">
              <thead>
                <tr>
                  <th scope="col">Parameter</th>
                  <th scope="col" className="viz-num">
                    Best
                  </th>
                  <th scope="col">Plausible interval</th>
                  <th scope="col">Where the plausible points lie</th>
                  <th scope="col">Identifiable?</th>
                </tr>
              </thead>
              <tbody>
                {region.parameters.map((p) => (
                  <tr key={p.name}>
                    <th scope="row">{parameterLabel(p.name).label}</th>
                    <td className="viz-num">{best ? formatParam(best[p.name]) : '—'}</td>
                    <td>{intervalText(p)}</td>
                    <td>
                      <DensityStrip parameter={p} best={best?.[p.name]} />
                    </td>
                    <td className={p.identifiable ? 'region__yes' : 'region__no'}>{p.identifiable ? 'yes' : `no (${formatPercent(p.coverage)} of the range)`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {region.pair && <PairMap pair={region.pair} />}
        </div>
      )}
    </section>
  );
}

function intervalText(p: ParameterInterval): string {
  if (p.kind === 'categorical') return p.interval.join(', ');
  return `${formatParam(p.interval[0])} – ${formatParam(p.interval[1])}`;
}

/** One bar per bin: the share of the bin's sampled points that are plausible (fair where bins hold unequal parts of the space). */
function DensityStrip({ parameter, best }: { parameter: ParameterInterval; best: number | string | undefined }) {
  const { counts, sampled } = parameter.density;
  const bins = counts.length;
  const rate = counts.map((c, k) => (sampled[k] > 0 ? c / sampled[k] : 0));
  const top = Math.max(...rate, 1e-12);
  const bestBin = best === undefined ? -1 : binOf(parameter.density.axis, best);
  return (
    <svg className="region__strip" viewBox={`0 0 ${bins} 10`} preserveAspectRatio="none" role="img" aria-label={`${parameter.name}: plausible share per bin`}>
      <rect x="0" y="0" width={bins} height="10" className="region__strip-bg" />
      {rate.map((r, k) => (
        <rect key={k} x={k + 0.06} y={10 - (r / top) * 10} width="0.88" height={(r / top) * 10} className="region__bar" />
      ))}
      {bestBin >= 0 && <rect x={bestBin + 0.3} y="0" width="0.4" height="10" className="region__best" />}
    </svg>
  );
}

function binOf(axis: DensityAxis, value: number | string): number {
  if (axis.kind === 'categorical') return axis.choices.indexOf(String(value));
  const v = Number(value);
  const { edges } = axis;
  for (let k = 0; k < edges.length - 1; k++) if (v < edges[k + 1] || k === edges.length - 2) return v >= edges[0] ? k : -1;
  return -1;
}

function axisLabels(axis: DensityAxis): string[] {
  if (axis.kind === 'categorical') return [...axis.choices];
  return axis.edges.slice(0, -1).map((e, k) => formatParam((e + axis.edges[k + 1]) / 2));
}

/** The two most relevant parameters against each other: each cell's plausible share of its sampled points. */
function PairMap({ pair }: { pair: PairDensity }) {
  const rows = pair.counts.length;
  const cols = pair.counts[0]?.length ?? 0;
  const rate = pair.counts.map((row, i) => row.map((c, j) => (pair.sampled[i][j] > 0 ? c / pair.sampled[i][j] : 0)));
  const top = Math.max(...rate.flat(), 1e-12);
  const xs = axisLabels(pair.first);
  const ys = axisLabels(pair.second);
  const first = parameterLabel(pair.first.name).label;
  const second = parameterLabel(pair.second.name).label;
  return (
    <figure className="region__pair">
      <svg viewBox={`0 0 ${rows} ${cols}`} preserveAspectRatio="none" role="img" aria-label={`${first} against ${second}: plausible share per cell`}>
        {rate.map((row, i) =>
          row.map((r, j) => <rect key={`${i}-${j}`} x={i} y={cols - 1 - j} width="1" height="1" fill={`rgba(47, 111, 219, ${(0.08 + 0.92 * (r / top)).toFixed(3)})`} />),
        )}
      </svg>
      <figcaption className="viz-figure__summary">
        {first} ({xs[0]} → {xs[xs.length - 1]}, across) against {second} ({ys[0]} → {ys[ys.length - 1]}, up): darker cells hold more plausible settings.
      </figcaption>
    </figure>
  );
}
