import { unzipSync, strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { domainRegistry } from '../../../src/app/domains';
import { ExperimentService, InputError, type RunOutcome } from '../../../src/app/experimentService';
import type { PipelineServices } from '../../../src/app/pipelineServices';
import { voidsDomain } from '../../../src/domains/voids/domain';
import type { ExperimentRecord, IterationRecord } from '../../../src/engine/experiment/records';
import { canStep } from '../../../src/engine/experiment/status';
import { ExportJob } from '../../../src/runtime/archive/exportJob';
import { WorkerLostError } from '../../../src/runtime/bridge/errors';
import { bundleFromFiles } from '../../../src/runtime/archive/importBundle';
import { readArchiveFiles } from '../../../src/runtime/archive/zipReader';
import { decodeNpy } from '../../../src/storage/archive';
import { DIMENSION, gaussianDomain } from '../../domains/gaussian/domain';
import { MemoryExperimentStore, memoryServices } from '../pipeline/memoryServices';

const domains = domainRegistry([gaussianDomain, voidsDomain]);
const embedder = { id: 'none', label: 'the vectors as generated', dimension: DIMENSION, normalized: false };
let clock = 0;
const now = () => new Date(Date.UTC(2026, 0, 1) + clock++ * 1000).toISOString();

function setup(store = new MemoryExperimentStore()) {
  const pipeline = memoryServices(store);
  return { store, pipeline, service: new ExperimentService({ store, pipeline, domains, now }) };
}

async function newGaussian(service: ExperimentService) {
  return service.create({ domain: 'gaussian', config: gaussianDomain.defaultConfig(), target: 'simulated', embedder, inputs: {} });
}

function expectDone(outcome: RunOutcome) {
  if (outcome.kind !== 'done') throw new Error(`run ended ${outcome.kind}: ${'message' in outcome ? outcome.message : ''}`);
  return outcome;
}

/** What a run's results are, for comparing two runs of the same experiment. */
async function results(store: MemoryExperimentStore, id: string) {
  const iterations = await store.getIterations(id);
  const samples = (await store.getSamples(id)).sort((a, b) => (a.sample_id < b.sample_id ? -1 : 1));
  return {
    stages: iterations.map((i) => [i.iteration, i.stage]),
    scores: iterations.map((i) => i.paramSets.map((p) => [p.param_set_id, p.score?.score ?? null])),
    proposals: iterations.map((i) => i.proposal?.next_params.map((p) => p.params)),
    samples: samples.map((s) => [s.sample_id, Array.from(s.embedding), s.projection2d]),
  };
}

describe('ExperimentService with a test-only domain (3-D Gaussian vectors), in Node', () => {
  it('runs iteration 0 and three steps, survives a reload, exports an archive numpy can read and imports it elsewhere', async () => {
    const { store, service } = setup();
    const experiment = await newGaussian(service);
    expect(experiment.domain).toBe('gaussian');
    expectDone(await service.run(experiment.id, { iterations: 1 }));
    for (let step = 0; step < 2; step++) expectDone(await service.run(experiment.id, { iterations: 1 }));
    // A reload: a new service over the same store picks the experiment up where it is.
    const reloaded = setup(store).service;
    const before = await reloaded.open(experiment.id);
    expect(before.next).toEqual({ kind: 'stage', iteration: 3, stage: 'plan' });
    const last = expectDone(await reloaded.run(experiment.id, { iterations: 1 }));
    expect(last.experiment.status).toBe('paused');

    const { experiment: stored, iterations, samples } = await reloaded.open(experiment.id);
    expect(iterations.map((i) => [i.iteration, i.stage])).toEqual([[0, 'proposed'], [1, 'proposed'], [2, 'proposed'], [3, 'proposed']]);
    expect(samples.filter((s) => s.iteration === 0)).toHaveLength(48);
    expect(samples.filter((s) => s.iteration === 3)).toHaveLength(12);
    expect(samples.every((s) => s.embedding.length === DIMENSION && !s.png && s.projection2d)).toBe(true);
    expect(samples[0].metadata).toMatchObject({ draw: 'normal', replication_seed: expect.any(Number), params: expect.any(Object) });
    expect(stored.projection?.kind).toBe('pca');
    // The optimizer walks towards the hidden truth (mean 0.5, spread 0.6) from close and far sets.
    const best = iterations[3].proposal!.current_best[0].params;
    expect(Math.abs(Number(best.mean) - 0.5)).toBeLessThan(1);

    const zip = await reloaded.export(experiment.id, async (e, chips, realImages) => {
      const job = new ExportJob(e, chips, realImages);
      return { addIteration: async (n, record, list) => job.addIteration(n, record, list, () => undefined), finish: async () => job.finish() };
    });
    const files = unzipSync(new Uint8Array(await zip.arrayBuffer()));
    const dir = `data/experiments/${experiment.id}`;
    const embeddings = decodeNpy(files[`${dir}/iteration_3/embeddings.npy`]);
    expect(embeddings.shape).toEqual([12, DIMENSION]);
    const metadata = JSON.parse(strFromU8(files[`${dir}/iteration_0/metadata.json`])) as Array<Record<string, unknown>>;
    expect(metadata).toHaveLength(48);
    expect(Object.keys(files).some((f) => f.endsWith('.png'))).toBe(false);

    // The archive imports into another studio (a fresh store) as the same experiment.
    const elsewhere = setup();
    const imported = await elsewhere.service.import(bundleFromFiles(await readArchiveFiles(zip, { maxTotalBytes: 1 << 30 })));
    expect(imported).toEqual(stored);
    const again = await elsewhere.service.open(imported.id);
    expect(again.iterations).toEqual(iterations);
    const bySample = (list: typeof samples) => [...list].sort((a, b) => (a.sample_id < b.sample_id ? -1 : 1)).map((s) => [s.sample_id, s.metadata, Array.from(s.embedding), s.projection2d]);
    expect(bySample(again.samples)).toEqual(bySample(samples));
    expect(again.next).toEqual({ kind: 'stage', iteration: 4, stage: 'plan' });
  }, 120_000);

  it('stops at every stage and resumes to exactly the results of an uninterrupted run', async () => {
    const twin = setup();
    const reference = await newGaussian(twin.service);
    expectDone(await twin.service.run(reference.id, { iterations: 2 }));
    const expected = await results(twin.store, reference.id);

    const { store, pipeline, service } = setup();
    const experiment = await newGaussian(service);
    // Iteration 0 runs whole; in iteration 1 the user presses Stop once in each stage, then Step resumes.
    expectDone(await service.run(experiment.id, { iterations: 1 }));
    // Each Stop leaves the experiment stopped, at the stage it was stopped in (plan: before it ran).
    const expectedNext = { plan: 'plan', sampled: 'sampled', analysed: 'analysed', proposed: 'proposed' } as const;
    for (const stage of ['plan', 'sampled', 'analysed', 'proposed'] as const) {
      const controller = new AbortController();
      const restore = cancelDuring(pipeline, stage, controller);
      if (stage === 'plan') controller.abort();
      const stopped = await service.run(experiment.id, { iterations: 1, signal: controller.signal });
      restore();
      expect(stopped.kind, stage).toBe('stopped');
      const opened = await service.open(experiment.id);
      expect(opened.experiment.status, stage).toBe('stopped');
      expect(opened.next, stage).toEqual({ kind: 'stage', iteration: 1, stage: expectedNext[stage] });
    }
    // Stopped mid-generation, some of iteration 1's samples were already stored and are kept.
    expectDone(await service.run(experiment.id, { iterations: 1 }));
    const resumed = await results(store, experiment.id);
    expect(resumed.stages).toEqual(expected.stages);
    expect(resumed.scores.map((it) => it.map(([, score]) => score))).toEqual(expected.scores.map((it) => it.map(([, score]) => score)));
    expect(resumed.proposals).toEqual(expected.proposals);
    expect(resumed.samples.map(([id, v]) => [id, v])).toEqual(expected.samples.map(([id, v]) => [id, v]));
  }, 120_000);

  it('a failed stage says which stage failed and why; Step waits for a retry of that stage', async () => {
    const { pipeline, service } = setup();
    const experiment = await newGaussian(service);
    expectDone(await service.run(experiment.id, { iterations: 1 }));
    const generate = pipeline.generate;
    pipeline.generate = async () => {
      throw new Error('the generator ran out of memory');
    };
    const failed = await service.run(experiment.id, { iterations: 1 });
    pipeline.generate = generate;
    expect(failed).toMatchObject({ kind: 'failed', message: 'Generate and embed of iteration 1 failed: the generator ran out of memory' });
    const stored = await service.get(experiment.id);
    expect(stored.status).toBe('failed');
    expect(canStep(stored.status)).toBe(false);
    expect((await service.open(experiment.id)).next).toEqual({ kind: 'stage', iteration: 1, stage: 'sampled' });
    // Retry stage: the same run call carries on from the failed stage.
    expect(expectDone(await service.run(experiment.id, { iterations: 1 })).experiment.status).toBe('paused');
  }, 60_000);

  it('a worker lost under a stage is restarted once and the run goes on; lost twice, the stage fails saying so', async () => {
    const store = new MemoryExperimentStore();
    const pipeline = memoryServices(store);
    let prepared = 0;
    const service = new ExperimentService({ store, pipeline, domains, now, prepareRun: async () => void prepared++ });
    const experiment = await newGaussian(service);
    expectDone(await service.run(experiment.id, { iterations: 1 }));
    const twin = setup();
    const twinExperiment = await newGaussian(twin.service);
    for (let i = 0; i < 3; i++) expectDone(await twin.service.run(twinExperiment.id, { iterations: 1 }));

    const propose = pipeline.propose;
    let losses = 1;
    pipeline.propose = async (...args) => {
      if (losses-- > 0) throw new WorkerLostError('optimize', 'proposing', 'Uncaught RangeError: out of memory');
      return propose(...args);
    };
    prepared = 0;
    expectDone(await service.run(experiment.id, { iterations: 1 }));
    // Readied again for the fresh worker, and nothing repeated or lost: the same results as a run without the loss.
    expect(prepared).toBe(2);

    losses = 2;
    const failed = await service.run(experiment.id, { iterations: 1 });
    pipeline.propose = propose;
    expect(failed).toMatchObject({
      kind: 'failed',
      message:
        'Propose next batch of iteration 2 failed: The optimize worker stopped unexpectedly during proposing (Uncaught RangeError: out of memory), twice: it was restarted once and stopped again.',
    });
    expectDone(await service.run(experiment.id, { iterations: 1 }));
    expect(await results(store, experiment.id)).toEqual(await results(twin.store, twinExperiment.id));
  }, 60_000);

  it('fits the map the config asks for (UMAP here) once at iteration 0 and never refits it', async () => {
    const { service } = setup();
    const config = { ...gaussianDomain.defaultConfig(), projection: 'umap' as const };
    const experiment = await service.create({ domain: 'gaussian', config, target: 'simulated', embedder, inputs: {} });
    const zero = expectDone(await service.run(experiment.id, { iterations: 1 })).experiment;
    expect(zero.projection?.kind).toBe('umap');
    const two = expectDone(await service.run(experiment.id, { iterations: 2 })).experiment;
    expect(two.projection).toEqual(zero.projection);
    const { samples } = await service.open(experiment.id);
    expect(samples.filter((s) => s.iteration === 2).every((s) => s.projection2d?.every(Number.isFinite))).toBe(true);
  }, 120_000);

  it('refuses to map an iteration 0 whose vectors are all the same, naming the reason', async () => {
    const { pipeline, service } = setup();
    const experiment = await newGaussian(service);
    const generate = pipeline.generate;
    pipeline.generate = async (...args) => (await generate(...args)).map((s) => ({ ...s, vector: new Float32Array(DIMENSION).fill(0.25) }));
    const failed = await service.run(experiment.id, { iterations: 1 });
    expect(failed).toMatchObject({ kind: 'failed', message: expect.stringMatching(/^Score and project of iteration 0 failed: all 48 vectors of iteration 0 are the same/) });
  }, 60_000);

  it('a run reads the iteration records once and keeps them current from its own commits', async () => {
    const { store, service } = setup();
    const experiment = await newGaussian(service);
    const read = store.getIterations.bind(store);
    let reads = 0;
    store.getIterations = (id) => (reads++, read(id));
    expectDone(await service.run(experiment.id, { iterations: 3 }));
    expect(reads).toBe(1);
    // What the run saw is what was stored: a second run goes on from it as from a fresh read.
    expectDone(await service.run(experiment.id, { iterations: 1 }));
    expect(reads).toBe(2);
    expect((await read(experiment.id)).map((it) => [it.iteration, it.stage])).toEqual([0, 1, 2, 3].map((n) => [n, 'proposed']));
  }, 60_000);

  it("re-reading after each commit gives what a full read gives, and reads only the committed iteration's samples", async () => {
    const { store, service } = setup();
    const experiment = await newGaussian(service);
    const readSamples = store.getSamples.bind(store);
    const sampleReads: Array<number | undefined> = [];
    store.getSamples = (id, iteration) => (sampleReads.push(iteration), readSamples(id, iteration));
    // The page's view: opened once, then kept from each commit that changes what it draws, as the page
    // does (experimentStore), here after each run so that only the view's reads are counted.
    let view = await service.open(experiment.id);
    const commits: Array<[ExperimentRecord, IterationRecord]> = [];
    const onCommitted = (committed: ExperimentRecord, iteration: IterationRecord) => {
      if (iteration.stage === 'analysed' || iteration.stage === 'proposed') commits.push([committed, iteration]);
    };
    for (let k = 0; k < 3; k++) {
      expectDone(await service.run(experiment.id, { iterations: 1, onCommitted }));
      for (const [committed, iteration] of commits.splice(0)) {
        const before = view;
        sampleReads.length = 0;
        view = await service.afterCommit(committed, iteration, before);
        // Only the committed iteration's samples are read again, and only until they are settled.
        expect(sampleReads).toEqual(iteration.stage === 'analysed' ? [iteration.iteration] : []);
        const settled = new Set(before.iterations.filter((it) => it.stage === 'analysed' || it.stage === 'proposed').map((it) => it.iteration));
        const held = new Map(before.samples.map((s) => [s.sample_id, s]));
        for (const s of view.samples) if (settled.has(s.iteration)) expect(s).toBe(held.get(s.sample_id));
      }
      view = await service.open(experiment.id, view);
    }
    const full = await service.open(experiment.id);
    const bySampleId = (a: { sample_id: string }, b: { sample_id: string }) => (a.sample_id < b.sample_id ? -1 : 1);
    expect(view.iterations).toEqual(full.iterations);
    expect([...view.samples].sort(bySampleId)).toEqual([...full.samples].sort(bySampleId));
    expect(view.next).toEqual(full.next);

    // Settled iterations' samples come back as the same objects; a sample joining one later is read.
    const kept = view.samples.filter((s) => s.iteration === 1);
    sampleReads.length = 0;
    const again = await service.open(experiment.id, view);
    expect(again.samples.filter((s) => s.iteration === 1)).toEqual(kept);
    expect(again.samples.filter((s) => s.iteration === 1).every((s, i) => s === kept[i])).toBe(true);
    expect(sampleReads).toEqual([]);
    await store.putSamples([{ ...kept[0], sample_id: 'late_tell_000' }]);
    const joined = await service.open(experiment.id, again);
    expect(joined.samples.filter((s) => s.iteration === 1).map((s) => s.sample_id)).toContain('late_tell_000');
    expect(sampleReads).toEqual([1]);
  }, 60_000);

  it('one run at a time per experiment', async () => {
    const { service } = setup();
    const experiment = await newGaussian(service);
    const first = service.run(experiment.id, { iterations: 1 });
    expect(await service.run(experiment.id, { iterations: 1 })).toEqual({ kind: 'locked' });
    expectDone(await first);
  }, 60_000);
});

describe('ExperimentService input rules (one place for each)', () => {
  it('names what is missing, for every domain input', async () => {
    const { service } = setup();
    const chip = { id: 'chip.png', bytes: new ArrayBuffer(4), width: 1, height: 1 };
    expect(service.inputProblem({ domain: 'voids', target: 'simulated', inputs: { chips: [] } })).toBe('Base chips: 0 given, at least 1 needed.');
    expect(service.inputProblem({ domain: 'voids', target: 'user', inputs: { chips: [chip], realImages: [chip, chip] } })).toMatch(/^Your real set has 2 sample\(s\): scoring and its noise floor need at least 4\./);
    expect(service.inputProblem({ domain: 'voids', target: 'simulated', inputs: { chips: [chip] } })).toBeNull();
    expect(service.inputProblem({ domain: 'tabular', target: 'simulated', inputs: {} })).toMatch(/no domain "tabular"/);
    await expect(service.create({ domain: 'voids', config: voidsDomain.defaultConfig(), target: 'simulated', embedder, inputs: { chips: [] } })).rejects.toBeInstanceOf(InputError);
    expect(await service.list()).toEqual([]);
  });
});

/**
 * Makes one stage's work cancel mid-call, as a worker does when Stop is pressed: the signal is aborted
 * and the call rejects with an AbortError. Returns the function that undoes it.
 */
function cancelDuring(pipeline: PipelineServices, stage: 'plan' | 'sampled' | 'analysed' | 'proposed', controller: AbortController): () => void {
  const abort = async (): Promise<never> => {
    controller.abort();
    throw new DOMException('cancelled', 'AbortError');
  };
  if (stage === 'sampled') {
    const original = pipeline.generate;
    let calls = 0;
    pipeline.generate = async (...args) => (++calls > 1 ? abort() : original(...args));
    return () => (pipeline.generate = original);
  }
  if (stage === 'analysed') {
    const original = pipeline.analysis.scoreParameterSets;
    pipeline.analysis.scoreParameterSets = abort;
    return () => (pipeline.analysis.scoreParameterSets = original);
  }
  if (stage === 'proposed') {
    const original = pipeline.propose;
    pipeline.propose = abort;
    return () => (pipeline.propose = original);
  }
  return () => undefined;
}
