import { describe, expect, it } from 'vitest';
import { defaultExperimentConfig, parseExperimentConfig } from '../../../src/engine/config/experimentConfig';
import { parameterSpaceFromConfig } from '../../../src/engine/config/space';
import { EXPERIMENT_SCHEMA_VERSION, type ExperimentRecord, type IterationRecord, type ParamSetRecord } from '../../../src/engine/experiment/records';
import { batchesRun, confirmationSettings, planConfirmation, wasConfirmed } from '../../../src/engine/pipeline/confirmationPlan';
import { confirmationTestInput, confirmationTolerance } from '../../../src/engine/pipeline/confirmationTest';
import { nextStep } from '../../../src/engine/pipeline/nextStep';
import { convergenceHistory, observationsFrom, parameterSetFloor } from '../../../src/engine/pipeline/observations';
import { planIterationZero, requestsForParamSets } from '../../../src/engine/pipeline/plan';
import { createRng } from '../../../src/engine/random/rng';
import { confirm } from '../../../src/engine/trust/confirmation';

const config = defaultExperimentConfig();
const space = parameterSpaceFromConfig(config);
const best = planIterationZero(config, false).paramSets[3].params;

const iteration = (n: number, extra: Partial<IterationRecord> = {}): IterationRecord => ({ experimentId: 'e', iteration: n, stage: 'proposed', paramSets: [], timings: {}, startedAt: '', ...extra });
const confirmationIteration = (n: number, params = best): IterationRecord => {
  const plan = planConfirmation(n, params, 100 + n, config, 'threshold');
  return iteration(n, { paramSets: plan.paramSets, confirming: plan.confirming });
};

describe('the confirmation settings (config keys confirmation_samples, confirmation_alpha, confirmation_delta)', () => {
  it('default to m = 32, α = 0.05 and δ from the floor, also for a config stored before the keys existed', () => {
    expect(confirmationSettings(config)).toEqual({ samples: 32, alpha: 0.05, delta: null });
    const { confirmation_samples: _m, confirmation_alpha: _a, confirmation_delta: _d, ...older } = config;
    expect(confirmationSettings(older as typeof config)).toEqual({ samples: 32, alpha: 0.05, delta: null });
  });

  it('are validated with the rest of the config, naming the key', () => {
    expect(parseExperimentConfig({ confirmation_samples: 48, confirmation_alpha: 0.01, confirmation_delta: 0.02 })).toMatchObject({ ok: true, config: { confirmation_samples: 48, confirmation_alpha: 0.01, confirmation_delta: 0.02 } });
    for (const [key, value] of [['confirmation_samples', 15], ['confirmation_samples', 65], ['confirmation_samples', 32.5], ['confirmation_alpha', 0], ['confirmation_alpha', 1], ['confirmation_delta', 0], ['confirmation_delta', -0.1]] as const) {
      const result = parseExperimentConfig({ [key]: value });
      expect(result.ok, `${key} = ${value}`).toBe(false);
      if (!result.ok) expect(result.errors[0], `${key} = ${value}`).toMatch(new RegExp(`^${key}: `));
    }
  });
});

describe('planning a confirmation', () => {
  it('is one set of the best parameters with m samples, dataset type confirmation, and replicate seeds of its own', () => {
    const plan = planConfirmation(4, best, 57, config, 'user');
    expect(plan.paramSets).toEqual([{ param_set_id: 'ps_057', dataset_type: 'confirmation', params: best }]);
    expect(plan.confirming).toEqual({ trigger: 'user', param_set_id: 'ps_057', samples: 32 });
    const requests = requestsForParamSets(4, plan.paramSets, config);
    expect(requests).toHaveLength(32);
    expect(requests[0].sample_id).toBe('iter4_confirmation_000');
    expect(requests[31].sample_id).toBe('iter4_confirmation_031');
    const seeds = requests.map((r) => r.replication_seed);
    // Fresh seeds, never 0…r−1 (those made the set's earlier samples), derived from the experiment seed and the iteration.
    expect(new Set(seeds).size).toBe(32);
    expect(seeds.some((s) => s < 3)).toBe(false);
    expect(requestsForParamSets(4, plan.paramSets, config)).toEqual(requests);
    expect(requestsForParamSets(5, plan.paramSets, config).map((r) => r.replication_seed)).not.toEqual(seeds);
    expect(requestsForParamSets(4, plan.paramSets, { ...config, random_seed: 1 }).map((r) => r.replication_seed)).not.toEqual(seeds);
    expect(requestsForParamSets(4, plan.paramSets, { ...config, confirmation_samples: 16 })).toHaveLength(16);
  });

  it('counts confirmations apart from batches: the budget, the plateau history and the per-set floor skip them', () => {
    const floor = { available: true as const, referenceSize: 13, heldOutSize: 3, splits: 200, exhaustive: false, mean: 0.001, sd: 0.01, median: 0, low: -0.01, high: 0.02, quantiles: [0.05, 0.95] as [number, number] };
    const score = (s: number, synthetic: number, sd = 0.01) => ({ score: s, floor: { ...floor, sd }, excessOverFloor: s, withinFloor: false, sizes: { real: 16, synthetic }, info: {} as never });
    const proposal = (mean: number) => ({ next_params: [], current_best: [{ params: best, posteriorMean: mean, posteriorStd: 0.01, observed: mean, observationCount: 1 }], diagnostics: {} as never });
    const batch: ParamSetRecord = { param_set_id: 'ps_010', dataset_type: 'synthetic', params: best, score: score(0.01, 3) };
    const confirmed = confirmationIteration(2);
    confirmed.paramSets[0].score = score(0.004, 32, 0.002);
    const its = [iteration(0), iteration(1, { paramSets: [batch], proposal: proposal(0.01) }), { ...confirmed, proposal: proposal(0.005) }, iteration(3, { proposal: proposal(0.006) })];
    expect(batchesRun(its)).toBe(2);
    expect(batchesRun(its.slice(0, 3))).toBe(1);
    expect(convergenceHistory(its).map((p) => p.iteration)).toEqual([1, 3]);
    expect(parameterSetFloor(its)?.sd).toBe(0.01);
    // The confirmation is one observation with its m replicates.
    expect(observationsFrom(its)).toEqual([{ params: best, score: 0.01, replicates: 3 }, { params: best, score: 0.004, replicates: 32 }]);
    expect(wasConfirmed(its, space, best)).toBe(true);
    expect(wasConfirmed(its, space, { ...best, base_size: Number(best.base_size) + 1 })).toBe(false);
  });
});

