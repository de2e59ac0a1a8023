import type { Observation } from '../../../src/engine/optimizer';
import { initialDesign } from '../../../src/engine/optimizer/baselines';
import { defineSpace, parameterSetKey, type ParameterSet } from '../../../src/engine/space/space';

/** The small study the noise tests share: x, y in [−5, 5], a seeded initial design, the fit and call options. */
export const space = defineSpace([
  { kind: 'continuous', name: 'x', low: -5, high: 5 },
  { kind: 'continuous', name: 'y', low: -5, high: 5 },
]);

/** 2-D Rastrigin shifted to (1.3, −0.7): a grid of local minima, global minimum 0. Deterministic. */
export function rastrigin(p: ParameterSet): number {
  const z = [Number(p.x) - 1.3, Number(p.y) + 0.7];
  return 20 + z.reduce((s, v) => s + v * v - 10 * Math.cos(2 * Math.PI * v), 0);
}

export function design(objective: (p: ParameterSet) => number, n: number, seed: number): Observation[] {
  return initialDesign(space, n, seed).map((params) => ({ params, score: objective(params) }));
}

export const fitOptions = { kernel: 'matern52' as const, outputTransform: 'standardize' as const, fitStarts: 2, seed: 1 };
export const key = (p: ParameterSet) => parameterSetKey(space, p);
