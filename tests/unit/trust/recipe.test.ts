import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fromRows, type Matrix } from '../../../src/engine/linalg/matrix';
import { mmdSquaredBiased, mmdSquaredUnbiased } from '../../../src/engine/metrics';
import { createRng, type Rng } from '../../../src/engine/random/rng';
import { distributionRecipe, recipeKernelMeans, solveRecipe, type DistributionRecipe } from '../../../src/engine/trust/recipe';
import { recipeCounts, recipeYaml } from '../../../src/engine/trust/recipeOutput';

/**
 * The distribution recipe against scipy (scripts/recipe_goldens.py: kernel means by cdist, the optimum by
 * enumerating every support and cross-checked with SLSQP), plus properties on seeded random cases.
 */

interface Golden {
  name: string;
  bandwidth: number;
  sets: number[][][];
  real: number[][];
  A: number[][];
  b: number[];
  c: number;
  cAllPairs: number;
  weights: number[];
  support: number[];
  objective: number;
  bestSingle: { index: number; mmd2: number };
}

const fixtures = ['recipe_j3', 'recipe_j6_mixture', 'recipe_j12'].map(
  (name) => JSON.parse(readFileSync(join(__dirname, '../../fixtures/trust', `${name}.json`), 'utf8')) as Golden,
);

/** The KKT conditions of min f on the simplex, the sign and sum of the weights, and exact zeros. */
function expectOptimal(r: DistributionRecipe, tolerance = 1e-10) {
  expect(r.gap).toBeLessThanOrEqual(tolerance);
  expect(r.stationarity).toBeLessThanOrEqual(tolerance);
  const sum = r.weights.reduce((a, b) => a + b, 0);
  expect(Math.abs(sum - 1)).toBeLessThanOrEqual(1e-12);
  const multiplier = r.support.reduce((s, j) => s + r.weights[j] * r.gradient[j], 0);
  r.weights.forEach((w, j) => {
    if (r.support.includes(j)) {
      expect(w).toBeGreaterThan(0);
      expect(Math.abs(r.gradient[j] - multiplier)).toBeLessThanOrEqual(tolerance);
    } else {
      expect(Object.is(w, 0)).toBe(true);
      expect(r.gradient[j]).toBeGreaterThanOrEqual(multiplier - tolerance);
    }
  });
  expect(r.support).toEqual(r.weights.flatMap((w, j) => (w > 0 ? [j] : [])));
  expect(r.mmd2).toBeLessThanOrEqual(r.bestSingle.mmd2);
}

describe('recipe goldens (scipy)', () => {
  for (const g of fixtures) {
    const sets = g.sets.map((s) => fromRows(s));
    const real = fromRows(g.real);

    it(`${g.name}: kernel means match cdist`, () => {
      const means = recipeKernelMeans(sets, real, g.bandwidth);
      const J = g.b.length;
      for (let j = 0; j < J; j++) {
        for (let k = 0; k < J; k++) expect(Math.abs(means.A[j * J + k] - g.A[j][k])).toBeLessThanOrEqual(1e-14);
        expect(Math.abs(means.b[j] - g.b[j])).toBeLessThanOrEqual(1e-14);
      }
      expect(Math.abs(means.c - g.c)).toBeLessThanOrEqual(1e-14);
      expect(Math.abs(means.cAllPairs - g.cAllPairs)).toBeLessThanOrEqual(1e-14);
    });

    it(`${g.name}: weights, objective and support match the exact enumeration`, () => {
      const r = distributionRecipe(sets, real, g.bandwidth);
      expect(Math.abs(r.mmd2 - g.objective)).toBeLessThanOrEqual(1e-8);
      r.weights.forEach((w, j) => expect(Math.abs(w - g.weights[j])).toBeLessThanOrEqual(1e-6));
      expect(r.support).toEqual(g.support);
      // By index, up to ties (in the mixture case sets 1 and 4 are equally far from R, exactly).
      const i = r.bestSingle.index;
      expect(Math.abs(g.A[i][i] - 2 * g.b[i] + g.c - g.bestSingle.mmd2)).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(r.bestSingle.mmd2 - g.bestSingle.mmd2)).toBeLessThanOrEqual(1e-12);
      expectOptimal(r);
    });

    it(`${g.name}: the solver alone on scipy's kernel means`, () => {
      const J = g.b.length;
      const r = solveRecipe({ count: J, A: Float64Array.from(g.A.flat()), b: Float64Array.from(g.b), c: g.c, cAllPairs: g.cAllPairs, sizes: g.sets.map((s) => s.length) });
      expect(Math.abs(r.mmd2 - g.objective)).toBeLessThanOrEqual(1e-8);
      r.weights.forEach((w, j) => expect(Math.abs(w - g.weights[j])).toBeLessThanOrEqual(1e-6));
      expectOptimal(r);
    });
  }

  it('exact 50/50 mixture: w = ½ on the two sets, f* = c − c_V, the rest exactly 0', () => {
    const g = fixtures[1];
    const r = distributionRecipe(
      g.sets.map((s) => fromRows(s)),
      fromRows(g.real),
      g.bandwidth,
    );
    expect(r.support).toEqual([1, 4]);
    expect(Math.abs(r.weights[1] - 0.5)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(r.weights[4] - 0.5)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(r.mmd2 - (g.c - g.cAllPairs))).toBeLessThanOrEqual(1e-12);
    expect(r.weights.filter((w) => w === 0)).toHaveLength(4);
  });

  it('a far set gets exactly 0 weight', () => {
    const g = fixtures[0];
    const r = distributionRecipe(
      g.sets.map((s) => fromRows(s)),
      fromRows(g.real),
      g.bandwidth,
    );
    expect(Object.is(r.weights[2], 0)).toBe(true);
    expect(r.support).toEqual([0, 1]);
  });
});

