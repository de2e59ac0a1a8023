import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { domainRegistry } from '../../../src/app/domains';
import { ExperimentService, InputError, type RunOutcome } from '../../../src/app/experimentService';
import type { ExperimentConfig } from '../../../src/engine/config/experimentConfig';
import type { Domain } from '../../../src/engine/domain';
import type { ProposeBatchInput } from '../../../src/engine/optimizer';
import { createRng, hashSeed } from '../../../src/engine/random/rng';
import { ExportJob } from '../../../src/runtime/archive/exportJob';
import { bundleFromFiles } from '../../../src/runtime/archive/importBundle';
import { readArchiveFiles } from '../../../src/runtime/archive/zipReader';
import { DIMENSION, gaussianDomain } from '../../domains/gaussian/domain';
import { MemoryExperimentStore, memoryServices } from '../pipeline/memoryServices';

/**
 * The confirmation in the loop, through ExperimentService on the Gaussian test domain: a candidate from
 * the threshold rule (or the user's request) becomes an iteration of m = 32 fresh samples of the best
 * set, tested against the real set; "indistinguishable" ends the run converged, anything else joins the
 * model's data as one observation of 32 replicates and the loop goes on.
 */

/**
 * The real set comes from another process than the generator: N((0.5, −0.5, 0.5), 0.6²·I), while the
 * generator's means lie on the diagonal (mean · (1, 1, 1)). Its nearest setting is ~1.4 sd away, which
 * a 32 vs 16 test detects.
 */
const offDiagonal: Domain = {
  ...gaussianDomain,
  id: 'gaussian-off-diagonal',
  label: '3-D Gaussian, real set off the diagonal',
  generate(job, context) {
    if (job.dataset_type !== 'real') return gaussianDomain.generate!(job, context);
    const rng = createRng(hashSeed('off-diagonal', job.param_set_id, job.replication_seed));
    return { vector: Float32Array.from([0.5, -0.5, 0.5], (c) => rng.normal(c, 0.6)), metadata: { draw: 'off-diagonal' } };
  },
};

const domains = domainRegistry([gaussianDomain, offDiagonal]);
const embedder = { id: 'none', label: 'the vectors as generated', dimension: DIMENSION, normalized: false };
let clock = 0;
const now = () => new Date(Date.UTC(2026, 0, 1) + clock++ * 1000).toISOString();

function setup(store = new MemoryExperimentStore()) {
  const pipeline = memoryServices(store);
  return { store, pipeline, service: new ExperimentService({ store, pipeline, domains, now }) };
}

async function create(service: ExperimentService, domain: Domain, overrides: Partial<ExperimentConfig>) {
  return service.create({ domain: domain.id, config: { ...domain.defaultConfig(), ...overrides }, target: 'simulated', embedder, inputs: {} });
}

function expectDone(outcome: RunOutcome) {
  if (outcome.kind !== 'done') throw new Error(`run ended ${outcome.kind}: ${'message' in outcome ? outcome.message : ''}`);
  return outcome;
}

/** Everything a run stored, for comparing a resumed run with an uninterrupted twin. */
async function results(service: ExperimentService, id: string) {
  const { experiment, iterations, samples } = await service.open(id);
  return {
    experiment: { status: experiment.status, convergence: experiment.convergence, confirmation: experiment.confirmation },
    iterations: iterations.map(({ experimentId: _id, timings: _t, startedAt: _s, finishedAt: _f, proposal, ...rest }) => ({
      ...rest,
      next: proposal?.next_params,
      best: proposal?.current_best.map((b) => [b.params, b.posteriorMean]),
    })),
    samples: samples
      .sort((a, b) => (a.sample_id < b.sample_id ? -1 : 1))
      .map((s) => [s.sample_id, s.metadata.dataset_type, s.metadata.replication_seed, Array.from(s.embedding), s.projection2d, s.nearestRealDistance]),
  };
}

/** A reachable truth (the Gaussian domain's hidden sets) with the user's tolerance δ = 0.05. */
const reachable: Partial<ExperimentConfig> = { convergence_rule: 'noise_floor', confirmation_delta: 0.05, max_iterations: 10, random_seed: 2 };
/**
 * An unreachable truth under a threshold every batch meets (absolute, 1): the rule alone would stop the
 * run at iteration 1; only confirmations can, and they fail.
 */
