import { afterEach, describe, expect, it } from 'vitest';
import {
  constrainedAcquisitionNames,
  CONSTRAINED_ACQUISITIONS,
  expectedFeasibleImprovement,
  fitConstrainedModel,
  getConstrainedAcquisition,
  initialDesign,
  predictConstrained,
  probabilityOfFeasibility,
  proposeConstrained,
  registerConstrainedAcquisition,
  suggestFeasible,
  type ConstrainedObservation,
  type ConstrainedState,
  type PredictionWithGradient,
} from '../../../src/engine/optimizer';
import { expectedImprovement, probabilityOfImprovement } from '../../../src/engine/optimizer/acquisition/analytic';
import { normalCdf } from '../../../src/engine/optimizer/acquisition/normal';
import { defineSpace, type ParameterSet } from '../../../src/engine/space/space';

/**
 * Constrained BO on a toy problem with a known answer: minimise f = (x − 0.9)² + (y − 0.9)² subject to
 * c1 = x + y − 1 ≤ 0 (and, where used, a categorical whose level "off" is always infeasible). The
 * unconstrained optimum (0.9, 0.9) is infeasible; the constrained one is (0.5, 0.5), f = 0.32.
 */
const space = defineSpace([
  { kind: 'continuous', name: 'x', low: 0, high: 1 },
  { kind: 'continuous', name: 'y', low: 0, high: 1 },
  { kind: 'categorical', name: 'mode', choices: ['on', 'off'] },
]);
const f = (p: ParameterSet) => (Number(p.x) - 0.9) ** 2 + (Number(p.y) - 0.9) ** 2;
const c1 = (p: ParameterSet) => Number(p.x) + Number(p.y) - 1;
const c2 = (p: ParameterSet) => (p.mode === 'off' ? 1 : -1);
const observe = (params: ParameterSet): ConstrainedObservation => ({ params, objective: f(params), constraints: [c1(params), c2(params)] });
const names = ['sum', 'mode'];

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function prediction(mean: number, variance: number, d: number, seed: number): PredictionWithGradient {
  const gradMean = Float64Array.from({ length: d }, (_, i) => Math.sin(seed + i));
  const gradVariance = Float64Array.from({ length: d }, (_, i) => 0.1 * Math.cos(seed * 2 + i));
  return { mean, variance, gradMean, gradVariance };
}

describe('constrained acquisitions', () => {
  it('are registered by name; a name is registered once; an unknown name throws', () => {
    expect(constrainedAcquisitionNames().slice(0, 2)).toEqual([...CONSTRAINED_ACQUISITIONS]);
    expect(getConstrainedAcquisition('ei_feasible')).toBe(expectedFeasibleImprovement);
    expect(() => registerConstrainedAcquisition({ ...probabilityOfFeasibility })).toThrow(/already registered/);
    expect(() => getConstrainedAcquisition('nope')).toThrow(/unknown constrained acquisition "nope"/);
    cleanups.push(registerConstrainedAcquisition({ ...probabilityOfFeasibility, name: 'test-feasibility' }));
    expect(getConstrainedAcquisition('test-feasibility').name).toBe('test-feasibility');
  });

  it('ei_feasible = log EI + Σ log Φ((t − μ)/σ); without a feasible incumbent, the log probability of feasibility alone', () => {
    const objective = { mean: 0.2, variance: 0.5 };
    const constraints = [{ mean: -0.3, variance: 0.2 }, { mean: 0.4, variance: 1.1 }];
    const state: ConstrainedState = { incumbent: 0.1, thresholds: [0.05, -0.2] };
    const logPof = Math.log(normalCdf((0.05 + 0.3) / Math.sqrt(0.2))) + Math.log(normalCdf((-0.2 - 0.4) / Math.sqrt(1.1)));
    const logEi = expectedImprovement.value({ beta: 0, incumbent: 0.1 }, 0.2, 0.5);
    expect(expectedFeasibleImprovement.value(state, objective, constraints)).toBeCloseTo(logEi + logPof, 12);
    expect(expectedFeasibleImprovement.value({ ...state, incumbent: null }, objective, constraints)).toBeCloseTo(logPof, 12);
    expect(probabilityOfFeasibility.value(state, objective, constraints)).toBeCloseTo(logPof, 12);
    expect(probabilityOfImprovement.value({ beta: 0, incumbent: 0.05 }, -0.3, 0.2)).toBeCloseTo(Math.log(normalCdf(0.35 / Math.sqrt(0.2))), 12);
  });

  it('their gradients are the chain rule through every model (checked by finite differences along each coordinate)', () => {
    const d = 3;
    // μ(x) and σ²(x) linear in x around 0 with the gradients below: the acquisition's gradient must match.
    const base = { o: prediction(0.3, 0.4, d, 1), c: [prediction(-0.1, 0.3, d, 2), prediction(0.2, 0.6, d, 3)] };
    const at = (x: number[]) => {
      const shift = (p: PredictionWithGradient) => ({
        mean: p.mean + x.reduce((s, v, i) => s + v * p.gradMean[i], 0),
        variance: p.variance + x.reduce((s, v, i) => s + v * p.gradVariance[i], 0),
      });
      return { o: shift(base.o), c: base.c.map(shift) };
    };
    for (const acquisition of [expectedFeasibleImprovement, probabilityOfFeasibility]) {
      for (const incumbent of [0.25, null]) {
        const state: ConstrainedState = { incumbent, thresholds: [0, 0.1] };
        const grad = new Float64Array(d);
        acquisition.valueAndGradient(state, base.o, base.c, grad);
        for (let i = 0; i < d; i++) {
          const h = 1e-6;
          const plus = at(Array.from({ length: d }, (_, k) => (k === i ? h : 0)));
          const minus = at(Array.from({ length: d }, (_, k) => (k === i ? -h : 0)));
          const numeric = (acquisition.value(state, plus.o, plus.c) - acquisition.value(state, minus.o, minus.c)) / (2 * h);
          expect(grad[i]).toBeCloseTo(numeric, 5);
        }
      }
    }
  });
});

