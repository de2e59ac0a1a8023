import { performance } from 'node:perf_hooks';
import { proposeBatch, type Observation } from '../../src/core/optimizer';
import { sampleUniform } from '../../src/core/params/sampling';
import { createRng } from '../../src/core/random/rng';
import type { TestFunction } from './functions';
import { quantile } from './stats';

/**
 * Wall time of one fit + propose (batch of 8, UCB) at a given number of observations, on uniformly
 * drawn noisy data. Cold: hyperparameters fitted from scratch (prior mode + prior draws). Warm: with the
 * previous iteration's hyperparameters as the first start, as the closed loop calls it. Median of
 * `repeats` data sets after one untimed warm-up call (JIT).
 */
export interface TimingRow {
  fn: string;
  observations: number;
  coldMs: number;
  warmMs: number;
  coldFitMs: number;
  coldProposeMs: number;
}

function data(fn: TestFunction, n: number, seed: number): Observation[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const params = sampleUniform(fn.space, rng);
    return { params, score: fn.value(params) + 0.01 * rng.normal() };
  });
}

export function timeFitPropose(fn: TestFunction, n: number, repeats: number): TimingRow {
  const run = (observations: Observation[], seed: number, warm: boolean) => {
    const input = { space: fn.space, observations, iteration: 5, maxIterations: 10, acquisition: 'ucb' as const, batchSize: 8, seed };
    // The warm start comes from a fit on all but the last batch, as in the loop.
    const warmStart = warm ? proposeBatch({ ...input, observations: observations.slice(0, Math.max(2, n - 8)) }).diagnostics.model?.hyperparameters : undefined;
    const started = performance.now();
    const out = proposeBatch({ ...input, warmStart });
    return { ms: performance.now() - started, fit: out.diagnostics.timingsMs.fit, propose: out.diagnostics.timingsMs.propose };
  };
  run(data(fn, n, 999), 999, false); // warm-up
  const cold = [];
  const warm = [];
  for (let r = 0; r < repeats; r++) {
    const observations = data(fn, n, r);
    cold.push(run(observations, r, false));
    warm.push(run(observations, r, true));
  }
  return {
    fn: fn.name,
    observations: n,
    coldMs: quantile(cold.map((c) => c.ms), 0.5),
    warmMs: quantile(warm.map((c) => c.ms), 0.5),
    coldFitMs: quantile(cold.map((c) => c.fit), 0.5),
    coldProposeMs: quantile(cold.map((c) => c.propose), 0.5),
  };
}
