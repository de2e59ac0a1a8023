import { describe, expect, it } from 'vitest';
import { cholesky, choleskyInverse } from '../../../src/core/linalg/cholesky';
import { backSubstituteUpper, choleskyLowerInto, forwardSubstitute, inverseLowerInto, transposeLower } from '../../../src/core/optimizer/gp/denseFactor';
import { negativeLogMarginalLikelihood, MarginalLikelihoodWorkspace } from '../../../src/core/optimizer/gp/marginalLikelihood';
import { gpInputs, pairwiseGroupDistances } from '../../../src/core/optimizer/gp/trainingData';
import { createRng } from '../../../src/core/random/rng';

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

describe('allocation-free Cholesky kernels of the hyperparameter fit', () => {
  const n = 23;
  const A = randomSpd(n, 3);

  it('factor and lower-triangle inverse equal core/linalg’s', () => {
    // Garbage in the buffers must not leak into the result (they are reused across evaluations).
    const L = new Float64Array(n * n).fill(Number.NaN);
    expect(choleskyLowerInto(A, n, L)).toBe(0);
    const reference = cholesky(A, n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) expect(L[i * n + j]).toBeCloseTo(reference.L[i * n + j], 12);
    const inverse = new Float64Array(n * n).fill(7);
    inverseLowerInto(L, n, new Float64Array(n * n).fill(-3), inverse);
    const full = choleskyInverse(reference);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) expect(Math.abs(inverse[i * n + j] - full[i * n + j])).toBeLessThan(1e-10 * Math.max(1, Math.abs(full[i * n + j])));
  });

  it('solves L·Lᵀ·x = b through the forward and the row-major back substitution', () => {
    const L = new Float64Array(n * n);
    choleskyLowerInto(A, n, L);
    const rng = createRng(8);
    const b = Float64Array.from({ length: n }, () => rng.normal());
    const x = Float64Array.from(b);
    forwardSubstitute(L, n, x);
    backSubstituteUpper(transposeLower(L, n), n, x);
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
    expect(choleskyLowerInto(ones, m, L)).toBeGreaterThan(0);
    expect(choleskyLowerInto(new Float64Array(m * m).fill(Number.NaN), m, L)).toBe(-1);
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
