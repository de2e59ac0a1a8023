import { describe, expect, it } from 'vitest';
import { ledoitWolfOfRows } from '../../../src/engine/linalg/covariance';
import { crossInnerProducts, gramMatrix, squaredNorms } from '../../../src/engine/linalg/innerProducts';
import { symmetricEigen, symmetricMatrixFunction } from '../../../src/engine/linalg/symmetricEigen';
import { wassersteinPowerSorted } from '../../../src/engine/metrics/slicedWasserstein';
import { quantile } from '../../../src/engine/metrics/summary';
import { splitPlan } from '../../../src/engine/metrics/splits';
import { createRng } from '../../../src/engine/random/rng';
import { gaussianSample } from './fixtures';

/**
 * The kernel's documented summation order (innerProducts.ts): even coordinates left to right, odd
 * coordinates left to right, then the two partial sums. A plain loop in that order must match it bit for bit.
 */
function laneOrderDot(x: ArrayLike<number>, i: number, y: ArrayLike<number>, j: number, dim: number): number {
  let evenSum = 0;
  let oddSum = 0;
  for (let t = 0; t < dim; t++) {
    if (t % 2 === 0) evenSum += x[i * dim + t] * y[j * dim + t];
    else oddSum += x[i * dim + t] * y[j * dim + t];
  }
  return evenSum + oddSum;
}

describe('inner products (WebAssembly SIMD kernel)', () => {
  it.each([[1, 1, 1], [7, 5, 13], [8, 8, 4], [9, 3, 768], [3, 2, 767]])('equal the plain loop in the kernel order exactly for %i × %i rows, D = %i', (n, m, dim) => {
    const a = gaussianSample(`ip-a-${n}`, n, dim);
    const b = gaussianSample(`ip-b-${m}`, m, dim);
    const cross = crossInnerProducts(a, b);
    const gram = gramMatrix(a);
    const dot = (x: Float64Array, i: number, y: Float64Array, j: number) => laneOrderDot(x, i, y, j, dim);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) expect(cross[i * m + j]).toBe(dot(a.data, i, b.data, j));
      for (let j = 0; j < n; j++) expect(gram[i * n + j]).toBe(dot(a.data, i, a.data, j));
    }
  });

  it('agree with a naive sum to rounding (the order differs, the value does not)', () => {
    const a = gaussianSample('ip-naive', 6, 768);
    const gram = gramMatrix(a);
    for (let i = 0; i < 6; i++) {
      let s = 0;
      for (let t = 0; t < 768; t++) s += a.data[i * 768 + t] * a.data[5 * 768 + t];
      expect(Math.abs(gram[i * 6 + 5] - s)).toBeLessThan(1e-12 * 768);
    }
  });

  it('stay exact across the 1,024-row kernel blocks (Float32 input, 2100 rows)', () => {
    const big = gaussianSample('ip-big', 2100, 3);
    const big32 = { rows: 2100, cols: 3, data: Float32Array.from(big.data) };
    const small = { rows: 5, cols: 3, data: Float32Array.from(gaussianSample('ip-small', 5, 3).data) };
    const cross = crossInnerProducts(big32, small);
    const gram = gramMatrix(big32);
    const norms = squaredNorms(big32);
    const dot = (x: Float32Array, i: number, y: Float32Array, j: number) => laneOrderDot(x, i, y, j, 3);
    for (const i of [0, 1023, 1024, 2047, 2048, 2099]) {
      for (let j = 0; j < 5; j++) expect(cross[i * 5 + j]).toBe(dot(big32.data, i, small.data, j));
      for (const j of [0, 1, 1023, 1024, 2047, 2048, 2099]) expect(gram[i * 2100 + j]).toBe(dot(big32.data, i, big32.data, j));
      expect(norms[i]).toBe(gram[i * 2100 + i]);
    }
  });

  it('give ‖x‖² + ‖y‖² − 2x·y = 0 exactly for identical rows (Float32 input)', () => {
    const x = Float32Array.from({ length: 2 * 384 }, (_, i) => Math.sin(i * 12.9898) * 0.05);
    x.copyWithin(384, 0, 384);
    const m = { rows: 2, cols: 384, data: x };
    const g = gramMatrix(m);
    const norms = squaredNorms(m);
    expect(norms[0] + norms[1] - 2 * g[1]).toBe(0);
    expect(g[0]).toBe(norms[0]);
  });
});

