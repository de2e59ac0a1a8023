import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { domainRegistry } from '../../../src/app/domains';
import { ExperimentService, InputError, type RunOutcome } from '../../../src/app/experimentService';
import type { ExperimentConfig } from '../../../src/engine/config/experimentConfig';
import type { Domain } from '../../../src/engine/domain';
import type { IterationRecord } from '../../../src/engine/experiment/records';
import type { ProposeBatchInput } from '../../../src/engine/optimizer';
import { wasConfirmed } from '../../../src/engine/pipeline/confirmationPlan';
import { createRng, hashSeed } from '../../../src/engine/random/rng';
import { recipeCounts } from '../../../src/engine/trust/recipeOutput';
import { ExportJob } from '../../../src/runtime/archive/exportJob';
import { bundleFromFiles } from '../../../src/runtime/archive/importBundle';
import { readArchiveFiles } from '../../../src/runtime/archive/zipReader';
import { ArchiveError, readArchiveContents, recipePath, utf8Encode } from '../../../src/storage/archive';
import { DIMENSION, gaussianDomain } from '../../domains/gaussian/domain';
import { MemoryExperimentStore, memoryServices } from '../pipeline/memoryServices';

/**
 * The distribution recipe through ExperimentService on the Gaussian test domain, with a real set no
 * single setting reproduces: half its samples around −1·(1, 1, 1), half around +1·(1, 1, 1), sd 0.3.
 * Iteration 0 scores sets near each component (close: mean ≈ +1, far: mean ≈ −1, both narrow), so the
 * stored samples already hold what a mixture needs: the recipe must beat the best single set, and
 * generating it runs a confirmation of its own.
 */
const mixture: Domain = {
  ...gaussianDomain,
  id: 'gaussian-mixture',
  label: '3-D Gaussian, real set a two-component mixture',
  generate(job, context) {
    if (job.dataset_type !== 'real') return gaussianDomain.generate!(job, context);
    const rng = createRng(hashSeed('mixture', job.param_set_id, job.replication_seed));
    const centre = job.replication_seed % 2 === 0 ? -1 : 1;
    return { vector: Float32Array.from({ length: DIMENSION }, () => rng.normal(centre, 0.3)), metadata: { draw: 'mixture' } };
  },
};

const domains = domainRegistry([mixture]);
const embedder = { id: 'none', label: 'the vectors as generated', dimension: DIMENSION, normalized: false };
let clock = 0;
const now = () => new Date(Date.UTC(2026, 0, 1) + clock++ * 1000).toISOString();

const config = (): ExperimentConfig => {
  const base = mixture.defaultConfig();
  return {
    ...base,
    max_iterations: 2,
    random_seed: 3,
    param_distributions: {
      ...base.param_distributions,
      close: { mean: { mean: 1, std: 0.1 }, spread: { mean: 0.3, std: 0.05 } },
      far: { mean: { mean: -1, std: 0.1 }, spread: { mean: 0.3, std: 0.05 } },
    },
  };
};

function setup(store = new MemoryExperimentStore()) {
  const pipeline = memoryServices(store);
  return { store, pipeline, service: new ExperimentService({ store, pipeline, domains, now }) };
}

function expectDone(outcome: RunOutcome) {
  if (outcome.kind !== 'done') throw new Error(`run ended ${outcome.kind}: ${'message' in outcome ? outcome.message : ''}`);
  return outcome;
}

/** An experiment run to its budget (iteration 0 and two batches) with its recipe computed. */
async function withRecipe(service: ExperimentService) {
  const experiment = await service.create({ domain: mixture.id, config: config(), target: 'simulated', embedder, inputs: {} });
  await expect(service.recipe(experiment.id)).rejects.toBeInstanceOf(InputError);
  expectDone(await service.run(experiment.id, { iterations: Infinity }));
  const recipe = await service.recipe(experiment.id);
  return { experiment, recipe };
}

/** What a run stored, without the clock's values (a recipe's id names the time it was computed). */
async function results(service: ExperimentService, id: string) {
  const { experiment, iterations, samples } = await service.open(id);
  const { id: _id, computedAt: _at, ...recipe } = experiment.recipe!;
  return {
    experiment: { status: experiment.status, convergence: experiment.convergence, confirmation: experiment.confirmation, recipe },
    iterations: iterations.map(({ experimentId: _e, timings: _t, startedAt: _s, finishedAt: _f, confirming, proposal, ...rest }) => ({
      ...rest,
      confirming: confirming && { ...confirming, recipe: confirming.recipe && { ...confirming.recipe, id: null } },
      proposal: proposal && { next: proposal.next_params, best: proposal.current_best, region: proposal.region },
    })),
    samples: samples
      .sort((a, b) => (a.sample_id < b.sample_id ? -1 : 1))
      .map((s) => [s.sample_id, s.metadata.dataset_type, s.metadata.param_set_id, s.metadata.replication_seed, Array.from(s.embedding), s.projection2d]),
  };
}

