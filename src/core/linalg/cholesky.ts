import type { Matrix } from './matrix';

/**
 * Dense Float64 Cholesky factorisation and triangular solves, for the small symmetric positive
 * definite systems of Gaussian-process regression (n ≤ a few hundred). tfjs 4.22 has no Cholesky,
 * so this is plain row-major loops; at n = 96 a factorisation takes well under a millisecond.
 */

export interface CholeskyFactor {
  /** Lower-triangular L with A + jitter·I = L·Lᵀ, row-major n×n (the strict upper triangle is zero). */
  readonly L: Float64Array;
  readonly n: number;
  /** The diagonal jitter that made A factorisable (0 when it was positive definite as given). */
  readonly jitter: number;
}

export class NotPositiveDefiniteError extends Error {
  constructor(n: number, jitter: number) {
    super(`matrix ${n}×${n} is not positive definite even with diagonal jitter ${jitter.toExponential(2)}`);
    this.name = 'NotPositiveDefiniteError';
  }
}

/**
 * Factorises `a` (row-major n×n, symmetric; only the lower triangle is read) into `out`.
 * Returns false on a non-positive pivot (the matrix is not numerically positive definite).
 * Cholesky–Banachiewicz order: row i uses rows < i, inner loop contiguous in memory.
 */
export function choleskyInPlace(a: Float64Array, n: number, out: Float64Array, jitter = 0): boolean {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = a[ri + j];
      for (let k = 0; k < j; k++) s -= out[ri + k] * out[rj + k];
      if (i === j) {
        s += jitter;
        if (!(s > 0)) return false;
        out[ri + i] = Math.sqrt(s);
      } else {
        out[ri + j] = s / out[rj + j];
      }
    }
    for (let j = i + 1; j < n; j++) out[ri + j] = 0;
  }
  return true;
}

export interface CholeskyOptions {
  /** First jitter tried after a failure, relative to the mean diagonal. Default 1e-10. */
  initialRelativeJitter?: number;
  /** Jitter grows ×10 per retry, at most this many retries. Default 8 (up to 1e-3 relative). */
  maxRetries?: number;
}

/**
 * Cholesky with jitter escalation (as GPyTorch's psd_safe_cholesky): try A as is; on failure add
 * jitter·I with jitter = 1e-10·mean(diag A), ×10 per retry. Throws NotPositiveDefiniteError when
 * even the largest jitter fails (e.g. NaN entries).
 */
export function cholesky(a: Matrix<Float64Array> | Float64Array, nOrOptions?: number | CholeskyOptions, options: CholeskyOptions = {}): CholeskyFactor {
  let data: Float64Array;
  let n: number;
  if (a instanceof Float64Array) {
    if (typeof nOrOptions !== 'number') throw new Error('cholesky: a flat array needs its size n');
    data = a;
    n = nOrOptions;
  } else {
    if (a.rows !== a.cols) throw new Error(`cholesky: matrix is ${a.rows}×${a.cols}, not square`);
    data = a.data;
    n = a.rows;
    if (typeof nOrOptions === 'object') options = nOrOptions;
  }
  if (data.length !== n * n) throw new Error(`cholesky: ${data.length} values for a ${n}×${n} matrix`);
  const L = new Float64Array(n * n);
  if (choleskyInPlace(data, n, L, 0)) return { L, n, jitter: 0 };
  let meanDiagonal = 0;
  for (let i = 0; i < n; i++) meanDiagonal += Math.abs(data[i * n + i]);
  meanDiagonal = n > 0 ? meanDiagonal / n : 1;
  if (!(meanDiagonal > 0)) meanDiagonal = 1;
  let jitter = (options.initialRelativeJitter ?? 1e-10) * meanDiagonal;
  const retries = options.maxRetries ?? 8;
  for (let attempt = 0; attempt < retries; attempt++, jitter *= 10) {
    if (choleskyInPlace(data, n, L, jitter)) return { L, n, jitter };
  }
  throw new NotPositiveDefiniteError(n, jitter / 10);
}

/** Solves L·x = b in place (forward substitution). */
export function solveLowerInPlace(L: Float64Array, n: number, b: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[ri + k] * b[k];
    b[i] = s / L[ri + i];
  }
  return b;
}

/** Solves Lᵀ·x = b in place (back substitution with the transpose of a row-major lower L). */
export function solveUpperTransposedInPlace(L: Float64Array, n: number, b: Float64Array): Float64Array {
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * b[k];
    b[i] = s / L[i * n + i];
  }
  return b;
}

/** x = A⁻¹·b from the factor of A (two triangular solves); returns a new array. */
export function choleskySolve(factor: CholeskyFactor, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(b);
  solveLowerInPlace(factor.L, factor.n, x);
  return solveUpperTransposedInPlace(factor.L, factor.n, x);
}

/** log det A = 2 Σ log L_ii. */
export function logDeterminant(factor: CholeskyFactor): number {
  let s = 0;
  for (let i = 0; i < factor.n; i++) s += Math.log(factor.L[i * factor.n + i]);
  return 2 * s;
}

/**
 * (L⁻¹)ᵀ, upper triangular, row-major: row j is column j of L⁻¹, found by forward substitution on
 * the unit vector e_j: U_ji = (δ_ij − Σ_{k=j}^{i−1} L_ik U_jk) / L_ii. Rows of both L and U are read
 * contiguously.
 */
export function lowerInverseTransposed(factor: CholeskyFactor): Float64Array {
  const { L, n } = factor;
  const U = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    for (let i = j; i < n; i++) {
      const ri = i * n;
      let s = i === j ? 1 : 0;
      for (let k = j; k < i; k++) s -= L[ri + k] * U[rj + k];
      U[rj + i] = s / L[ri + i];
    }
  }
  return U;
}

/** A⁻¹ = L⁻ᵀ·L⁻¹ (symmetric, full), from the factor of A: (A⁻¹)_ij = Σ_{k ≥ max(i,j)} U_ik U_jk. */
export function choleskyInverse(factor: CholeskyFactor): Float64Array {
  const n = factor.n;
  const U = lowerInverseTransposed(factor);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = 0;
      for (let k = i; k < n; k++) s += U[ri + k] * U[rj + k];
      inv[ri + j] = s;
      inv[rj + i] = s;
    }
  }
  return inv;
}

/**
 * Extends the factor of an n×n matrix A to the (n+1)×(n+1) matrix [[A, c], [cᵀ, d]] in O(n²):
 * l = L⁻¹c, λ = √(d − lᵀl). Used to add fantasy observations without refactorising.
 * Returns null when the new pivot is not positive (the new row is numerically dependent).
 */
export function appendToCholesky(factor: CholeskyFactor, column: ArrayLike<number>, diagonal: number): CholeskyFactor | null {
  const { L, n } = factor;
  const m = n + 1;
  const l = Float64Array.from(column);
  solveLowerInPlace(L, n, l);
  let s = diagonal + factor.jitter;
  for (let k = 0; k < n; k++) s -= l[k] * l[k];
  if (!(s > 0)) return null;
  const out = new Float64Array(m * m);
  for (let i = 0; i < n; i++) out.set(L.subarray(i * n, i * n + i + 1), i * m);
  out.set(l, n * m);
  out[n * m + n] = Math.sqrt(s);
  return { L: out, n: m, jitter: factor.jitter };
}
