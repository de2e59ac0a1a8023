import type { ConstrainedAcquisition, ConstrainedState, PredictionWithGradient } from '../acquisition/constrained';
import { categoryOf, integerLevelOf, integerUnit, setCategory, type SpaceLayout } from '../encoding';
import type { AcquisitionOptimizerOptions } from '../optimize/acquisitionOptimizer';
import { minimizeInBox } from '../optimize/boxMinimize';
import type { ExclusionSet } from '../optimize/exclusion';
import type { ModelPosteriors } from './model';

/**
 * Maximises a constrained acquisition over a mixed space with the recipe of the unconstrained optimiser
 * (optimize/acquisitionOptimizer.ts): score every raw candidate, then polish the best `starts` distinct,
 * non-excluded ones by alternating projected L-BFGS on the continuous coordinates (analytic gradients
 * through every model) with a coordinate search over each integer's grid and each categorical's levels,
 * and return the best polished point that is not excluded (else the best raw candidate). Parameters the
 * caller holds fixed keep the raw candidates' values (proposeConstrained writes the fixed values there).
 */
export interface ConstrainedCandidate {
  x: Float64Array;
  value: number;
}

export class ConstrainedAcquisitionFunction {
  private readonly objectiveGrad: PredictionWithGradient;
  private readonly constraintGrads: PredictionWithGradient[];

  constructor(
    readonly posteriors: ModelPosteriors,
    readonly acquisition: ConstrainedAcquisition,
    readonly state: ConstrainedState,
    dimension: number,
  ) {
    const blank = (): PredictionWithGradient => ({ mean: 0, variance: 0, gradMean: new Float64Array(dimension), gradVariance: new Float64Array(dimension) });
    this.objectiveGrad = blank();
    this.constraintGrads = posteriors.constraints.map(blank);
  }

  value(x: ArrayLike<number>): number {
    const objective = this.posteriors.objective.predict(x);
    const constraints = this.posteriors.constraints.map((p) => p.predict(x));
    return this.acquisition.value(this.state, objective, constraints);
  }

  valueAndGradient(x: ArrayLike<number>, out: Float64Array): number {
    const fill = (target: PredictionWithGradient, posterior: ModelPosteriors['objective']) => {
      const p = posterior.predictWithGradient(x, target.gradMean, target.gradVariance);
      target.mean = p.mean;
      target.variance = p.variance;
    };
    fill(this.objectiveGrad, this.posteriors.objective);
    this.posteriors.constraints.forEach((p, k) => fill(this.constraintGrads[k], p));
    return this.acquisition.valueAndGradient(this.state, this.objectiveGrad, this.constraintGrads, out);
  }
}

/** Which parameters the search may change (by layout index): all but those the caller holds fixed. */
export type FreeParameters = readonly boolean[];

function searchDiscrete(f: ConstrainedAcquisitionFunction, layout: SpaceLayout, free: FreeParameters, x: Float64Array, current: { value: number }, window: number): boolean {
  let changed = false;
  const tryLevel = (apply: () => void): boolean => {
    apply();
    const v = f.value(x);
    if (v > current.value) {
      current.value = v;
      return true;
    }
    return false;
  };
  for (const [index, p] of layout.parameters.entries()) {
    if (!free[index]) continue;
    if (p.kind === 'integer') {
      const start = integerLevelOf(x[p.column], p);
      const wide = p.levels > 2 * window + 1;
      const from = wide ? Math.max(0, start - window) : 0;
      const to = wide ? Math.min(p.levels - 1, start + window) : p.levels - 1;
      let best = start;
      for (let level = from; level <= to; level++) if (level !== start && tryLevel(() => (x[p.column] = integerUnit(level, p)))) best = level;
      x[p.column] = integerUnit(best, p);
      if (best !== start) changed = true;
    } else if (p.kind === 'categorical') {
      const start = categoryOf(x, p);
      let best = start;
      for (let level = 0; level < p.choices.length; level++) if (level !== start && tryLevel(() => setCategory(x, p, level))) best = level;
      setCategory(x, p, best);
      if (best !== start) changed = true;
    }
  }
  return changed;
}

function polish(f: ConstrainedAcquisitionFunction, layout: SpaceLayout, free: FreeParameters, start: Float64Array, options: AcquisitionOptimizerOptions): ConstrainedCandidate {
  const x = Float64Array.from(start);
  const current = { value: f.value(x) };
  const columns = layout.parameters.flatMap((p, index) => (p.kind === 'continuous' && free[index] ? [p.column] : []));
  const gradFull = new Float64Array(layout.dimension);
  const objective = (u: Float64Array, grad: Float64Array) => {
    for (let i = 0; i < columns.length; i++) x[columns[i]] = u[i];
    const value = f.valueAndGradient(x, gradFull);
    for (let i = 0; i < columns.length; i++) grad[i] = -gradFull[columns[i]];
    return -value;
  };
  const lower = new Float64Array(columns.length);
  const upper = new Float64Array(columns.length).fill(1);
  for (let round = 0; round < options.maxAlternations; round++) {
    if (columns.length > 0) {
      const before = Float64Array.from(columns, (c) => x[c]);
      const result = minimizeInBox(objective, before, lower, upper, { maxIterations: options.maxIterations, gradientTolerance: 1e-7, relativeTolerance: 1e-9 });
      if (Number.isFinite(result.value) && -result.value > current.value) {
        for (let i = 0; i < columns.length; i++) x[columns[i]] = result.x[i];
        current.value = -result.value;
      } else {
        for (let i = 0; i < columns.length; i++) x[columns[i]] = before[i];
      }
    }
    if (!searchDiscrete(f, layout, free, x, current, options.integerWindow)) break;
  }
  return { x, value: current.value };
}

/** The best non-excluded point of the acquisition, or null when every candidate is excluded. */
export function maximizeConstrained(
  f: ConstrainedAcquisitionFunction,
  layout: SpaceLayout,
  free: FreeParameters,
  raw: readonly Float64Array[],
  exclusion: ExclusionSet,
  options: AcquisitionOptimizerOptions,
): ConstrainedCandidate | null {
  const values = raw.map((x) => f.value(x));
  const order = values.map((_, i) => i).sort((a, b) => values[b] - values[a] || a - b);
  const starts: number[] = [];
  for (const i of order) {
    if (starts.length >= options.starts) break;
    if (!exclusion.has(raw[i])) starts.push(i);
  }
  if (starts.length === 0) return null;
  const polished = starts.map((i) => polish(f, layout, free, raw[i], options)).sort((a, b) => b.value - a.value);
  for (const candidate of polished) if (!exclusion.has(candidate.x)) return candidate;
  return { x: Float64Array.from(raw[starts[0]]), value: values[starts[0]] };
}
