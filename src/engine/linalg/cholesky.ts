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
 * Σ_{k<len} a[ia + k]·b[ib + k] with four independent partial sums: every inner loop of a Cholesky,
 * an inverse or a triangular solve is such a dot product, and one accumulator chains each addition on
 * the previous one's latency. Four chains run ~2× faster in V8 at n ≈ 100–300 (measured with
 * bench/bo/timing.ts); the rounding differs from a left-to-right sum only in the last bits.
 */
export function dot(a: Float64Array, ia: number, b: Float64Array, ib: number, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < len; k += 4) {
    s0 += a[ia + k] * b[ib + k];
    s1 += a[ia + k + 1] * b[ib + k + 1];
    s2 += a[ia + k + 2] * b[ib + k + 2];
    s3 += a[ia + k + 3] * b[ib + k + 3];
  }
  for (; k < len; k++) s0 += a[ia + k] * b[ib + k];
  return s0 + s1 + (s2 + s3);
}

/**
 * Factorises `a` (row-major n×n, symmetric; only the lower triangle is read) into `out`, which may be a
 * reused buffer (every entry is written; the strict upper triangle is set to zero).
 * Returns false on a non-positive pivot (the matrix is not numerically positive definite).
 * Cholesky–Banachiewicz order: row i uses rows < i, inner loop contiguous in memory.
 */
export function choleskyInPlace(a: Float64Array, n: number, out: Float64Array, jitter = 0): boolean {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = a[ri + j] - dot(out, ri, out, rj, j);
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
  const { factorised, jitter } = choleskyWithJitterInto(data, n, L, options);
  if (!factorised) throw new NotPositiveDefiniteError(n, jitter);
  return { L, n, jitter };
}

/**
 * The jitter escalation of `cholesky` into a caller's buffer (the hyperparameter fit reuses one per
 * evaluation): the jitter that worked, or the largest one tried when none did.
 */
export function choleskyWithJitterInto(a: Float64Array, n: number, out: Float64Array, options: CholeskyOptions = {}): { factorised: boolean; jitter: number } {
  if (choleskyInPlace(a, n, out, 0)) return { factorised: true, jitter: 0 };
  let meanDiagonal = 0;
  for (let i = 0; i < n; i++) meanDiagonal += Math.abs(a[i * n + i]);
  meanDiagonal = n > 0 ? meanDiagonal / n : 1;
  if (!(meanDiagonal > 0)) meanDiagonal = 1;
  let jitter = (options.initialRelativeJitter ?? 1e-10) * meanDiagonal;
  const retries = options.maxRetries ?? 8;
  for (let attempt = 0; attempt < retries; attempt++, jitter *= 10) {
    if (choleskyInPlace(a, n, out, jitter)) return { factorised: true, jitter };
  }
  return { factorised: false, jitter: jitter / 10 };
}

/** Solves L·x = b in place (forward substitution). */
export function solveLowerInPlace(L: Float64Array, n: number, b: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    b[i] = (b[i] - dot(L, ri, b, 0, i)) / L[ri + i];
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

/** Lᵀ as a row-major upper-triangular matrix, so back substitution reads rows contiguously. */
export function transposeLower(L: Float64Array, n: number): Float64Array {
  const U = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) U[j * n + i] = L[i * n + j];
  return U;
}

/** Solves U·x = b in place (back substitution), U upper row-major (e.g. `transposeLower(L)`). */
export function solveUpperInPlace(U: Float64Array, n: number, b: Float64Array): Float64Array {
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * n;
    b[i] = (b[i] - dot(U, ri + i + 1, b, i + 1, n - i - 1)) / U[ri + i];
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
 * (L⁻¹)ᵀ into `U` (n×n, upper triangular, row-major; entries below the diagonal are not written): row j
 * is column j of L⁻¹, found by forward substitution on the unit vector e_j:
 * U_ji = (δ_ij − Σ_{k=j}^{i−1} L_ik U_jk) / L_ii. Rows of both L and U are read contiguously.
 */
function lowerInverseTransposedInto(L: Float64Array, n: number, U: Float64Array): Float64Array {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    for (let i = j; i < n; i++) {
      const ri = i * n;
      U[rj + i] = ((i === j ? 1 : 0) - dot(L, ri + j, U, rj + j, i - j)) / L[ri + i];
    }
  }
  return U;
}

/** (L⁻¹)ᵀ of a factor, upper triangular, row-major (see lowerInverseTransposedInto). */
export function lowerInverseTransposed(factor: CholeskyFactor): Float64Array {
  return lowerInverseTransposedInto(factor.L, factor.n, new Float64Array(factor.n * factor.n));
}

/**
 * Lower triangle of A⁻¹ = L⁻ᵀL⁻¹ into `inverse`, with `scratch` (n×n) for U = L⁻ᵀ:
 * (A⁻¹)_ij = Σ_{k≥i} U_ik U_jk for j ≤ i; n³/3 multiply-adds after the factorisation. Both buffers may
 * be reused (the hyperparameter fit's gradient reads only the lower triangle).
 */
export function inverseLowerInto(L: Float64Array, n: number, scratch: Float64Array, inverse: Float64Array): void {
  const U = lowerInverseTransposedInto(L, n, scratch);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) inverse[ri + j] = dot(U, ri + i, U, j * n + i, n - i);
  }
}

/** A⁻¹ = L⁻ᵀ·L⁻¹ (symmetric, full), from the factor of A. */
export function choleskyInverse(factor: CholeskyFactor): Float64Array {
  const n = factor.n;
  const inv = new Float64Array(n * n);
  inverseLowerInto(factor.L, n, new Float64Array(n * n), inv);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) inv[j * n + i] = inv[i * n + j];
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
