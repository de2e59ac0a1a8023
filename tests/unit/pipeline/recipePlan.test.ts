import { describe, expect, it } from 'vitest';
import { defaultExperimentConfig } from '../../../src/engine/config/experimentConfig';
import { parameterSpaceFromConfig } from '../../../src/engine/config/space';
import type { IterationRecord, ParamSetRecord, RecipeSetRecord, SampleRecord } from '../../../src/engine/experiment/records';
import type { ParameterSetScore } from '../../../src/engine/metrics';
import { confirmationReplicateSeed, planConfirmation, wasConfirmed } from '../../../src/engine/pipeline/confirmationPlan';
import { confirmationDelta, confirmationTolerance } from '../../../src/engine/pipeline/confirmationTest';
import { observationsFrom } from '../../../src/engine/pipeline/observations';
import { planIterationZero, requestsForParamSets } from '../../../src/engine/pipeline/plan';
import { recipeCandidates } from '../../../src/engine/pipeline/recipeCandidates';
import { planRecipeConfirmation } from '../../../src/engine/pipeline/recipeConfirmationPlan';
import { recipeRecordFrom } from '../../../src/engine/pipeline/recipeResult';
import { createRng } from '../../../src/engine/random/rng';
import { distributionRecipe } from '../../../src/engine/trust/recipe';

const config = defaultExperimentConfig();
const space = parameterSpaceFromConfig(config);
const [a, b, c] = planIterationZero(config, false).paramSets.map((p) => p.params);
const score = (value: number, synthetic: number) => ({ score: value, sizes: { real: 16, synthetic } }) as unknown as ParameterSetScore;
const set = (id: string, params = a, extra: Partial<ParamSetRecord> = {}): ParamSetRecord => ({ param_set_id: id, dataset_type: 'synthetic', params, score: score(0.1, 3), ...extra });
const iteration = (n: number, paramSets: ParamSetRecord[], extra: Partial<IterationRecord> = {}): IterationRecord => ({ experimentId: 'e', iteration: n, stage: 'proposed', paramSets, timings: {}, startedAt: '', ...extra });
const sample = (it: number, id: string, k: number, type = 'synthetic'): SampleRecord =>
  ({ experimentId: 'e', sample_id: `iter${it}_${type}_${id}_${k}`, iteration: it, metadata: { sample_id: '', iteration: it, dataset_type: type, param_set_id: id, replication_seed: k, params: {}, timestamp: '' }, embedding: Float32Array.of(it, k, id.length), rawEmbedding: Float32Array.of(0) }) as SampleRecord;

describe('the candidates of a recipe', () => {
  it('are the scored sets with samples, in order of first appearance, the same parameters pooled; never the real set', () => {
    const iterations = [
      iteration(0, [set('ps_000', a, { dataset_type: 'real', score: undefined }), set('ps_001', a, { dataset_type: 'close' }), set('ps_002', b, { dataset_type: 'far' })]),
      iteration(1, [set('ps_003', c), set('ps_004', b), set('ps_005', a, { score: undefined })]),
    ];
    const samples = [
      ...[0, 1, 2].map((k) => sample(0, 'ps_000', k, 'real')),
      ...[0, 1, 2].map((k) => sample(0, 'ps_001', k, 'close')),
      ...[0, 1].map((k) => sample(0, 'ps_002', k, 'far')),
      ...[0, 1, 2].map((k) => sample(1, 'ps_004', k)),
      ...[0, 1, 2].map((k) => sample(1, 'ps_005', k)),
    ];
    const candidates = recipeCandidates(space, iterations, samples);
    // ps_003 has no samples, ps_005 no score; ps_004 has ps_002's parameters.
    expect(candidates.map((x) => [x.param_set_id, x.param_set_ids, x.vectors.length])).toEqual([
      ['ps_001', ['ps_001'], 3],
      ['ps_002', ['ps_002', 'ps_004'], 5],
    ]);
    expect(candidates[1].params).toEqual(b);
  });
});

describe('the recipe record', () => {
  it('keeps the sets with a positive weight, their counts for the total, the scores, δ and the YAML', () => {
    const rng = createRng(4);
    const gaussian = (rows: number, centre: number) => ({ rows, cols: 2, data: Float32Array.from({ length: rows * 2 }, () => rng.normal(centre, 0.3)) });
    const real = { rows: 16, cols: 2, data: Float32Array.from({ length: 32 }, (_, i) => rng.normal(i < 16 ? -1 : 1, 0.3)) };
    const sets = [gaussian(6, -1), gaussian(6, 1), gaussian(6, 4)];
    const recipe = distributionRecipe(sets, real, 1);
    const candidates = sets.map((m, j) => ({ param_set_id: `ps_00${j}`, param_set_ids: [`ps_00${j}`], params: [a, b, c][j], vectors: Array.from({ length: m.rows }, () => new Float32Array(2)) }));
    const floor = { delta: 0.03, m: 32, n: 16, source: 'floor' as const };
    const record = recipeRecordFrom({ experimentId: 'e', candidates, recipe, total: 10, floor, bandwidth: 1, throughIteration: 3, computedAt: '2026-01-01T00:00:00Z' });
    expect(record.sets.map((s) => s.param_set_id)).toEqual(recipe.support.map((j) => `ps_00${j}`));
    expect(record.sets.map((s) => s.weight)).toEqual(recipe.support.map((j) => recipe.weights[j]));
    expect(record.sets.slice(0, 2).map((s) => s.param_set_id)).toEqual(['ps_000', 'ps_001']);
    expect(record.sets.reduce((t, s) => t + s.count, 0)).toBe(10);
    expect(record).toMatchObject({ total: 10, candidates: 3, floor, bandwidth: 1, throughIteration: 3, mmd2: recipe.mmd2, mmd2Unbiased: recipe.mmd2Unbiased, gap: recipe.gap });
    expect(record.bestSingle).toEqual({ param_set_id: `ps_00${recipe.bestSingle.index}`, params: [a, b, c][recipe.bestSingle.index], mmd2: recipe.bestSingle.mmd2, mmd2Unbiased: recipe.bestSingle.mmd2Unbiased });
    expect(record.yaml).toMatch(/^total: 10$/m);
    expect(record.id).toMatch(/^recipe_[0-9a-f]{8}$/);
    expect(JSON.parse(JSON.stringify(record))).toEqual(record);
    expect(() => recipeRecordFrom({ experimentId: 'e', candidates, recipe, total: 0, floor, bandwidth: 1, throughIteration: 3, computedAt: '' })).toThrow(/total/);
  });
});

