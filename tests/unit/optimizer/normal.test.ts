import { describe, expect, it } from 'vitest';
import goldens from '../../fixtures/optimizer/normal_goldens.json';
import {
  logH,
  logHDerivative,
  logNormalCdf,
  logNormalCdfDerivative,
  normalCdf,
  normalPdf,
} from '../../../src/engine/optimizer/acquisition/normal';

const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-300, Math.abs(b));

describe('standard-normal functions against mpmath (50 digits)', () => {
  it.each(goldens)('z = $z', (row) => {
    if (row.cdf > 0) expect(relative(normalCdf(row.z), row.cdf)).toBeLessThan(1e-12);
    expect(relative(logNormalCdf(row.z), row.logCdf)).toBeLessThan(1e-12);
    expect(relative(logH(row.z), row.logH)).toBeLessThan(1e-11);
    expect(relative(logHDerivative(row.z), row.logHDerivative)).toBeLessThan(1e-10);
  });

  it('d log Φ/dz matches φ/Φ and a finite difference', () => {
    for (const z of [-8, -3.2, -2.9, -1, 0, 1.5, 4]) {
      const fd = (logNormalCdf(z + 1e-6) - logNormalCdf(z - 1e-6)) / 2e-6;
      expect(relative(logNormalCdfDerivative(z), fd)).toBeLessThan(1e-6);
      if (z > -3) expect(relative(logNormalCdfDerivative(z), normalPdf(z) / normalCdf(z))).toBeLessThan(1e-12);
    }
  });

  it('log h is continuous across the regime boundaries (z = −1, −3)', () => {
    for (const z of [-1, -3]) {
      expect(Math.abs(logH(z - 1e-12) - logH(z + 1e-12))).toBeLessThan(1e-9);
      expect(Math.abs(logNormalCdf(z - 1e-12) - logNormalCdf(z + 1e-12))).toBeLessThan(1e-9);
    }
  });
});
