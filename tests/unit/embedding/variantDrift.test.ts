import { describe, expect, it } from 'vitest';
import { fromRows, type Matrix } from '../../../src/engine/linalg/matrix';
import { mmdSquaredUnbiased } from '../../../src/engine/metrics';
import { createRng } from '../../../src/engine/random/rng';
import { pairedMmd2, variantDrift } from '../../../src/engine/trust/variantDrift';

/** The drift check's numbers: per-image cosines, the paired unbiased MMD² and the verdict against the floor. */
const rng = createRng('variant-drift-test');
const unitRows = (n: number, d: number) =>
  fromRows(
    Array.from({ length: n }, () => {
      const v = Array.from({ length: d }, () => rng.normal());
      const norm = Math.hypot(...v);
      return v.map((x) => x / norm);
    }),
  );
/** Each row moved by N(0, noise²) per coordinate and renormalised: a variant's rounding error. */
const perturbed = (m: Matrix, noise: number) =>
  fromRows(
    Array.from({ length: m.rows }, (_, i) => {
      const v = Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols), (x) => x + rng.normal(0, noise));
      const norm = Math.hypot(...v);
      return v.map((x) => x / norm);
    }),
  );

describe('variantDrift', () => {
  const x = unitRows(30, 8);
  const sigma = 1.2;

  it('is exactly 0 with cosines 1 when the variants agree on every image', () => {
    const drift = variantDrift({ reference: x, candidate: x, bandwidth: sigma, floor: 0.01 });
    expect(drift.mmd2).toBe(0);
    for (const c of drift.cosines) expect(c).toBeCloseTo(1, 12);
    expect(drift).toMatchObject({ verdict: 'safe', share: 0.1, threshold: 0.001, ratio: 0 });
  });

  it('is the two-sample unbiased MMD² without each image’s own cross term k(x_i, y_i)', () => {
    const y = perturbed(x, 0.05);
    const n = x.rows;
    // Two-sample form (metrics/kernelTwoSample.ts): Sxx/(n(n−1)) + Syy/(n(n−1)) − 2·Σ_ij k(x_i, y_j)/n².
    // Paired form: the same with the cross sum over i ≠ j divided by n(n−1).
    let all = 0;
    let own = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let sq = 0;
        for (let c = 0; c < x.cols; c++) sq += (x.data[i * x.cols + c] - y.data[j * y.cols + c]) ** 2;
        const k = Math.exp(-sq / (2 * sigma * sigma));
        all += k;
        if (i === j) own += k;
      }
    }
    const expected = mmdSquaredUnbiased(x, y, sigma) + (2 * all) / (n * n) - (2 * (all - own)) / (n * (n - 1));
    expect(pairedMmd2(x, y, sigma)).toBeCloseTo(expected, 14);
  });

  it('says safe below the share of the floor and not safe above it, with the numbers', () => {
    const small = variantDrift({ reference: x, candidate: perturbed(x, 0.002), bandwidth: sigma, floor: 0.01 });
    expect(small.verdict).toBe('safe');
    expect(small.cosine.min).toBeGreaterThan(0.999);
    expect(small.statement).toMatch(/^safe for this experiment: the MMD² between the two variants' embeddings of the same 30 images is -?[\d.e-]+, -?[\d.e-]+ % of the noise floor 0\.0100 \(below the 10 % allowed\)$/);

    const shifted = fromRows(Array.from({ length: x.rows }, (_, i) => Array.from(x.data.subarray(i * 8, i * 8 + 8), (v, c) => v + (c === 0 ? 0.5 : 0))));
    const large = variantDrift({ reference: x, candidate: shifted, bandwidth: sigma, floor: 0.01 });
    expect(large.verdict).toBe('not safe');
    expect(large.ratio).toBeGreaterThan(0.1);
    expect(large.statement).toMatch(/^not safe for this experiment: .* \(not below the 10 % allowed\)$/);
    // The share is stated and honoured.
    expect(variantDrift({ reference: x, candidate: shifted, bandwidth: sigma, floor: 0.01, share: 1 }).threshold).toBe(0.01);
  });

  it('refuses mismatched or unusable input, naming the argument', () => {
    expect(() => variantDrift({ reference: x, candidate: unitRows(29, 8), bandwidth: sigma, floor: 0.01 })).toThrow(/`reference` has 30 rows and `candidate` 29/);
    expect(() => variantDrift({ reference: x, candidate: x, bandwidth: sigma, floor: 0 })).toThrow(/floor/);
    expect(() => variantDrift({ reference: x, candidate: x, bandwidth: 0, floor: 0.01 })).toThrow(/bandwidth/);
    expect(() => variantDrift({ reference: x, candidate: x, bandwidth: sigma, floor: 0.01, share: 0 })).toThrow(/share/);
  });
});