function randomMatrix(rng: Rng, rows: number, cols: number, centre: number[], spread: number): Matrix<Float64Array> {
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let d = 0; d < cols; d++) data[i * cols + d] = centre[d] + spread * rng.normal();
  return { rows, cols, data };
}

describe('recipe properties (seeded random cases)', () => {
  it('never worse than the best single set, optimal (gap ≤ 1e-10), sparse, on the simplex', () => {
    for (let seed = 0; seed < 40; seed++) {
      const rng = createRng(`recipe-property-${seed}`);
      const J = rng.int(1, 25);
      const D = rng.int(2, 10);
      const sets = Array.from({ length: J }, () => {
        const centre = Array.from({ length: D }, () => rng.normal(0, 1.5));
        return randomMatrix(rng, rng.int(1, 5), D, centre, rng.uniform(0.1, 1));
      });
      const real = randomMatrix(rng, rng.int(2, 12), D, Array.from({ length: D }, () => rng.normal(0, 1)), rng.uniform(0.3, 1.2));
      const sigma = rng.uniform(0.5, 4);
      const r = distributionRecipe(sets, real, sigma);
      expectOptimal(r);
      // The reported objective is f at the reported weights, and each vertex is no better.
      const { A, b, c } = recipeKernelMeans(sets, real, sigma);
      let f = c;
      for (let j = 0; j < J; j++) {
        f -= 2 * r.weights[j] * b[j];
        for (let k = 0; k < J; k++) f += r.weights[j] * A[j * J + k] * r.weights[k];
      }
      expect(Math.abs(f - r.mmd2)).toBeLessThanOrEqual(1e-14);
      for (let j = 0; j < J; j++) expect(r.mmd2).toBeLessThanOrEqual(A[j * J + j] - 2 * b[j] + c);
    }
  });

  it('degenerate inputs: duplicated sets, a set equal to the real set, repeated points, many sets in 2-D', () => {
    const rng = createRng('recipe-degenerate');
    const base = randomMatrix(rng, 4, 3, [0, 0, 0], 1);
    const real = randomMatrix(rng, 8, 3, [0.2, 0, 0], 1);
    const repeated = fromRows([
      [1, 1, 1],
      [1, 1, 1],
      [1, 1, 1],
    ]);
    const r1 = distributionRecipe([base, base, repeated, base, real], real, 1);
    expectOptimal(r1);
    // The real set itself is a candidate: MMD²_V(R, R) − (c_V − c) = c − c_V is the smallest f can be.
    const means = recipeKernelMeans([real], real, 1);
    expect(Math.abs(r1.mmd2 - (means.c - means.cAllPairs))).toBeLessThanOrEqual(1e-12);

    // 60 sets of 3 points in 2-D: A is numerically singular (rank far below 60).
    const crowded = Array.from({ length: 60 }, () => randomMatrix(rng, 3, 2, [rng.normal(), rng.normal()], 0.5));
    const target = randomMatrix(rng, 12, 2, [0.3, -0.2], 0.8);
    for (const sigma of [0.3, 1, 5]) expectOptimal(distributionRecipe(crowded, target, sigma));
  });

  it('at a vertex: f + (c_V − c) is the biased MMD², mmd2Unbiased the unbiased one (metrics/kernelTwoSample)', () => {
    const rng = createRng('recipe-vertex');
    const sets = Array.from({ length: 5 }, (_, j) => randomMatrix(rng, 3 + (j % 3), 6, [j / 2, 0, 0, 0, 0, 0], 0.8));
    const real = randomMatrix(rng, 9, 6, [0.4, 0, 0, 0, 0, 0], 1);
    const r = distributionRecipe(sets, real, 1.7);
    const { c, cAllPairs } = recipeKernelMeans(sets, real, 1.7);
    const best = sets[r.bestSingle.index];
    expect(Math.abs(r.bestSingle.mmd2 + (cAllPairs - c) - mmdSquaredBiased(real, best, 1.7))).toBeLessThanOrEqual(1e-14);
    expect(Math.abs(r.bestSingle.mmd2Unbiased - mmdSquaredUnbiased(real, best, 1.7))).toBeLessThanOrEqual(1e-14);
    expect(Number.isNaN(distributionRecipe([fromRows([[0, 0, 0, 0, 0, 0]])], real, 1.7).mmd2Unbiased)).toBe(true);
  });

  it('one set: weight 1, the vertex value', () => {
    const rng = createRng('recipe-one');
    const r = distributionRecipe([randomMatrix(rng, 3, 4, [0, 0, 0, 0], 1)], randomMatrix(rng, 5, 4, [1, 0, 0, 0], 1), 1.5);
    expect(r.weights).toEqual([1]);
    expect(r.support).toEqual([0]);
    expect(r.mmd2).toBe(r.bestSingle.mmd2);
    expect(r.gap).toBe(0);
  });

  it('Float32 embeddings give the same recipe as their Float64 copy', () => {
    const rng = createRng('recipe-f32');
    const sets64 = Array.from({ length: 8 }, () => randomMatrix(rng, 3, 16, Array.from({ length: 16 }, () => rng.normal()), 0.7));
    const real64 = randomMatrix(rng, 10, 16, new Array(16).fill(0), 1);
    const to32 = (m: Matrix) => ({ rows: m.rows, cols: m.cols, data: Float32Array.from(m.data) });
    const sets32 = sets64.map(to32);
    const real32 = to32(real64);
    const a = distributionRecipe(sets32, real32, 4);
    const b = distributionRecipe(sets32.map((m) => ({ ...m, data: Float64Array.from(m.data) })), { ...real32, data: Float64Array.from(real32.data) }, 4);
    expect(a.weights).toEqual(b.weights);
    expect(a.mmd2).toBe(b.mmd2);
  });
});

