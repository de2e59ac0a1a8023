import { describe, expect, it } from 'vitest';
import { checkConvergence, type ConvergencePoint } from '../../../src/engine/optimizer/convergence';

const history = (means: number[], std = 0.001): ConvergencePoint[] =>
  means.map((m, i) => ({ iteration: i + 1, bestPosteriorMean: m, bestPosteriorStd: std }));

const base = { rule: 'noise_floor' as const, threshold: 0.05, patience: 3, maxIterations: 10 };

describe('checkConvergence', () => {
  it('reports nothing before the first iteration', () => {
    expect(checkConvergence({ ...base, history: [] })).toMatchObject({ converged: false, reason: null });
  });

  it('threshold (noise floor): the best posterior mean reaches the upper end of the real-vs-real band', () => {
    const floor = { mean: 0.01, high: 0.02 };
    expect(checkConvergence({ ...base, history: history([0.3, 0.1, 0.021]), noiseFloor: floor }).converged).toBe(false);
    const r = checkConvergence({ ...base, history: history([0.3, 0.1, 0.019]), noiseFloor: floor });
    expect(r).toMatchObject({ converged: true, reason: 'threshold' });
    expect(r.detail).toMatch(/noise floor/);
  });

  it("threshold (absolute): the config's fixed threshold, best ≤ convergence_threshold", () => {
    expect(checkConvergence({ ...base, rule: 'absolute', history: history([0.3, 0.049]) })).toMatchObject({ reason: 'threshold' });
    expect(checkConvergence({ ...base, rule: 'absolute', history: history([0.3, 0.051]) }).converged).toBe(false);
  });

  it('noise-floor rule without a known floor never fires the threshold, and says so', () => {
    const r = checkConvergence({ ...base, history: history([0.3, 0.0]) });
    expect(r.converged).toBe(false);
    expect(r.detail).toMatch(/no noise floor/);
  });

  it('plateau: no improvement beyond the posterior std in `patience` iterations', () => {
    // A total improvement of 0.0006 < std 0.001 does not count.
    expect(checkConvergence({ ...base, history: history([0.5, 0.2, 0.1998, 0.1996, 0.1994]) })).toMatchObject({ reason: 'plateau' });
    // A real improvement inside the window resets it.
    expect(checkConvergence({ ...base, history: history([0.5, 0.2, 0.1995, 0.15, 0.1495]) }).converged).toBe(false);
    // Too short a history to judge.
    expect(checkConvergence({ ...base, history: history([0.2, 0.2, 0.2]) }).converged).toBe(false);
  });

  it('plateau uses the noise-floor band width when the history has no posterior std', () => {
    const points = [0.5, 0.2, 0.19, 0.18, 0.17].map((m, i) => ({ iteration: i + 1, bestPosteriorMean: m }));
    const floor = { mean: 0.0, high: 0.001 };
    expect(checkConvergence({ ...base, history: points, noiseFloor: floor }).converged).toBe(false);
    expect(checkConvergence({ ...base, history: points, noiseFloor: { mean: 0, high: 0.05 } })).toMatchObject({ reason: 'plateau' });
  });

  it('budget: max_iterations reached; threshold and plateau take priority', () => {
    const improving = history([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.15, 0.1]);
    expect(checkConvergence({ ...base, history: improving })).toMatchObject({ converged: true, reason: 'budget' });
    expect(checkConvergence({ ...base, history: improving, noiseFloor: { mean: 0.05, high: 0.12 } })).toMatchObject({ reason: 'threshold' });
    const flat = history([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.3, 0.3, 0.3]);
    expect(checkConvergence({ ...base, history: flat })).toMatchObject({ reason: 'plateau' });
  });
});
