import { describe, expect, it } from 'vitest';
import { fitPca, fitProjection, projectEmbeddings, projectPca } from '../../../src/engine/projection';
import { gaussianSample } from '../metrics/fixtures';

describe('PCA projection fitted once', () => {
  const iteration0 = gaussianSample('pca-it0', 40, 30);
  const model = fitPca(iteration0, { components: 2 });

  it('projects the fitting rows to centred coordinates whose variances are the explained variances', () => {
    const z = projectPca(model, iteration0);
    for (let c = 0; c < 2; c++) {
      let sum = 0;
      let squares = 0;
      for (let i = 0; i < 40; i++) sum += z.data[i * 2 + c];
      for (let i = 0; i < 40; i++) squares += z.data[i * 2 + c] ** 2;
      expect(Math.abs(sum / 40)).toBeLessThan(1e-12);
      expect(squares / 39).toBeCloseTo(model.explainedVariance[c], 10);
    }
    expect(model.explainedVariance[0]).toBeGreaterThanOrEqual(model.explainedVariance[1]);
  });

  it('has orthonormal axes with the sign rule (largest-magnitude entry positive)', () => {
    const [a, b] = model.components;
    const dot = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * y[i], 0);
    expect(dot(a, a)).toBeCloseTo(1, 12);
    expect(dot(a, b)).toBeCloseTo(0, 12);
    for (const axis of model.components) {
      const largest = axis.reduce((best, v) => (Math.abs(v) > Math.abs(best) ? v : best), 0);
      expect(largest).toBeGreaterThan(0);
    }
  });

  it('is plain JSON: a reloaded model projects later iterations identically, and projecting never changes it', () => {
    const reloaded = JSON.parse(JSON.stringify(model));
    const later = gaussianSample('pca-later', 24, 30, 3);
    const before = JSON.stringify(model);
    expect(Array.from(projectEmbeddings(reloaded, later).data)).toEqual(Array.from(projectEmbeddings(model, later).data));
    expect(JSON.stringify(model)).toBe(before);
  });

  it('the n > D path (scatter matrix) agrees with the n ≤ D path (Gram matrix)', () => {
    // Same data, once as 50 rows of 6 columns (scatter path) and padded with zero columns to 60 (Gram path).
    const tall = gaussianSample('pca-tall', 50, 6);
    const padded = { rows: 50, cols: 60, data: new Float64Array(50 * 60) };
    for (let i = 0; i < 50; i++) for (let j = 0; j < 6; j++) padded.data[i * 60 + j] = tall.data[i * 6 + j];
    const a = fitPca(tall, { components: 3 });
    const b = fitPca(padded, { components: 3 });
    for (let c = 0; c < 3; c++) {
      expect(a.explainedVariance[c]).toBeCloseTo(b.explainedVariance[c], 10);
      for (let j = 0; j < 6; j++) expect(a.components[c][j]).toBeCloseTo(b.components[c][j], 9);
    }
  });

  it('fitProjection defaults to 2 PCA components and names bad arguments', () => {
    expect(fitProjection(iteration0, { kind: 'pca' })).toMatchObject({ kind: 'pca', components: [expect.any(Array), expect.any(Array)] });
    expect(() => fitPca(iteration0, { components: 40 })).toThrow(/option `components` = 40 must be an integer in 1..min\(rows − 1, D\) = 1..30/);
    expect(() => projectPca(model, gaussianSample('x', 3, 31))).toThrow(/has 31 columns but the PCA model was fitted on 30/);
    const collinear = { rows: 5, cols: 3, data: Float64Array.from([1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5]) };
    expect(() => fitPca(collinear, { components: 2 })).toThrow(/spans only 1 direction/);
  });
});
