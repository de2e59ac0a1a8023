import { quantileOfSorted } from '../metrics/summary';
import type { ParameterSet, ParameterSpace, ParameterSpec } from '../space/space';
import { parameterDensity, type ParameterDensity } from './plausibleRegionDensity';

/**
 * Per parameter: where the plausible points lie (plausibleRegion.ts), and whether the data pin the
 * parameter down.
 *
 * Numeric: the interval is the 5th–95th percentile (type 7, linear between order statistics) of the
 * plausible points' values, an integer's rounded outward to whole numbers; coverage is its width over
 * the range's. Categorical: the interval is the set of choices holding at least a quarter of an even
 * share, 1/(4c), of the plausible points (c choices); coverage is their number over c. Either way the
 * parameter is not identifiable when coverage ≥ 80 %: the plausible points spread over most of its range.
 * For c ≤ 4 choices that means every choice holds its quarter share. A parameter with one value (low =
 * high, or one choice) is fixed by the space: coverage 0, identifiable.
 */

export const NOT_IDENTIFIABLE_COVERAGE = 0.8;
const PERCENTILES: readonly [number, number] = [0.05, 0.95];
/** A choice belongs to the interval when it holds at least this fraction of an even share. */
const CHOICE_SHARE_OF_EVEN = 0.25;

export interface NumericInterval {
  kind: 'continuous' | 'integer';
  name: string;
  /** The parameter's range. */
  low: number;
  high: number;
  /** 5th and 95th percentiles of the plausible points' values (an integer's rounded outward). */
  interval: [number, number];
  /** Smallest and largest plausible value. */
  min: number;
  max: number;
  /** (interval[1] − interval[0]) / (high − low); 0 for a fixed parameter. */
  coverage: number;
  identifiable: boolean;
  density: ParameterDensity;
}

export interface ChoiceShare {
  choice: string;
  /** Plausible points with this choice. */
  count: number;
  /** count / all plausible points. */
  share: number;
}

export interface CategoricalInterval {
  kind: 'categorical';
  name: string;
  /** Every choice holding plausible points, most first. */
  choices: ChoiceShare[];
  /** The choices holding at least 1/(4c) of the plausible points, in the space's order. */
  interval: string[];
  /** interval.length / c; 0 for a single choice. */
  coverage: number;
  identifiable: boolean;
  density: ParameterDensity;
}

export type ParameterInterval = NumericInterval | CategoricalInterval;

function numericInterval(spec: Extract<ParameterSpec, { kind: 'continuous' | 'integer' }>, values: Float64Array, density: ParameterDensity): NumericInterval {
  values.sort();
  let lower = quantileOfSorted(values, PERCENTILES[0]);
  let upper = quantileOfSorted(values, PERCENTILES[1]);
  if (spec.kind === 'integer') {
    lower = Math.floor(lower);
    upper = Math.ceil(upper);
  }
  const range = spec.high - spec.low;
  const coverage = range > 0 ? (upper - lower) / range : 0;
  return {
    kind: spec.kind,
    name: spec.name,
    low: spec.low,
    high: spec.high,
    interval: [lower, upper],
    min: values[0],
    max: values[values.length - 1],
    coverage,
    identifiable: coverage < NOT_IDENTIFIABLE_COVERAGE,
    density,
  };
}

function categoricalInterval(spec: Extract<ParameterSpec, { kind: 'categorical' }>, density: ParameterDensity): CategoricalInterval {
  const c = spec.choices.length;
  const shares = spec.choices.map((choice, k) => ({ choice, count: density.counts[k], share: density.shares[k] }));
  const interval = shares.filter((s) => s.count > 0 && s.share >= CHOICE_SHARE_OF_EVEN / c).map((s) => s.choice);
  const coverage = c > 1 ? interval.length / c : 0;
  return {
    kind: 'categorical',
    name: spec.name,
    choices: shares.filter((s) => s.count > 0).sort((a, b) => b.count - a.count),
    interval,
    coverage,
    identifiable: coverage < NOT_IDENTIFIABLE_COVERAGE,
    density,
  };
}

/** Every parameter's interval, identifiability and density, in the space's order; needs a plausible point. */
export function parameterIntervals(space: ParameterSpace, sample: readonly ParameterSet[], plausible: Uint8Array, bins = 20): ParameterInterval[] {
  if (plausible.length !== sample.length) throw new Error(`parameterIntervals: ${plausible.length} flags for ${sample.length} points`);
  const chosen = sample.filter((_, i) => plausible[i]);
  if (chosen.length === 0) throw new Error('parameterIntervals: no point is plausible, so no parameter has an interval');
  return space.parameters.map((spec) => {
    const density = parameterDensity(space, spec.name, sample, plausible, bins);
    if (spec.kind === 'categorical') return categoricalInterval(spec, density);
    return numericInterval(spec, Float64Array.from(chosen, (p) => Number(p[spec.name])), density);
  });
}
