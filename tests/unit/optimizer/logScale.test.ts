import { describe, expect, it } from 'vitest';
import { decodeParameters, encodeParameters, spaceLayout } from '../../../src/engine/optimizer/encoding';
import { sobolPoints } from '../../../src/engine/optimizer/sampling/sobol';
import { decodeFromUnitCube, defineSpace, encodeToUnitCube } from '../../../src/engine/space/space';

const space = defineSpace([
  { kind: 'continuous', name: 'size', low: 1, high: 100, log: true },
  { kind: 'continuous', name: 'gain', low: 1, high: 100 },
  { kind: 'integer', name: 'count', low: 1, high: 1000, log: true },
]);

describe('parameters marked log are searched in log v', () => {
  it('the model coordinate is linear in ln v (the geometric midpoint sits at 0.5) and decodes back', () => {
    const layout = spaceLayout(space);
    const x = encodeParameters(layout, { size: 10, gain: 10, count: 10 });
    expect(x[0]).toBeCloseTo(0.5, 12);
    expect(x[1]).toBeCloseTo(9 / 99, 12);
    const back = decodeParameters(layout, x);
    expect(back.size).toBeCloseTo(10, 10);
    expect(back.count).toBe(10);
  });

  it('an initial design covers each decade of a log parameter alike (a linear one crowds the top)', () => {
    const points = sobolPoints(3, 256, 0, { scramble: true, seed: 4 }).map((u) => decodeFromUnitCube(space, u));
    const share = (name: string, below: number) => points.filter((p) => Number(p[name]) < below).length / points.length;
    expect(share('size', 10)).toBeCloseTo(0.5, 1);
    expect(share('gain', 10)).toBeLessThan(0.15);
    expect(share('count', 32)).toBeCloseTo(0.5, 1);
    for (const p of points) {
      const again = decodeFromUnitCube(space, encodeToUnitCube(space, p));
      expect(Number(again.size)).toBeCloseTo(Number(p.size), 9);
      expect(again.count).toBe(p.count);
    }
  });
});