describe('symmetric eigendecomposition', () => {
  it('reconstructs A = VΛVᵀ with orthonormal V and descending eigenvalues (n = 1, 2, 9, 40)', () => {
    for (const n of [1, 2, 9, 40]) {
      const r = gaussianSample(`eig-${n}`, n, n);
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = r.data[i * n + j] + r.data[j * n + i];
      const { values, vectors } = symmetricEigen(a, n);
      for (let c = 1; c < n; c++) expect(values[c]).toBeLessThanOrEqual(values[c - 1]);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let reconstructed = 0;
          let gram = 0;
          for (let k = 0; k < n; k++) {
            reconstructed += vectors[i * n + k] * values[k] * vectors[j * n + k];
            gram += vectors[k * n + i] * vectors[k * n + j];
          }
          expect(Math.abs(reconstructed - a[i * n + j])).toBeLessThan(1e-12 * n * 10);
          expect(Math.abs(gram - (i === j ? 1 : 0))).toBeLessThan(1e-12 * n);
        }
      }
    }
  });

  it('handles repeated eigenvalues and the matrix square root', () => {
    const a = Float64Array.from([4, 0, 0, 0, 4, 0, 0, 0, 9]);
    const e = symmetricEigen(a, 3);
    expect(Array.from(e.values)).toEqual([9, 4, 4]);
    const root = symmetricMatrixFunction(e, Math.sqrt);
    expect(Array.from(root).map((v) => +v.toFixed(12))).toEqual([2, 0, 0, 0, 2, 0, 0, 0, 3]);
  });

  it('rejects non-finite entries', () => {
    expect(() => symmetricEigen([1, NaN, NaN, 1], 2)).toThrow(/entry \(1, 0\) is NaN/);
  });
});

describe('small pieces', () => {
  it('Ledoit–Wolf matches sklearn on tiny samples and leaves a multiple of the identity alone', () => {
    // sklearn.covariance.ledoit_wolf: 0 for two points (β = 0 exactly), 0.25144266948746946 for these three.
    expect(ledoitWolfOfRows(Float64Array.from([1, 1, -1, -1]), 2, Int32Array.from([0, 1])).shrinkage).toBe(0);
    const three = ledoitWolfOfRows(Float64Array.from([1, 1, 0, -1, -1, 0.5, 0.3, 0.2, 0.1]), 3, Int32Array.from([0, 1, 2]));
    expect(three.shrinkage).toBeCloseTo(0.25144266948746946, 14);
    const identity = ledoitWolfOfRows(Float64Array.from([1, 0, -1, 0, 0, 1, 0, -1]), 2, Int32Array.from([0, 1, 2, 3]));
    expect(identity.shrinkage).toBe(0);
  });

  it('W_p between 1-D empirical distributions: shifts, unequal sizes', () => {
    expect(wassersteinPowerSorted([0, 1, 2], [1, 2, 3], 1)).toBeCloseTo(1, 15);
    expect(wassersteinPowerSorted([0, 1, 2], [1, 2, 3], 2)).toBeCloseTo(1, 15);
    // δ_0 vs {0, 1}: W1 = 1/2, W2² = 1/2.
    expect(wassersteinPowerSorted([0], [0, 1], 1)).toBe(0.5);
    expect(wassersteinPowerSorted([0], [0, 1], 2)).toBe(0.5);
  });

  it('quantile is numpy type 7', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.05)).toBeCloseTo(1.15, 14);
    expect(quantile([5], 0.95)).toBe(5);
  });

  it('split plans partition the rows; exhaustive plans are all distinct', () => {
    const { splits, exhaustive } = splitPlan(6, 2, 100, createRng(1));
    expect(exhaustive).toBe(true);
    expect(splits).toHaveLength(15);
    expect(new Set(splits.map((s) => Array.from(s.heldOut).join())).size).toBe(15);
    for (const s of splitPlan(16, 3, 50, createRng(2)).splits) {
      expect([...s.reference, ...s.heldOut].sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    }
  });
});
