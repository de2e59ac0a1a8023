import { describe, expect, it } from 'vitest';
import { fromRows } from '../../../src/engine/linalg/matrix';
import { createScoringContext, scoreParameterSet, scoringConfigFromIteration0 } from '../../../src/engine/metrics';
import { scoreSingleSample } from '../../../src/engine/metrics/singleSample';
import { createRng } from '../../../src/engine/random/rng';

/** Brute force of s(x) = 2 (k̄_RR − k̄_xR) with k = exp(−‖a−b‖²/(2σ²)). */
function bruteForce(real: number[][], x: number[], sigma: number): number {
  const k = (a: number[], b: number[]) => Math.exp(-a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0) / (2 * sigma * sigma));
  let within = 0;
  for (let i = 0; i < real.length; i++) for (let j = 0; j < real.length; j++) if (i !== j) within += k(real[i], real[j]);
  const n = real.length;
  return 2 * (within / (n * (n - 1)) - real.reduce((s, r) => s + k(x, r), 0) / n);
}

describe('a parameter set told with one sample', () => {
  const rng = createRng(5);
  const real = Array.from({ length: 12 }, () => Array.from({ length: 4 }, () => rng.normal(0, 1)));
  const near = Array.from({ length: 4 }, () => rng.normal(0, 1));
  const far = [6, 6, 6, 6];
  const all = fromRows([...real, near, far].map((r) => Float32Array.from(r)));
  const scoring = scoringConfigFromIteration0(all, 12, { seed: 1 });
  const context = createScoringContext(scoring);
  const R = fromRows(real.map((r) => Float32Array.from(r)));

  it('scores 2 (k̄_RR − k̄_xR) with the fixed kernel (brute force), with a leave-one-out floor centred near 0', () => {
    const { score, floor } = scoreSingleSample(R, fromRows([Float32Array.from(near)]), context);
    expect(score).toBeCloseTo(bruteForce(real.map((r) => r.map(Math.fround)), near.map(Math.fround), scoring.bandwidth), 6);
    expect(floor.available).toBe(true);
    if (!floor.available) return;
    expect(floor.splits).toBe(12);
    // Each leave-one-out value is the statistic of one real sample against the 11 others.
    const loo = real.map((r, i) => bruteForce(real.filter((_, j) => j !== i).map((v) => v.map(Math.fround)), r.map(Math.fround), scoring.bandwidth));
    expect(floor.mean).toBeCloseTo(loo.reduce((a, b) => a + b, 0) / 12, 6);
    expect(Math.abs(floor.mean)).toBeLessThan(floor.high - floor.low);
  });

  it('is what scoreParameterSet gives a one-sample set (marked), and orders a far sample above a near one', () => {
    const nearScore = scoreParameterSet(R, fromRows([Float32Array.from(near)]), context);
    const farScore = scoreParameterSet(R, fromRows([Float32Array.from(far)]), context);
    expect(nearScore.singleSample).toBe(true);
    expect(nearScore.sizes).toEqual({ real: 12, synthetic: 1 });
    expect(farScore.score).toBeGreaterThan(nearScore.score);
    expect(farScore.withinFloor).toBe(false);
    expect(scoreParameterSet(R, fromRows([Float32Array.from(near), Float32Array.from(far)]), context).singleSample).toBeUndefined();
  });
});
