import { describe, expect, it } from 'vitest';
import goldens from '../../fixtures/heteroscedastic_gp/hetero_gp_goldens.json';
import { fitModel, proposeBatch, type Observation, type ProposeBatchInput } from '../../../src/engine/optimizer';
import { initialDesign } from '../../../src/engine/optimizer/baselines';
import { packHyperparameters } from '../../../src/engine/optimizer/gp/hyperparameters';
import type { KernelKind } from '../../../src/engine/optimizer/gp/kernel';
import { leaveOneOut } from '../../../src/engine/optimizer/gp/leaveOneOut';
import { negativeLogMarginalLikelihood } from '../../../src/engine/optimizer/gp/marginalLikelihood';
import { GpPosterior } from '../../../src/engine/optimizer/gp/posterior';
import { gpInputs, pairwiseGroupDistances } from '../../../src/engine/optimizer/gp/trainingData';
import { referenceReplicates, relativeNoise } from '../../../src/engine/optimizer/replicates';
import { bestByObservedMean, fitSurrogate, groupObservations, predictScore, type SurrogateOptions } from '../../../src/engine/optimizer/surrogate';
import { spaceLayout } from '../../../src/engine/optimizer/encoding';
import { createRng } from '../../../src/engine/random/rng';
import { defineSpace, type ParameterSet } from '../../../src/engine/space/space';

/**
 * The GP's per-observation noise σ_n² · r_ref / r_i: against scikit-learn's GaussianProcessRegressor with
 * a per-sample `alpha` (scripts/hetero_gp_goldens.py), unchanged behaviour when every count is equal, and
 * what a high replicate count does to the posterior.
 */

const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-12, Math.abs(b));

describe('heteroscedastic GP equals scikit-learn GaussianProcessRegressor with per-sample alpha', () => {
  it.each(goldens)('$name', (c) => {
    const observations = c.replicates.map((replicates) => ({ params: {}, score: 0, replicates }));
    const reference = referenceReplicates(observations);
    expect(reference).toBe(c.referenceReplicates);
    const inputs = gpInputs(c.X, c.groups, relativeNoise(c.replicates, reference));
    const kernel = c.kernel as KernelKind;
    const posterior = GpPosterior.fromData(inputs, c.y, c.hyperparameters, kernel);
    c.Xstar.forEach((x, i) => {
      const p = posterior.predict(x);
      expect(relative(p.mean, c.mean[i])).toBeLessThan(1e-9);
      expect(relative(Math.sqrt(p.variance), c.std[i])).toBeLessThan(1e-7);
    });
    const G = c.hyperparameters.lengthscales.length;
    const grad = new Float64Array(G + 3);
    const value = negativeLogMarginalLikelihood(packHyperparameters(c.hyperparameters), inputs, c.y, pairwiseGroupDistances(inputs), kernel, grad);
    expect(relative(value, c.negativeLogMarginalLikelihood)).toBeLessThan(1e-10);
    for (let j = 0; j < G + 3; j++) expect(Math.abs(grad[j] - c.gradient[j])).toBeLessThan(1e-8 * Math.max(1, Math.abs(c.gradient[j])));
    const loo = leaveOneOut(posterior);
    c.looMean.forEach((m, i) => {
      expect(relative(loo.mean[i], m)).toBeLessThan(1e-8);
      expect(relative(loo.variance[i], c.looVariance[i])).toBeLessThan(1e-8);
    });
  });
});

