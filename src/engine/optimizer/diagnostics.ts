import type { SpaceLayout } from './encoding';
import type { GpHyperparameters } from './gp/hyperparameters';
import { leaveOneOut } from './gp/leaveOneOut';
import type { GpPosterior } from './gp/posterior';
import type { LeaveOneOutQuality, ParameterRelevance } from './types';

/** Lengthscales as relevance: a short lengthscale means the score changes quickly with that parameter. */
export function parameterRelevance(layout: SpaceLayout, h: GpHyperparameters): ParameterRelevance[] {
  const inverse = h.lengthscales.map((l) => 1 / l);
  const max = Math.max(...inverse);
  return layout.parameters.map((p, g) => ({ name: p.name, lengthscale: h.lengthscales[g], relevance: inverse[g] / max }));
}

function ranks(values: ArrayLike<number>): Float64Array {
  const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const out = new Float64Array(values.length);
  for (let k = 0; k < order.length; ) {
    let end = k;
    while (end + 1 < order.length && values[order[end + 1]] === values[order[k]]) end++;
    for (let j = k; j <= end; j++) out[order[j]] = (k + end) / 2; // ties share their mean rank
    k = end + 1;
  }
  return out;
}

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] / n;
    mb += b[i] / n;
  }
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return pearson(ranks(a), ranks(b));
}

export function leaveOneOutQuality(posterior: GpPosterior): LeaveOneOutQuality {
  const { mean, variance } = leaveOneOut(posterior);
  const y = posterior.y;
  const n = y.length;
  let yMean = 0;
  for (let i = 0; i < n; i++) yMean += y[i] / n;
  let residual = 0;
  let total = 0;
  let covered = 0;
  for (let i = 0; i < n; i++) {
    residual += (y[i] - mean[i]) ** 2;
    total += (y[i] - yMean) ** 2;
    if (Math.abs(y[i] - mean[i]) <= 1.959964 * Math.sqrt(variance[i])) covered++;
  }
  return { spearman: spearman(mean, y), rSquared: total > 0 ? 1 - residual / total : 0, coverage95: covered / n };
}

/** Thresholds of the leave-one-out warning: below them the surrogate barely ranks held-out points. */
export const LOO_MIN_SPEARMAN = 0.3;
export const LOO_MIN_COVERAGE = 0.75;
export const LOO_MIN_POINTS = 8;
export const BOUNDARY_WARNING_SHARE = 0.5;

export function leaveOneOutWarning(quality: LeaveOneOutQuality, n: number): string | null {
  if (n < LOO_MIN_POINTS) return null;
  if (quality.spearman < LOO_MIN_SPEARMAN) {
    return `The surrogate ranks held-out scores poorly (leave-one-out Spearman ρ = ${quality.spearman.toFixed(2)} < ${LOO_MIN_SPEARMAN}): proposals are little better than random search. More replications per parameter set would lower the noise.`;
  }
  if (quality.coverage95 < LOO_MIN_COVERAGE) {
    return `The surrogate is over-confident: only ${(100 * quality.coverage95).toFixed(0)}% of held-out scores fall inside its 95% intervals.`;
  }
  return null;
}

/** Share of points with some continuous or integer coordinate on its bound (unit value 0 or 1). */
export function boundaryShare(layout: SpaceLayout, points: readonly ArrayLike<number>[]): number {
  if (points.length === 0) return 0;
  const tolerance = 1e-6;
  let onBound = 0;
  for (const x of points) {
    const hit = layout.parameters.some((p) => p.kind !== 'categorical' && (x[p.column] <= tolerance || x[p.column] >= 1 - tolerance));
    if (hit) onBound++;
  }
  return onBound / points.length;
}

export function boundaryWarning(share: number): string | null {
  if (share <= BOUNDARY_WARNING_SHARE) return null;
  return `${(100 * share).toFixed(0)}% of the proposals sit on a bound of the parameter ranges: the best settings may lie outside them — consider widening the bounds.`;
}