describe('recipe refusals name the argument', () => {
  const real = fromRows([
    [0, 0],
    [1, 0],
    [0, 1],
  ]);
  const set = fromRows([
    [0.5, 0.5],
    [0.2, 0.1],
  ]);
  it('empty list, an empty set, dimension mismatch, NaN, a one-point real set, bad bandwidth', () => {
    expect(() => distributionRecipe([], real, 1)).toThrow(/argument `sets` is empty/);
    expect(() => distributionRecipe([set, { rows: 0, cols: 2, data: new Float64Array(0) }], real, 1)).toThrow(/`sets\[1\]` has 0 row\(s\); needs at least 1/);
    expect(() => distributionRecipe([set, set, fromRows([[1, 2, 3]])], real, 1)).toThrow(/`sets\[2\]` \(3 columns\) and `real` \(2 columns\) differ/);
    expect(() => distributionRecipe([fromRows([[NaN, 0]])], real, 1)).toThrow(/`sets\[0\]` has NaN at row 0, column 0/);
    expect(() => distributionRecipe([set], fromRows([[0, 0], [1, Infinity]]), 1)).toThrow(/`real` has Infinity at row 1, column 1/);
    expect(() => distributionRecipe([set], fromRows([[0, 0]]), 1)).toThrow(/`real` has 1 row\(s\); needs at least 2/);
    expect(() => distributionRecipe([set], real, 0)).toThrow(/`bandwidth` must be a finite number > 0/);
    expect(() => distributionRecipe([set], real, NaN)).toThrow(/`bandwidth`/);
  });
  it('solveRecipe refuses inconsistent or non-finite kernel means', () => {
    const means = recipeKernelMeans([set, set], real, 1);
    expect(() => solveRecipe({ ...means, b: new Float64Array(1) })).toThrow(/`means` is inconsistent/);
    const A = Float64Array.from(means.A);
    A[1] = NaN;
    expect(() => solveRecipe({ ...means, A })).toThrow(/`means.A` has NaN at index 1/);
  });
});

