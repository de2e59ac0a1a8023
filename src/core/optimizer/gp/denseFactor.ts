/**
 * Allocation-free dense Cholesky kernels for the hyperparameter fit's inner loop (one factorisation and
 * one inverse per marginal-likelihood evaluation, ~50 evaluations per fit). They write into buffers the
 * caller owns, so a fit reuses the same n×n arrays instead of allocating three per evaluation, and the
 * inverse fills only the lower triangle (the gradient reads no more). Same arithmetic and the same
 * jitter escalation as core/linalg/cholesky.ts (GPyTorch's psd_safe_cholesky rule).
 */

/**
 * Lower Cholesky factor of the symmetric matrix whose lower triangle is in `a` (row-major n×n), written
 * to `L` (strict upper triangle left untouched: callers read only the lower triangle). On a non-positive
 * pivot retries with jitter·I, jitter = 1e-10·mean(diag a), ×10 per retry, 8 retries at most.
 * Returns the jitter used, or −1 when no jitter made it positive definite.
 */
export function choleskyLowerInto(a: Float64Array, n: number, L: Float64Array): number {
  if (factorLower(a, n, L, 0)) return 0;
  let meanDiagonal = 0;
  for (let i = 0; i < n; i++) meanDiagonal += Math.abs(a[i * n + i]);
  meanDiagonal = n > 0 ? meanDiagonal / n : 1;
  if (!(meanDiagonal > 0)) meanDiagonal = 1;
  let jitter = 1e-10 * meanDiagonal;
  for (let attempt = 0; attempt < 8; attempt++, jitter *= 10) if (factorLower(a, n, L, jitter)) return jitter;
  return -1;
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

/** Cholesky–Banachiewicz (row i from rows < i, inner loop contiguous). */
function factorLower(a: Float64Array, n: number, L: Float64Array, jitter: number): boolean {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = a[ri + j] - dot(L, ri, L, rj, j);
      if (i === j) {
        s += jitter;
        if (!(s > 0)) return false;
        L[ri + i] = Math.sqrt(s);
      } else {
        L[ri + j] = s / L[rj + j];
      }
    }
  }
  return true;
}

/** Solves L·x = b in place (forward substitution), L lower row-major. */
export function forwardSubstitute(L: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    b[i] = (b[i] - dot(L, ri, b, 0, i)) / L[ri + i];
  }
}

/** Solves U·x = b in place (back substitution), U upper row-major (e.g. Lᵀ stored by rows). */
export function backSubstituteUpper(U: Float64Array, n: number, b: Float64Array): void {
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * n;
    b[i] = (b[i] - dot(U, ri + i + 1, b, i + 1, n - i - 1)) / U[ri + i];
  }
}

/** Lᵀ as a row-major upper-triangular matrix, so back substitution reads rows contiguously. */
export function transposeLower(L: Float64Array, n: number): Float64Array {
  const U = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) U[j * n + i] = L[i * n + j];
  return U;
}

/**
 * Lower triangle of A⁻¹ = L⁻ᵀL⁻¹ into `inverse`, with `scratch` (n×n) for U = L⁻ᵀ (row j of U is
 * column j of L⁻¹: U_ji = (δ_ij − Σ_{k=j}^{i−1} L_ik U_jk)/L_ii), then (A⁻¹)_ij = Σ_{k≥i} U_ik U_jk for
 * j ≤ i. n³/3 multiply-adds after the factorisation.
 */
export function inverseLowerInto(L: Float64Array, n: number, scratch: Float64Array, inverse: Float64Array): void {
  const U = scratch;
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    for (let i = j; i < n; i++) {
      const ri = i * n;
      U[rj + i] = ((i === j ? 1 : 0) - dot(L, ri + j, U, rj + j, i - j)) / L[ri + i];
    }
  }
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      inverse[ri + j] = dot(U, ri + i, U, rj + i, n - i);
    }
  }
}
