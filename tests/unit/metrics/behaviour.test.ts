import { describe, expect, it } from 'vitest';
import { vstack } from '../../../src/engine/linalg/matrix';
import {
  createScoringContext,
  densityCoverage,
  epsilonBallShare,
  heldOutSize,
  metricIds,
  mmdSquaredUnbiased,
  nearestRealDistances,
  noiseFloor,
  precisionRecall,
  reachedFloor,
  scoreIteration,
  scoreParameterSet,
  scoringConfigFromIteration0,
  slicedWasserstein,
  energyDistance,
  frechetDistance,
  kernelInceptionDistance,
  medianHeuristicBandwidth,
} from '../../../src/engine/metrics';
import { fitPca } from '../../../src/engine/projection';
import { gaussianSample, readNpy } from './fixtures';

const d = 6;

describe('duplicated real samples', () => {
  const real = gaussianSample('dup-real', 16, d);
  const far = gaussianSample('dup-far', 5, d, 40);
  const row0 = { rows: 1, cols: d, data: real.data.slice(0, d) };
  const reduction = fitPca(vstack([real, far]), { components: 4 });

  it('a synthetic row that duplicates a real one is at distance exactly 0 (euclidean, Mahalanobis) and ~0 (cosine)', () => {
    const synthetic = vstack([far, row0]);
    const euclidean = nearestRealDistances(real, synthetic);
    expect(euclidean.distances[5]).toBe(0);
    expect(euclidean.indices[5]).toBe(0);
    expect(nearestRealDistances(real, synthetic, { metric: 'mahalanobis', reduction }).distances[5]).toBe(0);
    expect(nearestRealDistances(real, synthetic, { metric: 'cosine' }).distances[5]).toBeLessThan(1e-15);
    for (let j = 0; j < 5; j++) expect(euclidean.distances[j]).toBeGreaterThan(30);
  });

  it('one duplicate among far rows: precision = ε-share = 1/m; coverage and density count the real balls that contain it', () => {
    const synthetic = vstack([far, row0]);
    // Brute force: real row j's ball has radius = distance to its 5th nearest other real row.
    const dist = (i: number, j: number) => Math.hypot(...Array.from({ length: d }, (_, t) => real.data[i * d + t] - real.data[j * d + t]));
    const radius = (j: number) => Array.from({ length: 16 }, (_, i) => i).filter((i) => i !== j).map((i) => dist(i, j)).sort((a, b) => a - b)[4];
    const containing = Array.from({ length: 16 }, (_, j) => j).filter((j) => dist(0, j) <= radius(j)).length;
    expect(containing).toBeGreaterThanOrEqual(1); // row 0's own ball (distance 0)
    const dc = densityCoverage(real, synthetic, { k: 5 });
    expect(dc.coverage).toBe(containing / 16);
    expect(dc.density).toBeCloseTo(containing / (5 * 6), 14);
    const pr = precisionRecall(real, synthetic, { k: 5 });
    expect(pr.precision).toBe(1 / 6);
    expect(epsilonBallShare(real, synthetic).share).toBe(1 / 6);
  });

  it('a synthetic set that copies the real set: coverage = precision = recall = 1, density = (k+1)/k, ε-share = 1', () => {
    const dc = densityCoverage(real, real, { k: 5 });
    expect(dc.coverage).toBe(1);
    // Each real ball holds its own copy plus the copies of its k nearest neighbours (no ties in continuous data).
    expect(dc.density).toBeCloseTo(6 / 5, 14);
    const pr = precisionRecall(real, real, { k: 5 });
    expect([pr.precision, pr.recall]).toEqual([1, 1]);
    expect(epsilonBallShare(real, real).share).toBe(1);
    expect(Math.max(...nearestRealDistances(real, real).distances)).toBe(0);
  });

  it('a duplicate inside the real set gives ε from distance 0 for that pair and k-NN radii that still exclude the point itself', () => {
    const withDuplicate = vstack([real, row0]);
    // Row 0 and row 16 are each other's nearest neighbour at 0, so 2 of 17 LOO distances are 0.
    const r = epsilonBallShare(withDuplicate, row0);
    expect(r.share).toBe(1);
    expect(r.epsilon).toBeGreaterThan(0);
  });
});

