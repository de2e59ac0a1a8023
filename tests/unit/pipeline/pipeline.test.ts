import { describe, expect, it } from 'vitest';
import { defaultExperimentConfig } from '../../../src/engine/config/experimentConfig';
import { parameterSpaceFromConfig } from '../../../src/engine/config/space';
import { EXPERIMENT_SCHEMA_VERSION, type ExperimentRecord, type IterationRecord } from '../../../src/engine/experiment/records';
import { assertInSpace } from '../../../src/engine/space/space';
import { estimateSecondsLeft, formatDuration } from '../../../src/engine/pipeline/eta';
import { nextStep } from '../../../src/engine/pipeline/nextStep';
import { convergenceHistory, observationsFrom, parameterSetFloor, pendingParamSets } from '../../../src/engine/pipeline/observations';
import { missingRequests, nextParamSetIndex, planIteration, planIterationZero, requestsForParamSets } from '../../../src/engine/pipeline/plan';
import { voidJob } from '../../../src/domains/voids/domain';
import { parameterRecovery } from '../../../src/engine/pipeline/recovery';

const config = defaultExperimentConfig();
const chips = ['c1.png', 'c2.png', 'c3.png', 'c4.png', 'c5.png'];

describe('planning iteration 0', () => {
  it('samples real/close/far as configured, with unique ids and valid parameters', () => {
    const plan = planIterationZero(config, true);
    expect(plan.paramSets.map((p) => p.dataset_type)).toEqual([...Array(5).fill('real'), ...Array(8).fill('close'), ...Array(8).fill('far')]);
    expect(plan.requests).toHaveLength(15 + 24 + 24);
    expect(new Set(plan.requests.map((j) => j.sample_id)).size).toBe(plan.requests.length);
    expect(plan.requests[0].sample_id).toBe('iter0_real_000');
    expect(plan.requests[15].sample_id).toBe('iter0_close_000');
    expect(plan.paramSets[0].param_set_id).toBe('ps_000');
    expect(plan.paramSets[20].param_set_id).toBe('ps_020');
    const space = parameterSpaceFromConfig(config);
    plan.paramSets.forEach((p) => assertInSpace(space, p.params));
    expect(plan.requests.filter((j) => j.param_set_id === 'ps_000').map((j) => j.replication_seed)).toEqual([0, 1, 2]);
    // The void domain picks a base chip per image from (seed, set, replicate): all chips get used.
    expect(new Set(plan.requests.map((r) => voidJob(r, config, chips).fields.base_image_id)).size).toBeGreaterThan(2);
    expect(voidJob(plan.requests[0], config, chips)).toEqual(voidJob(plan.requests[0], config, chips));
  });

  it('is a pure function of the config: re-planning after a reload gives the same requests', () => {
    expect(planIterationZero(config, true)).toEqual(planIterationZero(config, true));
    expect(planIterationZero({ ...config, random_seed: 1 }, true)).not.toEqual(planIterationZero(config, true));
  });

  it('has no real sets when the user brings real images', () => {
    const plan = planIterationZero(config, false);
    expect(plan.paramSets.some((p) => p.dataset_type === 'real')).toBe(false);
    expect(plan.requests).toHaveLength(48);
    expect(plan.paramSets[0].param_set_id).toBe('ps_000');
  });

  it('close sets sit nearer the real distribution than far sets (as iteration 0 is designed)', () => {
    const plan = planIterationZero({ ...config, close: { ...config.close, param_sets: 200 }, far: { ...config.far, param_sets: 200 } }, false);
    const mean = (t: string, k: string) => {
      const sets = plan.paramSets.filter((p) => p.dataset_type === t);
      return sets.reduce((s, p) => s + Number(p.params[k]), 0) / sets.length;
    };
    expect(Math.abs(mean('close', 'base_size') - 20)).toBeLessThan(Math.abs(mean('far', 'base_size') - 20));
    expect(Math.abs(mean('close', 'void_count') - 8)).toBeLessThan(Math.abs(mean('far', 'void_count') - 8));
  });
});

