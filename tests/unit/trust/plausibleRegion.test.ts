import { describe, expect, it } from 'vitest';
import type { Observation } from '../../../src/engine/optimizer';
import { normalCdf } from '../../../src/engine/optimizer/acquisition/normal';
import { initialDesign } from '../../../src/engine/optimizer/baselines';
import { fitSurrogate, predictScore } from '../../../src/engine/optimizer/surrogate';
import { createRng } from '../../../src/engine/random/rng';
import { defineSpace, type ParameterSet } from '../../../src/engine/space/space';
import { plausibility, plausiblePoints, plausibleRegion, regionSample, type ScorePosterior } from '../../../src/engine/trust/plausibleRegion';
import { densityAxis, pairDensity } from '../../../src/engine/trust/plausibleRegionDensity';
import type { CategoricalInterval, NumericInterval } from '../../../src/engine/trust/plausibleRegionIntervals';

/**
 * The plausible region on synthetic posteriors whose answer is known in closed form: the plausible set is
 * {μ < δ} whatever σ (Φ(z) > ½ ⟺ z > 0), so a bowl in x that is flat in y makes x's plausible values
 * the bowl's δ-sublevel set and leaves y unconstrained.
 */

const plane = defineSpace([
  { kind: 'continuous', name: 'x', low: 0, high: 10 },
  { kind: 'continuous', name: 'y', low: -1, high: 1 },
]);
/** μ = (x − 4)², σ = 0.5: with δ = 2.25 the plausible x are (2.5, 5.5), 30 % of the range. */
const bowl: ScorePosterior = (p) => ({ mean: (Number(p.x) - 4) ** 2, std: 0.5 });
const numeric = (region: ReturnType<typeof plausibleRegion>, name: string) => region.parameters.find((p) => p.name === name) as NumericInterval;
const categorical = (region: ReturnType<typeof plausibleRegion>, name: string) => region.parameters.find((p) => p.name === name) as CategoricalInterval;

describe('plausibility', () => {
  it('is Φ((δ − μ)/σ), and a step at δ when σ = 0', () => {
    const p = plausibility(
      [
        { mean: 0.1, std: 0.2 },
        { mean: 0.5, std: 0.2 },
        { mean: 0.3, std: 0.05 },
        { mean: 0.2, std: 0 },
        { mean: 0.3, std: 0 },
        { mean: 0.4, std: 0 },
      ],
      0.3,
    );
    expect(p[0]).toBeCloseTo(normalCdf(1), 15);
    expect(p[1]).toBeCloseTo(normalCdf(-1), 15);
    expect(p[2]).toBe(0.5);
    expect(Array.from(p.slice(3))).toEqual([1, 0.5, 0]);
    expect(Array.from(plausiblePoints(p).plausible)).toEqual([1, 0, 0, 1, 0, 0]);
    expect(plausiblePoints(p).count).toBe(2);
  });

  it('refuses a non-finite tolerance or a bad prediction', () => {
    expect(() => plausibility([{ mean: 0, std: 1 }], Number.NaN)).toThrow(/tolerance/);
    expect(() => plausibility([{ mean: 0, std: -1 }], 0)).toThrow(/prediction 0/);
  });
});

