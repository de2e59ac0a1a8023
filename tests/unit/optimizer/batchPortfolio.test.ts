import { describe, expect, it } from 'vitest';
import { proposeBatch, type Observation, type OptimizerSettings } from '../../../src/engine/optimizer';
import { initialDesign } from '../../../src/engine/optimizer/baselines';
import { PORTFOLIO_MIN_PARAMETERS } from '../../../src/engine/optimizer/proposeBatch';
import { defineSpace, type ParameterSet } from '../../../src/engine/space/space';
import { design, rastrigin, space as space2 } from './twoDimensionalStudy';

/** A 5-parameter space (the portfolio's smallest) and a Rastrigin on it, minimum 0 at 1.3 in every coordinate. */
const space5 = defineSpace(['a', 'b', 'c', 'd', 'e'].map((name) => ({ kind: 'continuous' as const, name, low: -5, high: 5 })));
const rastrigin5 = (p: ParameterSet) => Object.values(p).reduce<number>((s, v) => s + (Number(v) - 1.3) ** 2 - 10 * Math.cos(2 * Math.PI * (Number(v) - 1.3)) + 10, 0);
const observations = initialDesign(space5, 16, 3).map((params) => ({ params, score: rastrigin5(params) }));
const base = { space: space5, observations, iteration: 2, maxIterations: 10, seed: 5 };

describe('a portfolio of acquisitions in each UCB batch', () => {
  it('alternates UCB and EI members from 5 parameters on, and names the acquisition of each', () => {
    expect(PORTFOLIO_MIN_PARAMETERS).toBe(5);
    const out = proposeBatch({ ...base, acquisition: 'ucb', batchSize: 4, settings: { noiseProbe: false } });
    expect(out.next_params.map((p) => p.acquisition)).toEqual(['ucb', 'ei', 'ucb', 'ei']);
    for (const p of out.next_params) expect(Number.isFinite(p.acquisitionValue)).toBe(true);
    expect(new Set(out.next_params.map((p) => JSON.stringify(p.params))).size).toBe(4);
  });

  it('is off below 5 parameters, with batchPortfolio false, and never mixes into another acquisition', () => {
    const small = proposeBatch({ ...base, space: space2, observations: design(rastrigin, 16, 3), acquisition: 'ucb', batchSize: 4, settings: { noiseProbe: false } });
    expect(small.next_params.map((p) => p.acquisition)).toEqual(['ucb', 'ucb', 'ucb', 'ucb']);
    const off = proposeBatch({ ...base, acquisition: 'ucb', batchSize: 4, settings: { noiseProbe: false, batchPortfolio: false } });
    expect(off.next_params.map((p) => p.acquisition)).toEqual(['ucb', 'ucb', 'ucb', 'ucb']);
    const ei = proposeBatch({ ...base, acquisition: 'ei', batchSize: 4, settings: { noiseProbe: false } });
    expect(ei.next_params.map((p) => p.acquisition)).toEqual(['ei', 'ei', 'ei', 'ei']);
    const sobol = proposeBatch({ ...base, acquisition: 'sobol', batchSize: 2 });
    expect(sobol.next_params.map((p) => p.acquisition)).toEqual(['sobol', 'sobol']);
  });

  it('names no acquisition for a re-evaluation (the noise probe)', () => {
    const out = proposeBatch({ ...base, acquisition: 'ucb', batchSize: 4 });
    expect(out.diagnostics.noise!.probe).toBe(true);
    expect(out.next_params.map((p) => p.acquisition)).toEqual(['ucb', 'ei', 'ucb', undefined]);
    expect(out.next_params[3].acquisitionValue).toBeNull();
  });

  it('changes the batch: its EI members differ from the UCB members they replace', () => {
    const on = proposeBatch({ ...base, acquisition: 'ucb', batchSize: 4, settings: { noiseProbe: false } });
    const off = proposeBatch({ ...base, acquisition: 'ucb', batchSize: 4, settings: { noiseProbe: false, batchPortfolio: false } });
    // The first member is UCB's in both; the second is chosen by another acquisition.
    expect(on.next_params[0].params).toEqual(off.next_params[0].params);
    expect(on.next_params[1].params).not.toEqual(off.next_params[1].params);
  });
});

describe('seeded regression: the portfolio on a small function', () => {
  const sphereSpace = space5;
  const sphere = (p: ParameterSet) => Object.values(p).reduce<number>((s, v) => s + (Number(v) - 1.5) ** 2, 0);

  function bestAfter(settings: Partial<OptimizerSettings>, iterations: number): { best: number; initialBest: number } {
    const study: Observation[] = initialDesign(sphereSpace, 10, 7).map((params) => ({ params, score: sphere(params) }));
    const initialBest = Math.min(...study.map((o) => o.score));
    for (let iteration = 1; iteration <= iterations; iteration++) {
      const out = proposeBatch({ space: sphereSpace, observations: study, iteration, maxIterations: iterations, acquisition: 'ucb', batchSize: 4, seed: 11, settings });
      for (const p of out.next_params) study.push({ params: p.params, score: sphere(p.params) });
    }
    return { best: Math.min(...study.map((o) => o.score)), initialBest };
  }

  it('finds the 5-D sphere’s basin with the trust region (10 + 4 × 4 evaluations)', () => {
    const { best, initialBest } = bestAfter({ noiseProbe: false }, 4);
    expect(best).toBeLessThan(initialBest / 4);
    // Seeded regression: the best of 10 + 4 × 4 evaluations when this was written.
    expect(best).toBeCloseTo(0.0864181, 5);
    // The path pinned is the portfolio's: the same study with UCB members only ends elsewhere.
    expect(bestAfter({ noiseProbe: false, batchPortfolio: false }, 4).best).not.toBeCloseTo(best, 3);
  });
});
