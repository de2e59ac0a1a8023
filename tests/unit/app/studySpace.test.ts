import { describe, expect, it } from 'vitest';
import { StudyService, type ToldSample } from '../../../src/app/studyService';
import { MemoryExperimentStore } from '../../../src/app/memoryStore';
import { defineSpace, type ParameterSet, type ParameterSpec } from '../../../src/engine/space/space';
import { createRng, hashSeed } from '../../../src/engine/random/rng';
import { StudyInputError } from '../../../src/engine/studyInputError';
import { memoryServices } from '../pipeline/memoryServices';

/**
 * Space edits of a running study (StudyService.space), against a generator of the client's own: an
 * 8-D embedding of brightness, count and shape (and gamma, once added) through a fixed nonlinear map
 * plus noise. The hidden truth sits at brightness 0.78, near the top of the first space's bounds.
 */
const BRIGHTNESS: ParameterSpec = { kind: 'continuous', name: 'brightness', low: 0.3, high: 0.8 };
const COUNT: ParameterSpec = { kind: 'integer', name: 'count', low: 3, high: 20 };
const SHAPE: ParameterSpec = { kind: 'categorical', name: 'shape', choices: ['a', 'b', 'c'] };
const space = defineSpace([BRIGHTNESS, COUNT, SHAPE]);
const D = 8;
function simulate(params: ParameterSet, seed: number): Float32Array {
  const rng = createRng(hashSeed('client', seed));
  const b = Number(params.brightness);
  const c = Number(params.count) / 20;
  const s = ['a', 'b', 'c'].indexOf(String(params.shape));
  const g = params.gamma === undefined ? 0.5 : Number(params.gamma);
  return Float32Array.from({ length: D }, (_, j) => Math.tanh((j + 1) * b - c * (j % 3)) + (j === s ? 0.6 : 0) + (j === 7 ? g : 0) + rng.normal(0, 0.05));
}
const truth = { brightness: 0.78, count: 8, shape: 'b' };
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

function evaluate(asked: Array<{ param_set_id: string; params: ParameterSet }>, r = 3, prefix = 's'): ToldSample[] {
  return asked.flatMap((a, i) =>
    Array.from({ length: r }, (_, k) => ({ sample_id: `${prefix}_${a.param_set_id}_${k}`, param_set_id: a.param_set_id, params: {}, vector: simulate(a.params, i * 10 + k), row: i * r + k + 2 })),
  );
}

/** A study with the initial design told (8 scored sets) and, with `pending`, a model-based batch of 4 asked. */
async function started(pending = false) {
  const { study, store } = setup();
  await study.init('st', { space, real: realMatrix(), batch: 4, replicates: 3, seed: 5 });
  const initial = await study.ask('st');
  await study.tell('st', evaluate(initial));
  const batch = pending ? await study.ask('st') : [];
  const sets = async () => (await store.getIterations('st')).flatMap((it) => it.paramSets);
  const state = async () => JSON.stringify([await store.getExperiment('st'), await store.getIterations('st'), await store.getSamples('st')]);
  return { study, store, initial, batch, sets, state };
}

async function refusal(p: Promise<unknown>): Promise<StudyInputError> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StudyInputError);
  return error as StudyInputError;
}