describe('clear errors for impossible inputs, naming the argument', () => {
  const real = gaussianSample('err-real', 8, d);
  const synthetic = gaussianSample('err-synthetic', 8, d);

  it('too few rows', () => {
    const one = { rows: 1, cols: d, data: synthetic.data.slice(0, d) };
    expect(() => mmdSquaredUnbiased(real, one, 1)).toThrow(/mmdSquaredUnbiased: argument `synthetic` has 1 row\(s\); needs at least 2/);
    expect(() => kernelInceptionDistance(one, real)).toThrow(/argument `real` has 1 row/);
    expect(() => energyDistance(real, one)).toThrow(/argument `synthetic`/);
    expect(() => frechetDistance(one, real)).toThrow(/argument `real`.*covariance/);
    expect(() => precisionRecall(real, one)).toThrow(/argument `synthetic`.*recall/);
    expect(() => epsilonBallShare(one, real)).toThrow(/argument `real`/);
    expect(() => medianHeuristicBandwidth(one)).toThrow(/argument `embeddings` has 1 row/);
  });

  it('NaN or Infinity, with row and column', () => {
    const bad = { rows: 8, cols: d, data: Float64Array.from(synthetic.data) };
    bad.data[3 * d + 2] = NaN;
    expect(() => mmdSquaredUnbiased(real, bad, 1)).toThrow('mmdSquaredUnbiased: argument `synthetic` has NaN at row 3, column 2');
    bad.data[3 * d + 2] = Infinity;
    expect(() => slicedWasserstein(real, bad)).toThrow('argument `synthetic` has Infinity at row 3, column 2');
  });

  it('dimension mismatch names both arguments', () => {
    const wide = gaussianSample('err-wide', 8, d + 1);
    expect(() => mmdSquaredUnbiased(real, wide, 1)).toThrow('arguments `real` (6 columns) and `synthetic` (7 columns) differ in dimension');
    const context = createScoringContext(scoringConfigFromIteration0(vstack([real, synthetic]), 8));
    expect(() => scoreIteration(wide, wide, context)).toThrow(/embeddings have 7 columns but the scoring config was fitted on 6/);
  });

  it('bad options', () => {
    expect(() => mmdSquaredUnbiased(real, synthetic, 0)).toThrow('argument `bandwidth` must be a finite number > 0, got 0');
    expect(() => precisionRecall(real, synthetic, { k: 0 })).toThrow(/option `k` = 0/);
    const wide = gaussianSample('err-10d', 8, 10);
    expect(() => frechetDistance(wide, wide)).toThrow(/10-dimensional inputs with 8 real rows: pass option `reduction`/);
    const wideReduction = fitPca(vstack([wide, gaussianSample('err-10d-b', 8, 10)]), { components: 8 });
    expect(() => frechetDistance(wide, wide, { reduction: wideReduction })).toThrow(/k = 8 components; k must be < the 8 real rows/);
    expect(() => scoringConfigFromIteration0(vstack([real, synthetic]), 8, { reductionComponents: 8 })).toThrow(/must be < the 8 real samples/);
  });

  it('a matrix whose data does not match its shape', () => {
    expect(() => mmdSquaredUnbiased({ rows: 3, cols: d, data: new Float64Array(5) }, synthetic, 1)).toThrow(/claims 3×6 but holds 5 values/);
  });
});

