import { describe, expect, it } from 'vitest';
import { vstack } from '../../../src/engine/linalg/matrix';
import {
  createScoringContext,
  kernelInceptionDistance,
  medianHeuristicBandwidth,
  metricIds,
  metricInfo,
  mmdSquaredBiased,
  mmdSquaredUnbiased,
  scoreIteration,
  scoreParameterSet,
  scoringConfigFromIteration0,
  type MetricId,
} from '../../../src/engine/metrics';
import { mean, standardDeviation } from '../../../src/engine/metrics/summary';
import { gaussianSample, permuteRows } from './fixtures';

/**
 * Statistical behaviour that a wrong estimator would fail: centring of the unbiased statistics under the
 * null, agreement with the noise floor, monotone response to a mean shift, and order invariance. All
 * samples are seeded, so each test is deterministic; the thresholds are set from the sampling theory
 * (standard errors), not tuned to pass.
 */
const d = 8;

describe('two samples of one distribution', () => {
  // 300 independent replicate pairs: X ~ N(0, I), n = 16; Y ~ N(0, I), m = 3 (a parameter set's size).
  const sigma = medianHeuristicBandwidth(gaussianSample('bandwidth', 200, d));
  const replicates = Array.from({ length: 300 }, (_, r) => ({
    x: gaussianSample(`null-x-${r}`, 16, d),
    y: gaussianSample(`null-y-${r}`, 3, d),
  }));

  it('unbiased MMD² and KID are centred on 0 (|mean| < 3.5 standard errors); biased MMD² is not', () => {
    const unbiased = replicates.map(({ x, y }) => mmdSquaredUnbiased(x, y, sigma));
    const kid = replicates.map(({ x, y }) => kernelInceptionDistance(x, y));
    const biased = replicates.map(({ x, y }) => mmdSquaredBiased(x, y, sigma));
    const z = (v: number[]) => mean(v) / (standardDeviation(v) / Math.sqrt(v.length));
    expect(Math.abs(z(unbiased))).toBeLessThan(3.5);
    expect(Math.abs(z(kid))).toBeLessThan(3.5);
    // The V-statistic's bias (1 − E k)(1/n + 1/m) is positive and large at m = 3.
    expect(z(biased)).toBeGreaterThan(10);
  });

  it('the real-vs-real noise floor band holds fresh same-distribution scores about 90 % of the time', () => {
    // One real set; its floor at the parameter-set size; fresh 3-sample candidates from the same law.
    const real = gaussianSample('floor-real', 16, d);
    const context = createScoringContext(scoringConfigFromIteration0(vstack([real, gaussianSample('floor-it0', 48, d)]), 16));
    const scores = Array.from({ length: 200 }, (_, r) => scoreParameterSet(real, gaussianSample(`floor-candidate-${r}`, 3, d), context));
    const floor = scores[0].floor;
    if (!floor.available) throw new Error(floor.reason);
    expect(floor.referenceSize).toBe(13);
    expect(floor.heldOutSize).toBe(3);
    // The floor's split values are centred too (same estimator, same law).
    expect(Math.abs(floor.mean)).toBeLessThan(floor.sd / 2);
    const inside = scores.filter((s) => s.score >= floor.low && s.score <= floor.high).length / scores.length;
    // Nominal 90 %; the floor's 13-row reference is a little noisier than 16, and the split values are
    // correlated, so the coverage is not exact — but a wrong centre or scale lands far outside 0.75..0.99.
    expect(inside).toBeGreaterThan(0.75);
    expect(inside).toBeLessThan(0.99);
    expect(scores.filter((s) => s.withinFloor).length / scores.length).toBeGreaterThan(0.9);
  });
});

describe('mean shift', () => {
  // Monotonicity is a property of the expected value: one 16-row real sample has its own empirical mean
  // (±0.25 along e_0), and a small shift towards it can improve one sample's k-NN metrics. So each value
  // is the average over 16 independent replicates, with common random numbers across the shifts (the
  // same synthetic draws, moved along e_0 by δ).
  const shifts = [0, 1, 2, 4];
  const replicates = 16;
  const averages = new Map<MetricId, number[]>(metricIds.map((id) => [id, shifts.map(() => 0)]));
  const floors: { value: number; high: number }[] = [];
  for (let r = 0; r < replicates; r++) {
    const real = gaussianSample(`shift-real-${r}`, 16, d);
    const base = gaussianSample(`shift-synthetic-${r}`, 24, d);
    const context = createScoringContext(scoringConfigFromIteration0(vstack([real, base]), 16, { repeats: 20 }));
    shifts.forEach((delta, s) => {
      const data = Float64Array.from(base.data);
      for (let i = 0; i < base.rows; i++) data[i * d] += delta;
      const result = scoreIteration(real, { rows: base.rows, cols: d, data }, context);
      for (const id of metricIds) averages.get(id)![s] += result.metrics[id].value / replicates;
      const mmd = result.metrics.mmd2_unbiased;
      if (r === 0 && mmd.floor.available) floors.push({ value: mmd.value, high: mmd.floor.high });
    });
  }

  it.each(metricIds.map((id) => [id]))('%s moves strictly away from the real set at every step of δ = 0, 1, 2, 4', (id: MetricId) => {
    const values = averages.get(id)!;
    const direction = metricInfo[id].direction;
    for (let i = 1; i < values.length; i++) {
      if (direction === 'lower') expect(values[i], `δ = ${shifts[i]}: ${values}`).toBeGreaterThan(values[i - 1]);
      else expect(values[i], `δ = ${shifts[i]}: ${values}`).toBeLessThan(values[i - 1]);
    }
  });

  it('a 4σ shift is far outside the MMD² noise floor; no shift is inside it', () => {
    expect(floors).toHaveLength(shifts.length);
    expect(floors[0].value).toBeLessThanOrEqual(floors[0].high);
    expect(floors[3].value).toBeGreaterThan(5 * floors[3].high);
  });
});

describe('order invariance', () => {
  it('every metric value is the same for permuted real and synthetic rows (rtol 1e-12)', () => {
    const real = gaussianSample('order-real', 16, d);
    const synthetic = gaussianSample('order-synthetic', 30, d, 0.7);
    const context = createScoringContext(scoringConfigFromIteration0(vstack([real, synthetic]), 16, { repeats: 10 }));
    const a = scoreIteration(real, synthetic, context);
    const realOrder = Array.from({ length: 16 }, (_, i) => (i * 7) % 16);
    const syntheticOrder = Array.from({ length: 30 }, (_, i) => 29 - i);
    const b = scoreIteration(permuteRows(real, realOrder), permuteRows(synthetic, syntheticOrder), context);
    for (const id of metricIds) {
      const x = a.metrics[id].value;
      const y = b.metrics[id].value;
      expect(Math.abs(x - y), id).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(x)));
    }
    // Per-sample arrays follow the synthetic rows.
    syntheticOrder.forEach((from, to) => {
      expect(b.perSample.euclidean[to]).toBeCloseTo(a.perSample.euclidean[from], 12);
      expect(b.perSample.mahalanobis[to]).toBeCloseTo(a.perSample.mahalanobis[from], 10);
    });
  });
});
