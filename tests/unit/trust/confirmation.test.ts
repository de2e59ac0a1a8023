import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { vstack, fromRows, type Matrix } from '../../../src/engine/linalg/matrix';
import { medianHeuristicBandwidth } from '../../../src/engine/metrics/bandwidth';
import { mmdSquaredUnbiased } from '../../../src/engine/metrics/kernelTwoSample';
import { createRng, type Rng } from '../../../src/engine/random/rng';
import { bootstrapInterval, resampledMmd2 } from '../../../src/engine/trust/bootstrapInterval';
import { confirm, decideVerdict } from '../../../src/engine/trust/confirmation';
import { formatNumber } from '../../../src/engine/trust/confirmationStatement';
import { detectableShift } from '../../../src/engine/trust/detectableShift';
import { floorAtSizes, nullVarianceFactor } from '../../../src/engine/trust/floorAtSizes';
import { permutationTest } from '../../../src/engine/trust/permutationTest';
import { identityOrder, pairTotal, pooledKernel, splitMmd2 } from '../../../src/engine/trust/pooledKernel';

/**
 * The confirmation test: goldens from scripts/trust_goldens.py (exact MMD², exact permutation p-values
 * over every split, the exhaustive floor, the shift units), the Monte Carlo p-value checked statistically
 * against the exact one, the bootstrap's centring by enumeration, the floor's size adjustment against a
 * simulated null, the verdict rules on constructed cases, determinism and refusals.
 */

interface Golden {
  real: number[][];
  synthetic: number[][];
  bandwidth: number;
  mmd2: number;
  exactCount: number;
  exactSplits: number;
  exactP: number;
  floor?: { m: number; heldOut: number; reference: number; splits: number; splitQuantile: number; scale: number; delta: number };
  principalSd?: number;
  shiftMmd2?: Record<string, number>;
}

const load = (name: string) => JSON.parse(readFileSync(join(__dirname, '../../fixtures/trust', `confirmation_${name}.json`), 'utf8')) as Golden;
const mc = load('mc');
const tinyNull = load('tiny_null');
const tinyShift = load('tiny_shift');

function gaussian(rng: Rng, rows: number, dim: number, shift = 0): Matrix {
  return fromRows(Array.from({ length: rows }, () => Array.from({ length: dim }, (_, j) => rng.normal() + (j === 0 ? shift : 0))));
}

/** DINOv2-like rows: a rank-12 structure plus noise around a common mean, L2-normalised (Float32). */
function embeddings(rng: Rng, rows: number, dim: number, basis: Matrix): Matrix<Float32Array> {
  const data = new Float32Array(rows * dim);
  for (let i = 0; i < rows; i++) {
    const z = Array.from({ length: basis.rows }, (_, l) => rng.normal() * (1 - l / 15));
    const x = new Float64Array(dim);
    let norm = 0;
    for (let t = 0; t < dim; t++) {
      let s = 0.3 + 0.05 * rng.normal();
      for (let l = 0; l < basis.rows; l++) s += (z[l] * basis.data[l * dim + t]) / Math.sqrt(dim);
      x[t] = s;
      norm += s * s;
    }
    for (let t = 0; t < dim; t++) data[i * dim + t] = x[t] / Math.sqrt(norm);
  }
  return { rows, cols: dim, data };
}