const lastOf = (iterations: IterationRecord[]) => iterations[iterations.length - 1];

describe('the distribution recipe (ExperimentService, Gaussian test domain, a two-component mixture target)', () => {
  it('is computed from the stored samples, beats the best single set, and is stored with its counts, δ and YAML', async () => {
    const { service } = setup();
    const { experiment, recipe } = await withRecipe(service);
    const { experiment: stored, iterations } = await service.open(experiment.id);
    expect(stored.recipe).toEqual(recipe);

    // Both components are in the recipe, and the mixture is closer to the real set than any one setting.
    expect(recipe.sets.length).toBeGreaterThanOrEqual(2);
    expect(recipe.sets.some((s) => Number(s.params.mean) < 0)).toBe(true);
    expect(recipe.sets.some((s) => Number(s.params.mean) > 0)).toBe(true);
    expect(recipe.mmd2).toBeLessThan(recipe.bestSingle.mmd2);
    expect(recipe.mmd2Unbiased).toBeLessThan(recipe.bestSingle.mmd2Unbiased);
    expect(recipe.bestSingle.mmd2Unbiased - recipe.mmd2Unbiased).toBeGreaterThan(recipe.floor.delta);

    // Candidates: every scored setting (the hidden real sets never), weights on the simplex, counts for m = 32.
    const scored = iterations.flatMap((it) => it.paramSets).filter((p) => p.dataset_type !== 'real' && p.score);
    expect(recipe.candidates).toBe(scored.length);
    expect(recipe.sets.every((s) => s.weight > 0 && scored.some((p) => p.param_set_id === s.param_set_id))).toBe(true);
    expect(recipe.sets.reduce((a, s) => a + s.weight, 0)).toBeCloseTo(1, 12);
    expect(recipe.total).toBe(32);
    expect(recipe.sets.reduce((a, s) => a + s.count, 0)).toBe(32);
    expect(recipe.sets.map((s) => s.count)).toEqual(recipeCounts(recipe.sets.map((s) => s.weight), 32));
    expect(recipe.sets.every((s) => s.samples === 4)).toBe(true);
    expect(recipe.floor).toMatchObject({ source: 'floor', m: 32, n: 16 });
    expect(recipe.bandwidth).toBe(stored.scoring!.bandwidth);
    expect(recipe.throughIteration).toBe(lastOf(iterations).iteration);
    expect(recipe.confirmation).toBeUndefined();

    // The YAML a generator follows: the same sets, weights and counts.
    const yaml = parse(recipe.yaml) as { total: number; mmd2: number; sets: Array<{ param_set_id: string; weight: number; count: number }> };
    expect(yaml.total).toBe(32);
    expect(yaml.mmd2).toBe(recipe.mmd2);
    expect(yaml.sets.map((s) => [s.param_set_id, s.weight, s.count])).toEqual(recipe.sets.map((s) => [s.param_set_id, s.weight, s.count]));

    // Another total recounts the same weights; a bad one is refused.
    const hundred = await service.recipe(experiment.id, { total: 100 });
    expect(hundred.sets.map((s) => s.weight)).toEqual(recipe.sets.map((s) => s.weight));
    expect(hundred.sets.reduce((a, s) => a + s.count, 0)).toBe(100);
    expect(hundred.id).not.toBe(recipe.id);
    await expect(service.recipe(experiment.id, { total: 0 })).rejects.toBeInstanceOf(InputError);
  }, 120_000);

  it('is confirmed by generating it: m samples from its sets in its counts, tested against the real set; each set joins the model as an observation', async () => {
    const { pipeline, service } = setup();
    const { experiment, recipe } = await withRecipe(service);
    const before = await service.open(experiment.id);
    await expect(setup().service.confirmRecipe('nope')).rejects.toThrow();
    const proposals: ProposeBatchInput[] = [];
    const propose = pipeline.propose;
    pipeline.propose = async (input, call) => {
      proposals.push(input);
      return propose(input, call);
    };

    const outcome = expectDone(await service.confirmRecipe(experiment.id));
    const { experiment: stored, iterations, samples } = await service.open(experiment.id);
    const last = lastOf(iterations);
    expect(last.iteration).toBe(lastOf(before.iterations).iteration + 1);
    expect(last.confirming).toMatchObject({ trigger: 'recipe', param_set_id: 'recipe', samples: 32, recipe: { id: recipe.id } });
    const plan = last.confirming!.recipe!.sets;
    expect(plan.reduce((a, s) => a + s.count, 0)).toBe(32);
    expect(plan.map((s) => s.source_param_set_id)).toEqual(recipe.sets.filter((s) => s.count > 0).map((s) => s.param_set_id));
    expect(last.paramSets.map((p) => [p.param_set_id, p.dataset_type, p.params, p.samples])).toEqual(plan.map((s) => [s.param_set_id, 'confirmation', s.params, s.count]));
    const made = samples.filter((s) => s.iteration === last.iteration);
    expect(made).toHaveLength(32);
    for (const set of plan) expect(made.filter((s) => s.metadata.param_set_id === set.param_set_id)).toHaveLength(set.count);
    expect(new Set(made.map((s) => s.metadata.replication_seed)).size).toBe(32);

    // The test of all 32 against the real set, stored on the iteration and on the recipe.
    const confirmation = last.confirmation!;
    expect(confirmation).toMatchObject({ trigger: 'recipe', param_set_id: 'recipe', params: {}, m: 32, n: 16, sets: plan, deltaSource: 'floor', delta: recipe.floor.delta });
    expect(confirmation.statement.startsWith(confirmation.verdict)).toBe(true);
    expect(stored.recipe!.confirmation).toEqual(confirmation);
    expect(outcome.experiment.recipe!.confirmation).toEqual(confirmation);
    // The loop's own answer is untouched: no best-set confirmation, the same convergence state as before.
    expect(stored.confirmation).toBeUndefined();
    expect(last.convergence).toEqual(lastOf(before.iterations).convergence);
    expect(stored.status).toBe(before.experiment.status);

    // Each set's samples are scored on their own and join the surrogate as one observation of that set.
    const observed = proposals[0].observations;
    for (const set of last.paramSets) {
      expect(set.score!.sizes.synthetic).toBe(set.samples);
      expect(observed).toContainEqual({ params: set.params, score: set.score!.score, replicates: set.samples });
    }
    // A recipe confirmation is not a best set's: the threshold rule may still confirm those sets.
    const space = mixture.space(stored.config);
    for (const set of last.paramSets) expect(wasConfirmed(iterations, space, set.params)).toBe(false);
  }, 120_000);

  it('a Stop or a reload in the middle of a recipe confirmation resumes to the records of an uninterrupted twin, no sample made twice', async () => {
    const twin = setup();
    const reference = await withRecipe(twin.service);
    expectDone(await twin.service.confirmRecipe(reference.experiment.id));
    const expected = await results(twin.service, reference.experiment.id);

    const { store, pipeline, service } = setup();
    const { experiment } = await withRecipe(service);
    const confirmingAt = lastOf((await service.open(experiment.id)).iterations).iteration + 1;

    // Stop while its samples are made: the first chunk (2 samples) is stored, the rest is not.
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
    expect((await service.confirmRecipe(experiment.id, { signal: controller.signal })).kind).toBe('stopped');
    pipeline.generate = generate;
    let opened = await service.open(experiment.id);
    expect(opened.next).toEqual({ kind: 'stage', iteration: confirmingAt, stage: 'sampled' });
    expect(opened.iterations.find((it) => it.iteration === confirmingAt)!.confirming?.trigger).toBe('recipe');
    expect(opened.samples.filter((s) => s.iteration === confirmingAt)).toHaveLength(2);

    // A reload (a new service over the same store), then a Stop during the test itself.
    const reloaded = setup(store);
    controller = new AbortController();
    reloaded.pipeline.analysis.confirm = async () => {
      controller.abort();
      throw new DOMException('cancelled', 'AbortError');
    };
    expect((await reloaded.service.confirmRecipe(experiment.id, { signal: controller.signal })).kind).toBe('stopped');
    opened = await reloaded.service.open(experiment.id);
    expect(opened.next).toEqual({ kind: 'stage', iteration: confirmingAt, stage: 'analysed' });
    expect(opened.samples.filter((s) => s.iteration === confirmingAt)).toHaveLength(32);
    expect(opened.experiment.status).toBe('stopped');

    // Another reload: Confirm recipe finishes the one in progress instead of starting a second.
    const again = setup(store);
    expectDone(await again.service.confirmRecipe(experiment.id));
    expect((await again.service.open(experiment.id)).iterations).toHaveLength(confirmingAt + 1);
    expect(await results(again.service, experiment.id)).toEqual(expected);
    expect(pipeline.generated + reloaded.pipeline.generated + again.pipeline.generated).toBe(twin.pipeline.generated);
  }, 180_000);

  it("the user's Confirm during an unfinished recipe confirmation finishes it first, then confirms the best set", async () => {
    const { pipeline, service } = setup();
    const { experiment } = await withRecipe(service);
    const at = lastOf((await service.open(experiment.id)).iterations).iteration + 1;
    const controller = new AbortController();
    const generate = pipeline.generate;
    pipeline.generate = async () => {
      controller.abort();
      throw new DOMException('cancelled', 'AbortError');
    };
    expect((await service.confirmRecipe(experiment.id, { signal: controller.signal })).kind).toBe('stopped');
    pipeline.generate = generate;
    expectDone(await service.confirm(experiment.id));
    const { experiment: stored, iterations } = await service.open(experiment.id);
    expect(iterations.slice(at).map((it) => [it.iteration, it.stage, it.confirming?.trigger])).toEqual([[at, 'proposed', 'recipe'], [at + 1, 'proposed', 'user']]);
    expect(stored.recipe!.confirmation!.iteration).toBe(at);
    expect(stored.confirmation!.iteration).toBe(at + 1);
  }, 120_000);

  it('an exported archive holds the recipe (recipe.yaml, the report, experiment.json) and the plausible region, and imports as the same experiment', async () => {
    const { service } = setup();
    const { experiment, recipe } = await withRecipe(service);
    expectDone(await service.confirmRecipe(experiment.id));
    const { experiment: stored, iterations, samples } = await service.open(experiment.id);

    const zip = await service.export(experiment.id, async (e, chips, realImages) => {
      const job = new ExportJob(e, chips, realImages);
      return { addIteration: async (n, record, list) => job.addIteration(n, record, list, () => undefined), finish: async () => job.finish() };
    });
    const files = unzipSync(new Uint8Array(await zip.arrayBuffer()));
    expect(strFromU8(files[recipePath(experiment.id)])).toBe(recipe.yaml);
    const report = strFromU8(files['report.html']);
    expect(report).toContain('<caption>Distribution recipe (32 images)</caption>');
    for (const set of recipe.sets) expect(report).toContain(`<td>${set.param_set_id}</td>`);
    expect(report).toContain(`Generated and tested (iteration ${stored.recipe!.confirmation!.iteration})`);
    // No single setting reproduces a mixture: the region of the last proposal is empty, and says so.
    const region = lastOf(iterations).proposal!.region!;
    expect(region.plausibleCount).toBe(0);
    expect(report).toContain('<h2>Plausible region</h2>');
    expect(report).toContain('No setting is plausible: at none of 4096 quasi-random points');
    const history = JSON.parse(strFromU8(files[`data/experiments/${experiment.id}/history.json`])) as {
      plausible_region: { iteration: number; rows: unknown[]; statement: string };
      summary: Array<{ confirmation_statement: string | null; confirmation_trigger: string | null }>;
    };
    expect(history.plausible_region).toMatchObject({ iteration: lastOf(iterations).iteration, rows: [], statement: region.statement });
    expect(history.summary.at(-1)).toMatchObject({ confirmation_trigger: 'recipe', confirmation_statement: stored.recipe!.confirmation!.statement });
    expect(history.summary.slice(0, -1).every((row) => row.confirmation_trigger === null)).toBe(true);
    expect(strFromU8(files['README.md'])).toContain('recipe.yaml');

    const read = await readArchiveFiles(zip, { maxTotalBytes: 1 << 30 });
    // An edited recipe.yaml is refused, naming the file.
    const edited = new Map(read.files);
    edited.set(recipePath(experiment.id), utf8Encode(recipe.yaml.replace('total: 32', 'total: 33')));
    expect(() => readArchiveContents(read.manifest, edited)).toThrow(ArchiveError);
    expect(() => readArchiveContents(read.manifest, edited)).toThrow(/recipe\.yaml.*does not match the recipe/);

    const elsewhere = setup();
    const imported = await elsewhere.service.import(bundleFromFiles(read));
    expect(imported).toEqual(stored);
    const again = await elsewhere.service.open(imported.id);
    expect(again.iterations).toEqual(iterations);
    expect(again.samples).toHaveLength(samples.length);
    // The imported copy goes on: a recipe recomputed from its samples is the original's (the recipe's
    // confirmation samples now pooled into their settings, which each have more samples than the first time).
    const strip = ({ id: _id, computedAt: _at, ...rest }: typeof recipe) => rest;
    const there = await elsewhere.service.recipe(imported.id);
    const here = await service.recipe(experiment.id);
    expect(strip(there)).toEqual(strip(here));
    const grown = here.sets.filter((s) => recipe.sets.some((r) => r.param_set_id === s.param_set_id));
    expect(grown.some((s) => s.param_set_ids.length === 2 && s.samples > 4)).toBe(true);
  }, 120_000);
});
