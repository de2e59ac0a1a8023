import { describe, expect, it } from 'vitest';
import { realSetMatrix } from '../../../src/app/matrices';
import { StudyService, type ToldSample } from '../../../src/app/studyService';
import { confirmationDelta } from '../../../src/engine/pipeline/confirmationTest';
import { defineSpace, type ParameterSet } from '../../../src/engine/space/space';
import { createRng, hashSeed } from '../../../src/engine/random/rng';
import { StudyInputError } from '../../../src/engine/studyInputError';
import { MemoryExperimentStore, memoryServices } from '../pipeline/memoryServices';

/**
 * A generator of the client's own, outside the app: parameters → an 8-D embedding through a fixed
 * nonlinear map plus noise. The hidden truth is brightness 0.6, count 8, shape "b".
 */
const space = defineSpace([
  { kind: 'continuous', name: 'brightness', low: 0.3, high: 0.8 },
  { kind: 'integer', name: 'count', low: 3, high: 20 },
  { kind: 'categorical', name: 'shape', choices: ['a', 'b', 'c'] },
]);
const D = 8;
function simulate(params: ParameterSet, seed: number): Float32Array {
  const rng = createRng(hashSeed('client', seed));
  const b = Number(params.brightness);
  const c = Number(params.count) / 20;
  const s = ['a', 'b', 'c'].indexOf(String(params.shape));
  return Float32Array.from({ length: D }, (_, j) => Math.sin((j + 1) * b * 3) + Math.cos((j + 2) * c * 2) + (j === s ? 0.6 : 0) + rng.normal(0, 0.05));
}
const truth = { brightness: 0.6, count: 8, shape: 'b' };
const realMatrix = () => {
  const data = new Float32Array(16 * D);
  for (let i = 0; i < 16; i++) data.set(simulate(truth, 1000 + i), i * D);
  return { rows: 16, cols: D, data };
};

function setup() {
  const store = new MemoryExperimentStore();
  const services = memoryServices(store);
  let t = 0;
  const study = new StudyService({ store, analysis: services.analysis, propose: services.propose, now: () => new Date(Date.UTC(2026, 0, 1) + t++ * 1000).toISOString() });
  return { store, study };
}

/** The client evaluates asked sets: r replicates each, one row per sample. */
function evaluate(asked: Array<{ param_set_id: string; params: ParameterSet }>, r = 3, prefix = 's'): ToldSample[] {
  return asked.flatMap((a, i) =>
    Array.from({ length: r }, (_, k) => ({ sample_id: `${prefix}_${a.param_set_id}_${k}`, param_set_id: a.param_set_id, params: {}, vector: simulate(a.params, i * 10 + k), row: i * r + k + 2 })),
  );
}