describe('what comes next around a confirmation', () => {
  const experiment: ExperimentRecord = {
    id: 'e', name: 'e', createdAt: '', updatedAt: '', config: { ...config, max_iterations: 3 }, target: { kind: 'simulated' },
    embedder: { id: 'x', label: 'x', dimension: 2, normalized: true }, chipIds: [], status: 'ready', schemaVersion: EXPERIMENT_SCHEMA_VERSION,
  };
  const due = { converged: false, reason: null, detail: 'a candidate', confirmationDue: true };

  it('plans the confirmation after a candidate, even when the budget is spent', () => {
    expect(nextStep(experiment, [iteration(0), iteration(1, { convergence: due })])).toEqual({ kind: 'stage', iteration: 2, stage: 'plan' });
    expect(nextStep(experiment, [iteration(0), iteration(1), iteration(2), iteration(3, { convergence: due })])).toEqual({ kind: 'stage', iteration: 4, stage: 'plan' });
  });

  it('does not count confirmations against max_iterations', () => {
    const running = { converged: false, reason: null, detail: 'not yet' };
    const its = [iteration(0), iteration(1), confirmationIteration(2), iteration(3, { convergence: running })];
    expect(nextStep(experiment, its)).toEqual({ kind: 'stage', iteration: 4, stage: 'plan' });
    expect(nextStep(experiment, [...its, iteration(4, { convergence: running })]).kind).toBe('finished');
  });

  it('ends auto-run on a passed confirmation; Step may go on past it', () => {
    const passed = { converged: true, reason: 'threshold' as const, detail: 'converged: indistinguishable within δ …', statement: 'indistinguishable within δ …' };
    const its = [iteration(0), iteration(1), { ...confirmationIteration(2), convergence: passed }];
    expect(nextStep(experiment, its)).toEqual({ kind: 'finished', reason: passed.detail });
    expect(nextStep(experiment, its, { continuePastConvergence: true })).toEqual({ kind: 'stage', iteration: 3, stage: 'plan' });
  });
});

describe('the confirmation test as the pipeline runs it', () => {
  const rng = createRng(5);
  const rows = (n: number, shift: number) => ({ rows: n, cols: 3, data: Float32Array.from({ length: n * 3 }, () => rng.normal(shift, 1)) });
  const real = rows(16, 0);

  it('uses the config\'s α and δ, 1,000 permutations and one seed per experiment, so the threshold quotes the statements\' δ', () => {
    const synthetic = rows(32, 0.1);
    const tested = confirm(confirmationTestInput(config, real, synthetic, 2));
    expect(tested).toMatchObject({ alpha: 0.05, permutations: 1000, deltaSource: 'floor', sizes: { real: 16, synthetic: 32 } });
    expect(tested.interval.level).toBe(0.9);
    const tolerance = confirmationTolerance(config, real, 2);
    expect(tolerance).toMatchObject({ m: 32, n: 16, source: 'floor' });
    expect(tolerance!.delta).toBeCloseTo(tested.delta, 12);
    const set = { ...config, confirmation_alpha: 0.01, confirmation_delta: 0.05 };
    expect(confirm(confirmationTestInput(set, real, synthetic, 2))).toMatchObject({ alpha: 0.01, delta: 0.05, deltaSource: 'user' });
    expect(confirmationTolerance(set, real, 2)).toEqual({ delta: 0.05, m: 32, n: 16, source: 'user' });
    expect(confirmationTolerance({ ...config, convergence_rule: 'absolute' }, real, 2)).toBeNull();
  });
});
