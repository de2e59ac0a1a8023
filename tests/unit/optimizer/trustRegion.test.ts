import { describe, expect, it } from 'vitest';
import { proposeBatch, type Observation } from '../../../src/engine/optimizer';
import { initialDesign } from '../../../src/engine/optimizer/baselines';
import { spaceLayout } from '../../../src/engine/optimizer/encoding';
import { rawCandidates } from '../../../src/engine/optimizer/optimize/rawCandidates';
import { DEFAULT_TRUST_REGION, replayTrustRegionLength, trustRegion } from '../../../src/engine/optimizer/optimize/trustRegion';
import { createRng } from '../../../src/engine/random/rng';
import { defineSpace, type ParameterSet } from '../../../src/engine/space/space';
import { space } from './twoDimensionalStudy';

describe('the trust region’s length (TuRBO’s success/failure rule, replayed)', () => {
  it('starts at 0.8 and halves after ⌈max(4/q, d/q)⌉ failed batches', () => {
    // q = 8, d = 2: one failure halves. Initial design best 1; three batches no better.
    const values = [5, 1, 3, ...Array(24).fill(2)];
    expect(replayTrustRegionLength(values.slice(0, 3), 3, 8, 2).length).toBe(0.8);
    expect(replayTrustRegionLength(values, 3, 8, 2)).toEqual({ length: 0.1, restarts: 0 });
    // d = 10, q = 8: failure tolerance 2, so three failures halve once.
    expect(replayTrustRegionLength(values, 3, 8, 10).length).toBe(0.4);
  });

  it('doubles after three successes in a row, up to 1.6', () => {
    const improving = [10, ...Array.from({ length: 9 }, (_, i) => 9 - i)];
    expect(replayTrustRegionLength(improving, 1, 1, 1).length).toBe(1.6);
    expect(replayTrustRegionLength(improving.slice(0, 4), 1, 1, 1).length).toBe(1.6);
    expect(replayTrustRegionLength(improving.slice(0, 3), 1, 1, 1).length).toBe(0.8);
  });

  it('restarts at 0.8 once the length falls below 0.5⁷', () => {
    const stuck = [1, ...Array(8 * 8).fill(2)];
    // q = 8, d = 2: every failed batch halves. Seven halvings reach 0.8/128 < 0.5⁷ = 1/128 and start
    // over at 0.8; the eighth batch halves again.
    const out = replayTrustRegionLength(stuck, 1, 8, 2);
    expect(out.restarts).toBe(1);
    expect(out.length).toBe(DEFAULT_TRUST_REGION.initialLength / 2);
  });
});

describe('the trust region’s box', () => {
  const layout = spaceLayout(space);

  it('is centred at the incumbent, long where the lengthscale is long, with the volume of a cube of side L', () => {
    const region = trustRegion({ layout, centre: [0.5, 0.5], lengthscales: [0.4, 0.1], values: [1, 2], initialCount: 2, batchSize: 8 });
    expect(region.length).toBe(0.8);
    const sides = [region.upper[0] - region.lower[0], region.upper[1] - region.lower[1]];
    // w = ℓ / √(0.4 · 0.1) = (2, 0.5): sides 1.6 (clipped to the cube) and 0.4.
    expect(region.lower[0]).toBe(0);
    expect(region.upper[0]).toBe(1);
    expect(sides[1]).toBeCloseTo(0.4, 12);
    expect((region.lower[1] + region.upper[1]) / 2).toBeCloseTo(0.5, 12);
  });

  it('holds every raw candidate’s continuous coordinates, and leaves a categorical free', () => {
    const mixed = defineSpace([
      { kind: 'continuous', name: 'a', low: 0, high: 1 },
      { kind: 'continuous', name: 'b', low: 0, high: 1 },
      { kind: 'categorical', name: 'c', choices: ['u', 'v', 'w'] },
    ]);
    const mixedLayout = spaceLayout(mixed);
    const centre = new Float64Array(mixedLayout.dimension);
    centre[0] = 0.9;
    centre[1] = 0.2;
    const region = trustRegion({ layout: mixedLayout, centre, lengthscales: [0.2, 0.2, 0.5], values: [0, 1, 1, 1, 1, 1, 1, 1, 1, 1], initialCount: 2, batchSize: 8 });
    expect(region.length).toBe(0.4);
    const raw = rawCandidates(mixedLayout, { sobolCount: 256, localCount: 64, incumbents: [centre], seed: 3, rng: createRng(4), region });
    const levels = new Set<number>();
    for (const x of raw) {
      expect(x[0]).toBeGreaterThanOrEqual(0.7 - 1e-12);
      expect(x[0]).toBeLessThanOrEqual(1);
      expect(x[1]).toBeGreaterThanOrEqual(0);
      expect(x[1]).toBeLessThanOrEqual(0.4 + 1e-12);
      levels.add([x[2], x[3], x[4]].findIndex((v) => v > 0));
    }
    expect(levels.size).toBe(3);
  });
});

describe('proposeBatch with searchRegion "trust"', () => {
  // A 4-D shifted sphere, minimum 0 at (1, −2, 0.5, 3).
  const space4 = defineSpace(['a', 'b', 'c', 'd'].map((name) => ({ kind: 'continuous' as const, name, low: -5, high: 5 })));
  const centreOfMinimum = [1, -2, 0.5, 3];
  const sphere = (p: ParameterSet) => ['a', 'b', 'c', 'd'].reduce((s, k, i) => s + (Number(p[k]) - centreOfMinimum[i]) ** 2, 0);

  function study(settings: Record<string, unknown>, iterations: number): { observations: Observation[]; lengths: number[] } {
    const observations: Observation[] = initialDesign(space4, 10, 7).map((params) => ({ params, score: sphere(params) }));
    const lengths: number[] = [];
    for (let iteration = 1; iteration <= iterations; iteration++) {
      const out = proposeBatch({ space: space4, observations, iteration, maxIterations: iterations, acquisition: 'ucb', batchSize: 4, seed: 11, settings });
      if (out.diagnostics.trustRegion) lengths.push(out.diagnostics.trustRegion.length);
      for (const p of out.next_params) observations.push({ params: p.params, score: sphere(p.params) });
    }
    return { observations, lengths };
  }

  it('reports the length and finds the sphere’s basin (seeded regression)', () => {
    // UCB members only, the setting this regression was recorded with (the portfolio has its own test).
    const { observations, lengths } = study({ searchRegion: 'trust', noiseProbe: false, batchPortfolio: false }, 4);
    expect(lengths[0]).toBe(0.8);
    expect(lengths).toHaveLength(4);
    const best = Math.min(...observations.map((o) => o.score));
    const initialBest = Math.min(...observations.slice(0, 10).map((o) => o.score));
    expect(best).toBeLessThan(initialBest / 4);
    // Seeded regression: the best of 10 + 4 × 4 evaluations when this was written.
    expect(best).toBeCloseTo(1.43693, 4);
  });

  it('is deterministic for a seed, on by default, and off with searchRegion "global"', () => {
    const a = study({ searchRegion: 'trust', noiseProbe: false }, 2).observations;
    const b = study({ searchRegion: 'trust', noiseProbe: false }, 2).observations;
    expect(a).toEqual(b);
    expect(study({ noiseProbe: false }, 1).lengths).toEqual([0.8]);
    expect(study({ searchRegion: 'global', noiseProbe: false }, 1).lengths).toEqual([]);
  });
});
