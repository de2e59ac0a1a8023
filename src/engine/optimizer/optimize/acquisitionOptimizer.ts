import type { AcquisitionState, ModelAcquisition } from '../acquisition/acquisition';
import { integerLevelOf, integerUnit, categoryOf, setCategory, type SpaceLayout } from '../encoding';
import type { GpPosterior } from '../gp/posterior';
import { minimizeInBox } from './boxMinimize';
import type { CandidatePool } from './candidatePool';
import type { ExclusionSet } from './exclusion';

/**
 * Maximises an acquisition function over a mixed space (BoTorch's optimize_acqf recipe, extended to
 * integers and categories without relaxation):
 * 1. score every raw candidate of the pool (quasi-random + local perturbations of the incumbents);
 * 2. from the best `starts` distinct, non-excluded candidates, alternate
 *    (a) projected L-BFGS on the continuous coordinates with analytic gradients, and
 *    (b) an exhaustive search of each integer's grid (a ±`integerWindow` window when the grid is larger)
 *        and of each categorical's levels, one parameter at a time (coordinate descent),
 *    until the discrete part stops changing;
 * 3. return the best polished point that is not excluded (evaluated, pending or already in the batch),
 *    falling back to the best non-excluded raw candidate.
 */
export interface AcquisitionOptimizerOptions {
  /** Number of raw candidates polished. */
  starts: number;
  /** L-BFGS iterations per continuous polish. */
  maxIterations: number;
  /** Continuous ↔ discrete alternations per start. */
  maxAlternations: number;
  /** Integers with more than 2·window + 1 levels are searched ±window around the current level. */
  integerWindow: number;
  /** Box of the continuous search (model-input coordinates; trustRegion.ts); absent: the unit cube. */
  region?: { lower: Float64Array; upper: Float64Array };
}

export const DEFAULT_ACQUISITION_OPTIMIZER: AcquisitionOptimizerOptions = {
  starts: 6,
  maxIterations: 30,
  maxAlternations: 3,
  integerWindow: 32,
};

export interface OptimizedCandidate {
  x: Float64Array;
  value: number;
}

function valueAt(posterior: GpPosterior, acquisition: ModelAcquisition, state: AcquisitionState, x: ArrayLike<number>): number {
  const p = posterior.predict(x);
  return acquisition.value(state, p.mean, p.variance);
}

/** Coordinate search over the discrete parameters; returns whether anything changed. */
function searchDiscrete(
  posterior: GpPosterior,
  acquisition: ModelAcquisition,
  state: AcquisitionState,
  layout: SpaceLayout,
  x: Float64Array,
  current: { value: number },
  window: number,
): boolean {
  let changed = false;
  for (const p of layout.parameters) {
    if (p.kind === 'integer') {
      const start = integerLevelOf(x[p.column], p);
      const wide = p.levels > 2 * window + 1;
      const from = wide ? Math.max(0, start - window) : 0;
      const to = wide ? Math.min(p.levels - 1, start + window) : p.levels - 1;
      let bestLevel = start;
      for (let level = from; level <= to; level++) {
        if (level === start) continue;
        x[p.column] = integerUnit(level, p);
        const v = valueAt(posterior, acquisition, state, x);
        if (v > current.value) {
          current.value = v;
          bestLevel = level;
        }
      }
      x[p.column] = integerUnit(bestLevel, p);
      if (bestLevel !== start) changed = true;
    } else if (p.kind === 'categorical') {
      const start = categoryOf(x, p);
      let bestLevel = start;
      for (let level = 0; level < p.choices.length; level++) {
        if (level === start) continue;
        setCategory(x, p, level);
        const v = valueAt(posterior, acquisition, state, x);
        if (v > current.value) {
          current.value = v;
          bestLevel = level;
        }
      }
      setCategory(x, p, bestLevel);
      if (bestLevel !== start) changed = true;
    }
  }
  return changed;
}

function polish(
  posterior: GpPosterior,
  acquisition: ModelAcquisition,
  state: AcquisitionState,
  layout: SpaceLayout,
  start: Float64Array,
  options: AcquisitionOptimizerOptions,
): OptimizedCandidate {
  const x = Float64Array.from(start);
  const current = { value: valueAt(posterior, acquisition, state, x) };
  const columns = layout.continuousColumns;
  const D = layout.dimension;
  const gradMean = new Float64Array(D);
  const gradVariance = new Float64Array(D);
  const gradFull = new Float64Array(D);
  const objective = (u: Float64Array, grad: Float64Array) => {
    for (let i = 0; i < columns.length; i++) x[columns[i]] = u[i];
    const p = posterior.predictWithGradient(x, gradMean, gradVariance);
    const value = acquisition.valueAndGradient(state, p.mean, p.variance, gradMean, gradVariance, gradFull);
    for (let i = 0; i < columns.length; i++) grad[i] = -gradFull[columns[i]];
    return -value;
  };
  const lower = options.region ? Float64Array.from(columns, (c) => options.region!.lower[c]) : new Float64Array(columns.length);
  const upper = options.region ? Float64Array.from(columns, (c) => options.region!.upper[c]) : new Float64Array(columns.length).fill(1);
  for (let round = 0; round < options.maxAlternations; round++) {
    if (columns.length > 0) {
      const before = Float64Array.from(columns, (c) => x[c]);
      const result = minimizeInBox(objective, before, lower, upper, {
        maxIterations: options.maxIterations,
        gradientTolerance: 1e-7,
        relativeTolerance: 1e-9,
      });
      if (-result.value > current.value) {
        for (let i = 0; i < columns.length; i++) x[columns[i]] = result.x[i];
        current.value = -result.value;
      } else {
        for (let i = 0; i < columns.length; i++) x[columns[i]] = before[i];
      }
    }
    if (!searchDiscrete(posterior, acquisition, state, layout, x, current, options.integerWindow)) break;
  }
  return { x, value: current.value };
}

export function maximizeAcquisition(
  posterior: GpPosterior,
  acquisition: ModelAcquisition,
  state: AcquisitionState,
  layout: SpaceLayout,
  pool: CandidatePool,
  exclusion: ExclusionSet,
  options: AcquisitionOptimizerOptions = DEFAULT_ACQUISITION_OPTIMIZER,
): OptimizedCandidate | null {
  const values = new Float64Array(pool.size);
  for (let i = 0; i < pool.size; i++) values[i] = acquisition.value(state, pool.means[i], pool.variances[i]);
  const order = Array.from(values.keys()).sort((a, b) => values[b] - values[a] || a - b);
  const starts: number[] = [];
  for (const i of order) {
    if (starts.length >= options.starts) break;
    if (!exclusion.has(pool.points[i])) starts.push(i);
  }
  if (starts.length === 0) return null;
  const polished = starts.map((i) => polish(posterior, acquisition, state, layout, pool.points[i], options));
  polished.sort((a, b) => b.value - a.value);
  for (const candidate of polished) if (!exclusion.has(candidate.x)) return candidate;
  return { x: Float64Array.from(pool.points[starts[0]]), value: values[starts[0]] };
}
