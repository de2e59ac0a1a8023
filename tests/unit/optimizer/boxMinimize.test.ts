import { describe, expect, it } from 'vitest';
import { minimizeInBox } from '../../../src/engine/optimizer/optimize/boxMinimize';

const rosenbrock = (x: Float64Array, g: Float64Array) => {
  const a = 1 - x[0];
  const b = x[1] - x[0] * x[0];
  g[0] = -2 * a - 400 * x[0] * b;
  g[1] = 200 * b;
  return a * a + 100 * b * b;
};

describe('projected L-BFGS in a box', () => {
  it('finds the Rosenbrock minimum (1, 1) inside a box that contains it', () => {
    const r = minimizeInBox(rosenbrock, [-1.2, 1], [-2, -2], [2, 2], { maxIterations: 200 });
    expect(r.x[0]).toBeCloseTo(1, 4);
    expect(r.x[1]).toBeCloseTo(1, 4);
  });

  it('stops on the active bound when the minimum lies outside the box', () => {
    // Minimum of (x − 3)² + (y + 1)² over [0, 1]²: (1, 0).
    const f = (x: Float64Array, g: Float64Array) => {
      g[0] = 2 * (x[0] - 3);
      g[1] = 2 * (x[1] + 1);
      return (x[0] - 3) ** 2 + (x[1] + 1) ** 2;
    };
    const r = minimizeInBox(f, [0.5, 0.5], [0, 0], [1, 1]);
    expect(Array.from(r.x)).toEqual([1, 0]);
    expect(r.converged).toBe(true);
  });

  it('never evaluates outside the box', () => {
    const f = (x: Float64Array, g: Float64Array) => {
      if (x[0] < 0 || x[0] > 1) throw new Error(`evaluated at ${x[0]}`);
      g[0] = -1;
      return -x[0];
    };
    expect(minimizeInBox(f, [0.2], [0], [1]).x[0]).toBe(1);
  });
});
