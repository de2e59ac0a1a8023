import type { Matrix } from './matrix';

/**
 * Inner products between rows, the one O(n·m·D) kernel under every distance-based metric.
 *
 * Accumulation is in Float64 (a Float32 × Float32 product is exact in Float64), each entry summed
 * sequentially over the D coordinates. Tiles of 4 rows × 4 rows keep 8 inputs and 16 sums in registers:
 * measured here (Node 20, D = 768, 316 rows) ~0.9 G multiply-adds/s for the plain loop and ~2 tiled; tile
 * shapes from 2×4 to 4×4 are within 10 % of each other. tfjs's cpu backend takes ~6–10× longer for the
 * same Gram matrix (bench/metrics.ts prints the comparison).
 *
 * Bit-exactness that the metrics rely on: every entry, tiled or not, and every squared norm is the same
 * left-to-right sum Σ_t x_t·y_t, so for identical rows x·y == ‖x‖² == ‖y‖² exactly and
 * ‖x‖² + ‖y‖² − 2x·y is exactly 0 (a duplicated sample is at distance 0, not 1e-8).
 */

/**
 * The kernel only ever reads Float64Array: rows are converted (exactly) in chunks of this many rows. One
 * element type keeps V8's loads monomorphic — fed both Float32 and Float64 arrays in one process, the
 * same loop ran ~1.5× slower here. Chunks also bound the scratch memory (2048 × 768 × 8 B = 12.6 MB).
 */
const chunkRows = 2048;

function float64Rows(m: Matrix, start: number, count: number): Float64Array {
  const from = start * m.cols;
  const to = (start + count) * m.cols;
  return m.data instanceof Float64Array ? m.data.subarray(from, to) : Float64Array.from(m.data.subarray(from, to));
}

/** ‖x_i‖² for every row, summed in the same order as the inner products. */
export function squaredNorms(x: Matrix): Float64Array {
  const { rows, cols } = x;
  const out = new Float64Array(rows);
  for (let i0 = 0; i0 < rows; i0 += chunkRows) {
    const count = Math.min(chunkRows, rows - i0);
    const data = float64Rows(x, i0, count);
    for (let i = 0; i < count; i++) {
      const o = i * cols;
      let s = 0;
      for (let t = 0; t < cols; t++) s += data[o + t] * data[o + t];
      out[i0 + i] = s;
    }
  }
  return out;
}

/** G[i·n + j] = x_i · x_j for all i, j (symmetric n×n); computes the upper triangle and mirrors it. */
export function gramMatrix(x: Matrix): Float64Array {
  const n = x.rows;
  const out = new Float64Array(n * n);
  for (let i0 = 0; i0 < n; i0 += chunkRows) {
    const ni = Math.min(chunkRows, n - i0);
    const xi = float64Rows(x, i0, ni);
    for (let j0 = i0; j0 < n; j0 += chunkRows) {
      const nj = Math.min(chunkRows, n - j0);
      const xj = j0 === i0 ? xi : float64Rows(x, j0, nj);
      tileProducts(xi, ni, xj, nj, x.cols, j0 === i0, { out, stride: n, row0: i0, col0: j0, mirror: true });
    }
  }
  return out;
}

/** C[i·m + j] = a_i · b_j (a: n×D, b: m×D). */
export function crossInnerProducts(a: Matrix, b: Matrix): Float64Array {
  if (a.cols !== b.cols) throw new Error(`crossInnerProducts: ${a.cols} vs ${b.cols} columns`);
  const m = b.rows;
  const out = new Float64Array(a.rows * m);
  for (let i0 = 0; i0 < a.rows; i0 += chunkRows) {
    const ni = Math.min(chunkRows, a.rows - i0);
    const xa = float64Rows(a, i0, ni);
    for (let j0 = 0; j0 < m; j0 += chunkRows) {
      const nj = Math.min(chunkRows, m - j0);
      tileProducts(xa, ni, float64Rows(b, j0, nj), nj, a.cols, false, { out, stride: m, row0: i0, col0: j0, mirror: false });
    }
  }
  return out;
}

interface Target {
  out: Float64Array;
  stride: number;
  row0: number;
  col0: number;
  /** Also write the transposed entry (Gram matrices). */
  mirror: boolean;
}

/**
 * Writes x_i · y_j for every pair (only j ≥ i when `upper`) to target.out[(row0+i)·stride + col0+j].
 * Full 4×4 tiles run the unrolled kernel; the ragged edge (at most 3 rows each way) the scalar loop.
 */
function tileProducts(x: Float64Array, n: number, y: Float64Array, m: number, d: number, upper: boolean, target: Target): void {
  const { out, stride, row0, col0, mirror } = target;
  const put = (i: number, j: number, s: number) => {
    out[(row0 + i) * stride + col0 + j] = s;
    if (mirror) out[(col0 + j) * stride + row0 + i] = s;
  };
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
      // In a diagonal tile (upper, j === i) the entries below the diagonal are mirrors; writing them
      // again writes the same values.
      put(i, j, s00); put(i, j + 1, s01); put(i, j + 2, s02); put(i, j + 3, s03);
      put(i + 1, j, s10); put(i + 1, j + 1, s11); put(i + 1, j + 2, s12); put(i + 1, j + 3, s13);
      put(i + 2, j, s20); put(i + 2, j + 1, s21); put(i + 2, j + 2, s22); put(i + 2, j + 3, s23);
      put(i + 3, j, s30); put(i + 3, j + 1, s31); put(i + 3, j + 2, s32); put(i + 3, j + 3, s33);
    }
  }
  // Ragged edge: rows i ≥ nFull against everything, and columns j ≥ mFull against rows < nFull.
  const scalar = (i: number, j: number) => {
    const o = i * d;
    const p = j * d;
    let s = 0;
    for (let t = 0; t < d; t++) s += x[o + t] * y[p + t];
    put(i, j, s);
  };
  for (let i = 0; i < nFull; i++) for (let j = Math.max(mFull, upper ? i : 0); j < m; j++) scalar(i, j);
  for (let i = nFull; i < n; i++) for (let j = upper ? i : 0; j < m; j++) scalar(i, j);
}
