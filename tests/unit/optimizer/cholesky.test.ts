import { describe, expect, it } from 'vitest';
import {
  appendToCholesky,
  cholesky,
  choleskyInverse,
  choleskySolve,
  logDeterminant,
  NotPositiveDefiniteError,
} from '../../../src/engine/linalg/cholesky';
import { fromRows } from '../../../src/engine/linalg/matrix';
import { createRng } from '../../../src/engine/random/rng';

function randomSpd(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const B = Array.from({ length: n }, () => Array.from({ length: n }, () => rng.normal()));
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = i === j ? 0.5 : 0;
      for (let k = 0; k < n; k++) s += B[i][k] * B[j][k];
      A[i * n + j] = s;
    }
  return A;
}

function multiply(A: Float64Array, x: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i] += A[i * n + j] * x[j];
  return out;
}

describe('cholesky', () => {
  it('factorises a known matrix exactly (A = LLᵀ)', () => {
    const A = fromRows([
      [4, 12, -16],
      [12, 37, -43],
      [-16, -43, 98],
    ]);
    const { L, jitter } = cholesky(A);
    expect(jitter).toBe(0);
    expect(Array.from(L)).toEqual([2, 0, 0, 6, 1, 0, -8, 5, 3]);
    expect(logDeterminant(cholesky(A))).toBeCloseTo(Math.log(36), 12);
  });

  it('solves and inverts a random SPD system to 1e-10', () => {
    const n = 30;
    const A = randomSpd(n, 1);
    const factor = cholesky(A, n);
    const b = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
    const x = choleskySolve(factor, b);
    const back = multiply(A, x, n);
    for (let i = 0; i < n; i++) expect(back[i]).toBeCloseTo(b[i], 10);
    const inv = choleskyInverse(factor);
    for (let i = 0; i < n; i++) {
      const e = new Float64Array(n);
      e[i] = 1;
      const col = multiply(A, Float64Array.from({ length: n }, (_, k) => inv[k * n + i]), n);
      for (let k = 0; k < n; k++) expect(col[k]).toBeCloseTo(e[k], 9);
    }
  });

  it('escalates jitter on a singular matrix and reports it', () => {
    // Rank one: [1 1; 1 1].
    const factor = cholesky(fromRows([
      [1, 1],
      [1, 1],
    ]));
    expect(factor.jitter).toBeGreaterThan(0);
    expect(factor.jitter).toBeLessThan(1e-3);
  });

  it('throws a clear error when no jitter helps', () => {
    expect(() => cholesky(fromRows([[Number.NaN]]))).toThrow(NotPositiveDefiniteError);
    expect(() => cholesky(fromRows([[-1, 0], [0, -1]]))).toThrow(/not positive definite/);
  });

  it('appends a row in O(n²) equal to refactorising the bordered matrix', () => {
    const n = 12;
    const A = randomSpd(n + 1, 7);
    const inner = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) inner[i * n + j] = A[i * (n + 1) + j];
    const column = Float64Array.from({ length: n }, (_, i) => A[i * (n + 1) + n]);
    const appended = appendToCholesky(cholesky(inner, n), column, A[n * (n + 1) + n]);
    const direct = cholesky(A, n + 1);
    expect(appended).not.toBeNull();
    for (let k = 0; k < (n + 1) ** 2; k++) expect(appended!.L[k]).toBeCloseTo(direct.L[k], 10);
  });
});
