import { describe, expect, it } from 'vitest';
import goldens from '../../fixtures/optimizer/gp_goldens.json';
import { fitGp, HYPERPARAMETER_ROWS } from '../../../src/engine/optimizer/gp/fit';
import { packHyperparameters } from '../../../src/engine/optimizer/gp/hyperparameters';
import type { KernelKind } from '../../../src/engine/optimizer/gp/kernel';
import { negativeLogMarginalLikelihood } from '../../../src/engine/optimizer/gp/marginalLikelihood';
import { GpPosterior } from '../../../src/engine/optimizer/gp/posterior';
import { gpInputs, pairwiseGroupDistances } from '../../../src/engine/optimizer/gp/trainingData';
import { createRng } from '../../../src/engine/random/rng';

const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-12, Math.abs(b));

describe('GP posterior equals scikit-learn GaussianProcessRegressor at fixed hyperparameters', () => {
  it.each(goldens)('$name', (c) => {
    const inputs = gpInputs(c.X, c.groups);
    const posterior = GpPosterior.fromData(inputs, c.y, c.hyperparameters, c.kernel as KernelKind);
    c.Xstar.forEach((x, i) => {
      const p = posterior.predict(x);
      expect(relative(p.mean, c.mean[i])).toBeLessThan(1e-9);
      expect(relative(p.variance, c.latentVariance[i])).toBeLessThan(1e-7);
    });
    const grad = new Float64Array(c.groups.length + 3);
    const theta = packHyperparameters(c.hyperparameters);
    const value = negativeLogMarginalLikelihood(theta, inputs, c.y, pairwiseGroupDistances(inputs), c.kernel as KernelKind, grad);
    expect(relative(value, c.negativeLogMarginalLikelihood)).toBeLessThan(1e-10);
    const G = c.hyperparameters.lengthscales.length;
    for (let j = 0; j < G + 3; j++) expect(Math.abs(grad[j] - c.gradient[j])).toBeLessThan(1e-8 * Math.max(1, Math.abs(c.gradient[j])));
  });
});

