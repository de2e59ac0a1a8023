import type { Matrix } from './matrix';

/**
 * Inner products between rows, the one O(n·m·D) kernel under every distance-based metric.
 *
 * Accumulation is in Float64 (a Float32 × Float32 product is exact in Float64), each entry summed
 * sequentially over the D coordinates. Tiles of 4 rows × 4 rows keep 8 inputs and 16 sums in registers:
 * measured here (Node 20, D = 768, 316 rows) 0.9 GMAC/s for the plain loop and 1.8 GMAC/s tiled, while
 * tfjs's cpu backend takes ~10× longer for the same Gram matrix (see bench/metrics.ts).
 *
 * Bit-exactness that the metrics rely on: every entry, tiled or not, and every squared norm is the same
 * left-to-right sum Σ_t x_t·y_t, so for identical rows x·y == ‖x‖² == ‖y‖² exactly and
 * ‖x‖² + ‖y‖² − 2x·y is exactly 0 (a duplicated sample is at distance 0, not 1e-8).
 */

/** ‖x_i‖² for every row, summed in the same order as the inner products. */
export function squaredNorms(x: Matrix): Float64Array {
  const { rows, cols, data } = x;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    let s = 0;
    for (let t = 0; t < cols; t++) s += data[o + t] * data[o + t];
    out[i] = s;
  }
  return out;
}

/** G[i·n + j] = x_i · x_j for all i, j (symmetric n×n); computes the upper triangle and mirrors it. */
export function gramMatrix(x: Matrix): Float64Array {
  const n = x.rows;
  const out = new Float64Array(n * n);
  forEachTile(x, x, true, (i, j, s) => {
    out[i * n + j] = s;
    out[j * n + i] = s;
  });
  return out;
}

/** C[i·m + j] = a_i · b_j (a: n×D, b: m×D). */
export function crossInnerProducts(a: Matrix, b: Matrix): Float64Array {
  if (a.cols !== b.cols) throw new Error(`crossInnerProducts: ${a.cols} vs ${b.cols} columns`);
  const m = b.rows;
  const out = new Float64Array(a.rows * m);
  forEachTile(a, b, false, (i, j, s) => {
    out[i * m + j] = s;
  });
  return out;
}

/**
 * Calls emit(i, j, a_i·b_j) for every pair (only j ≥ i when `upper`). Full 4×4 tiles run the unrolled
 * kernel; the ragged edge (at most 3 rows each way) runs the scalar loop.
 */
function forEachTile(a: Matrix, b: Matrix, upper: boolean, emit: (i: number, j: number, s: number) => void): void {
  const d = a.cols;
  const x = a.data;
  const y = b.data;
  const n = a.rows;
  const m = b.rows;
  const nFull = n - (n % 4);
  const mFull = m - (m % 4);
  for (let i = 0; i < nFull; i += 4) {
    const o0 = i * d;
    const o1 = o0 + d;
    const o2 = o1 + d;
    const o3 = o2 + d;
    for (let j = upper ? i : 0; j < mFull; j += 4) {
      const p0 = j * d;
      const p1 = p0 + d;
      const p2 = p1 + d;
      const p3 = p2 + d;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0;
      let s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0;
      let s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let t = 0; t < d; t++) {
        const x0 = x[o0 + t], x1 = x[o1 + t], x2 = x[o2 + t], x3 = x[o3 + t];
        const y0 = y[p0 + t], y1 = y[p1 + t], y2 = y[p2 + t], y3 = y[p3 + t];
        s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
        s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
        s20 += x2 * y0; s21 += x2 * y1; s22 += x2 * y2; s23 += x2 * y3;
        s30 += x3 * y0; s31 += x3 * y1; s32 += x3 * y2; s33 += x3 * y3;
      }
      // In a diagonal tile (upper, j === i) the entries below the diagonal are mirrors; emitting them
      // again writes the same values.
      emit(i, j, s00); emit(i, j + 1, s01); emit(i, j + 2, s02); emit(i, j + 3, s03);
      emit(i + 1, j, s10); emit(i + 1, j + 1, s11); emit(i + 1, j + 2, s12); emit(i + 1, j + 3, s13);
      emit(i + 2, j, s20); emit(i + 2, j + 1, s21); emit(i + 2, j + 2, s22); emit(i + 2, j + 3, s23);
      emit(i + 3, j, s30); emit(i + 3, j + 1, s31); emit(i + 3, j + 2, s32); emit(i + 3, j + 3, s33);
    }
  }
  // Ragged edge: rows i ≥ nFull against everything, and columns j ≥ mFull against rows < nFull.
  const scalar = (i: number, j: number) => {
    const o = i * d;
    const p = j * d;
    let s = 0;
    for (let t = 0; t < d; t++) s += x[o + t] * y[p + t];
    emit(i, j, s);
  };
  for (let i = 0; i < nFull; i++) for (let j = Math.max(mFull, upper ? i : 0); j < m; j++) scalar(i, j);
  for (let i = nFull; i < n; i++) for (let j = upper ? i : 0; j < m; j++) scalar(i, j);
}
