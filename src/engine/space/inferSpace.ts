import { defineSpace, type ParameterSpace, type ParameterSpec } from './space';

/**
 * A parameter space read off parameter values a user already has (their existing synthetic batch), for
 * them to confirm or edit: a column of numbers becomes a numeric parameter (int when every value is
 * whole), any other column a categorical one with its values as choices in order of appearance.
 *
 * Numeric ranges are widened by `margin` × the observed range on each side, so the optimizer may look a
 * little beyond what was tried; a column whose values are all ≥ 0 is not widened below 0 (counts, sizes
 * and rates rarely mean anything negative). A constant column is widened by `margin` × |value| (or by
 * `margin` when the value is 0). Int bounds are rounded outwards.
 */
export const INFER_MARGIN = 0.1;

export interface ParameterColumn {
  name: string;
  values: readonly (number | string)[];
}

export function inferSpace(columns: readonly ParameterColumn[], margin = INFER_MARGIN): ParameterSpace {
  return defineSpace(columns.map((c) => inferParameter(c, margin)));
}

function inferParameter({ name, values }: ParameterColumn, margin: number): ParameterSpec {
  if (values.length === 0 || values.some((v) => typeof v !== 'number')) {
    return { kind: 'categorical', name, choices: [...new Set(values.map(String))] };
  }
  const numbers = values as readonly number[];
  let min = Infinity;
  let max = -Infinity;
  for (const v of numbers) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const pad = max > min ? margin * (max - min) : margin * (Math.abs(min) || 1);
  let low = min - pad;
  const high = max + pad;
  if (min >= 0) low = Math.max(0, low);
  if (numbers.every(Number.isInteger)) return { kind: 'integer', name, low: Math.floor(low), high: Math.ceil(high) };
  return { kind: 'continuous', name, low: roundBound(low, 'down'), high: roundBound(high, 'up') };
}

/** A bound rounded outwards to 4 significant digits, so the confirmation shows 0.2733 rather than 0.27329999. */
function roundBound(value: number, direction: 'down' | 'up'): number {
  // Float noise first (0.2 + 0.019 is 0.21900000000000003), so it is not rounded outwards as a digit.
  const x = Number(value.toPrecision(12));
  if (x === 0) return 0;
  const scale = 10 ** (Math.floor(Math.log10(Math.abs(x))) - 3);
  const r = (direction === 'down' ? Math.floor(x / scale) : Math.ceil(x / scale)) * scale;
  return Number(r.toPrecision(4));
}