describe('per-observation noise: gradients and fantasies', () => {
  const rng = createRng(17);
  const n = 20;
  const rows = Array.from({ length: n }, () => [rng.next(), rng.next(), rng.next()]);
  const replicates = rows.map((_, i) => [1, 3, 8, 32][i % 4]);
  const y = rows.map((r, i) => Math.sin(3 * r[0]) + r[1] * r[2] + (0.2 * rng.normal()) / Math.sqrt(replicates[i]));
  const inputs = gpInputs(rows, [0, 1, 2], relativeNoise(replicates, 3));

  it.each(['matern52', 'rbf'] as KernelKind[])('the marginal likelihood’s gradient matches central finite differences (%s)', (kernel) => {
    const distances = pairwiseGroupDistances(inputs);
    const theta = Float64Array.from([Math.log(0.4), Math.log(0.9), Math.log(1.3), Math.log(1.2), Math.log(0.03), 0.1]);
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

  it('a Kriging-believer fantasy is an observation at the reference count: withObservation equals a refit with relative noise 1', () => {
    const h = { lengthscales: [0.4, 0.8, 1.1], outputscale: 1.1, noise: 0.04, mean: 0.05 };
    const base = GpPosterior.fromData(inputs, y, h, 'matern52');
    const xf = [0.25, 0.5, 0.75];
    const extended = base.withObservation(xf, 0.3);
    expect(Array.from(extended.inputs.noiseScale!)).toEqual([...Array.from(inputs.noiseScale!), 1]);
    const direct = GpPosterior.fromData(gpInputs([...rows, xf], [0, 1, 2], [...Array.from(inputs.noiseScale!), 1]), [...y, 0.3], h, 'matern52');
    for (const x of [[0.2, 0.9, 0.1], xf, rows[3]]) {
      expect(extended.predict(x).mean).toBeCloseTo(direct.predict(x).mean, 10);
      expect(extended.predict(x).variance).toBeCloseTo(direct.predict(x).variance, 10);
    }
    // An explicit fantasy noise is recorded relative to σ_n².
    expect(base.withObservation(xf, 0.3, 0.01).inputs.noiseScale![n]).toBeCloseTo(0.25, 15);
  });
});

const space = defineSpace([
  { kind: 'continuous', name: 'a', low: 0, high: 1 },
  { kind: 'integer', name: 'b', low: 1, high: 9 },
  { kind: 'categorical', name: 'c', choices: ['x', 'y', 'z'] },
]);

function observe(seed: number, count: number): Observation[] {
  const rng = createRng(seed);
  return initialDesign(space, count, seed).map((params) => ({
    params,
    score: (Number(params.a) - 0.3) ** 2 + Number(params.b) / 20 + (params.c === 'x' ? 0 : 0.2) + 0.05 * rng.normal(),
  }));
}

const options: SurrogateOptions = { kernel: 'matern52', outputTransform: 'standardize', fitStarts: 3, seed: 4 };

describe('with every replicate count equal nothing changes', () => {
  const observations = observe(1, 20);
  const withCounts = (r: number) => observations.map((o) => ({ ...o, replicates: r }));

  it('the marginal likelihood and its gradient are bit-for-bit those of the homoscedastic model', () => {
    const rows = observations.map((o) => [Number(o.params.a), (Number(o.params.b) - 1) / 8]);
    const y = observations.map((o) => o.score);
    const plain = gpInputs(rows, [0, 1]);
    const ones = gpInputs(rows, [0, 1], new Float64Array(rows.length).fill(1));
    const theta = Float64Array.from([Math.log(0.3), Math.log(0.7), 0.2, Math.log(0.01), 0.1]);
    const g1 = new Float64Array(5);
    const g2 = new Float64Array(5);
    expect(negativeLogMarginalLikelihood(theta, ones, y, pairwiseGroupDistances(ones), 'matern52', g2)).toBe(
      negativeLogMarginalLikelihood(theta, plain, y, pairwiseGroupDistances(plain), 'matern52', g1),
    );
    expect(Array.from(g2)).toEqual(Array.from(g1));
    const h = { lengthscales: [0.3, 0.7], outputscale: 1.2, noise: 0.01, mean: 0.1 };
    const a = GpPosterior.fromData(plain, y, h, 'matern52');
    const b = GpPosterior.fromData(ones, y, h, 'matern52');
    expect(b.predict([0.4, 0.6])).toEqual(a.predict([0.4, 0.6]));
  });

  it.each([3, 7])('a fitted surrogate with every count %i has the same hyperparameters and posterior as one without counts', (r) => {
    const plain = fitSurrogate(space, observations, options);
    const counted = fitSurrogate(space, withCounts(r), options);
    expect(counted.posterior.inputs.noiseScale).toBeUndefined();
    expect(counted.referenceReplicates).toBe(r);
    expect(counted.hyperparameters).toEqual(plain.hyperparameters);
    for (const params of [observations[2].params, { a: 0.31, b: 4, c: 'y' }]) expect(predictScore(counted, params)).toEqual(predictScore(plain, params));
  });

  it('proposeBatch and fitModel give the same output with every count equal as without counts', () => {
    const strip = (o: object) => JSON.parse(JSON.stringify(o, (k, v) => (k === 'timingsMs' ? undefined : v)));
    const input = (obs: Observation[]): ProposeBatchInput => ({ space, observations: obs, iteration: 2, maxIterations: 10, acquisition: 'ucb', batchSize: 3, seed: 9, pending: [observations[0].params], scoreNoiseStd: 0.03 });
    expect(strip(proposeBatch(input(withCounts(4))))).toEqual(strip(proposeBatch(input(observations))));
    expect(strip(fitModel({ space, observations: withCounts(4), seed: 2 }))).toEqual(strip(fitModel({ space, observations, seed: 2 })));
  });
});

describe('replicate counts set the noise', () => {
  // A flat surface at 0 seen through many 3-replicate scores, and two mirrored outliers at 1: one from 32
  // replicates, one from a single replicate.
  const line = defineSpace([{ kind: 'continuous', name: 'x', low: 0, high: 1 }]);
  const background: Observation[] = Array.from({ length: 21 }, (_, i) => ({ params: { x: i / 20 }, score: 0, replicates: 3 })).filter((o) => o.params.x !== 0.25 && o.params.x !== 0.75);
  const precise: ParameterSet = { x: 0.25 };
  const rough: ParameterSet = { x: 0.75 };
  const observations: Observation[] = [...background, { params: precise, score: 1, replicates: 32 }, { params: rough, score: 1, replicates: 1 }];

  it('at fixed hyperparameters: the 32-replicate score pulls the mean to itself much more tightly, with a smaller std there', () => {
    const rows = observations.map((o) => [Number(o.params.x)]);
    const replicates = observations.map((o) => o.replicates!);
    const posterior = GpPosterior.fromData(gpInputs(rows, [0], relativeNoise(replicates, referenceReplicates(observations))), observations.map((o) => o.score), { lengthscales: [0.1], outputscale: 1, noise: 0.3, mean: 0 }, 'matern52');
    const atPrecise = posterior.predict([0.25]);
    const atRough = posterior.predict([0.75]);
    expect(1 - atPrecise.mean).toBeLessThan(0.2);
    expect(1 - atRough.mean).toBeGreaterThan(0.6);
    expect(1 - atPrecise.mean).toBeLessThan((1 - atRough.mean) / 3);
    expect(Math.sqrt(atPrecise.variance)).toBeLessThan(0.5 * Math.sqrt(atRough.variance));
  });

  it.each([0, 1, 2])('through a fitted surrogate with the known score noise (score units), noisy data, seed %i', (seed) => {
    // A sine seen through 3-replicate scores of noise sd 0.3/√3, and at 0.25 and 0.75 two scores 0.4 above
    // the truth: one from 32 replicates, one from a single replicate.
    const rng = createRng(seed);
    const truth = (x: number) => 0.5 * Math.sin(2 * Math.PI * x);
    const noisy: Observation[] = Array.from({ length: 31 }, (_, i) => i / 30)
      .filter((x) => Math.abs(x - 0.25) > 0.02 && Math.abs(x - 0.75) > 0.02)
      .map((x) => ({ params: { x }, score: truth(x) + (0.3 / Math.sqrt(3)) * rng.normal(), replicates: 3 }));
    const data = [...noisy, { params: precise, score: truth(0.25) + 0.4, replicates: 32 }, { params: rough, score: truth(0.75) + 0.4, replicates: 1 }];
    const surrogate = fitSurrogate(line, data, { ...options, scoreNoiseStd: 0.3 / Math.sqrt(3) });
    expect(surrogate.referenceReplicates).toBe(3);
    const p = predictScore(surrogate, precise);
    const q = predictScore(surrogate, rough);
    const pull = (observed: number, mean: number) => Math.abs(observed - mean);
    expect(pull(truth(0.25) + 0.4, p.mean)).toBeLessThan(0.1);
    expect(pull(truth(0.75) + 0.4, q.mean)).toBeGreaterThan(0.2);
    expect(pull(truth(0.25) + 0.4, p.mean)).toBeLessThan(pull(truth(0.75) + 0.4, q.mean) / 3);
    expect(p.std).toBeLessThan(0.6 * q.std);
  });

  it('without counts the two mirrored points are alike', () => {
    const alike = fitSurrogate(line, observations.map(({ params, score }) => ({ params, score })), options);
    expect(predictScore(alike, precise).mean).toBeCloseTo(predictScore(alike, rough).mean, 6);
    expect(predictScore(alike, precise).std).toBeCloseTo(predictScore(alike, rough).std, 6);
  });

  it('the reported observed mean of a set weights its scores by replicate count', () => {
    const scores: Observation[] = [
      { params: precise, score: 1, replicates: 32 },
      { params: precise, score: 0, replicates: 8 },
      { params: rough, score: 0.5, replicates: 3 },
      { params: rough, score: 0.7, replicates: 3 },
    ];
    const evaluated = groupObservations(line, spaceLayout(line), scores);
    const [first, second] = bestByObservedMean(evaluated, 2);
    expect(first.params).toEqual(rough);
    expect(first.observed).toBe((0.5 + 0.7) / 2);
    expect(second.observed).toBeCloseTo(32 / 40, 15);
    expect(second.observationCount).toBe(2);
  });
});

describe('reference count and validation', () => {
  const obs = (replicates?: number): Observation => ({ params: { a: 0.5, b: 2, c: 'x' }, score: 0.1, ...(replicates !== undefined ? { replicates } : {}) });

  it('is the caller’s count, else the median of the counts, else 1 when no observation has one', () => {
    expect(referenceReplicates([obs(1), obs(3), obs(32)])).toBe(3);
    expect(referenceReplicates([obs(1), obs(3), obs(4), obs(32)])).toBe(3.5);
    expect(referenceReplicates([obs(), obs()])).toBe(1);
    expect(referenceReplicates([obs(), obs(32)], 3)).toBe(3);
    expect(Array.from(relativeNoise([3, 32, 1], 3)!)).toEqual([1, 3 / 32, 3]);
    expect(relativeNoise([3, 3], 3)).toBeUndefined();
  });

  it('refuses a mix of observations with and without counts unless the reference is given, and bad counts', () => {
    expect(() => referenceReplicates([obs(), obs(32)])).toThrow(/observation 0 has no replicate count.*referenceReplicates/);
    expect(() => referenceReplicates([obs(3), obs(0)])).toThrow(/observation 1: replicates 0 must be a positive whole number/);
    expect(() => referenceReplicates([obs(2.5)])).toThrow(/observation 0: replicates 2.5/);
    expect(() => referenceReplicates([obs(3)], 0)).toThrow(/referenceReplicates 0/);
    const observations = observe(2, 12);
    const mixed = [...observations, { ...observations[0], replicates: 32 }];
    const input: ProposeBatchInput = { space, observations: mixed, iteration: 1, maxIterations: 10, acquisition: 'ei', batchSize: 2, seed: 1 };
    expect(() => proposeBatch(input)).toThrow(/referenceReplicates/);
    expect(proposeBatch({ ...input, referenceReplicates: 3 }).next_params).toHaveLength(2);
  });
});
