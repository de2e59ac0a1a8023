/**
 * A generic parameter space: an ordered list of continuous, integer and categorical parameters with
 * bounds. Nothing here knows what the parameters mean; the void generator and the optimizer both work
 * through this description.
 *
 * `log: true` on a numeric parameter (low > 0) means it is searched on a log scale: the unit-cube
 * encoding below (initial designs) and the optimizer's model coordinate are linear in ln v.
 */
export type ParameterSpec =
  | { kind: 'continuous'; name: string; low: number; high: number; log?: boolean }
  | { kind: 'integer'; name: string; low: number; high: number; log?: boolean }
  | { kind: 'categorical'; name: string; choices: readonly string[] };

export type ParameterValue = number | string;
/** One point of the space: parameter name → value. */
export type ParameterSet = Readonly<Record<string, ParameterValue>>;

export interface ParameterSpace {
  readonly parameters: readonly ParameterSpec[];
}

export function defineSpace(parameters: readonly ParameterSpec[]): ParameterSpace {
  const seen = new Set<string>();
  for (const p of parameters) {
    if (seen.has(p.name)) throw new Error(`parameter "${p.name}" is defined twice`);
    seen.add(p.name);
    if (p.kind === 'categorical') {
      if (p.choices.length < 1) throw new Error(`parameter "${p.name}": a categorical needs at least one choice`);
      if (new Set(p.choices).size !== p.choices.length) throw new Error(`parameter "${p.name}": repeated choices`);
    } else {
      if (!Number.isFinite(p.low) || !Number.isFinite(p.high)) throw new Error(`parameter "${p.name}": bounds must be finite`);
      if (p.low > p.high) throw new Error(`parameter "${p.name}": low ${p.low} is greater than high ${p.high}`);
      // A log-scaled parameter is meant to be searched in log(value), which needs a positive range.
      if (p.log === true && !(p.low > 0)) throw new Error(`parameter "${p.name}": a log-scaled parameter needs low > 0, got ${p.low}`);
      if (p.kind === 'integer' && (!Number.isInteger(p.low) || !Number.isInteger(p.high))) {
        throw new Error(`parameter "${p.name}": integer bounds must be whole numbers`);
      }
    }
  }
  return { parameters };
}

/** Number of coordinates in the unit-cube encoding: one per numeric parameter, one per category (one-hot). */
export function encodedDimension(space: ParameterSpace): number {
  return space.parameters.reduce((d, p) => d + (p.kind === 'categorical' ? p.choices.length : 1), 0);
}

/** Names of the encoded coordinates, e.g. `base_size`, `void_shape=circle`. */
export function encodedNames(space: ParameterSpace): string[] {
  return space.parameters.flatMap((p) => (p.kind === 'categorical' ? p.choices.map((c) => `${p.name}=${c}`) : [p.name]));
}

/** Throws with a message naming the parameter when `set` is not a valid point of `space`. */
export function assertInSpace(space: ParameterSpace, set: ParameterSet): void {
  for (const p of space.parameters) {
    const v = set[p.name];
    if (v === undefined) throw new Error(`parameter "${p.name}" is missing`);
    if (p.kind === 'categorical') {
      if (typeof v !== 'string' || !p.choices.includes(v)) {
        throw new Error(`parameter "${p.name}": "${String(v)}" is not one of ${p.choices.join(', ')}`);
      }
    } else {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`parameter "${p.name}": ${String(v)} is not a number`);
      if (v < p.low || v > p.high) throw new Error(`parameter "${p.name}": ${v} is outside [${p.low}, ${p.high}]`);
      if (p.kind === 'integer' && !Number.isInteger(v)) throw new Error(`parameter "${p.name}": ${v} is not a whole number`);
    }
  }
}

/**
 * Encodes a point into [0, 1]^d: numeric parameters as (v − low)/(high − low) (0.5 when low = high), or
 * (ln v − ln low)/(ln high − ln low) when marked `log`; categoricals one-hot.
 */
export function encodeToUnitCube(space: ParameterSpace, set: ParameterSet): number[] {
  const out: number[] = [];
  for (const p of space.parameters) {
    const v = set[p.name];
    if (p.kind === 'categorical') {
      const index = p.choices.indexOf(String(v));
      if (index < 0) throw new Error(`parameter "${p.name}": "${String(v)}" is not one of ${p.choices.join(', ')}`);
      for (let i = 0; i < p.choices.length; i++) out.push(i === index ? 1 : 0);
    } else {
      const x = Number(v);
      out.push(p.high === p.low ? 0.5 : p.log ? (Math.log(x) - Math.log(p.low)) / (Math.log(p.high) - Math.log(p.low)) : (x - p.low) / (p.high - p.low));
    }
  }
  return out;
}

/**
 * Decodes a unit-cube vector back to a valid point: numeric coordinates are clipped to [0, 1] and scaled,
 * integers rounded to the nearest whole number, categoricals take the largest one-hot coordinate (the
 * first on ties). decode(encode(x)) = x for every valid x.
 */
export function decodeFromUnitCube(space: ParameterSpace, u: readonly number[]): Record<string, ParameterValue> {
  const expected = encodedDimension(space);
  if (u.length !== expected) throw new Error(`encoded vector has ${u.length} coordinates, the space needs ${expected}`);
  const out: Record<string, ParameterValue> = {};
  let k = 0;
  for (const p of space.parameters) {
    if (p.kind === 'categorical') {
      let best = 0;
      for (let i = 1; i < p.choices.length; i++) if (u[k + i] > u[k + best]) best = i;
      out[p.name] = p.choices[best];
      k += p.choices.length;
    } else {
      const t = Math.min(1, Math.max(0, u[k++]));
      const x = p.log && p.high > p.low ? Math.exp(Math.log(p.low) + t * (Math.log(p.high) - Math.log(p.low))) : p.low + t * (p.high - p.low);
      out[p.name] = p.kind === 'integer' ? Math.min(p.high, Math.max(p.low, Math.round(x))) : Math.min(p.high, Math.max(p.low, x));
    }
  }
  return out;
}

/** Clips numeric values into bounds and rounds integers; categoricals must already be valid. */
export function clampToSpace(space: ParameterSpace, set: ParameterSet): Record<string, ParameterValue> {
  const out: Record<string, ParameterValue> = { ...set };
  for (const p of space.parameters) {
    if (p.kind === 'categorical') continue;
    let x = Math.min(p.high, Math.max(p.low, Number(set[p.name])));
    if (p.kind === 'integer') x = Math.min(p.high, Math.max(p.low, Math.round(x)));
    out[p.name] = x;
  }
  return out;
}

/** A stable text key for a parameter set (fixed key order, numbers at full precision): for de-duplication. */
export function parameterSetKey(space: ParameterSpace, set: ParameterSet): string {
  return space.parameters.map((p) => `${p.name}=${String(set[p.name])}`).join('|');
}
