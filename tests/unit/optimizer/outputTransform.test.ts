import { describe, expect, it } from 'vitest';
import goldens from '../../fixtures/optimizer/yeo_johnson_goldens.json';
import {
  fitOutputTransform,
  fitYeoJohnsonLambda,
  transformOutput,
  untransformDerivative,
  untransformOutput,
  yeoJohnson,
} from '../../../src/engine/optimizer/gp/outputTransform';

describe('output transform', () => {
  it('Yeo–Johnson λ and values equal scipy.stats.yeojohnson', () => {
    const lambda = fitYeoJohnsonLambda(goldens.x, -2, 1);
    expect(lambda).toBeCloseTo(goldens.lambda, 5);
    goldens.x.forEach((x, i) => expect(yeoJohnson(x, goldens.lambda)).toBeCloseTo(goldens.transformed[i], 10));
  });

  it.each(['standardize', 'power'] as const)('%s is monotone, invertible and standardises', (kind) => {
    // Scores like unbiased MMD²: a few slightly negative values, a long tail of poor ones.
    const scores = [-0.004, -0.001, 0.002, 0.01, 0.02, 0.05, 0.08, 0.2, 0.45, 0.9, 1.4];
    const t = fitOutputTransform(scores, kind);
    const z = scores.map((s) => transformOutput(t, s));
    for (let i = 1; i < z.length; i++) expect(z[i]).toBeGreaterThan(z[i - 1]);
    const mean = z.reduce((a, b) => a + b) / z.length;
    const std = Math.sqrt(z.reduce((a, b) => a + (b - mean) ** 2, 0) / z.length);
    expect(mean).toBeCloseTo(0, 10);
    expect(std).toBeCloseTo(1, 10);
    scores.forEach((s, i) => expect(untransformOutput(t, z[i])).toBeCloseTo(s, 10));
    const h = 1e-6;
    const fd = (untransformOutput(t, z[4] + h) - untransformOutput(t, z[4] - h)) / (2 * h);
    expect(untransformDerivative(t, z[4])).toBeCloseTo(fd, 6);
  });

  it('power never compresses the good (low) tail: λ ≤ 1, so the best scores are spread, not squeezed', () => {
    // Left-skewed scores (a few very good ones): unconstrained Yeo–Johnson would pick λ > 1.
    const scores = [0, 0.9, 0.95, 0.97, 0.98, 0.99, 1, 1, 1.01, 1.02];
    const t = fitOutputTransform(scores, 'power');
    expect(t.lambda).toBeLessThanOrEqual(1);
  });
});
