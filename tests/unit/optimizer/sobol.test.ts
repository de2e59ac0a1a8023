import { describe, expect, it } from 'vitest';
import goldens from '../../fixtures/optimizer/sobol_goldens.json';
import { sobolPoints } from '../../../src/engine/optimizer/sampling/sobol';

describe('Sobol sequence', () => {
  it.each(goldens)('unscrambled equals scipy.stats.qmc.Sobol (d = $dimension)', ({ dimension, points }) => {
    expect(sobolPoints(dimension, points.length, 0, { scramble: false })).toEqual(points);
  });

  it('continues a sequence across calls (skip)', () => {
    const all = sobolPoints(5, 40, 0, { seed: 3 });
    expect(sobolPoints(5, 17, 23, { seed: 3 })).toEqual(all.slice(23));
  });

  it('scrambled points are a (0, m, 1)-net in every coordinate: one point per 1/n interval', () => {
    const n = 64;
    const points = sobolPoints(8, n, 0, { seed: 11 });
    for (let d = 0; d < 8; d++) {
      const cells = new Set(points.map((p) => Math.floor(p[d] * n)));
      expect(cells.size).toBe(n);
    }
    expect(sobolPoints(8, n, 0, { seed: 12 })).not.toEqual(points);
    expect(points.flat().every((u) => u >= 0 && u < 1)).toBe(true);
  });

  it('rejects dimensions beyond the table', () => {
    expect(() => sobolPoints(65, 4)).toThrow(/at most 64/);
  });
});