describe('goldens (scripts/trust_goldens.py)', () => {
  const real = fromRows(mc.real);
  const synthetic = fromRows(mc.synthetic);

  it('the unbiased MMD² matches numpy to 1e-12 (and the metric suite)', () => {
    for (const g of [mc, tinyNull, tinyShift]) {
      const r = permutationTest(fromRows(g.real), fromRows(g.synthetic), g.bandwidth, { seed: 1 });
      expect(Math.abs(r.mmd2 - g.mmd2)).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(r.mmd2 - mmdSquaredUnbiased(fromRows(g.real), fromRows(g.synthetic), g.bandwidth))).toBeLessThanOrEqual(1e-13);
    }
  });

  it('the exhaustive p-value over all 70 splits of 4 + 4 matches exactly, mirror ties included', () => {
    for (const g of [tinyNull, tinyShift]) {
      const r = permutationTest(fromRows(g.real), fromRows(g.synthetic), g.bandwidth, { seed: 0, exhaustive: true });
      expect(r.exhaustive).toBe(true);
      expect(r.permutations).toBe(70);
      expect(r.exceedances).toBe(g.exactCount);
      expect(r.pValue).toBe(g.exactP);
    }
    // Far-apart samples: the observed split and its mirror image share the largest statistic.
    expect(tinyShift.exactCount).toBe(2);
  });

  it('the exhaustive p-value over all C(22, 12) = 646,646 splits matches exactly', () => {
    const r = permutationTest(real, synthetic, mc.bandwidth, { seed: 0, exhaustive: true });
    expect(r.permutations).toBe(646_646);
    expect(r.exceedances).toBe(mc.exactCount);
    expect(r.pValue).toBe(mc.exactP);
  });

  it('the Monte Carlo p-value is within 3 binomial sds of the exact one', () => {
    const p = mc.exactP;
    for (const [seed, permutations] of [[1, 1000], [2, 1000], [3, 4000]]) {
      const r = permutationTest(real, synthetic, mc.bandwidth, { seed, permutations });
      expect(r.pValue).toBe((1 + r.exceedances) / (1 + permutations));
      expect(Math.abs(r.pValue - p)).toBeLessThanOrEqual(3 * Math.sqrt((p * (1 - p)) / permutations));
    }
  });

  it('the floor over all 924 splits of 6 vs 6, and its size adjustment, match numpy', () => {
    const g = mc.floor!;
    const f = floorAtSizes(real, g.m, mc.bandwidth, { seed: 5 });
    expect(f.exhaustive).toBe(true);
    expect(f.splits).toBe(g.splits);
    expect(f.splitSizes).toEqual({ reference: g.reference, heldOut: g.heldOut });
    expect(f.testSizes).toEqual({ real: 12, synthetic: 10 });
    expect(Math.abs(f.splitQuantile - g.splitQuantile)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(f.scale - g.scale)).toBeLessThanOrEqual(1e-14);
    expect(Math.abs(f.delta - g.delta)).toBeLessThanOrEqual(1e-12);
    const none = floorAtSizes(real, g.m, mc.bandwidth, { seed: 5, sizeAdjustment: 'none' });
    expect(none.delta).toBe(f.splitQuantile);
    expect(none.scale).toBe(1);
  });

  it('the detectable shift is measured in the sd along the first principal direction, with the MMD² numpy gives', () => {
    const d = detectableShift(real, 10, mc.bandwidth, { seed: 2, simulations: 10 });
    expect(Math.abs(d.sd - mc.principalSd!)).toBeLessThanOrEqual(1e-12);
    let matched = 0;
    for (const point of d.curve) {
      const golden = mc.shiftMmd2![String(point.offsetSd)];
      if (golden === undefined) continue;
      expect(Math.abs(point.mmd2 - golden)).toBeLessThanOrEqual(1e-12);
      matched++;
    }
    expect(matched).toBeGreaterThanOrEqual(1);
    expect(d.curve[0]).toMatchObject({ offsetSd: 0, mmd2: 0 });
  });
});

describe('permutationTest', () => {
  it('is deterministic under a seed and depends on it', () => {
    const rng = createRng(11);
    const real = gaussian(rng, 10, 4);
    const synthetic = gaussian(rng, 12, 4, 0.4);
    const a = permutationTest(real, synthetic, 2, { seed: 9 });
    expect(permutationTest(real, synthetic, 2, { seed: 9 })).toEqual(a);
    const others = [10, 11, 12].map((seed) => permutationTest(real, synthetic, 2, { seed }).exceedances);
    expect(others.some((b) => b !== a.exceedances)).toBe(true);
  });

  it('re-splitting the pooled kernel gives the same statistic as the metric suite for any split', () => {
    const rng = createRng(3);
    const pool = gaussian(rng, 9, 3);
    const kernel = pooledKernel(fromRows(Array.from({ length: 4 }, (_, i) => pool.data.subarray(i * 3, i * 3 + 3))), fromRows(Array.from({ length: 5 }, (_, i) => pool.data.subarray((i + 4) * 3, (i + 5) * 3))), 1.5);
    const order = Int32Array.from([7, 2, 5, 0, 8, 1, 3, 4, 6]);
    const rows = (idx: ArrayLike<number>) => fromRows(Array.from(idx, (r) => pool.data.subarray(r * 3, r * 3 + 3)));
    const expected = mmdSquaredUnbiased(rows(order.subarray(0, 4)), rows(order.subarray(4)), 1.5);
    expect(Math.abs(splitMmd2(kernel, order, 4, 5, pairTotal(kernel)) - expected)).toBeLessThanOrEqual(1e-14);
  });
});