describe('proposeConstrained', () => {
  const initial = initialDesign(space, 6, 11).map(observe);

  it('finds the constrained optimum on the boundary, where unconstrained EI would leave the feasible region', () => {
    const observations = [...initial];
    for (let iteration = 1; iteration <= 14; iteration++) {
      const out = proposeConstrained({ space, observations, constraintNames: names, batchSize: 1, iteration, seed: 5 });
      expect(out.diagnostics.strategy).toBe('ei_feasible');
      observations.push(observe(out.next_params[0].params));
    }
    const feasible = observations.filter((o) => o.constraints.every((c) => c <= 0));
    const best = Math.min(...feasible.map((o) => o.objective));
    expect(best).toBeLessThan(0.33); // the constrained optimum is 0.32
    // Most model-based proposals respect both constraints (the categorical one is learned at once).
    const proposed = observations.slice(initial.length);
    expect(proposed.filter((o) => o.constraints.every((c) => c <= 0)).length).toBeGreaterThanOrEqual(10);
    expect(proposed.filter((o) => o.params.mode === 'off').length).toBeLessThanOrEqual(1);
  });

  it('seeks feasibility first while no observation is feasible', () => {
    const infeasible = initial.filter((o) => o.constraints.some((c) => c > 0));
    expect(infeasible.length).toBeGreaterThanOrEqual(2);
    const out = proposeConstrained({ space, observations: infeasible, constraintNames: names, batchSize: 1, iteration: 1, seed: 2 });
    expect(out.diagnostics.feasibleFound).toBe(false);
    const proposal = out.next_params[0];
    // The acquisition is the log probability of feasibility alone, and the proposal is likelier to be
    // feasible than any of the (infeasible) observations.
    expect(proposal.acquisitionValue).toBeCloseTo(Math.log(proposal.predicted!.feasibility), 8);
    for (const o of infeasible) expect(proposal.predicted!.feasibility).toBeGreaterThan(predictConstrained(out.model!, o.params).feasibility);
  });

  it('is deterministic, proposes distinct batch members and never repeats an evaluated or pending set', () => {
    const input = { space, observations: initial, constraintNames: names, batchSize: 3, iteration: 2, seed: 9, pending: [{ x: 0.4, y: 0.4, mode: 'on' }] };
    const a = proposeConstrained(input);
    expect(proposeConstrained(input).next_params).toEqual(a.next_params);
    const keys = a.next_params.map((p) => JSON.stringify(p.params));
    expect(new Set(keys).size).toBe(3);
    expect(keys).not.toContain(JSON.stringify({ x: 0.4, y: 0.4, mode: 'on' }));
  });

  it('with fewer than two observations, falls back to a Sobol batch', () => {
    const out = proposeConstrained({ space, observations: initial.slice(0, 1), constraintNames: names, batchSize: 2, iteration: 1, seed: 1 });
    expect(out.diagnostics.strategy).toBe('sobol');
    expect(out.next_params).toHaveLength(2);
    expect(out.model).toBeNull();
  });
});

describe('the constrained model', () => {
  it('leaves a constraint observed constant unmodelled, with probability 1 or 0 everywhere', () => {
    const on = initialDesign(space, 8, 3).map((p) => observe({ ...p, mode: 'on' }));
    const model = fitConstrainedModel(space, on, names, { seed: 1 });
    expect(model.constraints.map((c) => c.surrogate === null)).toEqual([false, true]);
    const p = predictConstrained(model, { x: 0.2, y: 0.2, mode: 'off' });
    expect(p.constraints[1]).toMatchObject({ name: 'mode', mean: -1, std: 0, probability: 1 });
    expect(p.constraints[0].probability).toBeGreaterThan(0.5);
    expect(p.feasibility).toBeCloseTo(p.constraints[0].probability, 12);
  });

  it('suggests settings predicted feasible, with the predicted objective and constraint values', () => {
    const observations = initialDesign(space, 16, 4).map(observe);
    const model = fitConstrainedModel(space, observations, names, { seed: 2 });
    const s = suggestFeasible(model, { seed: 3 });
    expect(s.likelyFeasible).toBe(true);
    expect(s.params.mode).toBe('on');
    expect(c1(s.params)).toBeLessThan(0.1);
    expect(Math.abs(s.predicted.objective.mean - f(s.params))).toBeLessThan(0.1);
    expect(s.predicted.constraints.map((c) => c.name)).toEqual(names);
  });

  it('refuses a non-finite value, naming the observation and the constraint', () => {
    const bad = [observe({ x: 0.1, y: 0.1, mode: 'on' }), { ...observe({ x: 0.2, y: 0.3, mode: 'on' }), constraints: [NaN, -1] }];
    expect(() => fitConstrainedModel(space, bad, names, { seed: 1 })).toThrow(/observation 1: constraint sum value NaN/);
  });
});