describe('planning a recipe confirmation', () => {
  const recipe = {
    id: 'recipe_1',
    sets: [
      { param_set_id: 'ps_001', param_set_ids: ['ps_001'], params: a, samples: 3, weight: 0.6, count: 6 },
      { param_set_id: 'ps_007', param_set_ids: ['ps_007'], params: b, samples: 3, weight: 0.399, count: 4 },
      { param_set_id: 'ps_009', param_set_ids: ['ps_009'], params: c, samples: 3, weight: 0.001, count: 0 },
    ] as RecipeSetRecord[],
  };

  it("draws the confirmation's m from the recipe's sets in its proportions, each a confirmation set with its own count; a set whose share rounds to 0 is left out", () => {
    const plan = planRecipeConfirmation(5, recipe, 40, config);
    expect(plan.confirming).toEqual({
      trigger: 'recipe',
      param_set_id: 'recipe',
      samples: 32,
      recipe: {
        id: 'recipe_1',
        sets: [
          { param_set_id: 'ps_040', source_param_set_id: 'ps_001', params: a, count: 19 },
          { param_set_id: 'ps_041', source_param_set_id: 'ps_007', params: b, count: 13 },
        ],
      },
    });
    expect(plan.paramSets).toEqual([
      { param_set_id: 'ps_040', dataset_type: 'confirmation', params: a, samples: 19 },
      { param_set_id: 'ps_041', dataset_type: 'confirmation', params: b, samples: 13 },
    ]);
    expect(() => planRecipeConfirmation(0, recipe, 40, config)).toThrow(/iteration 0/);
    expect(() => planRecipeConfirmation(5, { id: 'r', sets: [] }, 40, config)).toThrow(/no set/);
  });

  it('asks for each set\'s own count, every sample with a seed of its own', () => {
    const plan = planRecipeConfirmation(5, recipe, 40, config);
    const requests = requestsForParamSets(5, plan.paramSets, config);
    expect(requests).toHaveLength(32);
    expect(requests.filter((r) => r.param_set_id === 'ps_040')).toHaveLength(19);
    expect(requests.map((r) => r.sample_id)).toEqual(Array.from({ length: 32 }, (_, i) => `iter5_confirmation_${String(i).padStart(3, '0')}`));
    expect(new Set(requests.map((r) => r.replication_seed)).size).toBe(32);
    expect(requests.map((r) => r.replication_seed)).toEqual(Array.from({ length: 32 }, (_, i) => confirmationReplicateSeed(config, 5, i)));
    // A best set's confirmation keeps the seeds it had: index and replicate coincide for one set.
    const single = planConfirmation(6, a, 50, config, 'user');
    expect(requestsForParamSets(6, single.paramSets, config).map((r) => r.replication_seed)).toEqual(Array.from({ length: 32 }, (_, r) => confirmationReplicateSeed(config, 6, r)));
  });

  it("does not count as a confirmation of its sets, whose samples join the model as one observation each", () => {
    const plan = planRecipeConfirmation(5, recipe, 40, config);
    const scored = plan.paramSets.map((p) => ({ ...p, score: score(0.02, p.samples!) }));
    const iterations = [iteration(5, scored, { confirming: plan.confirming })];
    expect(wasConfirmed(iterations, space, a)).toBe(false);
    expect(observationsFrom(iterations)).toEqual([
      { params: a, score: 0.02, replicates: 19 },
      { params: b, score: 0.02, replicates: 13 },
    ]);
    const single = planConfirmation(6, a, 50, config, 'user');
    expect(wasConfirmed([...iterations, iteration(6, single.paramSets, { confirming: single.confirming })], space, a)).toBe(true);
  });
});

describe("δ at the confirmation's sizes", () => {
  it('is one function for the threshold rule, the region and the recipe: the user\'s δ, else the floor at (m, n); the rule skips it under "absolute"', () => {
    const rng = createRng(2);
    const real = { rows: 16, cols: 3, data: Float32Array.from({ length: 48 }, () => rng.normal()) };
    const delta = confirmationDelta(config, real, 2);
    expect(delta).toMatchObject({ source: 'floor', m: 32, n: 16 });
    expect(confirmationTolerance({ ...config, convergence_rule: 'noise_floor' }, real, 2)).toEqual(delta);
    expect(confirmationTolerance({ ...config, convergence_rule: 'absolute' }, real, 2)).toBeNull();
    expect(confirmationDelta({ ...config, convergence_rule: 'absolute' }, real, 2)).toEqual(delta);
    expect(confirmationDelta({ ...config, confirmation_delta: 0.04 }, real, 2)).toEqual({ delta: 0.04, m: 32, n: 16, source: 'user' });
  });
});