const unreachable: Partial<ExperimentConfig> = { convergence_rule: 'absolute', convergence_threshold: 1, max_iterations: 6, random_seed: 0 };

describe('a confirmation in the loop (ExperimentService, Gaussian test domain)', () => {
  it('a reachable truth: the threshold asks for a confirmation, which passes and ends auto-run converged with its statement', async () => {
    const { service } = setup();
    const experiment = await create(service, gaussianDomain, reachable);
    const done = expectDone(await service.run(experiment.id, { iterations: Infinity }));
    const { experiment: stored, iterations, samples } = await service.open(experiment.id);
    expect(stored.status).toBe('converged');
    expect(stored.convergence).toMatchObject({ converged: true, reason: 'threshold' });
    const confirmation = stored.confirmation!;
    expect(confirmation).toMatchObject({ verdict: 'indistinguishable', trigger: 'threshold', m: 32, n: 16, delta: 0.05, deltaSource: 'user', alpha: 0.05, permutations: 1000 });
    expect(confirmation.statement).toMatch(/^indistinguishable within δ = 0\.05: MMD² /);
    expect(confirmation.interval.high).toBeLessThan(0.05);
    expect(confirmation.p).toBeGreaterThanOrEqual(0.05);
    expect(confirmation.detectableShift?.found).toBe(true);
    expect(stored.convergence!.statement).toBe(confirmation.statement);
    expect(stored.convergence!.detail).toBe(`converged: ${confirmation.statement}`);
    expect(done.notice).toBe(`Finished: converged: ${confirmation.statement}`);

    // The last iteration is the confirmation: one set, the previous iteration's best, 32 samples of its own.
    const last = iterations[iterations.length - 1];
    const before = iterations[iterations.length - 2];
    expect(before.convergence).toMatchObject({ converged: false, confirmationDue: true });
    expect(last.confirming).toEqual({ trigger: 'threshold', param_set_id: confirmation.param_set_id, samples: 32 });
    expect(last.confirmation).toEqual(confirmation);
    expect(last.paramSets).toHaveLength(1);
    expect(last.paramSets[0]).toMatchObject({ dataset_type: 'confirmation', params: before.proposal!.current_best[0].params });
    expect(last.paramSets[0].score!.sizes).toEqual({ real: 16, synthetic: 32 });
    const confirmationSamples = samples.filter((s) => s.iteration === last.iteration);
    expect(confirmationSamples).toHaveLength(32);
    expect(confirmationSamples.every((s) => s.metadata.dataset_type === 'confirmation' && s.metadata.param_set_id === confirmation.param_set_id && s.projection2d)).toBe(true);
    // Auto-run does not go past it; Step may.
    expect((await service.open(experiment.id)).next).toEqual({ kind: 'stage', iteration: last.iteration + 1, stage: 'plan' });
    expect(expectDone(await service.run(experiment.id, { iterations: Infinity })).notice).toMatch(/^Finished: converged: indistinguishable/);
  }, 120_000);

  it('an unreachable truth: the threshold alone never ends the run; each failed confirmation joins the model as one observation of 32 replicates, until stopped, not converged', async () => {
    const { pipeline, service } = setup();
    const proposals: ProposeBatchInput[] = [];
    const propose = pipeline.propose;
    pipeline.propose = async (input, call) => {
      proposals.push(input);
      return propose(input, call);
    };
    const experiment = await create(service, offDiagonal, unreachable);
    expectDone(await service.run(experiment.id, { iterations: Infinity }));
    const { experiment: stored, iterations } = await service.open(experiment.id);

    expect(stored.status).toBe('finished');
    expect(['plateau', 'budget']).toContain(stored.convergence!.reason);
    expect(stored.convergence!.detail).toMatch(/^stopped, not converged: /);
    expect(iterations.every((it) => it.convergence?.reason !== 'threshold')).toBe(true);
    const confirmations = iterations.filter((it) => it.confirming);
    expect(confirmations.length).toBeGreaterThanOrEqual(1);
    // The old rule (best posterior mean ≤ threshold) held after iteration 1, which asked for a confirmation instead of stopping.
    expect(iterations[1].proposal!.current_best[0].posteriorMean).toBeLessThanOrEqual(1);
    expect(iterations[1].convergence).toMatchObject({ converged: false, confirmationDue: true });
    expect(iterations[2].confirming?.trigger).toBe('threshold');
    for (const it of confirmations) {
      const c = it.confirmation!;
      expect(c.verdict).not.toBe('indistinguishable');
      expect(c.statement.startsWith(c.verdict)).toBe(true);
      expect(c.deltaSource).toBe('floor');
      expect(it.convergence?.confirmationDue).toBeFalsy();
      expect(it.convergence!.detail).toContain(`the confirmation read "${c.verdict}"`);
      // The proposal made after it learns from its 32 samples as one observation with 32 replicates…
      expect(proposals[it.iteration].observations).toContainEqual({ params: c.params, score: it.paramSets[0].score!.score, replicates: 32 });
      // …and the loop goes on with the batch proposed after it (unless a stop rule held).
      const next = iterations.find((n) => n.iteration === it.iteration + 1);
      if (next) expect(next.paramSets.map((p) => p.params)).toEqual(it.proposal!.next_params.map((p) => p.params));
    }
    // A set is confirmed once: the rule never asks twice for the same parameters.
    const keys = confirmations.map((it) => JSON.stringify(it.paramSets[0].params));
    expect(new Set(keys).size).toBe(keys.length);
    // The budget counts batches only.
    expect(iterations.length - 1 - confirmations.length).toBeLessThanOrEqual(6);
  }, 120_000);

  it('a Stop or a reload in the middle of a confirmation resumes to the records of an uninterrupted twin, no sample made twice', async () => {
    const twin = setup();
    const reference = await create(twin.service, offDiagonal, unreachable);
    expectDone(await twin.service.run(reference.id, { iterations: Infinity }));
    const expected = await results(twin.service, reference.id);

    const { store, pipeline, service } = setup();
    const experiment = await create(service, offDiagonal, unreachable);
    expectDone(await service.run(experiment.id, { iterations: 2 }));
    expect((await service.open(experiment.id)).iterations[1].convergence?.confirmationDue).toBe(true);

    // Stop while the confirmation's samples are made: the first chunk (2 samples) is stored, the rest is not.
    let controller = new AbortController();
    const generate = pipeline.generate;
    let calls = 0;
    pipeline.generate = async (...args) => {
      if (++calls > 1) {
        controller.abort();
        throw new DOMException('cancelled', 'AbortError');
      }
      return generate(...args);
    };
    expect((await service.run(experiment.id, { iterations: Infinity, signal: controller.signal })).kind).toBe('stopped');
    pipeline.generate = generate;
    let opened = await service.open(experiment.id);
    expect(opened.next).toEqual({ kind: 'stage', iteration: 2, stage: 'sampled' });
    expect(opened.iterations[2].confirming).toMatchObject({ trigger: 'threshold', samples: 32 });
    expect(opened.samples.filter((s) => s.iteration === 2)).toHaveLength(2);

    // A reload (a new service over the same store), then a Stop during the test itself.
    const reloaded = setup(store);
    controller = new AbortController();
    reloaded.pipeline.analysis.confirm = async () => {
      controller.abort();
      throw new DOMException('cancelled', 'AbortError');
    };
    expect((await reloaded.service.run(experiment.id, { iterations: Infinity, signal: controller.signal })).kind).toBe('stopped');
    opened = await reloaded.service.open(experiment.id);
    expect(opened.next).toEqual({ kind: 'stage', iteration: 2, stage: 'analysed' });
    expect(opened.samples.filter((s) => s.iteration === 2)).toHaveLength(32);
    expect(opened.experiment.status).toBe('stopped');

    // Another reload resumes to the end: the same records as the twin, and every sample made once.
    const again = setup(store);
    expectDone(await again.service.run(experiment.id, { iterations: Infinity }));
    expect(await results(again.service, experiment.id)).toEqual(expected);
    expect(pipeline.generated + reloaded.pipeline.generated + again.pipeline.generated).toBe(twin.pipeline.generated);
  }, 180_000);

  it('the user asks for a confirmation: it finishes a half-done iteration, then confirms the best set; the loop goes on after it', async () => {
    const { pipeline, service } = setup();
    // The Gaussian domain's own config: an absolute threshold nothing reaches, so only the user asks.
    const experiment = await create(service, gaussianDomain, {});
    await expect(service.confirm(experiment.id)).rejects.toBeInstanceOf(InputError);
    expectDone(await service.run(experiment.id, { iterations: 1 }));

    // Stopped in the middle of iteration 1's sampling: Confirm finishes iteration 1 first.
    const controller = new AbortController();
    const generate = pipeline.generate;
    pipeline.generate = async () => {
      controller.abort();
      throw new DOMException('cancelled', 'AbortError');
    };
    expect((await service.run(experiment.id, { iterations: 1, signal: controller.signal })).kind).toBe('stopped');
    pipeline.generate = generate;
    expect((await service.open(experiment.id)).next).toEqual({ kind: 'stage', iteration: 1, stage: 'sampled' });

    const outcome = expectDone(await service.confirm(experiment.id));
    const { experiment: stored, iterations, samples } = await service.open(experiment.id);
    expect(iterations.map((it) => [it.iteration, it.stage, it.confirming?.trigger ?? null])).toEqual([[0, 'proposed', null], [1, 'proposed', null], [2, 'proposed', 'user']]);
    const confirmation = iterations[2].confirmation!;
    expect(confirmation).toMatchObject({ iteration: 2, trigger: 'user', m: 32, n: 16, params: iterations[1].proposal!.current_best[0].params, deltaSource: 'floor' });
    expect(confirmation.statement.startsWith(confirmation.verdict)).toBe(true);
    expect(confirmation.floor!.testSizes).toEqual({ real: 16, synthetic: 32 });
    expect(stored.confirmation).toEqual(confirmation);
    expect(outcome.experiment.confirmation).toEqual(confirmation);
    expect(samples.filter((s) => s.metadata.dataset_type === 'confirmation')).toHaveLength(32);
    expect(stored.status).toBe(confirmation.verdict === 'indistinguishable' ? 'converged' : 'paused');

    // Step goes on with the batch proposed after the confirmation (it learned from the 32 samples).
    expectDone(await service.run(experiment.id, { iterations: 1 }));
    const after = (await service.open(experiment.id)).iterations;
    expect(after[3].confirming).toBeUndefined();
    expect(after[3].paramSets.map((p) => p.params)).toEqual(iterations[2].proposal!.next_params.map((p) => p.params));
  }, 120_000);

  it('an exported archive keeps the confirmation (records, samples of their own type) and imports as the same experiment', async () => {
    const { service } = setup();
    const experiment = await create(service, gaussianDomain, reachable);
    expectDone(await service.run(experiment.id, { iterations: Infinity }));
    const { experiment: stored, iterations, samples } = await service.open(experiment.id);
    const last = iterations[iterations.length - 1];
    expect(last.confirmation?.verdict).toBe('indistinguishable');

    const zip = await service.export(experiment.id, async (e, chips, realImages) => {
      const job = new ExportJob(e, chips, realImages);
      return { addIteration: async (n, record, list) => job.addIteration(n, record, list, () => undefined), finish: async () => job.finish() };
    });
    const files = unzipSync(new Uint8Array(await zip.arrayBuffer()));
    const dir = `data/experiments/${experiment.id}/iteration_${last.iteration}`;
    const metadata = JSON.parse(strFromU8(files[`${dir}/metadata.json`])) as Array<{ dataset_type: string; sample_id: string }>;
    expect(metadata).toHaveLength(32);
    expect(metadata.every((m) => m.dataset_type === 'confirmation' && m.sample_id.startsWith(`iter${last.iteration}_confirmation_`))).toBe(true);
    const history = JSON.parse(strFromU8(files[`data/experiments/${experiment.id}/history.json`])) as { iterations: Array<{ confirmation?: { statement: string } }> };
    expect(history.iterations[last.iteration].confirmation?.statement).toBe(last.confirmation!.statement);
    expect(strFromU8(files['configs/experiment_config.yaml'])).toMatch(/^confirmation_samples: 32$/m);

    const elsewhere = setup();
    const imported = await elsewhere.service.import(bundleFromFiles(await readArchiveFiles(zip, { maxTotalBytes: 1 << 30 })));
    expect(imported).toEqual(stored);
    const again = await elsewhere.service.open(imported.id);
    expect(again.iterations).toEqual(iterations);
    const bySample = (list: typeof samples) => [...list].sort((a, b) => (a.sample_id < b.sample_id ? -1 : 1)).map((s) => [s.sample_id, s.metadata, Array.from(s.embedding), s.projection2d]);
    expect(bySample(again.samples)).toEqual(bySample(samples));
    expect(again.next).toEqual({ kind: 'stage', iteration: last.iteration + 1, stage: 'plan' });
  }, 120_000);
});
