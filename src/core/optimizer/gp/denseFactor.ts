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

/** Cholesky–Banachiewicz (row i from rows < i, inner loop contiguous). */
function factorLower(a: Float64Array, n: number, L: Float64Array, jitter: number): boolean {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = a[ri + j];
      for (let k = 0; k < j; k++) s -= L[ri + k] * L[rj + k];
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
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[ri + k] * b[k];
    b[i] = s / L[ri + i];
  }
}

/** Solves U·x = b in place (back substitution), U upper row-major (e.g. Lᵀ stored by rows). */
export function backSubstituteUpper(U: Float64Array, n: number, b: Float64Array): void {
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * n;
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= U[ri + k] * b[k];
    b[i] = s / U[ri + i];
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
      let s = i === j ? 1 : 0;
      for (let k = j; k < i; k++) s -= L[ri + k] * U[rj + k];
      U[rj + i] = s / L[ri + i];
    }
  }
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = 0;
      for (let k = i; k < n; k++) s += U[ri + k] * U[rj + k];
      inverse[ri + j] = s;
    }
  }
}
