import { describe, expect, it } from 'vitest';
import { initialDesign, proposeBatch, proposeBatchSteps, type Observation, type ProposeBatchInput } from '../../../src/engine/optimizer';
import { parameterRelevance } from '../../../src/engine/optimizer/diagnostics';
import { fitSurrogate, predictScore } from '../../../src/engine/optimizer/surrogate';
import { createRng } from '../../../src/engine/random/rng';
import { defineSpace, type ParameterSet } from '../../../src/engine/space/space';
import { plausibleRegion, regionSample } from '../../../src/engine/trust/plausibleRegion';
import type { NumericInterval } from '../../../src/engine/trust/plausibleRegionIntervals';
import { meanFirstPosterior, mostRelevantPair, proposalRegion, REGION_PAIR_BINS } from '../../../src/engine/trust/proposalRegion';

/**
 * The plausible region that comes with a proposal: from the proposal's own fitted surrogate, at the δ the
 * caller passes (regionTolerance), with the pairwise view of the two most relevant parameters. On a
 * score that depends on x and the shape but not on `ignored`, the region pins x down and calls
 * `ignored` not identifiable.
 */
const space = defineSpace([
  { kind: 'continuous', name: 'x', low: 0, high: 1 },
  { kind: 'continuous', name: 'ignored', low: 0, high: 1 },
  { kind: 'categorical', name: 'shape', choices: ['a', 'b', 'c'] },
  { kind: 'integer', name: 'count', low: 1, high: 8 },
]);

function observe(sets: readonly ParameterSet[], seed: number): Observation[] {
  const rng = createRng(seed);
  return sets.map((params) => ({
    params,
    score: 4 * (Number(params.x) - 0.3) ** 2 + (params.shape === 'b' ? 0 : 0.3) + 0.02 * ((Number(params.count) - 4) / 4) ** 2 + 0.005 * rng.normal(),
    replicates: 3,
  }));
}

const observations = observe(initialDesign(space, 40, 3), 9);
const input: ProposeBatchInput = {
  space,
  observations,
  iteration: 2,
  maxIterations: 10,
  acquisition: 'ucb',
  batchSize: 3,
  seed: 5,
  settings: { rawSamples: 256, localSamples: 64, polishStarts: 2, fitStarts: 2 },
};

describe('the plausible region of a proposal', () => {
  const surrogate = fitSurrogate(space, observations, { kernel: 'matern52', outputTransform: 'standardize', fitStarts: 2, seed: 1 });

  it("reads the GP's mean alone to the bit of predictScore's, and gives the region the full posterior gives", () => {
    const posterior = meanFirstPosterior(surrogate);
    for (const params of regionSample(space, 256, 4)) expect(posterior.mean(params)).toBe(predictScore(surrogate, params).mean);
    const full = plausibleRegion(space, (p) => predictScore(surrogate, p), { tolerance: 0.05, seed: 8, pair: ['x', 'shape'] });
    const split = plausibleRegion(space, posterior, { tolerance: 0.05, seed: 8, pair: ['x', 'shape'] });
    expect(split).toEqual(full);
    // No plausible point: every probability is computed, and the statement names the highest.
    const none = plausibleRegion(space, posterior, { tolerance: -10, seed: 8 });
    expect(none).toEqual(plausibleRegion(space, (p) => predictScore(surrogate, p), { tolerance: -10, seed: 8 }));
    expect(none.statement).toMatch(/^No setting is plausible/);
  });

  it('pairs the two parameters with the shortest lengthscales', () => {
    expect(mostRelevantPair([])).toBeNull();
    expect(mostRelevantPair([{ name: 'a', lengthscale: 1, relevance: 1 }])).toBeNull();
    const pair = mostRelevantPair([
      { name: 'a', lengthscale: 4, relevance: 0.25 },
      { name: 'b', lengthscale: 1, relevance: 1 },
      { name: 'c', lengthscale: 2, relevance: 0.5 },
      { name: 'd', lengthscale: 2, relevance: 0.5 },
    ]);
    expect(pair).toEqual(['b', 'c']);
    const relevance = parameterRelevance(surrogate.layout, surrogate.hyperparameters);
    const region = proposalRegion(space, surrogate, relevance, { tolerance: 0.05, seed: 3 });
    expect(region.sampleSize).toBe(4096);
    expect([region.pair!.first.name, region.pair!.second.name]).toEqual(mostRelevantPair(relevance));
    expect(region.pair!.counts.length).toBeLessThanOrEqual(REGION_PAIR_BINS);
  });

  it('comes with a proposal when the input carries δ, from the same fit; without δ, or without a model, there is none', () => {
    const plain = proposeBatch(input);
    expect(plain.region).toBeUndefined();
    expect(plain.diagnostics.timingsMs.region).toBeUndefined();

    const withRegion = proposeBatch({ ...input, regionTolerance: 0.05 });
    // The region changes nothing else the proposal says.
    expect(withRegion.next_params).toEqual(plain.next_params);
    expect(withRegion.current_best).toEqual(plain.current_best);
    const region = withRegion.region!;
    expect(region.tolerance).toBe(0.05);
    expect(region.sampleSize).toBe(4096);
    expect(region.statement).toBeNull();
    expect(region.share).toBeGreaterThan(0);
    expect(region.share).toBeLessThan(0.2);
    expect(withRegion.diagnostics.timingsMs.region).toBeGreaterThanOrEqual(0);
    // Plain JSON: what the iteration record stores and history.json exports.
    expect(JSON.parse(JSON.stringify(region))).toEqual(region);
    expect(JSON.stringify(region).length).toBeLessThan(12_000);

    const byName = (name: string) => region.parameters.find((p) => p.name === name)!;
    const x = byName('x') as NumericInterval;
    expect(x.identifiable).toBe(true);
    expect(x.interval[0]).toBeLessThan(0.3);
    expect(x.interval[1]).toBeGreaterThan(0.3);
    expect(byName('ignored').identifiable).toBe(false);
    expect(byName('ignored').coverage).toBeGreaterThanOrEqual(0.8);
    expect(byName('shape').interval).toEqual(['b']);
    expect(region.pair?.first.name).toBe(withRegion.diagnostics.relevance.slice().sort((a, b) => b.relevance - a.relevance)[0].name);

    const modelFree = proposeBatch({ ...input, observations: observations.slice(0, 1), regionTolerance: 0.05 });
    expect(modelFree.region).toBeUndefined();
  });

  it('reports the region as a progress step of its own, after the batch members', () => {
    const stages = (i: ProposeBatchInput) => {
      const out: string[] = [];
      const steps = proposeBatchSteps(i);
      for (let step = steps.next(); !step.done; step = steps.next()) out.push(`${step.value.stage}:${step.value.done}/${step.value.total}`);
      return out;
    };
    expect(stages(input)).toEqual(['fit:1/4', 'propose:2/4', 'propose:3/4', 'propose:4/4']);
    expect(stages({ ...input, regionTolerance: 0.05 })).toEqual(['fit:1/5', 'propose:2/5', 'propose:3/5', 'propose:4/5', 'region:5/5']);
  });
});
