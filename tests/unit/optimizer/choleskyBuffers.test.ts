import { describe, expect, it } from 'vitest';
import {
  cholesky,
  choleskyInverse,
  choleskyWithJitterInto,
  inverseLowerInto,
  solveLowerInPlace,
  solveUpperInPlace,
  transposeLower,
} from '../../../src/engine/linalg/cholesky';
import { negativeLogMarginalLikelihood, MarginalLikelihoodWorkspace } from '../../../src/engine/optimizer/gp/marginalLikelihood';
import { gpInputs, pairwiseGroupDistances } from '../../../src/engine/optimizer/gp/trainingData';
import { createRng } from '../../../src/engine/random/rng';

function randomSpd(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const B = Float64Array.from({ length: n * n }, () => rng.normal());
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = i === j ? 0.5 : 0;
      for (let k = 0; k < n; k++) s += B[i * n + k] * B[j * n + k];
      A[i * n + j] = s;
    }
  return A;
}

describe('Cholesky into reused buffers (the hyperparameter fit’s inner loop)', () => {
  const n = 23;
  const A = randomSpd(n, 3);

  it('a factor and a lower-triangle inverse written over garbage equal fresh ones, and A·A⁻¹ = I', () => {
    // Garbage in the buffers must not leak into the result (they are reused across evaluations).
    const L = new Float64Array(n * n).fill(Number.NaN);
    expect(choleskyWithJitterInto(A, n, L)).toEqual({ factorised: true, jitter: 0 });
    const reference = cholesky(A, n);
    expect(Array.from(L)).toEqual(Array.from(reference.L));
    const inverse = new Float64Array(n * n).fill(7);
    inverseLowerInto(L, n, new Float64Array(n * n).fill(-3), inverse);
    const full = choleskyInverse(reference);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) expect(inverse[i * n + j]).toBe(full[i * n + j]);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += A[i * n + k] * full[k * n + j];
        expect(Math.abs(s - (i === j ? 1 : 0))).toBeLessThan(1e-9);
      }
  });

  it('solves L·Lᵀ·x = b through the forward and the row-major back substitution', () => {
    const L = new Float64Array(n * n);
    choleskyWithJitterInto(A, n, L);
    const rng = createRng(8);
    const b = Float64Array.from({ length: n }, () => rng.normal());
    const x = Float64Array.from(b);
    solveLowerInPlace(L, n, x);
    solveUpperInPlace(transposeLower(L, n), n, x);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += A[i * n + j] * x[j];
      expect(s).toBeCloseTo(b[i], 9);
    }
  });

  it('escalates jitter on a singular matrix and reports failure on NaN', () => {
    const m = 4;
    const ones = new Float64Array(m * m).fill(1); // rank 1
    const L = new Float64Array(m * m);
    const singular = choleskyWithJitterInto(ones, m, L);
    expect(singular.factorised).toBe(true);
    expect(singular.jitter).toBeGreaterThan(0);
    expect(choleskyWithJitterInto(new Float64Array(m * m).fill(Number.NaN), m, L).factorised).toBe(false);
    expect(() => cholesky(new Float64Array(m * m).fill(Number.NaN), m)).toThrow(/not positive definite even with diagonal jitter 1\.00e-3/);
  });

  it('a reused marginal-likelihood workspace gives the same value and gradient as a fresh one', () => {
    const rng = createRng(11);
    const rows = Array.from({ length: 30 }, () => [rng.next(), rng.next(), rng.next()]);
    const y = rows.map((r) => Math.sin(5 * r[0]) + r[1] + 0.05 * rng.normal());
    const inputs = gpInputs(rows, [0, 1, 2]);
    const distances = pairwiseGroupDistances(inputs);
    const workspace = new MarginalLikelihoodWorkspace(inputs.n, inputs.groupCount);
    const thetas = [
      [Math.log(0.3), Math.log(0.8), Math.log(2), 0, Math.log(0.01), 0.2],
      [Math.log(0.1), Math.log(0.2), Math.log(0.5), 1, Math.log(1e-6), -0.4],
      [Math.log(0.3), Math.log(0.8), Math.log(2), 0, Math.log(0.01), 0.2],
    ].map((t) => Float64Array.from(t));
    for (const theta of thetas) {
      const gradReused = new Float64Array(6);
      const gradFresh = new Float64Array(6);
      const reused = negativeLogMarginalLikelihood(theta, inputs, y, distances, 'matern52', gradReused, workspace);
      const fresh = negativeLogMarginalLikelihood(theta, inputs, y, distances, 'matern52', gradFresh);
      expect(reused).toBe(fresh);
      expect(Array.from(gradReused)).toEqual(Array.from(gradFresh));
    }
    expect(() => negativeLogMarginalLikelihood(thetas[0], gpInputs(rows.slice(1), [0, 1, 2]), y.slice(1), pairwiseGroupDistances(gpInputs(rows.slice(1), [0, 1, 2])), 'matern52', undefined, workspace)).toThrow(/workspace/);
  });
});
