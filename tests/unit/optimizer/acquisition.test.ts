import { describe, expect, it } from 'vitest';
import { acquisitionValue, acquisitionValueAndGradient, type AcquisitionSpec } from '../../../src/engine/optimizer/acquisition/acquisition';
import { betaAt, DEFAULT_BETA_SCHEDULE, endBeta } from '../../../src/engine/optimizer/acquisition/betaSchedule';
import { GpPosterior } from '../../../src/engine/optimizer/gp/posterior';
import { gpInputs } from '../../../src/engine/optimizer/gp/trainingData';
import { normalCdf, normalPdf } from '../../../src/engine/optimizer/acquisition/normal';
import { createRng } from '../../../src/engine/random/rng';

const rng = createRng(3);
const rows = Array.from({ length: 20 }, () => [rng.next(), rng.next(), rng.next()]);
const y = rows.map((r) => (r[0] - 0.3) ** 2 + Math.sin(5 * r[1]) + 0.1 * r[2]);
const posterior = GpPosterior.fromData(gpInputs(rows, [0, 1, 2]), y, { lengthscales: [0.3, 0.4, 1], outputscale: 1, noise: 1e-3, mean: 0.3 }, 'matern52');

describe('acquisition functions', () => {
  const specs: AcquisitionSpec[] = [
    { kind: 'ucb', beta: 1.5, incumbent: 0 },
    { kind: 'ei', beta: 0, incumbent: Math.min(...y) },
    { kind: 'pi', beta: 0, incumbent: Math.min(...y) },
    { kind: 'ei', beta: 0, incumbent: Math.min(...y) - 5 }, // deep tail: EI underflows, log-EI does not
  ];

  it.each(specs)('gradient over x matches finite differences ($kind, f* = $incumbent)', (spec) => {
    const x = [0.41, 0.77, 0.12];
    const gm = new Float64Array(3);
    const gv = new Float64Array(3);
    const grad = new Float64Array(3);
    const p = posterior.predictWithGradient(x, gm, gv);
    const value = acquisitionValueAndGradient(spec, p.mean, p.variance, gm, gv, grad);
    expect(Number.isFinite(value)).toBe(true);
    expect(value).toBeCloseTo(acquisitionValue(spec, p.mean, p.variance), 12);
    for (let c = 0; c < 3; c++) {
      const h = 1e-6;
      const up = [...x];
      const down = [...x];
      up[c] += h;
      down[c] -= h;
      const a = posterior.predict(up);
      const b = posterior.predict(down);
      const fd = (acquisitionValue(spec, a.mean, a.variance) - acquisitionValue(spec, b.mean, b.variance)) / (2 * h);
      expect(Math.abs(grad[c] - fd)).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd)));
    }
  });

  it('log-EI equals log of the textbook EI where that is representable', () => {
    const mean = 0.2;
    const std = 0.3;
    const best = 0.1;
    const z = (best - mean) / std;
    const ei = (best - mean) * normalCdf(z) + std * normalPdf(z);
    expect(acquisitionValue({ kind: 'ei', beta: 0, incumbent: best }, mean, std * std)).toBeCloseTo(Math.log(ei), 12);
  });

  it('UCB is −(μ − βσ)', () => {
    expect(acquisitionValue({ kind: 'ucb', beta: 2, incumbent: 0 }, 1, 0.25)).toBeCloseTo(-1 + 2 * 0.5, 14);
  });
});

describe('β schedule', () => {
  it('decays geometrically from start (iteration 1) to end (last iteration)', () => {
    const s = { start: 2, end: 0.2 };
    expect(betaAt(s, 1, 10)).toBeCloseTo(2, 12);
    expect(betaAt(s, 10, 10)).toBeCloseTo(0.2, 12);
    expect(betaAt(s, 5.5, 10)).toBeCloseTo(Math.sqrt(0.4), 12);
    expect(betaAt(s, 50, 10)).toBeCloseTo(0.2, 12);
    for (let t = 2; t <= 10; t++) expect(betaAt(s, t, 10)).toBeLessThan(betaAt(s, t - 1, 10));
  });

  it('ends at `end` on quiet data and at `endNoisy` once the learned noise is material, log-linear between', () => {
    const s = { start: 2, end: 0.2, endNoisy: 1 };
    expect(endBeta(s, 0)).toBeCloseTo(0.2, 12);
    expect(endBeta(s, 1e-4)).toBeCloseTo(0.2, 12);
    // Half-way in log noise (10^-3.5): half-way in log β.
    expect(endBeta(s, Math.pow(10, -3.5))).toBeCloseTo(Math.sqrt(0.2), 12);
    expect(endBeta(s, 1e-3)).toBeCloseTo(1, 12);
    expect(endBeta(s, 0.5)).toBeCloseTo(1, 12);
    expect(betaAt(s, 10, 10, 1e-2)).toBeCloseTo(1, 12);
    expect(betaAt(s, 10, 10, 1e-8)).toBeCloseTo(0.2, 12);
    expect(betaAt(s, 1, 10, 1e-2)).toBeCloseTo(2, 12);
    // Without endNoisy the noise changes nothing.
    expect(betaAt({ start: 2, end: 0.2 }, 10, 10, 1e-2)).toBeCloseTo(0.2, 12);
    expect(() => endBeta({ start: 2, end: 0.2, endNoisy: 0 }, 1)).toThrow(/endNoisy/);
    // The default adapts.
    expect(endBeta(DEFAULT_BETA_SCHEDULE, 1e-2)).toBeGreaterThan(endBeta(DEFAULT_BETA_SCHEDULE, 1e-8));
  });
});