describe('bootstrapInterval', () => {
  const rng = createRng(21);
  const real = gaussian(rng, 3, 2);
  const synthetic = gaussian(rng, 3, 2, 0.7);
  const kernel = pooledKernel(real, synthetic, 1.2);
  const observed = splitMmd2(kernel, identityOrder(6), 3, 3, pairTotal(kernel));

  it('a resample that draws every row once reproduces the observed unbiased MMD²', () => {
    expect(Math.abs(resampledMmd2(kernel, new Float64Array([1, 1, 1]), new Float64Array([1, 1, 1])) - observed)).toBeLessThanOrEqual(1e-15);
  });

  it('excluding identical-source pairs centres the resamples exactly on the observed MMD² (all 27 × 27 draws of 3 + 3)', () => {
    // Every ordered draw of 3 rows with replacement (27 per side), minus the 3 that repeat one row.
    const draws: number[][] = [];
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) for (let c = 0; c < 3; c++) if (!(a === b && b === c)) draws.push([a, b, c]);
    const counts = (d: number[]) => {
      const out = new Float64Array(3);
      d.forEach((i) => out[i]++);
      return out;
    };
    // The same draws with the duplicated pairs left in (k(x, x) = 1), for contrast.
    const naiveWithin = (d: number[], offset: number) => {
      let s = 0;
      for (let p = 0; p < 3; p++) for (let q = 0; q < 3; q++) if (p !== q) s += kernel.values[(offset + d[p]) * 6 + offset + d[q]];
      return s / 6;
    };
    let sum = 0;
    let naive = 0;
    for (const x of draws) {
      for (const y of draws) {
        sum += resampledMmd2(kernel, counts(x), counts(y));
        let cross = 0;
        for (const i of x) for (const j of y) cross += kernel.values[i * 6 + 3 + j];
        naive += naiveWithin(x, 0) + naiveWithin(y, 3) - (2 * cross) / 9;
      }
    }
    const total = draws.length * draws.length;
    expect(Math.abs(sum / total - observed)).toBeLessThanOrEqual(1e-12);
    expect(naive / total - observed).toBeGreaterThan(0.05);
  });

  it('is a seeded percentile interval around the estimate', () => {
    const r2 = createRng(4);
    const a = gaussian(r2, 16, 5);
    const b = gaussian(r2, 32, 5, 0.5);
    const interval = bootstrapInterval(a, b, 3, { seed: 8 });
    expect(bootstrapInterval(a, b, 3, { seed: 8 })).toEqual(interval);
    expect(interval.level).toBe(0.9);
    expect(interval.resamples).toBe(1000);
    const mmd2 = mmdSquaredUnbiased(a, b, 3);
    expect(interval.low).toBeLessThan(mmd2);
    expect(interval.high).toBeGreaterThan(mmd2);
    const wide = bootstrapInterval(a, b, 3, { seed: 8, level: 0.99 });
    expect(wide.high - wide.low).toBeGreaterThan(interval.high - interval.low);
  });
});