describe('editing the space of a running study', () => {
  it('widens a numeric parameter: nothing is attached, and the next ask proposes outside the old bounds', async () => {
    const { study, store, sets } = await started();
    const before = await store.getExperiment('st');
    const result = await study.space('st', defineSpace([{ ...BRIGHTNESS, low: 0.1, high: 1.5 }, COUNT, SHAPE]));
    expect(result).toEqual({ added: [], attached: [], warnings: [] });
    expect((await sets()).every((p) => p.origin === 'initial')).toBe(true);
    const after = (await store.getExperiment('st'))!;
    expect((after.config as unknown as { space: ParameterSpec[] }).space[0]).toMatchObject({ low: 0.1, high: 1.5 });
    const asked = [...(await study.ask('st', 8)), ...(await study.ask('st', 8))];
    expect(asked.every((a) => Number(a.params.brightness) >= 0.1 && Number(a.params.brightness) <= 1.5)).toBe(true);
    expect(asked.some((a) => Number(a.params.brightness) > 0.8 || Number(a.params.brightness) < 0.3)).toBe(true);
    // The projection and the kernel stay as the first model-based ask fixed them.
    const fixed = (await store.getExperiment('st'))!;
    expect(before!.projection).toBeUndefined();
    await study.space('st', defineSpace([{ ...BRIGHTNESS, low: 0, high: 2 }, COUNT, SHAPE]));
    expect((await store.getExperiment('st'))!.projection).toEqual(fixed.projection);
    expect((await store.getExperiment('st'))!.scoring).toEqual(fixed.scoring);
  }, 120_000);

  it('narrows a numeric parameter: told sets outside are kept as attached, one warning each, and the next ask stays inside', async () => {
    const { study, initial, sets, store } = await started();
    const outside = initial.filter((a) => Number(a.params.brightness) > 0.6).map((a) => a.param_set_id);
    expect(outside.length).toBeGreaterThan(0);
    expect(outside.length).toBeLessThan(initial.length);
    const result = await study.space('st', defineSpace([{ ...BRIGHTNESS, high: 0.6 }, COUNT, SHAPE]));
    expect(result.attached).toEqual(outside);
    expect(result.warnings).toHaveLength(outside.length);
    expect(result.warnings[0]).toMatch(new RegExp(`^${outside[0]}: brightness [0-9.]+ is outside \\[0\\.3, 0\\.6\\], outside the new space \\(kept as an attached observation\\)$`));
    for (const p of await sets()) expect(p.origin).toBe(outside.includes(p.param_set_id) ? 'attached' : 'initial');
    expect((await store.getSamples('st')).filter((s) => outside.includes(s.metadata.param_set_id))).toHaveLength(3 * outside.length);
    const asked = await study.ask('st', 6);
    expect(asked.every((a) => Number(a.params.brightness) <= 0.6)).toBe(true);
    // Attached sets keep their samples and are scored like the rest; the surrogate fits only those inside.
    expect((await sets()).filter((p) => !p.pending).every((p) => p.score)).toBe(true);
    const fit = (await store.getIterations('st')).at(-2)!.proposal!;
    expect(fit.current_best.every((b) => Number(b.params.brightness) <= 0.6)).toBe(true);
  }, 120_000);

  it('adds a parameter: old sets (and their samples) get the given value, the order follows the new space, and ask returns it', async () => {
    const { study, store, sets, batch } = await started(true);
    const gamma: ParameterSpec = { kind: 'continuous', name: 'gamma', low: 0, high: 1 };
    const result = await study.space('st', defineSpace([BRIGHTNESS, gamma, COUNT, SHAPE]), { values: { gamma: 0.5 } });
    expect(result).toEqual({ added: ['gamma'], attached: [], warnings: [] });
    for (const p of await sets()) {
      expect(Object.keys(p.params)).toEqual(['brightness', 'gamma', 'count', 'shape']);
      expect(p.params.gamma).toBe(0.5);
    }
    for (const s of (await store.getSamples('st')).filter((x) => x.metadata.dataset_type !== 'real')) expect(s.metadata.params.gamma).toBe(0.5);
    // The pending batch is still told as proposed (now with gamma 0.5), then the surrogate refits on everything.
    await study.tell('st', evaluate(batch.map((b) => ({ ...b, params: { ...b.params, gamma: 0.5 } })), 3, 'b'));
    const asked = await study.ask('st', 6);
    for (const a of asked) {
      expect(Object.keys(a.params)).toEqual(['brightness', 'gamma', 'count', 'shape']);
      expect(Number(a.params.gamma)).toBeGreaterThanOrEqual(0);
      expect(Number(a.params.gamma)).toBeLessThanOrEqual(1);
    }
    const last = (await store.getIterations('st')).at(-2)!;
    expect(last.proposal!.current_best[0].params.gamma).toBe(0.5); // fitted on the old sets, in the new space
    expect((await study.status('st')).best).not.toBeNull();
  }, 120_000);

  it('fixes a parameter (low = high, or a categorical with one choice): sets with another value become attached', async () => {
    const { study, initial, sets } = await started();
    const notB = initial.filter((a) => a.params.shape !== 'b').map((a) => a.param_set_id);
    const result = await study.space('st', defineSpace([BRIGHTNESS, COUNT, { ...SHAPE, choices: ['b'] }]));
    expect(result.attached).toEqual(notB);
    expect(result.warnings.every((w) => /shape "[ac]" is not one of b, outside the new space/.test(w))).toBe(true);
    const asked = await study.ask('st', 4);
    expect(asked.every((a) => a.params.shape === 'b')).toBe(true);

    const countFixed = defineSpace([BRIGHTNESS, { ...COUNT, low: 8, high: 8 }, { ...SHAPE, choices: ['b'] }]);
    // The asked batch is pending with counts other than 8: the edit is refused until it is abandoned.
    expect((await refusal(study.space('st', countFixed))).message).toMatch(/parameter count: pending set ps_0\d\d would fall outside the new space \(count \d+ is outside \[8, 8\]\); abandon it first/);
    await study.abandon('st', asked.map((a) => a.param_set_id));
    const again = await study.space('st', countFixed);
    expect(again.attached.length).toBeGreaterThan(0);
    expect((await sets()).filter((p) => p.origin === 'attached' && !p.abandoned).every((p) => p.params.count !== 8 || p.params.shape !== 'b')).toBe(true);
  }, 120_000);

  it('adds categorical choices: nothing is attached and the new choice can be proposed', async () => {
    const { study, sets } = await started();
    const result = await study.space('st', defineSpace([BRIGHTNESS, COUNT, { ...SHAPE, choices: ['a', 'b', 'c', 'd'] }]));
    expect(result.attached).toEqual([]);
    expect((await sets()).every((p) => p.origin === 'initial')).toBe(true);
    const asked = await study.ask('st', 8);
    expect(asked.every((a) => ['a', 'b', 'c', 'd'].includes(String(a.params.shape)))).toBe(true);
  }, 120_000);

  it('refuses removing, renaming or retyping a parameter, a missing or misplaced value, and a pending set left outside — storing nothing', async () => {
    const { study, state, batch } = await started(true);
    const before = await state();
    const cases: Array<[Promise<unknown>, string, RegExp]> = [
      [study.space('st', defineSpace([BRIGHTNESS, SHAPE]), { file: 'new.yaml' }), 'count', /^new\.yaml, parameter count: a parameter cannot be removed from a study; keep it, or fix it/],
      [study.space('st', defineSpace([{ ...BRIGHTNESS, name: 'lightness' }, COUNT, SHAPE]), { values: { lightness: 0.5 } }), 'brightness', /cannot be removed.*renamed parameter reads as removed: lightness is new/],
      [study.space('st', defineSpace([BRIGHTNESS, { ...COUNT, kind: 'continuous' }, SHAPE])), 'count', /cannot change its type \(int in the study, float here\)/],
      [study.space('st', defineSpace([BRIGHTNESS, COUNT, SHAPE, { kind: 'continuous', name: 'gamma', low: 0, high: 1 }])), 'gamma', /a new parameter needs "value"/],
      [study.space('st', defineSpace([BRIGHTNESS, COUNT, SHAPE]), { values: { count: 4 } }), 'count', /"value" is only for a parameter new to the study/],
      [study.space('st', defineSpace([{ ...BRIGHTNESS, low: 0.3, high: 0.3 }, COUNT, SHAPE])), 'brightness', new RegExp(`pending set ${batch[0].param_set_id} would fall outside the new space .*; abandon it first`)],
    ];
    for (const [attempt, parameter, message] of cases) {
      const error = await refusal(attempt);
      expect(error.parameter).toBe(parameter);
      expect(error.message).toMatch(message);
    }
    expect(await state()).toBe(before);
  }, 120_000);
});