describe('gradients match central finite differences', () => {
  const rng = createRng(5);
  const n = 25;
  const rows = Array.from({ length: n }, () => [rng.next(), rng.next(), rng.next(), rng.next() > 0.5 ? Math.SQRT1_2 : 0]);
  const y = rows.map((r) => Math.sin(4 * r[0]) + r[1] * r[2] + 0.3 * r[3] + 0.1 * rng.normal());
  const inputs = gpInputs(rows, [0, 1, 2, 3]);
  const distances = pairwiseGroupDistances(inputs);

  it.each(['matern52', 'rbf'] as KernelKind[])('marginal likelihood over θ (%s)', (kernel) => {
    const theta = Float64Array.from([Math.log(0.4), Math.log(0.9), Math.log(0.3), Math.log(1.2), Math.log(1.5), Math.log(0.02), 0.1]);
    const grad = new Float64Array(theta.length);
    negativeLogMarginalLikelihood(theta, inputs, y, distances, kernel, grad);
    for (let j = 0; j < theta.length; j++) {
      const h = 1e-5;
      const up = Float64Array.from(theta);
      const down = Float64Array.from(theta);
      up[j] += h;
      down[j] -= h;
      const fd = (negativeLogMarginalLikelihood(up, inputs, y, distances, kernel) - negativeLogMarginalLikelihood(down, inputs, y, distances, kernel)) / (2 * h);
      expect(Math.abs(grad[j] - fd)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
    }
  });

  it.each(['matern52', 'rbf'] as KernelKind[])('posterior mean and variance over x (%s)', (kernel) => {
    const posterior = GpPosterior.fromData(inputs, y, { lengthscales: [0.4, 0.9, 0.3, 1.2], outputscale: 1.5, noise: 0.02, mean: 0.1 }, kernel);
    const x = [0.31, 0.72, 0.05, Math.SQRT1_2];
    const gm = new Float64Array(4);
    const gv = new Float64Array(4);
    const p = posterior.predictWithGradient(x, gm, gv);
    expect(p.mean).toBeCloseTo(posterior.predict(x).mean, 12);
    expect(p.variance).toBeCloseTo(posterior.predict(x).variance, 12);
    for (let c = 0; c < 4; c++) {
      const h = 1e-6;
      const up = [...x];
      const down = [...x];
      up[c] += h;
      down[c] -= h;
      const a = posterior.predict(up);
      const b = posterior.predict(down);
      expect(gm[c]).toBeCloseTo((a.mean - b.mean) / (2 * h), 6);
      expect(gv[c]).toBeCloseTo((a.variance - b.variance) / (2 * h), 6);
    }
  });
});

describe('hyperparameter fit', () => {
  it('learns a short lengthscale for the relevant input, a long one for the irrelevant, and the noise level', () => {
    const rng = createRng(9);
    const n = 60;
    const rows = Array.from({ length: n }, () => [rng.next(), rng.next()]);
    const noiseStd = 0.1;
    const y = rows.map((r) => Math.sin(6 * r[0]) + noiseStd * rng.normal());
    const fit = fitGp(gpInputs(rows, [0, 1]), y, { seed: 1 });
    const [relevant, irrelevant] = fit.hyperparameters.lengthscales;
    expect(relevant).toBeLessThan(0.6);
    expect(irrelevant).toBeGreaterThan(5 * relevant);
    // Unstandardised y here (var ≈ 0.5): the noise variance should land near 0.01.
    expect(fit.hyperparameters.noise).toBeGreaterThan(0.003);
    expect(fit.hyperparameters.noise).toBeLessThan(0.03);
  });

  it(`above ${HYPERPARAMETER_ROWS} rows: hyperparameters from a seeded subset, as a fit on all rows finds them, and the posterior on every row`, () => {
    const rng = createRng(4);
    const n = 360;
    const rows = Array.from({ length: n }, () => [rng.next(), rng.next()]);
    const y = rows.map((r) => Math.sin(6 * r[0]) + 0.1 * rng.normal());
    const fit = fitGp(gpInputs(rows, [0, 1]), y, { seed: 1 });
    expect(fit.posterior.n).toBe(n);
    expect(fitGp(gpInputs(rows, [0, 1]), y, { seed: 1 }).hyperparameters).toEqual(fit.hyperparameters);
    expect(fit.rowsFitted).toBe(HYPERPARAMETER_ROWS);
    expect(fitGp(gpInputs(rows.slice(0, 60), [0, 1]), y.slice(0, 60), { seed: 1 }).rowsFitted).toBe(60);
    // The subset's estimate is the one the full data gives (a short lengthscale for x0, a long one for x1, σ_n² near 0.01).
    const [relevant, irrelevant] = fit.hyperparameters.lengthscales;
    expect(relevant).toBeGreaterThan(0.1);
    expect(relevant).toBeLessThan(0.6);
    expect(irrelevant).toBeGreaterThan(5 * relevant);
    expect(fit.hyperparameters.noise).toBeGreaterThan(0.003);
    expect(fit.hyperparameters.noise).toBeLessThan(0.03);
    // Conditioned on all rows: at a training input the mean follows that row's own neighbourhood.
    const at = fit.posterior.predict(rows[n - 1]);
    expect(Math.abs(at.mean - Math.sin(6 * rows[n - 1][0]))).toBeLessThan(0.1);
  });

  it('posterior after withObservation equals a posterior built from all points', () => {
    const rng = createRng(2);
    const rows = Array.from({ length: 10 }, () => [rng.next(), rng.next()]);
    const y = rows.map((r) => r[0] - r[1]);
    const h = { lengthscales: [0.5, 0.7], outputscale: 1, noise: 0.01, mean: 0 };
    const base = GpPosterior.fromData(gpInputs(rows.slice(0, 9), [0, 1]), y.slice(0, 9), h, 'matern52');
    const extended = base.withObservation(rows[9], y[9]);
    const direct = GpPosterior.fromData(gpInputs(rows, [0, 1]), y, h, 'matern52');
    const x = [0.2, 0.9];
    expect(extended.predict(x).mean).toBeCloseTo(direct.predict(x).mean, 10);
    expect(extended.predict(x).variance).toBeCloseTo(direct.predict(x).variance, 10);
  });
});