describe('floorAtSizes', () => {
  it('caps the held-out part at half the real set and says so', () => {
    const rng = createRng(31);
    const real = gaussian(rng, 16, 4);
    const f = floorAtSizes(real, 32, 2.5, { seed: 1 });
    expect(f.splitSizes).toEqual({ reference: 8, heldOut: 8 });
    expect(f.exhaustive).toBe(false);
    expect(f.splits).toBe(1000);
    expect(f.scale).toBeCloseTo(Math.sqrt(nullVarianceFactor(16, 32) / nullVarianceFactor(8, 8)), 15);
    expect(f.note).toMatch(/8 vs 8.*capped.*16 real vs 32 synthetic/);
    const small = floorAtSizes(real, 3, 2.5, { seed: 1 });
    expect(small.splitSizes).toEqual({ reference: 13, heldOut: 3 });
    expect(small.exhaustive).toBe(true);
    expect(small.splits).toBe(560);
  });

  it('the size-adjusted δ estimates the 95th percentile of the null at the test sizes (16 vs 32); the unadjusted one does not', () => {
    const rng = createRng(77);
    const dim = 5;
    const bandwidth = Math.sqrt(2 * dim);
    const draws = 1500;
    const nulls = Float64Array.from({ length: draws }, () => mmdSquaredUnbiased(gaussian(rng, 16, dim), gaussian(rng, 32, dim), bandwidth)).sort();
    const truth = nulls[Math.round(0.95 * (draws - 1))];
    let adjusted = 0;
    let raw = 0;
    const sets = 20;
    for (let s = 0; s < sets; s++) {
      const f = floorAtSizes(gaussian(rng, 16, dim), 32, bandwidth, { seed: s, splits: 400 });
      adjusted += f.delta / sets;
      raw += f.splitQuantile / sets;
    }
    expect(Math.abs(adjusted / truth - 1)).toBeLessThan(0.2);
    expect(raw / truth).toBeGreaterThan(2);
  });
});

describe('detectableShift', () => {
  it('finds the 80 %-power offset on DINOv2-like rows (n = 16, m = 32, D = 384) quickly, with a null row at 0', () => {
    const rng = createRng(5);
    const basis = gaussian(rng, 12, 384);
    const real = embeddings(rng, 16, 384, basis);
    const bandwidth = medianHeuristicBandwidth(vstack([real, embeddings(rng, 32, 384, basis)]));
    const start = performance.now();
    const d = detectableShift(real, 32, bandwidth, { seed: 3 });
    const elapsed = performance.now() - start;
    expect(elapsed).toBeLessThan(6000); // ~0.5 s here; loose, the machine is shared
    expect(d.found).toBe(true);
    expect(d.power).toBeGreaterThanOrEqual(0.8);
    expect(d.offset).toBeCloseTo(d.offsetSd * d.sd, 14);
    expect(d.sizeAtZero).toBeLessThanOrEqual(0.15);
    expect(d.simulations).toBe(40);
    const below = d.curve.filter((p) => p.offsetSd < d.offsetSd);
    expect(below.every((p) => p.power < 0.8)).toBe(true);
    for (let i = 1; i < d.curve.length; i++) expect(d.curve[i].mmd2).toBeGreaterThan(d.curve[i - 1].mmd2);
    expect(detectableShift(real, 32, bandwidth, { seed: 3 })).toEqual(d);
  });

  it('more synthetic rows catch smaller shifts', () => {
    const rng = createRng(6);
    const real = gaussian(rng, 12, 4);
    const few = detectableShift(real, 4, 2.8, { seed: 1, simulations: 20 });
    const many = detectableShift(real, 24, 2.8, { seed: 1, simulations: 20 });
    expect(many.offsetSd).toBeLessThan(few.offsetSd);
  });
});

