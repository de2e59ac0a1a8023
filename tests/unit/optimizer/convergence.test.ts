import { describe, expect, it } from 'vitest';
import { checkConvergence, type ConvergencePoint } from '../../../src/engine/optimizer/convergence';

const history = (means: number[], std = 0.001): ConvergencePoint[] =>
  means.map((m, i) => ({ iteration: i + 1, bestPosteriorMean: m, bestPosteriorStd: std }));

const base = { rule: 'noise_floor' as const, threshold: 0.05, patience: 3, maxIterations: 10 };
/** δ at a confirmation's sizes (32 synthetic vs 16 real), from the real-vs-real floor. */
const tolerance = { delta: 0.02, m: 32, n: 16, source: 'floor' as const };

describe('checkConvergence', () => {
  it('reports nothing before the first iteration', () => {
    expect(checkConvergence({ ...base, history: [] })).toMatchObject({ converged: false, reason: null });
  });

  it('threshold (noise floor): a best posterior mean at or below δ at the confirmation\'s sizes asks for a confirmation, and does not stop', () => {
    expect(checkConvergence({ ...base, history: history([0.3, 0.1, 0.021]), tolerance })).toMatchObject({ converged: false, reason: null });
    expect(checkConvergence({ ...base, history: history([0.3, 0.1, 0.021]), tolerance }).confirmationDue).toBeFalsy();
    const r = checkConvergence({ ...base, history: history([0.3, 0.1, 0.019]), tolerance });
    expect(r).toMatchObject({ converged: false, reason: null, confirmationDue: true });
    expect(r.detail).toMatch(/^best posterior mean 0\.0190 ≤ δ = 0\.0200 \(the real-vs-real floor at 32 synthetic vs 16 real\): a candidate/);
    // The per-set band is not the threshold any more: a mean inside it but above δ asks for nothing.
    expect(checkConvergence({ ...base, history: history([0.3, 0.1, 0.03]), tolerance, noiseFloor: { mean: 0.01, high: 0.2 } }).confirmationDue).toBeFalsy();
  });

  it("threshold (absolute): the config's fixed threshold asks for a confirmation the same way", () => {
    expect(checkConvergence({ ...base, rule: 'absolute', history: history([0.3, 0.049]) })).toMatchObject({ converged: false, confirmationDue: true });
    expect(checkConvergence({ ...base, rule: 'absolute', history: history([0.3, 0.051]) }).confirmationDue).toBeFalsy();
  });

  it('noise-floor rule without a known tolerance never fires, and says so', () => {
    const r = checkConvergence({ ...base, history: history([0.3, 0.0]), noiseFloor: { mean: 0, high: 0.1 } });
    expect(r).toMatchObject({ converged: false, reason: null });
    expect(r.confirmationDue).toBeFalsy();
    expect(r.detail).toMatch(/no confirmation tolerance known yet/);
  });

  it('a best set confirmed before is not confirmed again by the rule', () => {
    const r = checkConvergence({ ...base, history: history([0.3, 0.019]), tolerance, bestConfirmed: true });
    expect(r).toMatchObject({ converged: false, reason: null });
    expect(r.confirmationDue).toBeFalsy();
    expect(r.detail).toMatch(/confirmed before: waiting for another best set/);
  });

  it('a passed confirmation converges with its statement; a failed one lets the loop go on', () => {
    const statement = 'indistinguishable within δ = 0.02: MMD² −0.003 …';
    const passed = checkConvergence({ ...base, history: history([0.3, 0.019]), confirmation: { verdict: 'indistinguishable', statement } });
    expect(passed).toEqual({ converged: true, reason: 'threshold', detail: `converged: ${statement}`, statement });
    for (const verdict of ['distinguishable', 'not enough evidence'] as const) {
      const failed = checkConvergence({ ...base, history: history([0.3, 0.019]), tolerance, confirmation: { verdict, statement: `${verdict}: …` } });
      expect(failed, verdict).toMatchObject({ converged: false, reason: null });
      expect(failed.confirmationDue, verdict).toBeFalsy();
      expect(failed.detail).toContain(`the confirmation read "${verdict}"`);
    }
  });

  it('plateau: no improvement beyond the posterior std in `patience` iterations, stopped, not converged', () => {
    // A total improvement of 0.0006 < std 0.001 does not count.
    const r = checkConvergence({ ...base, history: history([0.5, 0.2, 0.1998, 0.1996, 0.1994]) });
    expect(r).toMatchObject({ converged: true, reason: 'plateau' });
    expect(r.detail).toMatch(/^stopped, not converged: no improvement/);
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

  it('budget: max_iterations batches reached; a passed confirmation and a due one take priority, then plateau', () => {
    const improving = history([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.15, 0.1]);
    const budget = checkConvergence({ ...base, history: improving });
    expect(budget).toMatchObject({ converged: true, reason: 'budget' });
    expect(budget.detail).toBe('stopped, not converged: reached max_iterations = 10');
    expect(checkConvergence({ ...base, history: improving, tolerance: { ...tolerance, delta: 0.12 } })).toMatchObject({ converged: false, confirmationDue: true });
    expect(checkConvergence({ ...base, history: improving, confirmation: { verdict: 'indistinguishable', statement: 'indistinguishable …' } })).toMatchObject({ reason: 'threshold' });
    expect(checkConvergence({ ...base, history: improving, confirmation: { verdict: 'distinguishable', statement: 'distinguishable …' } })).toMatchObject({ reason: 'budget' });
    const flat = history([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.3, 0.3, 0.3]);
    expect(checkConvergence({ ...base, history: flat })).toMatchObject({ reason: 'plateau' });
    // The budget counts batches when confirmations are interleaved.
    expect(checkConvergence({ ...base, history: improving.slice(0, 8), batches: 8 }).converged).toBe(false);
    expect(checkConvergence({ ...base, history: improving.slice(0, 8), batches: 10 })).toMatchObject({ reason: 'budget' });
  });
});