describe('planning iteration n and resuming', () => {
  it('turns recommendations into synthetic sets with running ids', () => {
    const zero = planIterationZero(config, true);
    const recommended = zero.paramSets.slice(0, 8).map((p, i) => ({ params: p.params, acquisitionValue: i / 10 }));
    const plan = planIteration(1, recommended, nextParamSetIndex([zero]), config);
    expect(plan.paramSets[0]).toMatchObject({ param_set_id: 'ps_021', dataset_type: 'synthetic', acquisitionValue: 0 });
    expect(plan.requests).toHaveLength(24);
    expect(plan.requests[0].sample_id).toBe('iter1_synthetic_000');
    expect(plan.requests[23].sample_id).toBe('iter1_synthetic_023');
    expect(() => planIteration(0, recommended, 0, config)).toThrow(/iteration 0/);
  });

  it('rebuilds the same requests from the stored parameter sets', () => {
    const zero = planIterationZero(config, true);
    expect(requestsForParamSets(0, zero.paramSets, config)).toEqual(zero.requests);
    const one = planIteration(1, zero.paramSets.slice(0, 8), 21, config);
    expect(requestsForParamSets(1, one.paramSets, config)).toEqual(one.requests);
  });

  it('resumes with only the missing requests', () => {
    const zero = planIterationZero(config, true);
    const stored = new Set(zero.requests.slice(0, 40).map((j) => j.sample_id));
    const missing = missingRequests(zero.requests, stored);
    expect(missing.map((j) => j.sample_id)).toEqual(zero.requests.slice(40).map((j) => j.sample_id));
  });

  const experiment: ExperimentRecord = {
    id: 'e1', name: 'e', createdAt: '', updatedAt: '', config, target: { kind: 'simulated' },
    embedder: { id: 'image-statistics', label: 'stats', dimension: 8, normalized: true }, chipIds: chips,
    status: 'ready', schemaVersion: EXPERIMENT_SCHEMA_VERSION,
  };
  const iteration = (n: number, stage: IterationRecord['stage'], extra: Partial<IterationRecord> = {}): IterationRecord => ({
    experimentId: 'e1', iteration: n, stage, paramSets: [], timings: {}, startedAt: '', ...extra,
  });

  it('picks the stage after the last committed one', () => {
    expect(nextStep(experiment, [])).toEqual({ kind: 'stage', iteration: 0, stage: 'plan' });
    expect(nextStep(experiment, [iteration(0, 'planned')])).toEqual({ kind: 'stage', iteration: 0, stage: 'sampled' });
    expect(nextStep(experiment, [iteration(0, 'proposed'), iteration(1, 'sampled')])).toEqual({ kind: 'stage', iteration: 1, stage: 'analysed' });
    expect(nextStep(experiment, [iteration(0, 'proposed')])).toEqual({ kind: 'stage', iteration: 1, stage: 'plan' });
    const converged = iteration(3, 'proposed', { convergence: { converged: true, reason: 'plateau', detail: 'no improvement for 3 iterations' } });
    expect(nextStep(experiment, [converged])).toEqual({ kind: 'finished', reason: 'no improvement for 3 iterations' });
    expect(nextStep(experiment, [iteration(10, 'proposed')]).kind).toBe('finished');
  });

  it('gives the optimizer close/far/synthetic scores but never the hidden real sets', () => {
    const floor = { available: true as const, referenceSize: 13, heldOutSize: 3, splits: 200, exhaustive: false, mean: 0.001, sd: 0.01, median: 0, low: -0.01, high: 0.02, quantiles: [0.05, 0.95] as [number, number] };
    const score = (s: number) => ({ score: s, floor, excessOverFloor: s, withinFloor: false, sizes: { real: 15, synthetic: 3 }, info: {} as never });
    const its = [
      iteration(0, 'analysed', {
        paramSets: [
          { param_set_id: 'ps_000', dataset_type: 'real', params: { a: 1 }, score: score(0) },
          { param_set_id: 'ps_001', dataset_type: 'close', params: { a: 2 }, score: score(0.1) },
          { param_set_id: 'ps_002', dataset_type: 'far', params: { a: 3 }, score: score(0.5) },
          { param_set_id: 'ps_003', dataset_type: 'far', params: { a: 4 } },
        ],
      }),
    ];
    // Each observation carries its replicate count (the GP's noise for it is ∝ 1/replicates).
    expect(observationsFrom(its)).toEqual([{ params: { a: 2 }, score: 0.1, replicates: 3 }, { params: { a: 3 }, score: 0.5, replicates: 3 }]);
    expect(parameterSetFloor(its)).toEqual({ mean: 0.001, high: 0.02, sd: 0.01 });
    expect(convergenceHistory(its)).toEqual([]);
  });

  it('passes the optimizer the sets planned but not scored yet as pending, never the proposing iteration\'s own', () => {
    const sets = (ids: number[]) => ids.map((n) => ({ param_set_id: `ps_${n}`, dataset_type: 'synthetic' as const, params: { a: n } }));
    const its = [iteration(0, 'proposed', { paramSets: sets([1]) }), iteration(1, 'sampled', { paramSets: sets([2, 3]) }), iteration(2, 'planned', { paramSets: sets([4]) }), iteration(3, 'analysed', { paramSets: sets([5]) })];
    expect(pendingParamSets(its)).toEqual([{ a: 2 }, { a: 3 }, { a: 4 }]);
    expect(pendingParamSets(its, 2)).toEqual([{ a: 2 }, { a: 3 }]);
  });
});

describe('parameter recovery', () => {
  it('reports normalized errors against the hidden sets and the categorical match', () => {
    const hidden = [
      { params: { void_shape: 'ellipse', void_count: 8, base_size: 20, brightness_factor: 0.6, size_std: 7, position_spread: 0.5 } },
      { params: { void_shape: 'ellipse', void_count: 10, base_size: 24, brightness_factor: 0.7, size_std: 5, position_spread: 0.3 } },
      { params: { void_shape: 'circle', void_count: 6, base_size: 16, brightness_factor: 0.5, size_std: 9, position_spread: 0.7 } },
    ];
    const r = parameterRecovery(config, { void_shape: 'ellipse', void_count: 8, base_size: 27, brightness_factor: 0.6, size_std: 7, position_spread: 0.5 }, hidden);
    const base = r.rows.find((x) => x.name === 'base_size')!;
    expect(base.hiddenMean).toBe(20);
    expect(base.normalizedError).toBeCloseTo(7 / 35, 12);
    expect(r.rows.find((x) => x.name === 'void_shape')).toMatchObject({ hiddenMode: 'ellipse', matches: true });
    expect(r.categoricalMatches).toBe(1);
    expect(r.meanNormalizedError).toBeCloseTo(7 / 35 / 5, 12);
    expect(() => parameterRecovery(config, hidden[0].params, [])).toThrow(/simulated/);
  });
});

describe('time left', () => {
  it('extrapolates the rate and formats durations', () => {
    expect(estimateSecondsLeft(0, 10, 5000)).toBeNull();
    expect(estimateSecondsLeft(5, 10, 10_000)).toBe(10);
    expect(estimateSecondsLeft(10, 10, 10_000)).toBe(0);
    expect(formatDuration(125)).toBe('2 min 05 s');
    expect(formatDuration(4.2)).toBe('5 s');
  });
});