describe('confirm: verdict rules', () => {
  it('decides by p first, then the interval against δ', () => {
    expect(decideVerdict(0.01, 0.05, 0.2, 0.1)).toBe('distinguishable');
    expect(decideVerdict(0.01, 0.05, 0.05, 0.1)).toBe('distinguishable'); // both hold: distinguishable wins
    expect(decideVerdict(0.3, 0.05, 0.05, 0.1)).toBe('indistinguishable');
    expect(decideVerdict(0.3, 0.05, 0.2, 0.1)).toBe('not enough evidence');
    expect(decideVerdict(0.05, 0.05, 0.2, 0.1)).toBe('not enough evidence'); // p = α does not reject
    expect(decideVerdict(0.3, 0.05, 0.1, 0.1)).toBe('not enough evidence'); // upper end = δ is not below it
  });

  it('identical distributions: "distinguishable" no more often than α allows (100 seeded repeats)', () => {
    const rng = createRng(101);
    const verdicts: Record<string, number> = {};
    const repeats = 100;
    for (let r = 0; r < repeats; r++) {
      const c = confirm({ real: gaussian(rng, 16, 5), synthetic: gaussian(rng, 32, 5), bandwidth: Math.sqrt(10), seed: r, detectable: false });
      verdicts[c.verdict] = (verdicts[c.verdict] ?? 0) + 1;
    }
    // ≥ 95 % not distinguishable, up to binomial noise around the test's size α = 0.05.
    const share = (verdicts.distinguishable ?? 0) / repeats;
    expect(share).toBeLessThanOrEqual(0.05 + 3 * Math.sqrt((0.05 * 0.95) / repeats));
    expect(verdicts.indistinguishable ?? 0).toBeGreaterThan(0);
  });

  it('a large shift is distinguishable, with the smallest p 1000 permutations allow', () => {
    const rng = createRng(102);
    const c = confirm({ real: gaussian(rng, 16, 5), synthetic: gaussian(rng, 32, 5, 3), bandwidth: Math.sqrt(10), seed: 1, detectable: false });
    expect(c.verdict).toBe('distinguishable');
    expect(c.pValue).toBe(1 / 1001);
    expect(c.statement.startsWith('distinguishable at α = 0.05, δ = ')).toBe(true);
  });

  it('with a generous user δ, close samples are indistinguishable; with a detected shift distinguishable wins and says so', () => {
    const rng = createRng(103);
    const real = gaussian(rng, 16, 5);
    const same = confirm({ real, synthetic: gaussian(rng, 32, 5), bandwidth: Math.sqrt(10), seed: 2, delta: 0.5, detectable: false });
    expect(same.deltaSource).toBe('user');
    expect(same.floor).toBeNull();
    expect(same.verdict).toBe('indistinguishable');
    expect(same.statement).toMatch(/^indistinguishable within δ = 0\.5: MMD² \S+ \(90 % interval \S+ to \S+\), permutation p = \S+ \(≥ α = 0\.05\), 32 synthetic vs 16 real; δ: set by the user\.$/);
    const shifted = confirm({ real, synthetic: gaussian(rng, 32, 5, 1.5), bandwidth: Math.sqrt(10), seed: 2, delta: 1.9, detectable: false });
    expect(shifted.pValue).toBeLessThan(0.05);
    expect(shifted.interval.high).toBeLessThan(1.9);
    expect(shifted.verdict).toBe('distinguishable');
    expect(shifted.statement).toContain('though the difference is below δ = 1.9');
  });

  it('a tiny δ and no detected difference: not enough evidence', () => {
    const rng = createRng(104);
    const c = confirm({ real: gaussian(rng, 16, 5), synthetic: gaussian(rng, 32, 5), bandwidth: Math.sqrt(10), seed: 3, delta: 1e-6, detectable: false });
    expect(c.pValue).toBeGreaterThanOrEqual(0.05);
    expect(c.verdict).toBe('not enough evidence');
    expect(c.statement).toMatch(/^not enough evidence: MMD² .* ≥ α = 0\.05 and the interval's upper end \S+ ≥ δ = 1\.0e−6, 32 synthetic vs 16 real; δ: set by the user\.$/);
  });
});

describe('confirm: numbers, determinism', () => {
  const rng = createRng(201);
  const basis = gaussian(rng, 12, 384);
  const real = embeddings(rng, 16, 384, basis);
  const synthetic = embeddings(rng, 32, 384, basis);
  const bandwidth = medianHeuristicBandwidth(vstack([real, synthetic]));

  it('gathers the standalone functions\' numbers under one seed, the floor δ and the detectable shift into the statement', () => {
    const c = confirm({ real, synthetic, bandwidth, seed: 42 });
    const test = permutationTest(real, synthetic, bandwidth, { seed: 42 });
    expect(c.mmd2).toBe(test.mmd2);
    expect(c.pValue).toBe(test.pValue);
    expect(c.interval).toEqual(bootstrapInterval(real, synthetic, bandwidth, { seed: 42 }));
    const floor = floorAtSizes(real, 32, bandwidth, { seed: 42 });
    expect(c.floor).toEqual(floor);
    expect(c.delta).toBe(floor.delta);
    expect(c.deltaSource).toBe('floor');
    expect(c.sizes).toEqual({ real: 16, synthetic: 32 });
    expect(c.detectable).toEqual(detectableShift(real, 32, bandwidth, { seed: 42 }));
    expect(c.verdict).toBe(decideVerdict(c.pValue, 0.05, c.interval.high, c.delta));
    expect(c.statement.startsWith(c.verdict)).toBe(true);
    for (const part of [`MMD² ${formatNumber(c.mmd2)}`, `permutation p = ${formatNumber(c.pValue)}`, `δ = ${formatNumber(c.delta)}`, '32 synthetic vs 16 real', 'splits of the real set into 8 vs 8', 'with 80 % power at these sizes']) {
      expect(c.statement).toContain(part);
    }
    expect(confirm({ real, synthetic, bandwidth, seed: 42 })).toEqual(c);
  });
});

describe('refusals name the argument', () => {
  const rng = createRng(301);
  const real = gaussian(rng, 8, 3);
  const synthetic = gaussian(rng, 6, 3);
  const base = { real, synthetic, bandwidth: 1.5, seed: 1, detectable: false as const };

  it('m < 2, NaN, mismatched dimensions', () => {
    expect(() => confirm({ ...base, synthetic: gaussian(rng, 1, 3) })).toThrow(/confirm: argument `synthetic` has 1 row\(s\); needs at least 2/);
    expect(() => permutationTest(real, gaussian(rng, 1, 3), 1.5, { seed: 1 })).toThrow(/`synthetic`/);
    expect(() => floorAtSizes(real, 1, 1.5, { seed: 1 })).toThrow(/option `m` = 1 is below 2/);
    expect(() => detectableShift(real, 1, 1.5, { seed: 1 })).toThrow(/option `m` = 1/);
    const bad = fromRows([[0, 0, 0], [1, NaN, 0], [2, 2, 2]]);
    expect(() => confirm({ ...base, synthetic: bad })).toThrow(/confirm: argument `synthetic` has NaN at row 1, column 1/);
    expect(() => bootstrapInterval(bad, synthetic, 1.5, { seed: 1 })).toThrow(/argument `real` has NaN/);
    expect(() => confirm({ ...base, synthetic: gaussian(rng, 6, 4) })).toThrow(/arguments `real` \(3 columns\) and `synthetic` \(4 columns\) differ in dimension/);
  });

  it('fewer than 1000 permutations, and other options', () => {
    expect(() => permutationTest(real, synthetic, 1.5, { seed: 1, permutations: 999 })).toThrow(/permutationTest: option `permutations` = 999 is below 1000/);
    expect(() => confirm({ ...base, permutations: 500 })).toThrow(/confirm: option `permutations` = 500 is below 1000/);
    expect(() => detectableShift(real, 6, 1.5, { seed: 1, permutations: 100 })).toThrow(/option `permutations`/);
    expect(() => permutationTest(real, synthetic, 0, { seed: 1 })).toThrow(/argument `bandwidth` must be a finite number > 0/);
    expect(() => permutationTest(real, synthetic, 1.5, {} as { seed: number })).toThrow(/option `seed` must be an integer/);
    expect(() => confirm({ ...base, alpha: 1.5 })).toThrow(/option `alpha`/);
    expect(() => confirm({ ...base, level: 1 })).toThrow(/option `level`/);
    expect(() => confirm({ ...base, delta: -1 })).toThrow(/argument `delta`/);
    expect(() => bootstrapInterval(real, synthetic, 1.5, { seed: 1, resamples: 50 })).toThrow(/option `resamples` = 50/);
    expect(() => floorAtSizes(real, 4, 1.5, { seed: 1, quantile: 0 })).toThrow(/option `quantile`/);
    expect(() => permutationTest(gaussian(rng, 20, 3), gaussian(rng, 20, 3), 1.5, { seed: 1, exhaustive: true })).toThrow(/option `exhaustive`: C\(40, 20\)/);
  });

  it('a real set too small for the floor, unless δ is given', () => {
    const three = gaussian(rng, 3, 3);
    expect(() => confirm({ ...base, real: three })).toThrow(/confirm: argument `real` has 3 row\(s\); the real-vs-real floor needs at least 4.*pass `delta`/);
    expect(confirm({ ...base, real: three, delta: 0.1 }).deltaSource).toBe('user');
    expect(() => floorAtSizes(three, 4, 1.5, { seed: 1 })).toThrow(/floorAtSizes: argument `real` has 3 row\(s\)/);
  });
});
