import type { Matrix } from './matrix';

/**
 * Input checks with messages that name the function and the argument, so a bad embedding file surfaces
 * as "scoreIteration: argument `synthetic` has NaN at row 3, column 17" rather than a NaN score.
 */

export function assertFiniteMatrix(fn: string, arg: string, m: Matrix): void {
  if (!m || typeof m.rows !== 'number' || typeof m.cols !== 'number' || !m.data) {
    throw new TypeError(`${fn}: argument \`${arg}\` is not a matrix ({ rows, cols, data })`);
  }
  if (m.data.length !== m.rows * m.cols) {
    throw new Error(`${fn}: argument \`${arg}\` claims ${m.rows}×${m.cols} but holds ${m.data.length} values`);
  }
  if (m.cols < 1) throw new Error(`${fn}: argument \`${arg}\` has no columns`);
  const data = m.data;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const row = Math.floor(i / m.cols);
      throw new Error(`${fn}: argument \`${arg}\` has ${data[i]} at row ${row}, column ${i - row * m.cols}`);
    }
  }
}

/** Finite values and at least `min` rows; `why` says which estimator needs them. */
export function assertSample(fn: string, arg: string, m: Matrix, min: number, why: string): void {
  assertFiniteMatrix(fn, arg, m);
  if (m.rows < min) throw new Error(`${fn}: argument \`${arg}\` has ${m.rows} row(s); needs at least ${min} (${why})`);
}

export function assertSameDimension(fn: string, aName: string, a: Matrix, bName: string, b: Matrix): void {
  if (a.cols !== b.cols) {
    throw new Error(`${fn}: arguments \`${aName}\` (${a.cols} columns) and \`${bName}\` (${b.cols} columns) differ in dimension`);
  }
}

export function assertPositiveFinite(fn: string, arg: string, value: number): void {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
    throw new Error(`${fn}: argument \`${arg}\` must be a finite number > 0, got ${value}`);
  }
}

export function assertIntegerInRange(fn: string, arg: string, value: number, low: number, high: number): void {
  if (!Number.isInteger(value) || value < low || value > high) {
    throw new Error(`${fn}: option \`${arg}\` = ${value} must be an integer in ${low}..${high}`);
  }
}
