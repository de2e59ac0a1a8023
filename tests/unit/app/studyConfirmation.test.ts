import { describe, expect, it } from 'vitest';
import { StudyService, type AskedSet, type ToldSample } from '../../../src/app/studyService';
import { defineSpace, type ParameterSet } from '../../../src/engine/space/space';
import { createRng, hashSeed } from '../../../src/engine/random/rng';
import { StudyInputError } from '../../../src/engine/studyInputError';
import { MemoryExperimentStore, memoryServices } from '../pipeline/memoryServices';

/**
 * Confirmation in an ask/tell study: when the threshold rule holds for the best set, the next ask is
 * that set's confirmation (m samples to tell instead of a batch); the tell that brings them runs the
 * test against the real set, and status carries the statement. The client's generator: two parameters
 * → a noisy 6-D vector; the truth is reachable.
 */
const space = defineSpace([
  { kind: 'continuous', name: 'gain', low: 0, high: 1 },
  { kind: 'continuous', name: 'offset', low: 0, high: 1 },
]);
const D = 6;
function simulate(params: ParameterSet, seed: number): Float32Array {
  const rng = createRng(hashSeed('confirm-client', seed));
  return Float32Array.from({ length: D }, (_, j) => Math.sin((j + 1) * Number(params.gain)) + Number(params.offset) * (j % 2) + rng.normal(0, 0.3));
}
const truth = { gain: 0.5, offset: 0.5 };

function setup() {
  const store = new MemoryExperimentStore();
  const services = memoryServices(store);
  const study = new StudyService({ store, analysis: services.analysis, propose: services.propose });
  return { store, study };
}

const tellOf = (asked: readonly AskedSet[], r: number, prefix: string, at: (a: AskedSet) => ParameterSet = (a) => a.params): ToldSample[] =>
  asked.flatMap((a, i) => Array.from({ length: r }, (_, k) => ({ sample_id: `${prefix}_${a.param_set_id}_${k}`, param_set_id: a.param_set_id, params: {}, vector: simulate(at(a), hashSeed(prefix, i, k)), row: i * r + k + 2 })));

describe('a confirmation in an ask/tell study', () => {
  it('asks for m samples of the best set when the threshold holds, refuses too few, tests them and reports the statement', async () => {
    const { study, store } = setup();
    const real = new Float32Array(24 * D);
    for (let i = 0; i < 24; i++) real.set(simulate(truth, 5000 + i), i * D);
    await study.init('st', { space, real: { rows: 24, cols: D, data: real }, batch: 4, replicates: 3, seed: 1 });
    // An absolute threshold every score meets: the first model-based fit already asks for a confirmation.
    const experiment = (await store.getExperiment('st'))!;
    await store.putExperiment({ ...experiment, config: { ...experiment.config, convergence_rule: 'absolute', convergence_threshold: 10, confirmation_samples: 16 } });
    await study.tell('st', tellOf(await study.ask('st'), 3, 'design'));
    const [confirmation, ...rest] = await study.ask('st');
    expect(rest).toEqual([]);
    expect(confirmation.samples).toBe(16);
    const before = await study.status('st');
    expect(before.confirming).toEqual({ param_set_id: confirmation.param_set_id, samples: 16 });
    expect(before.pending).toEqual([confirmation.param_set_id]);
    expect(before.statement).toBeNull();

    // Three samples cannot carry a test at m: refused, nothing stored.
    const samplesBefore = (await store.getSamples('st')).length;
    await expect(study.tell('st', tellOf([confirmation], 3, 'few'))).rejects.toThrow(StudyInputError);
    await expect(study.tell('st', tellOf([confirmation], 3, 'few'))).rejects.toThrow(/confirms the best set: tell 16 samples of it \(at least 16\), not 3/);
    expect((await store.getSamples('st')).length).toBe(samplesBefore);

    // The client evaluates the best set 16 times — at the truth, so the test has something to find equal.
    await study.tell('st', tellOf([confirmation], 16, 'confirm', () => truth));
    const after = await study.status('st');
    expect(after.confirming).toBeNull();
    expect(after.statement).toMatch(/^(indistinguishable|distinguishable|not enough evidence)/);
    const stored = (await store.getExperiment('st'))!.confirmation!;
    expect([stored.m, stored.n, stored.param_set_id, stored.trigger]).toEqual([16, 24, confirmation.param_set_id, 'threshold']);
    expect(after.converged).toBe(stored.verdict === 'indistinguishable');
    // Its samples are one observation of 16 replicates.
    const set = (await store.getIterations('st')).flatMap((it) => it.paramSets).find((p) => p.param_set_id === confirmation.param_set_id)!;
    expect(set.score?.sizes.synthetic).toBe(16);

    // The rule confirms a set once: the next ask is a batch, not the same confirmation again.
    const next = await study.ask('st');
    expect(next.every((a) => a.samples === undefined)).toBe(true);
  }, 120_000);
});
