import type { ParameterSet, ParameterSpace, ParameterValue } from '../space/space';

/**
 * The GP's input space for a mixed parameter space.
 *
 * - Continuous and integer parameters: one coordinate each, (v − low)/(high − low) ∈ [0, 1]; a continuous
 *   parameter marked `log` is searched in log v: (ln v − ln low)/(ln high − ln low). Integers sit on their
 *   grid j/(K − 1) (log or not: their levels are few and each is tried as it is); the acquisition
 *   optimiser searches that grid, it never rounds a relaxation.
 * - Categorical parameters: one-hot, scaled by 1/√2, with ONE lengthscale shared by the parameter's
 *   coordinates. Two different levels are then at squared distance (1/√2)²·2 = 1 — the same as the two
 *   ends of a numeric parameter — and every pair of levels is equally far apart: this is the overlap
 *   (Hamming) kernel of BoTorch's MixedSingleTaskGP, embedded in the ARD distance so that a category
 *   change and a numeric change trade off inside one Matérn kernel. One lengthscale per categorical
 *   (not one per level) keeps the model to one hyperparameter per parameter, which matters with 16–100
 *   points; and the levels are enumerated by the acquisition optimiser, so no continuous relaxation of
 *   the one-hot vector is ever decoded.
 *
 * Lengthscale group g = parameter index, so lengthscales read directly as per-parameter relevance.
 */
export const ONE_HOT_SCALE = Math.SQRT1_2;

export type LayoutParameter =
  | { kind: 'continuous'; name: string; column: number; low: number; high: number; log: boolean }
  | { kind: 'integer'; name: string; column: number; low: number; high: number; levels: number }
  | { kind: 'categorical'; name: string; column: number; choices: readonly string[] };

export interface SpaceLayout {
  readonly parameters: readonly LayoutParameter[];
  /** Number of model coordinates. */
  readonly dimension: number;
  /** Lengthscale group (= parameter index) of each coordinate. */
  readonly groups: Int32Array;
  /** Coordinates of continuous parameters (the gradient-optimised part). */
  readonly continuousColumns: readonly number[];
}

export function spaceLayout(space: ParameterSpace): SpaceLayout {
  const parameters: LayoutParameter[] = [];
  const groups: number[] = [];
  const continuousColumns: number[] = [];
  space.parameters.forEach((p, index) => {
    const column = groups.length;
    if (p.kind === 'categorical') {
      parameters.push({ kind: 'categorical', name: p.name, column, choices: p.choices });
      for (let k = 0; k < p.choices.length; k++) groups.push(index);
    } else if (p.kind === 'integer') {
      parameters.push({ kind: 'integer', name: p.name, column, low: p.low, high: p.high, levels: p.high - p.low + 1 });
      groups.push(index);
    } else {
      parameters.push({ kind: 'continuous', name: p.name, column, low: p.low, high: p.high, log: p.log === true && p.low > 0 });
      continuousColumns.push(column);
      groups.push(index);
    }
  });
  return { parameters, dimension: groups.length, groups: Int32Array.from(groups), continuousColumns };
}

function unit(value: number, low: number, high: number): number {
  return high === low ? 0.5 : (value - low) / (high - low);
}

/** A numeric value's model coordinate: linear in v, or in ln v for a log-scaled continuous parameter. */
function unitOf(value: number, p: LayoutParameter & { low: number; high: number }): number {
  if (p.kind === 'continuous' && p.log && p.high > p.low) return (Math.log(value) - Math.log(p.low)) / (Math.log(p.high) - Math.log(p.low));
  return unit(value, p.low, p.high);
}

/** A parameter set as a model input vector. */
export function encodeParameters(layout: SpaceLayout, set: ParameterSet): Float64Array {
  const x = new Float64Array(layout.dimension);
  for (const p of layout.parameters) {
    const v = set[p.name];
    if (v === undefined) throw new Error(`parameter "${p.name}" is missing`);
    if (p.kind === 'categorical') {
      const level = p.choices.indexOf(String(v));
      if (level < 0) throw new Error(`parameter "${p.name}": "${String(v)}" is not one of ${p.choices.join(', ')}`);
      x[p.column + level] = ONE_HOT_SCALE;
    } else {
      x[p.column] = unitOf(Number(v), p);
    }
  }
  return x;
}

/** Sets a categorical's one-hot block to `level`. */
export function setCategory(x: Float64Array, p: Extract<LayoutParameter, { kind: 'categorical' }>, level: number): void {
  for (let k = 0; k < p.choices.length; k++) x[p.column + k] = k === level ? ONE_HOT_SCALE : 0;
}

export function categoryOf(x: ArrayLike<number>, p: Extract<LayoutParameter, { kind: 'categorical' }>): number {
  let best = 0;
  for (let k = 1; k < p.choices.length; k++) if (x[p.column + k] > x[p.column + best]) best = k;
  return best;
}

/** Integer level index (0..levels−1) of a unit coordinate. */
export function integerLevelOf(u: number, p: Extract<LayoutParameter, { kind: 'integer' }>): number {
  if (p.levels <= 1) return 0;
  return Math.min(p.levels - 1, Math.max(0, Math.round(u * (p.levels - 1))));
}

export function integerUnit(level: number, p: Extract<LayoutParameter, { kind: 'integer' }>): number {
  return p.levels <= 1 ? 0.5 : level / (p.levels - 1);
}

/**
 * Model input → parameter set. Continuous values are scaled back (clipped to bounds); integers and
 * categories are read from exact grid/one-hot values (the optimiser only produces those).
 */
export function decodeParameters(layout: SpaceLayout, x: ArrayLike<number>): Record<string, ParameterValue> {
  const out: Record<string, ParameterValue> = {};
  for (const p of layout.parameters) {
    if (p.kind === 'categorical') out[p.name] = p.choices[categoryOf(x, p)];
    else if (p.kind === 'integer') out[p.name] = p.low + integerLevelOf(x[p.column], p);
    else {
      const u = Math.min(1, Math.max(0, x[p.column]));
      const v = p.log ? Math.exp(Math.log(p.low) + u * (Math.log(p.high) - Math.log(p.low))) : p.low + u * (p.high - p.low);
      out[p.name] = p.high === p.low ? p.low : Math.min(p.high, Math.max(p.low, v));
    }
  }
  return out;
}

/**
 * Model input from one uniform draw per parameter (a Sobol or random row): continuous u as is, an integer
 * level ⌊u·K⌋, a category ⌊u·levels⌋ — each level equally likely.
 */
export function inputFromUniform(layout: SpaceLayout, u: ArrayLike<number>): Float64Array {
  const x = new Float64Array(layout.dimension);
  layout.parameters.forEach((p, i) => {
    if (p.kind === 'categorical') setCategory(x, p, Math.min(p.choices.length - 1, Math.floor(u[i] * p.choices.length)));
    else if (p.kind === 'integer') x[p.column] = integerUnit(Math.min(p.levels - 1, Math.floor(u[i] * p.levels)), p);
    else x[p.column] = u[i];
  });
  return x;
}
