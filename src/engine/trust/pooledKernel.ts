import { gramMatrix } from '../linalg/innerProducts';
import { vstack, type Matrix } from '../linalg/matrix';

/**
 * The Gaussian kernel matrix of the confirmation test, computed once and then only indexed: the
 * permutation test, the bootstrap and the real-vs-real floor all re-split the same N = n + m points, so
 * their cost is O(P·N²) lookups after one O(N²·D) pass.
 *
 * Kernel: the experiment's fixed k(x, y) = exp(−‖x − y‖²/(2σ²)) (metrics/kernelTwoSample.ts), with
 * ‖x − y‖² = ‖x‖² + ‖y‖² − 2x·y from the Gram matrix (whose diagonal is summed in the same order as the
 * products, so a duplicated row is at distance exactly 0), clamped at 0.
 */
export interface KernelMatrix {
  /** size × size, row-major, symmetric, diagonal 1. */
  readonly values: Float64Array;
  readonly size: number;
}

export function gaussianKernelMatrix(x: Matrix, bandwidth: number): KernelMatrix {
  const size = x.rows;
  const gram = gramMatrix(x);
  const scale = -1 / (2 * bandwidth * bandwidth);
  const values = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    values[i * size + i] = 1;
    const gii = gram[i * size + i];
    for (let j = i + 1; j < size; j++) {
      const sq = Math.max(0, gii + gram[j * size + j] - 2 * gram[i * size + j]);
      const k = Math.exp(sq * scale);
      values[i * size + j] = k;
      values[j * size + i] = k;
    }
  }
  return { values, size };
}

/** The kernel of the pooled sample: rows 0..n−1 are the real set, rows n..n+m−1 the synthetic set. */
export function pooledKernel(real: Matrix, synthetic: Matrix, bandwidth: number): KernelMatrix {
  return gaussianKernelMatrix(vstack([real, synthetic]), bandwidth);
}

/** Σ_{i<j} K_ij over every pair of the kernel's points (constant under any re-split of them). */
export function pairTotal(kernel: KernelMatrix): number {
  const { values, size } = kernel;
  let total = 0;
  for (let i = 0; i < size; i++) for (let j = i + 1; j < size; j++) total += values[i * size + j];
  return total;
}

/** Σ_{a<b} K[idx_a, idx_b] over the pairs of idx[from..to). */
function withinSum(values: Float64Array, size: number, idx: Int32Array, from: number, to: number): number {
  let s = 0;
  for (let a = from; a < to; a++) {
    const row = idx[a] * size;
    for (let b = a + 1; b < to; b++) s += values[row + idx[b]];
  }
  return s;
}

/**
 * Unbiased MMD² (Gretton et al., JMLR 2012, eq. 3) of one split of the kernel's points: X = the first
 * `n` entries of `order`, Y = the next `m`, with `total` = pairTotal of exactly those n + m points:
 *   MMD²_u = 2·S_XX/(n(n−1)) + 2·S_YY/(m(m−1)) − 2·S_XY/(nm),   S_XY = total − S_XX − S_YY,
 * where S_XX, S_YY sum over unordered pairs within a side. Every statistic of the confirmation test —
 * observed, permuted, real-vs-real — goes through this one function, so equal splits give equal bits.
 */
export function splitMmd2(kernel: KernelMatrix, order: Int32Array, n: number, m: number, total: number): number {
  const { values, size } = kernel;
  const sxx = withinSum(values, size, order, 0, n);
  const syy = withinSum(values, size, order, n, n + m);
  const sxy = total - sxx - syy;
  return (2 * sxx) / (n * (n - 1)) + (2 * syy) / (m * (m - 1)) - (2 * sxy) / (n * m);
}

/** 0, 1, …, count − 1. */
export function identityOrder(count: number): Int32Array {
  return Int32Array.from({ length: count }, (_, i) => i);
}