describe('sizes n = 3..300', () => {
  it('2 real rows: scores, with the singular Mahalanobis covariance and the missing floor stated in notes', () => {
    const real = gaussianSample('two-real', 2, d);
    const synthetic = gaussianSample('two-synthetic', 5, d);
    const context = createScoringContext(scoringConfigFromIteration0(vstack([real, synthetic]), 2));
    expect(context.config.reduction.components).toHaveLength(1); // k < 2 real rows
    const result = scoreIteration(real, synthetic, context);
    expect(Number.isFinite(result.metrics.mmd2_unbiased.value)).toBe(true);
    expect(result.perSample.mahalanobis.every(Number.isFinite)).toBe(true);
    expect(result.notes).toEqual(['no noise floor: the noise floor needs at least 4 real samples to split into two parts of ≥ 2 (have 2)']);
    // A reduction with k ≥ n (against the config's rule) leaves a singular covariance: NaN and a note, not a crash.
    const wide = createScoringContext({ ...context.config, reduction: fitPca(vstack([real, synthetic]), { components: 3 }) });
    const degraded = scoreIteration(real, synthetic, wide);
    expect(degraded.perSample.mahalanobis.every(Number.isNaN)).toBe(true);
    expect(degraded.notes[0]).toMatch(/singular/);
  });

  it.each([
    [3, 3],
    [4, 3],
    [16, 3],
    [16, 24],
    [16, 300],
    [300, 300],
  ])('%i real × %i synthetic: every metric is finite; floors where a split exists', (n, m) => {
    const real = gaussianSample(`size-real-${n}`, n, d);
    const synthetic = gaussianSample(`size-synthetic-${m}`, m, d, 0.5);
    const context = createScoringContext(scoringConfigFromIteration0(vstack([real, synthetic]), n, { repeats: 30 }));
    const result = scoreIteration(real, synthetic, context);
    for (const id of metricIds) expect(Number.isFinite(result.metrics[id].value), `${id} at ${n}×${m}`).toBe(true);
    expect(result.perSample.euclidean).toHaveLength(m);
    expect(result.perSample.mahalanobis.every(Number.isFinite)).toBe(true);
    const floor = result.metrics.mmd2_unbiased.floor;
    if (n < 4) {
      expect(floor.available).toBe(false);
      if (!floor.available) expect(floor.reason).toMatch(/at least 4 real samples/);
      expect(result.metrics.mmd2_unbiased.matched).toBeNull();
    } else {
      expect(floor.available).toBe(true);
      if (floor.available) {
        expect(floor.heldOutSize).toBe(heldOutSize(n, m));
        expect(floor.referenceSize).toBe(n - heldOutSize(n, m));
        expect(floor.low).toBeLessThanOrEqual(floor.high);
      }
      expect(result.metrics.frechet_pca.matched).not.toBeNull();
    }
    expect(result.details.kReal).toBe(Math.min(5, n - 1));
  });
});

describe('noise floor protocol', () => {
  const real = gaussianSample('floor-protocol', 16, d);
  const config = scoringConfigFromIteration0(vstack([real, gaussianSample('floor-protocol-it0', 40, d)]), 16);

  it('h = min(m, ⌊n/2⌋): 13 vs 3 for a parameter set, 8 vs 8 for an iteration', () => {
    expect(heldOutSize(16, 3)).toBe(3);
    expect(heldOutSize(16, 24)).toBe(8);
    expect(heldOutSize(5, 3)).toBe(2);
  });

  it('uses every split when there are at most `repeats` of them, else `repeats` seeded draws', () => {
    const small = gaussianSample('floor-small', 6, d);
    const context = createScoringContext({ ...config, repeats: 200 });
    const exhaustive = noiseFloor(small, { candidateCount: 3, context, metrics: ['mmd2_unbiased'] }).mmd2_unbiased!;
    expect(exhaustive).toMatchObject({ available: true, splits: 20, exhaustive: true, referenceSize: 3, heldOutSize: 3 });
    const sampled = noiseFloor(real, { candidateCount: 3, context, metrics: ['mmd2_unbiased'] }).mmd2_unbiased!;
    expect(sampled).toMatchObject({ available: true, splits: 200, exhaustive: false });
  });

  it('is deterministic for a seed, cached per context, and changes with the seed', () => {
    const a = noiseFloor(real, { candidateCount: 3, context: createScoringContext(config) });
    const b = noiseFloor(real, { candidateCount: 3, context: createScoringContext(config) });
    expect(b).toEqual(a);
    const context = createScoringContext(config);
    noiseFloor(real, { candidateCount: 3, context });
    const cachedEntries = context.cache.size;
    noiseFloor(real, { candidateCount: 3, context });
    expect(context.cache.size).toBe(cachedEntries);
    const c = noiseFloor(real, { candidateCount: 3, context: createScoringContext({ ...config, seed: 7 }) });
    expect(c.mmd2_unbiased).not.toEqual(a.mmd2_unbiased);
  });

  it('cached reference summaries are exact: a warm context gives the same results as a fresh one, in any call order', () => {
    const batch = gaussianSample('cache-batch', 24, d, 0.3);
    const set = gaussianSample('cache-set', 3, d, 0.3);
    const warm = createScoringContext(config);
    scoreParameterSet(real, set, warm); // fills the 13-vs-3 plan and summaries first
    noiseFloor(real, { candidateCount: 24, context: warm });
    const fromWarm = [scoreIteration(real, batch, warm), scoreIteration(real, batch, warm)];
    const fresh = scoreIteration(real, batch, createScoringContext(config));
    expect(fromWarm[0]).toEqual(fresh);
    expect(fromWarm[1]).toEqual(fresh);
    expect(scoreParameterSet(real, set, warm)).toEqual(scoreParameterSet(real, set, createScoringContext(config)));
  });

  it('the band is the 5 % and 95 % quantiles by default and the floor sits where a perfect generator would', () => {
    const floors = noiseFloor(real, { candidateCount: 24, context: createScoringContext(config) });
    const f = floors.mmd2_unbiased!;
    if (!f.available) throw new Error('unavailable');
    expect(f.quantiles).toEqual([0.05, 0.95]);
    expect(f.low).toBeLessThan(0);
    expect(f.high).toBeGreaterThan(0);
    // Density is 1 in expectation for one distribution (Naeem et al.).
    const density = floors.density!;
    if (!density.available) throw new Error('unavailable');
    expect(Math.abs(density.mean - 1)).toBeLessThan(0.25);
  });
});