describe('ask/tell studies over the client\'s own generator (imported domain), in Node', () => {
  it('asks the initial design, then model-based batches, tells results, and reports status', async () => {
    const { study, store } = setup();
    await study.init('st', { space, real: realMatrix(), batch: 4, replicates: 3, seed: 3 });
    const first = await study.ask('st');
    expect(first).toHaveLength(8); // the initial design: 2 × batch
    const second = await study.ask('st', 2); // no tell yet: more of the design, never the same sets
    expect(second.map((s) => s.param_set_id)).toEqual(['ps_008', 'ps_009']);
    expect(new Set([...first, ...second].map((s) => JSON.stringify(s.params))).size).toBe(10);
    expect((await study.status('st')).pending).toHaveLength(10);

    await study.tell('st', evaluate(first));
    await study.abandon('st', ['ps_009']);
    // An observation of the client's own parameters (attached), outside the bounds: kept, with a warning.
    const attached = await study.tell('st', [{ sample_id: 'mine_0', param_set_id: null, params: { brightness: 0.9, count: 8, shape: 'b' }, vector: simulate({ brightness: 0.9, count: 8, shape: 'b' }, 7), row: 2 }]);
    expect(attached.attached).toEqual(['ps_010']);
    expect(attached.warnings[0]).toMatch(/row 2: brightness outside the space's bounds/);
    expect(attached.warnings).toHaveLength(1);

    for (let round = 0; round < 3; round++) {
      const batch = await study.ask('st');
      expect(batch).toHaveLength(4);
      const pendingBefore = (await study.status('st')).pending;
      expect(pendingBefore).toEqual(expect.arrayContaining(batch.map((b) => b.param_set_id)));
      await study.tell('st', evaluate(batch, 3, `r${round}`));
    }
    const status = await study.status('st');
    expect(status.pending).toEqual(['ps_008']); // asked, never told, not abandoned
    expect(status.observations).toBe(8 + 1 + 12); // the attached set's single sample is an observation too
    expect(status.samples).toBe(24 + 1 + 36);
    expect(status.iterations).toBe(4);
    expect(status.noise_floor!.high).toBeGreaterThan(status.noise_floor!.mean);
    expect(status.best!.param_set_id).toMatch(/^ps_\d{3}$/);
    expect(Number.isFinite(status.best!.score)).toBe(true);
    const experiment = (await store.getExperiment('st'))!;
    expect(experiment.projection?.kind).toBe('pca');
    // Every model-based ask carries the plausible region at the confirmation's δ (the floor at 32 vs 16, fixed kernel).
    const delta = confirmationDelta(experiment.config, realSetMatrix(await store.getSamples('st', 0)), experiment.scoring!.bandwidth);
    const fits = (await store.getIterations('st')).filter((it) => it.proposal);
    expect(fits).toHaveLength(3);
    for (const it of fits) expect(it.proposal!.region).toMatchObject({ tolerance: delta.delta, sampleSize: 4096 });
    expect(fits[2].proposal!.region!.parameters.length === space.parameters.length || fits[2].proposal!.region!.statement !== null).toBe(true);
    // Every told sample sits in the map fixed when the first model-based batch was asked for.
    expect((await store.getSamples('st')).filter((s) => s.metadata.dataset_type !== 'real').every((s) => s.projection2d?.every(Number.isFinite))).toBe(true);
  }, 120_000);

  it('refuses bad tells naming the row and column, and stores nothing of them', async () => {
    const { study, store } = setup();
    await study.init('st', { space, real: realMatrix(), batch: 2, seed: 1 });
    const asked = await study.ask('st', 2);
    const good = evaluate(asked, 2);
    const before = JSON.stringify([await store.getIterations('st'), (await store.getSamples('st')).map((s) => s.sample_id)]);
    const cases: Array<[ToldSample[], RegExp]> = [
      [[{ ...good[0], vector: new Float32Array(D + 1) }], /row 2: the embedding has 9 values, the real set's have 8/],
      [[good[0], { ...good[1], sample_id: good[0].sample_id }], /column sample_id: sample_id "s_ps_000_0" is used by row 2 and row 3/],
      [[{ ...good[0], params: { brightness: 0.5 } }], /column brightness: 0.5 is not ps_000's proposed/],
      [[{ ...good[0], param_set_id: 'ps_777', params: { brightness: 0.5 } }], /column count: a new parameter set needs every parameter; count, shape are empty/],
    ];
    for (const [rows, message] of cases) {
      const error = await study.tell('st', rows, 'samples.csv').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StudyInputError);
      expect((error as Error).message).toMatch(message);
    }
    const state = async () => JSON.stringify([await store.getIterations('st'), (await store.getSamples('st')).map((s) => s.sample_id)]);
    expect(await state()).toBe(before); // every refusal left the study as it was
    await study.tell('st', good, 'samples.csv');
    const again = await study.tell('st', evaluate(asked, 1, 'again'), 'samples.csv').catch((e: unknown) => e);
    expect((again as Error).message).toMatch(/param_set_id: ps_000 is not pending \(its results were told already\)/);
    expect(await state()).not.toBe(before);
    await expect(study.abandon('st', ['ps_000'])).rejects.toThrow(/ps_000 is not a pending parameter set/);
    // An experiment of another domain is not a study: named, as bad input.
    const voids = { ...(await store.getExperiment('st'))!, id: 'v', domain: 'voids' };
    await store.createExperiment(voids, []);
    await expect(study.ask('v')).rejects.toThrow(/^v: is a voids experiment, not an ask\/tell study/);
    await expect(study.ask('v')).rejects.toBeInstanceOf(StudyInputError);
  }, 60_000);

  it('tells the optimizer its scores are noisy when a set\'s samples differ, and not for a deterministic generator', async () => {
    for (const deterministic of [false, true]) {
      const store = new MemoryExperimentStore();
      const services = memoryServices(store);
      const inputs: Array<Parameters<typeof services.propose>[0]> = [];
      const study = new StudyService({ store, analysis: services.analysis, propose: (input) => (inputs.push(input), services.propose(input)), now: () => '2026-01-01T00:00:00.000Z' });
      await study.init('st', { space, real: realMatrix(), batch: 4, replicates: 3, seed: 3 });
      const first = await study.ask('st');
      // A deterministic generator makes the same embedding for every replicate of a set.
      const told = evaluate(first).map((t, i) => (deterministic ? { ...t, vector: simulate(first[Math.floor(i / 3)].params, 0) } : t));
      await study.tell('st', told);
      await study.ask('st');
      expect(inputs).toHaveLength(1);
      expect(inputs[0].noisyScores).toBe(deterministic ? undefined : true);
    }
  }, 120_000);
});
