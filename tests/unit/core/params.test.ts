import { describe, expect, it } from 'vitest';
import { defaultExperimentConfig } from '../../../src/engine/config/experimentConfig';
import { datasetDistributionFromConfig, parameterSpaceFromConfig } from '../../../src/engine/config/space';
import { sampleParameterSet, sampleUniform } from '../../../src/engine/space/sampling';
import {
  assertInSpace,
  clampToSpace,
  decodeFromUnitCube,
  defineSpace,
  encodeToUnitCube,
  encodedDimension,
  encodedNames,
  parameterSetKey,
} from '../../../src/engine/space/space';
import { createRng } from '../../../src/engine/random/rng';

const config = defaultExperimentConfig();
const space = parameterSpaceFromConfig(config);

describe('parameter space from the default configuration', () => {
  it('has the six POC parameters with their kinds and bounds', () => {
    expect(space.parameters.map((p) => [p.name, p.kind])).toEqual([
      ['void_shape', 'categorical'],
      ['void_count', 'integer'],
      ['base_size', 'continuous'],
      ['brightness_factor', 'continuous'],
      ['size_std', 'continuous'],
      ['position_spread', 'continuous'],
    ]);
    expect(encodedDimension(space)).toBe(8);
    expect(encodedNames(space).slice(0, 3)).toEqual(['void_shape=circle', 'void_shape=ellipse', 'void_shape=irregular']);
  });

  it('rejects malformed spaces with the parameter named', () => {
    expect(() => defineSpace([{ kind: 'continuous', name: 'a', low: 2, high: 1 }])).toThrow(/"a".*greater/);
    expect(() => defineSpace([{ kind: 'integer', name: 'n', low: 0.5, high: 3 }])).toThrow(/"n".*whole/);
    expect(() => defineSpace([{ kind: 'categorical', name: 'c', choices: [] }])).toThrow(/"c"/);
    expect(() =>
      defineSpace([
        { kind: 'continuous', name: 'a', low: 0, high: 1 },
        { kind: 'continuous', name: 'a', low: 0, high: 1 },
      ]),
    ).toThrow(/twice/);
  });
});

describe('sampling from configured distributions', () => {
  it('stays within bounds and respects kinds', () => {
    const rng = createRng(1);
    for (const dataset of ['real', 'close', 'far'] as const) {
      const d = datasetDistributionFromConfig(config, dataset);
      for (let i = 0; i < 2000; i++) assertInSpace(space, sampleParameterSet(space, d, rng));
    }
    for (let i = 0; i < 2000; i++) assertInSpace(space, sampleUniform(space, rng));
  });

  it('matches configured means (where clipping is negligible) and probabilities', () => {
    const rng = createRng(2);
    const d = datasetDistributionFromConfig(config, 'real');
    const n = 20_000;
    const sets = Array.from({ length: n }, () => sampleParameterSet(space, d, rng));
    const mean = (k: string) => sets.reduce((s, p) => s + Number(p[k]), 0) / n;
    // brightness N(0.6, 0.1) in [0.3, 0.8]: clipping at 0.8 (2σ) pulls the mean down by
    // σ·[φ(2) − 2(1 − Φ(2))]·… ≈ 0.0037 (clipped-normal mean), the lower bound at −3σ adds ~0.0001.
    expect(mean('brightness_factor')).toBeCloseTo(0.6 - 0.0036, 2);
    // base_size N(20, 5) in [5, 40]: bounds at −3σ/+4σ, clipping effect < 0.01.
    expect(Math.abs(mean('base_size') - 20)).toBeLessThan(4 * (5 / Math.sqrt(n)) + 0.01);
    const shares = ['circle', 'ellipse', 'irregular'].map((c) => sets.filter((p) => p.void_shape === c).length / n);
    expect(shares[0]).toBeCloseTo(0.2, 2);
    expect(shares[1]).toBeCloseTo(0.5, 2);
    expect(shares[2]).toBeCloseTo(0.3, 2);
    expect(sets.every((p) => Number.isInteger(p.void_count))).toBe(true);
  });

  it('clips a normal centred on a bound: half the mass lands on the bound', () => {
    const s = defineSpace([{ kind: 'continuous', name: 'x', low: 0, high: 1 }]);
    const rng = createRng(9);
    const xs = Array.from({ length: 10_000 }, () => Number(sampleParameterSet(s, { x: { kind: 'normal', mean: 1, std: 0.2 } }, rng).x));
    expect(xs.filter((x) => x === 1).length / xs.length).toBeCloseTo(0.5, 1);
    expect(Math.max(...xs)).toBe(1);
  });
});

describe('unit-cube encoding', () => {
  it('round-trips every valid point exactly, and encodes into [0,1]', () => {
    const rng = createRng(4);
    for (let i = 0; i < 500; i++) {
      const set = sampleUniform(space, rng);
      const u = encodeToUnitCube(space, set);
      expect(u.every((x) => x >= 0 && x <= 1)).toBe(true);
      const back = decodeFromUnitCube(space, u);
      expect(back.void_shape).toBe(set.void_shape);
      expect(back.void_count).toBe(set.void_count);
      for (const k of ['base_size', 'brightness_factor', 'size_std', 'position_spread']) {
        expect(back[k] as number).toBeCloseTo(set[k] as number, 12);
      }
    }
  });

  it('decodes any vector to a valid point: clips, rounds integers, argmax for categories', () => {
    const u = [0.1, 0.7, 0.2, 0.51, -3, 2, 0.5, 0.5];
    const p = decodeFromUnitCube(space, u);
    expect(p.void_shape).toBe('ellipse');
    expect(p.void_count).toBe(3 + Math.round(0.51 * 17));
    expect(p.base_size).toBe(5);
    expect(p.brightness_factor).toBe(0.8);
    assertInSpace(space, p);
    expect(() => decodeFromUnitCube(space, [0.5])).toThrow(/8/);
  });

  it('clamps and keys parameter sets', () => {
    const c = clampToSpace(space, { void_shape: 'circle', void_count: 25.4, base_size: 1, brightness_factor: 0.5, size_std: 3, position_spread: 0.9 });
    expect(c).toMatchObject({ void_count: 20, base_size: 5, position_spread: 0.8 });
    expect(parameterSetKey(space, c)).toBe(parameterSetKey(space, { ...c }));
    expect(() => assertInSpace(space, { ...c, void_shape: 'square' })).toThrow(/void_shape.*square/);
    expect(() => assertInSpace(space, { ...c, void_count: 3.5 })).toThrow(/void_count.*whole/);
  });
});