describe('recipeCounts (largest remainder)', () => {
  it('worked example and exact totals', () => {
    // Shares 3.5, 2.1, 1.4 → floors 3, 2, 1; the one unit left goes to the largest remainder (0.5).
    expect(recipeCounts([0.5, 0.3, 0.2], 7)).toEqual([4, 2, 1]);
    expect(recipeCounts([1, 0, 0], 10)).toEqual([10, 0, 0]);
    expect(recipeCounts([0.5, 0.5], 3)).toEqual([2, 1]); // tie: lower index first
    expect(recipeCounts([0.25, 0.75], 0)).toEqual([0, 0]);
  });
  it('sums to total; each count is the floor or ceiling of its share; zero weight → 0', () => {
    const rng = createRng('recipe-counts');
    for (let t = 0; t < 200; t++) {
      const J = rng.int(1, 30);
      const raw = Array.from({ length: J }, () => (rng.next() < 0.3 ? 0 : rng.next()));
      if (!raw.some((v) => v > 0)) raw[0] = 1;
      const sum = raw.reduce((a, b) => a + b, 0);
      const weights = raw.map((v) => v / sum);
      const total = rng.int(0, 500);
      const counts = recipeCounts(weights, total);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(total);
      counts.forEach((c, j) => {
        expect(Number.isInteger(c)).toBe(true);
        expect(Math.abs(c - weights[j] * total)).toBeLessThan(1);
        if (weights[j] === 0) expect(c).toBe(0);
      });
    }
  });
  it('refusals name the argument', () => {
    expect(() => recipeCounts([], 5)).toThrow(/`weights` is empty/);
    expect(() => recipeCounts([0.5, -0.5, 1], 5)).toThrow(/`weights` has -0.5 at index 1/);
    expect(() => recipeCounts([0.5, NaN], 5)).toThrow(/`weights` has NaN at index 1/);
    expect(() => recipeCounts([0.5, 0.4], 5)).toThrow(/`weights` sums to 0.9/);
    expect(() => recipeCounts([1], 2.5)).toThrow(/`total` must be a non-negative integer/);
    expect(() => recipeCounts([1], -1)).toThrow(/`total`/);
  });
});

describe('recipeYaml', () => {
  it('lists the support with parameters, weights and counts summing to the total; reads back', () => {
    const g = fixtures[2];
    const r = distributionRecipe(
      g.sets.map((s) => fromRows(s)),
      fromRows(g.real),
      g.bandwidth,
    );
    const sets = g.sets.map((_, j) => ({
      param_set_id: `ps_${String(j).padStart(4, '0')}`,
      params: { void_shape: j % 2 ? 'circle' : 'yes', void_count: 3 + j, brightness_factor: 0.5 + j / 100 },
    }));
    const text = recipeYaml({ sets, recipe: r, total: 100, bandwidth: g.bandwidth });
    const doc = parse(text) as {
      total: number;
      mmd2: number;
      best_single: { param_set_id: string };
      sets: Array<{ param_set_id: string; parameters: Record<string, unknown>; weight: number; count: number }>;
    };
    expect(doc.total).toBe(100);
    expect(doc.mmd2).toBe(r.mmd2);
    expect(doc.best_single.param_set_id).toBe(sets[r.bestSingle.index].param_set_id);
    expect(doc.sets.map((s) => s.param_set_id)).toEqual(r.support.map((j) => sets[j].param_set_id));
    expect(doc.sets.reduce((a, s) => a + s.count, 0)).toBe(100);
    doc.sets.forEach((s, i) => {
      const j = r.support[i];
      expect(s.weight).toBe(r.weights[j]);
      expect(s.parameters).toEqual(sets[j].params);
      expect(Object.keys(s)).toEqual(['param_set_id', 'parameters', 'weight', 'count']);
    });
    // YAML 1.1 readers (PyYAML): `yes` stays a string, exponents carry a dot.
    expect(text).toContain('void_shape: "yes"');
  });
  it('numbers in exponent form get a dot, so YAML 1.1 reads them as floats', () => {
    const text = recipeYaml({
      sets: [{ param_set_id: 'a', params: {} }],
      recipe: { weights: [1], mmd2: 1e-15, mmd2Unbiased: NaN, bestSingle: { index: 0, mmd2: 1e-15 }, gap: 2.5e-17 },
      total: 3,
    });
    expect(text).toContain('mmd2: 1.0e-15\n');
    expect(text).toContain('duality_gap: 2.5e-17\n');
    expect(text).toContain('mmd2_unbiased: .nan\n');
    expect(text).toContain('parameters: {}');
    expect((parse(text) as { sets: Array<{ count: number }> }).sets[0].count).toBe(3);
  });
  it('refuses sets that do not match the weights', () => {
    expect(() =>
      recipeYaml({ sets: [], recipe: { weights: [1], mmd2: 0, mmd2Unbiased: 0, bestSingle: { index: 0, mmd2: 0 }, gap: 0 }, total: 1 }),
    ).toThrow(/`sets` has 0 entries but the recipe has 1 weights/);
  });
});
