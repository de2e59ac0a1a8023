import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { proposeBatch, type Observation, type OptimizerSettings } from '../../src/engine/optimizer';
import { sampleUniform } from '../../src/engine/space/sampling';
import { createRng } from '../../src/engine/random/rng';
import type { TestFunction } from './functions';
import { quantile } from './stats';

/**
 * Wall time of one fit + propose (batch of 8, UCB) at a given number of observations, on uniformly
 * drawn noisy data. Cold: hyperparameters fitted from scratch (prior mode + prior draws). Warm: with the
 * previous iteration's hyperparameters as the first start, as the closed loop calls it. One untimed
 * warm-up call (JIT) first, then `repeats` data sets.
 *
 * The machine is shared (2 cores, other benches running): a call can only be slowed down by
 * contention, never sped up, so the minimum over repeats is the best estimate of what the code costs
 * (the argument of Python's timeit), and it is the headline. The median (what a user on a busy machine
 * sees), the process CPU time (which excludes time spent waiting for a core, though not cache or SMT
 * contention) and the 1-minute load average are reported beside it.
 */
export interface TimingRow {
  fn: string;
  observations: number;
  repeats: number;
  /** Warm-started fit + propose: minimum and median wall time, median CPU time. */
  warmMs: number;
  warmMedianMs: number;
  warmCpuMs: number;
  coldMs: number;
  coldMedianMs: number;
  /** Cold call split (medians): the model fit and the proposals. */
  coldFitMs: number;
  coldProposeMs: number;
  loadAverage1m: number;
}

function data(fn: TestFunction, n: number, seed: number): Observation[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const params = sampleUniform(fn.space, rng);
    return { params, score: fn.value(params) + 0.01 * rng.normal() };
  });
}

export function timeFitPropose(fn: TestFunction, n: number, repeats: number, settings: Partial<OptimizerSettings> = {}): TimingRow {
  const run = (observations: Observation[], seed: number, warm: boolean) => {
    const input = { space: fn.space, observations, iteration: 5, maxIterations: 10, acquisition: 'ucb' as const, batchSize: 8, seed, settings };
    // The warm start comes from a fit on all but the last batch, as in the loop.
    const warmStart = warm ? proposeBatch({ ...input, observations: observations.slice(0, Math.max(2, n - 8)) }).diagnostics.model?.hyperparameters : undefined;
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    const out = proposeBatch({ ...input, warmStart });
    const ms = performance.now() - started;
    const cpu = process.cpuUsage(cpuStart);
    return { ms, cpuMs: (cpu.user + cpu.system) / 1000, fit: out.diagnostics.timingsMs.fit, propose: out.diagnostics.timingsMs.propose };
  };
  run(data(fn, n, 999), 999, false); // warm-up
  const cold = [];
  const warm = [];
  const loads: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const observations = data(fn, n, r);
    loads.push(loadavg()[0]);
    cold.push(run(observations, r, false));
    warm.push(run(observations, r, true));
  }
  return {
    fn: fn.name,
    observations: n,
    repeats,
    warmMs: Math.min(...warm.map((c) => c.ms)),
    warmMedianMs: quantile(warm.map((c) => c.ms), 0.5),
    warmCpuMs: quantile(warm.map((c) => c.cpuMs), 0.5),
    coldMs: Math.min(...cold.map((c) => c.ms)),
    coldMedianMs: quantile(cold.map((c) => c.ms), 0.5),
    coldFitMs: quantile(cold.map((c) => c.fit), 0.5),
    coldProposeMs: quantile(cold.map((c) => c.propose), 0.5),
    loadAverage1m: +quantile(loads, 0.5).toFixed(2),
  };
}
