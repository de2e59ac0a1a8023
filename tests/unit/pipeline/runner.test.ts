import { describe, expect, it } from 'vitest';
import { defaultExperimentConfig, type ExperimentConfig } from '../../../src/engine/config/experimentConfig';
import { EXPERIMENT_SCHEMA_VERSION, type ExperimentRecord } from '../../../src/engine/experiment/records';
import { parameterSetFloor } from '../../../src/engine/pipeline/observations';
import { PipelineRunner, sampleChunks } from '../../../src/app/pipelineRunner';
import { MemoryStore, memoryServices } from './memoryServices';
import { domainRegistry } from '../../../src/app/domains';
import { voidsDomain } from '../../../src/domains/voids/domain';

const VOIDS = domainRegistry([voidsDomain]);

const base = defaultExperimentConfig();
const config: ExperimentConfig = {
  ...base,
  close: { param_sets: 4, replications: 3, total_size: 12 },
  far: { param_sets: 4, replications: 3, total_size: 12 },
  iteration_batch_size: 4,
  max_iterations: 3,
  // Run to the budget: an absolute threshold nothing reaches and no plateau stop.
  convergence_rule: 'absolute',
  convergence_threshold: -1,
  early_stop_patience: 10,
};

function newExperiment(): ExperimentRecord {
  return {
    id: 'exp', name: 'test', createdAt: '', updatedAt: '', config, target: { kind: 'simulated' },
    embedder: { id: 'image-statistics', label: 'stats', dimension: 0, normalized: true },
    chipIds: ['chip_a.png', 'chip_b.png', 'chip_c.png'], status: 'ready', schemaVersion: EXPERIMENT_SCHEMA_VERSION,
  };
}

async function runIterations(runner: PipelineRunner, experiment: ExperimentRecord, n: number) {
  let e = experiment;
  for (let i = 0; i < n; i++) e = await runner.runIteration(e);
  return e;
}