describe('scores for the optimizer', () => {
  const real = readNpy('real_384.npy');
  const synthetic = readNpy('synthetic_384.npy');
  const iteration0 = vstack([real, synthetic]);
  const context = createScoringContext(scoringConfigFromIteration0(iteration0, 16));
  const rows = (from: number, count: number) => ({ rows: count, cols: 384, data: synthetic.data.slice(from * 384, (from + count) * 384) });

  it('scoreParameterSet is the unbiased Gaussian MMD² with the fixed bandwidth, with a 13 vs 3 floor', () => {
    const set = rows(0, 3);
    const score = scoreParameterSet(real, set, context);
    expect(score.score).toBe(mmdSquaredUnbiased(real, set, context.config.bandwidth));
    expect(score.info.id).toBe('mmd2_unbiased');
    expect(score.floor).toMatchObject({ available: true, referenceSize: 13, heldOutSize: 3 });
    if (score.floor.available) expect(score.excessOverFloor).toBeCloseTo(score.score - score.floor.mean, 15);
  });

  it('ranks the fixture groups: "same as real" scores below "close", "close" below "far"', () => {
    const close = scoreParameterSet(real, rows(0, 24), context).score;
    const far = scoreParameterSet(real, rows(24, 24), context).score;
    const same = scoreParameterSet(real, rows(48, 24), context);
    expect(same.score).toBeLessThan(close);
    expect(close).toBeLessThan(far);
    expect(same.withinFloor).toBe(true);
  });

  it('scoreIteration labels every metric and reports whether it reached its floor', () => {
    const result = scoreIteration(real, rows(24, 24), context);
    for (const id of metricIds) {
      const m = result.metrics[id];
      expect(m.info.id).toBe(id);
      expect(m.info.unit.length).toBeGreaterThan(3);
      expect(m.info.estimator.length).toBeGreaterThan(3);
    }
    // The far group is far: MMD² has not reached the floor.
    expect(reachedFloor(result.metrics.mmd2_unbiased)).toBe(false);
    expect(result.epsilon.rule).toMatch(/median over real samples/);
    expect(result.perSample.insideEpsilon).toHaveLength(24);
  });

  it('caps pair-based terms above maxPooledSynthetic and still uses every row per sample', () => {
    const big = gaussianSample('cap', 60, 384, 0, 0.05);
    const capped = createScoringContext({ ...context.config, maxPooledSynthetic: 40, repeats: 10 });
    const result = scoreIteration(real, big, capped);
    expect(result.sizes).toEqual({ real: 16, synthetic: 60, pooledSynthetic: 40 });
    expect(result.perSample.euclidean).toHaveLength(60);
    for (const id of metricIds) expect(Number.isFinite(result.metrics[id].value)).toBe(true);
  });
});
