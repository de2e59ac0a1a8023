import type { ParameterSet, ParameterSpace, ParameterSpec, ParameterValue } from '../space/space';

/**
 * Histograms of the plausible points (plausibleRegion.ts): one per parameter for its density strip, and
 * one over two parameters for the pairwise view. Each bin also counts the whole sample's points, so a
 * strip can show either where the plausible points lie (shares) or how much of each bin is plausible
 * (counts / sampled), which stays fair when bins hold unequal parts of the space (an integer's last bin).
 */

/** How one parameter is binned. */
export type DensityAxis =
  /**
   * Numeric: bin k is [edges[k], edges[k + 1]) (the last one closed). Continuous: `bins` equal bins over
   * [low, high]. Integer: whole levels per bin, edges at half-integers (one level per bin when there are
   * at most `bins` levels).
   */
  | { kind: 'numeric'; name: string; edges: number[] }
  /** Categorical: one bin per choice, in the space's order. */
  | { kind: 'categorical'; name: string; choices: readonly string[] };

export interface ParameterDensity {
  axis: DensityAxis;
  /** Plausible points in each bin. */
  counts: number[];
  /** counts / all plausible points (sums to 1; all 0 when no point is plausible). */
  shares: number[];
  /** Points of the whole sample in each bin. */
  sampled: number[];
}

export interface PairDensity {
  first: DensityAxis;
  second: DensityAxis;
  /** counts[i][j]: plausible points in bin i of `first` and bin j of `second`. */
  counts: number[][];
  /** counts / all plausible points. */
  shares: number[][];
  /** Points of the whole sample in each pair of bins. */
  sampled: number[][];
}

export function densityAxis(spec: ParameterSpec, bins: number): DensityAxis {
  if (!(Number.isInteger(bins) && bins >= 1)) throw new Error(`densityAxis: \`bins\` must be a positive integer, got ${bins}`);
  if (spec.kind === 'categorical') return { kind: 'categorical', name: spec.name, choices: spec.choices };
  if (spec.kind === 'integer') {
    const levels = spec.high - spec.low + 1;
    const perBin = Math.ceil(levels / bins);
    const count = Math.ceil(levels / perBin);
    const edges = Array.from({ length: count + 1 }, (_, k) => Math.min(spec.low - 0.5 + k * perBin, spec.high + 0.5));
    return { kind: 'numeric', name: spec.name, edges };
  }
  const width = (spec.high - spec.low) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, k) => (k === bins ? spec.high : spec.low + k * width));
  return { kind: 'numeric', name: spec.name, edges };
}

export function binCount(axis: DensityAxis): number {
  return axis.kind === 'categorical' ? axis.choices.length : axis.edges.length - 1;
}

/**
 * The bin of a value. Every numeric bin but an integer axis's last has the first bin's width, and the
 * last one ends at the range's end, so ⌊(v − e₀)/width⌋ clamped to the bins is exact.
 */
export function binOf(axis: DensityAxis, value: ParameterValue): number {
  if (axis.kind === 'categorical') {
    const k = axis.choices.indexOf(String(value));
    if (k < 0) throw new Error(`binOf: "${String(value)}" is not a choice of "${axis.name}"`);
    return k;
  }
  const bins = axis.edges.length - 1;
  const width = axis.edges[1] - axis.edges[0];
  if (!(width > 0)) return 0; // a fixed parameter (low = high): one bin
  const k = Math.floor((Number(value) - axis.edges[0]) / width);
  return Math.min(bins - 1, Math.max(0, k));
}

function spec(space: ParameterSpace, name: string): ParameterSpec {
  const found = space.parameters.find((p) => p.name === name);
  if (!found) throw new Error(`plausible region: no parameter "${name}" in the space`);
  return found;
}

/** The histogram of one parameter over the sample, plausible points apart. */
export function parameterDensity(space: ParameterSpace, name: string, sample: readonly ParameterSet[], plausible: Uint8Array, bins = 20): ParameterDensity {
  const axis = densityAxis(spec(space, name), bins);
  const size = binCount(axis);
  const counts = new Array<number>(size).fill(0);
  const sampled = new Array<number>(size).fill(0);
  let total = 0;
  sample.forEach((point, i) => {
    const k = binOf(axis, point[name]);
    sampled[k]++;
    if (plausible[i]) {
      counts[k]++;
      total++;
    }
  });
  return { axis, counts, shares: counts.map((c) => (total > 0 ? c / total : 0)), sampled };
}

/** The joint histogram of two parameters over the sample, plausible points apart. */
export function pairDensity(space: ParameterSpace, first: string, second: string, sample: readonly ParameterSet[], plausible: Uint8Array, bins = 20): PairDensity {
  if (first === second) throw new Error(`pairDensity: the two parameters must differ, got "${first}" twice`);
  const a = densityAxis(spec(space, first), bins);
  const b = densityAxis(spec(space, second), bins);
  const grid = () => Array.from({ length: binCount(a) }, () => new Array<number>(binCount(b)).fill(0));
  const counts = grid();
  const sampled = grid();
  let total = 0;
  sample.forEach((point, i) => {
    const j = binOf(a, point[first]);
    const k = binOf(b, point[second]);
    sampled[j][k]++;
    if (plausible[i]) {
      counts[j][k]++;
      total++;
    }
  });
  return { first: a, second: b, counts, shares: counts.map((row) => row.map((c) => (total > 0 ? c / total : 0))), sampled };
}