describe('the closed loop on core services', () => {
  it('runs iteration 0 and two more: stored stages, scores, a fixed map, proposals, convergence', async () => {
    const store = new MemoryStore();
    const runner = new PipelineRunner(memoryServices(store), VOIDS);
    const experiment = await runIterations(runner, newExperiment(), 3);
    const iterations = await store.getIterations('exp');
    expect(iterations.map((i) => [i.iteration, i.stage])).toEqual([[0, 'proposed'], [1, 'proposed'], [2, 'proposed']]);
    expect(await store.getSampleIds('exp', 0)).toHaveLength(15 + 12 + 12);
    expect(await store.getSampleIds('exp', 1)).toHaveLength(12);
    // Hidden real sets are recorded for recovery, scored sets are close/far/synthetic only.
    expect(experiment.hiddenRealParamSets).toHaveLength(5);
    for (const it of iterations) {
      for (const set of it.paramSets) expect(set.score !== undefined).toBe(set.dataset_type !== 'real');
      expect(it.proposal!.next_params).toHaveLength(4);
      expect(it.scores!.metrics.mmd2_unbiased ?? Object.values(it.scores!.metrics)[0]).toBeDefined();
    }
    // Iteration 1 evaluates exactly what iteration 0 proposed.
    expect(iterations[1].paramSets.map((p) => p.params)).toEqual(iterations[0].proposal!.next_params.map((p) => p.params));
    // Every sample sits in the map fixed at iteration 0; synthetic ones know their nearest real distance.
    const samples = await store.getSamples('exp');
    expect(samples.every((s) => s.projection2d && s.projection2d.every(Number.isFinite))).toBe(true);
    expect(samples.filter((s) => s.metadata.dataset_type !== 'real').every((s) => Number.isFinite(s.nearestRealDistance))).toBe(true);
    expect(experiment.projection?.kind).toBe('pca');
    expect(experiment.scoring!.bandwidth).toBeGreaterThan(0);
    expect(iterations[2].convergence).toBeDefined();
    // The optimizer learns no less noise than a perfect generator's score scatters by (the floor's sd).
    const floorSd = parameterSetFloor([iterations[0]])?.sd;
    expect(floorSd).toBeGreaterThan(0);
    expect(iterations[0].proposal!.diagnostics.model!.noiseStdScore).toBeGreaterThanOrEqual(floorSd! * (1 - 1e-9));
    // A voids score is a statistic of random images: read as noisy, and no set is proposed twice (noise.ts).
    for (const it of iterations) expect(it.proposal!.diagnostics.noise).toMatchObject({ source: 'known', deterministic: false, probe: false });
    const keys = iterations.flatMap((it) => it.paramSets.filter((p) => p.dataset_type === 'synthetic').map((p) => JSON.stringify(p.params)));
    expect(new Set(keys).size).toBe(keys.length);
    // max_iterations counts the optimizer's iterations 1..N after iteration 0.
    expect(await runner.next(experiment)).toEqual({ kind: 'stage', iteration: 3, stage: 'plan' });
    const done = await runner.runIteration(experiment);
    expect(done.convergence).toMatchObject({ converged: true, reason: 'budget' });
    expect(done.status).toBe('finished');
    expect((await runner.next(done)).kind).toBe('finished');
  }, 120_000);

  it('resumes after a crash mid-stage: nothing lost, nothing generated or stored twice, same result', async () => {
    const clean = new MemoryStore();
    const cleanRun = await runIterations(new PipelineRunner(memoryServices(clean), VOIDS), newExperiment(), 2);

    const store = new MemoryStore();
    const services = memoryServices(store);
    const runner = new PipelineRunner(services, VOIDS);
    let experiment = await runner.runIteration(newExperiment());
    // Iteration 1: plan, then sample half and "close the tab" (abort), then crash at the stage commit.
    experiment = await runner.runStage(experiment, { kind: 'stage', iteration: 1, stage: 'plan' }, {});
    const controller = new AbortController();
    let seen = 0;
    const origEmbed = services.embed;
    services.embed = async (images, call) => {
      seen += images.length;
      if (seen >= 8) controller.abort(); // after the first chunk of 8
      return origEmbed(images, call);
    };
    await expect(runner.runStage(experiment, { kind: 'stage', iteration: 1, stage: 'sampled' }, { signal: controller.signal })).rejects.toThrow(/cancelled/);
    services.embed = origEmbed;
    const partial = await store.getSampleIds('exp', 1);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(12);
    expect((await runner.next(experiment))).toEqual({ kind: 'stage', iteration: 1, stage: 'sampled' });

    const before = services.generated;
    store.failNextCommit = true;
    await expect(runner.runStage(experiment, { kind: 'stage', iteration: 1, stage: 'sampled' }, {})).rejects.toThrow(/simulated crash/);
    expect(services.generated - before).toBe(12 - partial.length); // only the missing images
    expect((await runner.next(experiment))).toEqual({ kind: 'stage', iteration: 1, stage: 'sampled' });

    experiment = await runner.runIteration(experiment);
    expect(await store.getSampleIds('exp', 1)).toHaveLength(12);
    const resumed = await store.getIterations('exp');
    const reference = await clean.getIterations('exp');
    expect(resumed[1].paramSets.map((p) => p.score?.score)).toEqual(reference[1].paramSets.map((p) => p.score?.score));
    expect(resumed[1].proposal!.next_params).toEqual(reference[1].proposal!.next_params);
    expect(experiment.convergence).toEqual(cleanRun.convergence);
  }, 120_000);

  it('keeps the model busy: a short first chunk, each chunk stored while the next is embedded, the inference time summed', async () => {
    expect(sampleChunks([...'abcdefghijkl']).map((c) => c.join(''))).toEqual(['ab', 'cdefghij', 'kl']);
    expect(sampleChunks([])).toEqual([]);

    const store = new MemoryStore();
    const services = memoryServices(store);
    const runner = new PipelineRunner(services, VOIDS);
    let experiment = await runner.runIteration(newExperiment());
    experiment = await runner.runStage(experiment, { kind: 'stage', iteration: 1, stage: 'plan' }, {});
    const events: string[] = [];
    let embeds = 0;
    let puts = 0;
    const origEmbed = services.embed;
    services.embed = async (images, call) => {
      const k = embeds++;
      events.push(`embed ${k} (${images.length})`);
      const out = await origEmbed(images, call);
      return { ...out, inferenceMs: 10 * images.length };
    };
    const origPut = store.putSamples.bind(store);
    store.putSamples = async (samples) => {
      const k = puts++;
      events.push(`store ${k} starts`);
      await new Promise((resolve) => setTimeout(resolve, 30));
      await origPut(samples);
      events.push(`store ${k} ends`);
    };
    await runner.runStage(experiment, { kind: 'stage', iteration: 1, stage: 'sampled' }, {});
    // The write of chunk k is under way while chunk k + 1 is embedded; the stage waits for the last one.
    expect(events).toEqual(['embed 0 (2)', 'store 0 starts', 'embed 1 (8)', 'store 0 ends', 'store 1 starts', 'embed 2 (2)', 'store 1 ends', 'store 2 starts', 'store 2 ends']);
    const [, one] = await store.getIterations('exp');
    expect(one.stage).toBe('sampled');
    expect(one.timings.inference_ms).toBe(10 * 12);
    expect(await store.getSampleIds('exp', 1)).toHaveLength(12);
  }, 120_000);
});