describe('a bowl in x, flat in y', () => {
  const region = plausibleRegion(plane, bowl, { tolerance: 2.25, seed: 3, pair: ['x', 'y'] });

  it('has the sublevel set’s share of the space', () => {
    expect(region.sampleSize).toBe(4096);
    expect(region.statement).toBeNull();
    expect(region.share).toBeCloseTo(0.3, 2);
    expect(region.plausibleCount).toBe(Math.round(region.share * 4096));
    expect(region.highest.probability).toBeCloseTo(normalCdf(2.25 / 0.5), 6);
  });

  it('gives x the bowl’s δ-sublevel set: min/max at its ends, the 5th–95th percentiles 5 % inside, identifiable', () => {
    const x = numeric(region, 'x');
    expect(x.kind).toBe('continuous');
    expect(x.min).toBeGreaterThan(2.5);
    expect(x.min).toBeLessThan(2.52);
    expect(x.max).toBeLessThan(5.5);
    expect(x.max).toBeGreaterThan(5.48);
    expect(x.interval[0]).toBeCloseTo(2.5 + 0.05 * 3, 1);
    expect(x.interval[1]).toBeCloseTo(5.5 - 0.05 * 3, 1);
    expect(x.coverage).toBeCloseTo(2.7 / 10, 2);
    expect(x.identifiable).toBe(true);
  });

  it('calls y not identifiable: its interval spans 90 % of the range', () => {
    const y = numeric(region, 'y');
    expect(y.interval[0]).toBeCloseTo(-0.9, 1);
    expect(y.interval[1]).toBeCloseTo(0.9, 1);
    expect(y.min).toBeLessThan(-0.99);
    expect(y.max).toBeGreaterThan(0.99);
    expect(y.coverage).toBeGreaterThan(0.85);
    expect(y.identifiable).toBe(false);
  });

  it('has densities: x only in the bins of (2.5, 5.5), y even', () => {
    const x = numeric(region, 'x').density;
    expect(x.axis).toEqual({ kind: 'numeric', name: 'x', edges: Array.from({ length: 21 }, (_, k) => k * 0.5) });
    x.counts.forEach((c, k) => (k >= 5 && k < 11 ? expect(c).toBeGreaterThan(0) : expect(c).toBe(0)));
    x.shares.slice(5, 11).forEach((s) => expect(s).toBeCloseTo(1 / 6, 2));
    expect(x.sampled.reduce((a, b) => a + b, 0)).toBe(4096);
    x.sampled.forEach((s) => expect(Math.abs(s - 4096 / 20)).toBeLessThanOrEqual(1)); // a Sobol sample fills equal bins evenly
    const y = numeric(region, 'y').density;
    y.shares.forEach((s) => expect(s).toBeCloseTo(1 / 20, 2));
  });

  it('has a pairwise histogram that sums to the plausible points and is empty outside the sublevel set', () => {
    const pair = region.pair!;
    expect(pair.first.name).toBe('x');
    expect(pair.second.name).toBe('y');
    expect(pair.counts.flat().reduce((a, b) => a + b, 0)).toBe(region.plausibleCount);
    expect(pair.sampled.flat().reduce((a, b) => a + b, 0)).toBe(4096);
    pair.counts.forEach((row, k) => {
      if (k < 5 || k >= 11) expect(row.every((c) => c === 0)).toBe(true);
      else expect(row.every((c) => c > 0)).toBe(true);
    });
    expect(pair.shares.flat().reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('is deterministic for a seed, and another seed estimates the same region', () => {
    expect(plausibleRegion(plane, bowl, { tolerance: 2.25, seed: 3, pair: ['x', 'y'] })).toEqual(region);
    const other = plausibleRegion(plane, bowl, { tolerance: 2.25, seed: 4 });
    expect(Math.abs(other.share - region.share)).toBeLessThan(0.01);
    expect(other.pair).toBeNull();
  });

  it('the set does not depend on σ (only the probabilities do)', () => {
    const wide = plausibleRegion(plane, (p) => ({ ...bowl(p), std: 5 }), { tolerance: 2.25, seed: 3 });
    expect(wide.plausibleCount).toBe(region.plausibleCount);
    expect(wide.highest.probability).toBeLessThan(region.highest.probability);
  });
});

describe('integers and categories', () => {
  const space = defineSpace([
    { kind: 'continuous', name: 'x', low: 0, high: 1 },
    { kind: 'integer', name: 'n', low: 1, high: 5 },
    { kind: 'categorical', name: 'shape', choices: ['a', 'b', 'c'] },
    { kind: 'categorical', name: 'texture', choices: ['u', 'v'] },
  ]);
  // μ = 10 (x − ½)² + (n − 2)² + 5·[shape = c], texture irrelevant. δ = 1.1: n = 2 with |x − ½| < 0.332,
  // n ∈ {1, 3} with |x − ½| < 0.1; shape a or b.
  const posterior: ScorePosterior = (p) => ({ mean: 10 * (Number(p.x) - 0.5) ** 2 + (Number(p.n) - 2) ** 2 + (p.shape === 'c' ? 5 : 0), std: 0.1 });
  const region = plausibleRegion(space, posterior, { tolerance: 1.1, seed: 1, pair: ['n', 'shape'] });

  it('share: P(n = 2)·0.663 + P(n ∈ {1, 3})·0.2, times P(shape ≠ c)', () => {
    const expected = ((1 / 5) * 2 * Math.sqrt(0.11) + (2 / 5) * 0.2) * (2 / 3);
    expect(region.share).toBeCloseTo(expected, 2);
  });

  it('an integer’s interval is whole numbers, one density bin per level', () => {
    const n = numeric(region, 'n');
    expect(n.kind).toBe('integer');
    expect(n.interval).toEqual([1, 3]);
    expect([n.min, n.max]).toEqual([1, 3]);
    expect(n.coverage).toBe(0.5);
    expect(n.identifiable).toBe(true);
    expect(n.density.axis).toEqual({ kind: 'numeric', name: 'n', edges: [0.5, 1.5, 2.5, 3.5, 4.5, 5.5] });
    expect(n.density.counts.slice(3)).toEqual([0, 0]);
    expect(n.density.shares[1]).toBeCloseTo(Math.sqrt(0.11) / (Math.sqrt(0.11) + 0.2), 1);
  });

  it('a categorical: the choices holding plausible points with their shares; identifiable unless ≥ 80 % of the choices hold them', () => {
    const shape = categorical(region, 'shape');
    expect(shape.choices.map((c) => c.choice).sort()).toEqual(['a', 'b']);
    shape.choices.forEach((c) => expect(c.share).toBeCloseTo(0.5, 1));
    expect(shape.interval).toEqual(['a', 'b']);
    expect(shape.coverage).toBeCloseTo(2 / 3, 12);
    expect(shape.identifiable).toBe(true);
    expect(shape.density.axis).toEqual({ kind: 'categorical', name: 'shape', choices: ['a', 'b', 'c'] });
    expect(shape.density.counts[2]).toBe(0);
    const texture = categorical(region, 'texture');
    expect(texture.interval).toEqual(['u', 'v']);
    expect(texture.coverage).toBe(1);
    expect(texture.identifiable).toBe(false);
  });

  it('pairs an integer with a categorical', () => {
    const pair = region.pair!;
    expect(pair.counts).toHaveLength(5);
    expect(pair.counts[0]).toHaveLength(3);
    pair.counts.forEach((row) => expect(row[2]).toBe(0));
    expect(pair.counts[3].concat(pair.counts[4]).every((c) => c === 0)).toBe(true);
    expect(pair.counts.flat().reduce((a, b) => a + b, 0)).toBe(region.plausibleCount);
  });
});

describe('edge cases', () => {
  it('says so plainly when no point is plausible', () => {
    const region = plausibleRegion(plane, bowl, { tolerance: -1, seed: 2, count: 512, pair: ['x', 'y'] });
    expect(region.plausibleCount).toBe(0);
    expect(region.share).toBe(0);
    expect(region.parameters).toEqual([]);
    expect(region.pair).toBeNull();
    expect(region.statement).toMatch(/^No setting is plausible: at none of 512 quasi-random points .* P\(score ≤ δ = −1\) above ½/);
    expect(region.statement).toContain('x = 4');
  });

  it('a fixed parameter is identifiable by construction; a wide integer range gets whole levels per bin', () => {
    const space = defineSpace([
      { kind: 'continuous', name: 'x', low: 0, high: 1 },
      { kind: 'continuous', name: 'fixed', low: 2, high: 2 },
      { kind: 'categorical', name: 'only', choices: ['one'] },
    ]);
    const region = plausibleRegion(space, (p) => ({ mean: Number(p.x), std: 0.1 }), { tolerance: 0.5, seed: 0, count: 256 });
    const fixed = numeric(region, 'fixed');
    expect([fixed.interval, fixed.coverage, fixed.identifiable]).toEqual([[2, 2], 0, true]);
    expect(fixed.density.counts[0]).toBe(region.plausibleCount);
    const only = categorical(region, 'only');
    expect([only.interval, only.coverage, only.identifiable]).toEqual([['one'], 0, true]);
    const wide = densityAxis({ kind: 'integer', name: 'k', low: 0, high: 44 }, 20);
    expect(wide.kind === 'numeric' && wide.edges).toEqual([...Array.from({ length: 15 }, (_, k) => -0.5 + 3 * k), 44.5]);
  });

  it('refuses bad options, naming them', () => {
    expect(() => plausibleRegion(plane, bowl, { tolerance: 1, seed: 0, pair: ['x', 'z'] })).toThrow(/option `pair` names "z"/);
    expect(() => plausibleRegion(plane, bowl, { tolerance: 1, seed: 0, pair: ['x', 'x'] })).toThrow(/two different parameters/);
    expect(() => plausibleRegion(plane, bowl, { tolerance: 1, seed: 0, count: 0 })).toThrow(/option `count`/);
    expect(() => plausibleRegion(plane, bowl, { tolerance: 1, seed: 0.5 })).toThrow(/option `seed`/);
    expect(() => pairDensity(plane, 'x', 'x', [], new Uint8Array(0))).toThrow(/must differ/);
  });

  it('samples the space with a scrambled Sobol sequence: every point inside, levels and choices even', () => {
    const space = defineSpace([
      { kind: 'integer', name: 'n', low: 1, high: 4 },
      { kind: 'categorical', name: 'c', choices: ['a', 'b'] },
    ]);
    const sample = regionSample(space, 1024, 5);
    const count = (f: (p: ParameterSet) => boolean) => sample.filter(f).length;
    for (const n of [1, 2, 3, 4]) expect(count((p) => p.n === n)).toBe(256);
    expect(count((p) => p.c === 'a')).toBe(512);
  });
});

describe('on a fitted surrogate', () => {
  it('a GP fitted to noisy scores of a bowl in a and flat in b finds a identifiable around the truth and b not', () => {
    const space = defineSpace([
      { kind: 'continuous', name: 'a', low: 0, high: 1 },
      { kind: 'continuous', name: 'b', low: 0, high: 1 },
    ]);
    const rng = createRng(11);
    const observations: Observation[] = initialDesign(space, 40, 11).map((params) => ({ params, score: 4 * (Number(params.a) - 0.6) ** 2 + 0.01 * rng.normal() }));
    const surrogate = fitSurrogate(space, observations, { kernel: 'matern52', outputTransform: 'standardize', fitStarts: 3, seed: 1 });
    const region = plausibleRegion(space, (p) => predictScore(surrogate, p), { tolerance: 0.04, seed: 7, count: 1024 });
    // Truth: 4 (a − 0.6)² < 0.04 ⟺ a ∈ (0.5, 0.7).
    const a = numeric(region, 'a');
    expect(a.identifiable).toBe(true);
    expect(a.min).toBeGreaterThan(0.45);
    expect(a.max).toBeLessThan(0.75);
    expect(a.interval[0]).toBeLessThan(0.6);
    expect(a.interval[1]).toBeGreaterThan(0.6);
    expect(numeric(region, 'b').identifiable).toBe(false);
    expect(region.share).toBeGreaterThan(0.15);
    expect(region.share).toBeLessThan(0.25);
  });
});
