import { confirmationRecord } from '../engine/experiment/confirmationRecord';
import type { ConfirmationRecord, ConfirmationTrigger, ExperimentRecord, IterationRecord, ParamSetRecord, SampleRecord } from '../engine/experiment/records';
import { formatSampleId } from '../engine/experiment/sample';
import { statusAfterRun } from '../engine/experiment/status';
import type { Matrix } from '../engine/linalg/matrix';
import { hashSeed } from '../engine/random/rng';
import { checkConvergence, type ConfirmationTolerance, type ConvergenceResult } from '../engine/optimizer/convergence';
import type { Domain, DomainJob } from '../engine/domain';
import type { ParameterSpace } from '../engine/space/space';
import { batchesRun, bestToConfirm, planConfirmation, wasConfirmed } from '../engine/pipeline/confirmationPlan';
import { planRecipeConfirmation } from '../engine/pipeline/recipeConfirmationPlan';
import { confirmationDelta, confirmationTestInput } from '../engine/pipeline/confirmationTest';
import { nextStep, type NextStep } from '../engine/pipeline/nextStep';
import { confirm } from '../engine/trust/confirmation';
import { convergenceHistory, observationsFrom, parameterSetFloor, pendingParamSets } from '../engine/pipeline/observations';
import { missingRequests, nextParamSetIndex, planIteration, planIterationZero, requestsForParamSets } from '../engine/pipeline/plan';
import { identicalVectorsProblem, realSetProblem } from '../engine/pipeline/realSet';
import type { StageProgress } from '../engine/pipeline/stages';
import { CancelledError } from '../runtime/lib/jobs';
import { domainOf, type DomainRegistry } from './domains';
import { embeddingMatrix, realSetMatrix } from './matrices';
import type { EmbeddedImages, EmbeddingPairOut, GeneratedOut, PipelineServices } from './pipelineServices';

export type { StageProgress };

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (p: StageProgress) => void;
  /** Called after every committed stage with the fresh records (the UI re-reads from them). */
  onCommitted?: (experiment: ExperimentRecord, iteration: IterationRecord) => void;
}

/** Samples generated and embedded per round trip: small enough for smooth progress and prompt Stop. */
const SAMPLE_CHUNK = 8;
/**
 * The first chunk is smaller: the model waits for it, and for nothing after it (each later chunk is
 * generated while the one before is embedded), so a short first wait keeps the session busy sooner.
 */
const FIRST_SAMPLE_CHUNK = 2;

/** Splits jobs into a short first chunk and SAMPLE_CHUNK-sized chunks after it. */
export function sampleChunks<T>(jobs: readonly T[]): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < jobs.length; ) {
    const size = start === 0 ? FIRST_SAMPLE_CHUNK : SAMPLE_CHUNK;
    chunks.push(jobs.slice(start, start + size));
    start += size;
  }
  return chunks;
}

/**
 * The closed loop, one committed stage at a time (plan → sampled → analysed → proposed). An iteration is
 * a batch of the optimizer's proposals or a confirmation of its best set (engine/pipeline/
 * confirmationPlan.ts); both go through the same stages. Each stage reads what earlier stages
 * committed, does its work in the workers, and commits its outputs in one transaction, so a reload or
 * a Stop resumes at the first uncommitted stage. Decisions live in
 * src/engine/pipeline and the experiment's domain; this class only moves data between the services and
 * the store.
 */
export class PipelineRunner {
  constructor(
    private readonly services: PipelineServices,
    private readonly domains: DomainRegistry,
  ) {}

  /** The next stage for this experiment, from what is stored. */
  async next(experiment: ExperimentRecord, options: { continuePastConvergence?: boolean } = {}): Promise<NextStep> {
    return nextStep(experiment, await this.services.store.getIterations(experiment.id), options);
  }

  /** Runs stages until `iteration` has its proposal committed (or the experiment finished). */
  async runIteration(experiment: ExperimentRecord, options: RunOptions & { continuePastConvergence?: boolean } = {}): Promise<ExperimentRecord> {
    let current = experiment;
    const first = await this.next(current, options);
    if (first.kind === 'finished') return current;
    const target = first.iteration;
    for (;;) {
      const step = await this.next(current, { continuePastConvergence: true });
      if (step.kind === 'finished' || step.iteration !== target) return current;
      current = await this.runStage(current, step, options);
    }
  }

  /** Runs one stage and commits it; returns the updated experiment. */
  async runStage(experiment: ExperimentRecord, step: Extract<NextStep, { kind: 'stage' }>, options: RunOptions): Promise<ExperimentRecord> {
    throwIfAborted(options.signal);
    const iterations = await this.services.store.getIterations(experiment.id);
    switch (step.stage) {
      case 'plan':
      case 'planned':
        return this.plan(experiment, step.iteration, iterations, options);
      case 'sampled':
        return this.sample(experiment, must(iterations, step.iteration), options);
      case 'analysed':
        return this.analyse(experiment, must(iterations, step.iteration), iterations, options);
      case 'proposed':
        return this.proposeNext(experiment, must(iterations, step.iteration), iterations, options);
    }
  }

  private async plan(experiment: ExperimentRecord, iteration: number, iterations: IterationRecord[], options: RunOptions): Promise<ExperimentRecord> {
    const { config } = experiment;
    let paramSets: ParamSetRecord[];
    let updated = experiment;
    if (iteration === 0) {
      const plan = planIterationZero(config, experiment.target.kind === 'simulated');
      paramSets = plan.paramSets;
      const hidden = paramSets.filter((p) => p.dataset_type === 'real').map((p) => ({ param_set_id: p.param_set_id, params: p.params }));
      if (hidden.length) updated = { ...experiment, hiddenRealParamSets: hidden };
    } else {
      const previous = must(iterations, iteration - 1);
      if (!previous.proposal) throw new Error(`iteration ${iteration - 1} has no proposal to plan iteration ${iteration} from`);
      // The threshold rule believes the loop has converged: this iteration confirms the best set instead of a batch.
      if (previous.convergence?.confirmationDue) return this.commitConfirmationPlan(experiment, iteration, iterations, 'threshold', options);
      paramSets = planIteration(iteration, previous.proposal.next_params, nextParamSetIndex(iterations), config).paramSets;
    }
    return this.commitPlan(updated, { experimentId: experiment.id, iteration, stage: 'planned', paramSets, timings: {}, startedAt: this.services.now() }, options);
  }

  /**
   * Plans the next iteration as a confirmation of the current best set, at the user's request; the
   * last iteration must be complete (its proposal names the best). Run it with runIteration.
   */
  async planConfirmation(experiment: ExperimentRecord, options: RunOptions = {}): Promise<ExperimentRecord> {
    throwIfAborted(options.signal);
    const iterations = await this.services.store.getIterations(experiment.id);
    const last = iterations[iterations.length - 1];
    if (!last || last.stage !== 'proposed') {
      throw new Error(last ? `iteration ${last.iteration} is not complete (${last.stage}); finish it before a confirmation` : 'nothing has run yet: run iteration 0 before a confirmation');
    }
    return this.commitConfirmationPlan(experiment, last.iteration + 1, iterations, 'user', options);
  }

  /**
   * Plans the next iteration as a confirmation of the experiment's recipe: m samples drawn from its
   * settings in its proportions (engine/pipeline/recipeConfirmationPlan.ts). The last iteration must be
   * complete. Run it with runIteration.
   */
  async planRecipeConfirmation(experiment: ExperimentRecord, options: RunOptions = {}): Promise<ExperimentRecord> {
    throwIfAborted(options.signal);
    if (!experiment.recipe) throw new Error('the experiment has no recipe to confirm');
    const iterations = await this.services.store.getIterations(experiment.id);
    const last = iterations[iterations.length - 1];
    if (!last || last.stage !== 'proposed') throw new Error(last ? `iteration ${last.iteration} is not complete (${last.stage}); finish it before a confirmation` : 'nothing has run yet');
    const iteration = last.iteration + 1;
    const plan = planRecipeConfirmation(iteration, experiment.recipe, nextParamSetIndex(iterations), experiment.config);
    return this.commitPlan(experiment, { experimentId: experiment.id, iteration, stage: 'planned', paramSets: plan.paramSets, confirming: plan.confirming, timings: {}, startedAt: this.services.now() }, options);
  }

  private async commitConfirmationPlan(
    experiment: ExperimentRecord,
    iteration: number,
    iterations: IterationRecord[],
    trigger: ConfirmationTrigger,
    options: RunOptions,
  ): Promise<ExperimentRecord> {
    const best = bestToConfirm(must(iterations, iteration - 1));
    if (!best) throw new Error(`iteration ${iteration - 1} has no best parameter set to confirm`);
    const plan = planConfirmation(iteration, best, nextParamSetIndex(iterations), experiment.config, trigger);
    return this.commitPlan(experiment, { experimentId: experiment.id, iteration, stage: 'planned', paramSets: plan.paramSets, confirming: plan.confirming, timings: {}, startedAt: this.services.now() }, options);
  }

  private async commitPlan(experiment: ExperimentRecord, record: IterationRecord, options: RunOptions): Promise<ExperimentRecord> {
    const updated: ExperimentRecord = { ...experiment, status: 'running', updatedAt: this.services.now() };
    await this.services.store.commitStage({ experiment: updated, iteration: record });
    options.onCommitted?.(updated, record);
    return updated;
  }

  /**
   * Makes (and, for an image domain, embeds) the iteration's missing samples in chunks, committing each
   * chunk's samples as it completes. The model is kept busy: the next chunk is generated, and the last
   * one stored, while the current one is embedded.
   */
  private async sample(experiment: ExperimentRecord, iteration: IterationRecord, options: RunOptions): Promise<ExperimentRecord> {
    const { services } = this;
    const domain = domainOf(this.domains, experiment);
    const startedAt = Date.now();
    const timings = { ...iteration.timings, generate_ms: 0, embed_ms: 0, store_ms: 0 };
    const stored = new Set(await services.store.getSampleIds(experiment.id, iteration.iteration));
    if (iteration.iteration === 0 && experiment.target.kind === 'user') await this.sampleUserRealImages(experiment, domain, stored, options);
    const requests = missingRequests(requestsForParamSets(iteration.iteration, iteration.paramSets, experiment.config), stored);
    const jobs = requests.map((r) => domain.job(r, experiment.config, experiment.chipIds));
    const total = jobs.length;
    let done = 0;
    const chunks = sampleChunks(jobs);
    const generateChunk = async (chunk: DomainJob[]) => {
      const t0 = performance.now();
      const made = await services.generate(experiment, domain, chunk, { signal: options.signal });
      timings.generate_ms += performance.now() - t0;
      return made;
    };
    const storeChunk = async (samples: SampleRecord[]) => {
      const t2 = performance.now();
      await services.store.putSamples(samples);
      timings.store_ms += performance.now() - t2;
      done += samples.length;
      options.onProgress?.({ iteration: iteration.iteration, stage: 'embed', done, total, startedAt });
    };
    let pending = chunks.length ? generateChunk(chunks[0]) : null;
    let storing: Promise<void> = Promise.resolve();
    try {
      for (let c = 0; c < chunks.length; c++) {
        const made = await pending!;
        pending = c + 1 < chunks.length ? generateChunk(chunks[c + 1]) : null; // overlap: generate ahead
        pending?.catch(() => undefined); // a failure surfaces when awaited
        options.onProgress?.({ iteration: iteration.iteration, stage: 'embed', done, total, startedAt });
        const t1 = performance.now();
        const { items: vectors, inferenceMs } = await this.vectorsOf(domain, made, options.signal);
        timings.embed_ms += performance.now() - t1;
        if (inferenceMs !== undefined) timings.inference_ms = (timings.inference_ms ?? 0) + inferenceMs;
        const samples = made.map((out, i) => sampleRecord(experiment.id, chunks[c][i], out, vectors[i], services.now()));
        await storing; // one write at a time, in order; a failed one stops here
        storing = storeChunk(samples); // overlap: stored while the next chunk is embedded
        storing.catch(() => undefined); // a failure surfaces when awaited
        throwIfAborted(options.signal);
      }
      await storing;
    } finally {
      // Whatever stopped the loop, a write already under way finishes before the stage reports back.
      await storing.catch(() => undefined);
    }
    const record: IterationRecord = { ...iteration, stage: 'sampled', timings };
    const updated = { ...experiment, updatedAt: services.now() };
    await services.store.commitStage({ experiment: updated, iteration: record });
    options.onCommitted?.(updated, record);
    return updated;
  }

  /** The vectors the engine scores: the embedder's for an image domain, the generator's own otherwise. */
  private async vectorsOf(domain: Domain, made: readonly GeneratedOut[], signal: AbortSignal | undefined): Promise<EmbeddedImages> {
    if (domain.observation === 'image') {
      return this.services.embed(
        made.map((m, i) => m.image ?? missing(domain, i, 'an image')),
        { signal },
      );
    }
    const items = made.map((m, i) => {
      const vector = m.vector ?? missing(domain, i, 'a vector');
      return { embedding: vector, raw: vector };
    });
    return { items };
  }

  /** The user's own real images become iteration-0 samples `iter0_real_NNN` (no parameters). */
  private async sampleUserRealImages(experiment: ExperimentRecord, domain: Domain, stored: Set<string>, options: RunOptions): Promise<void> {
    const { services } = this;
    const images = await services.store.getRealImages(experiment.id);
    const samples: SampleRecord[] = [];
    for (let i = 0; i < images.length; i++) {
      const sample_id = formatSampleId(0, 'real', i);
      if (stored.has(sample_id)) continue;
      const rgba = await services.decodeImage(images[i].id, images[i].bytes);
      const png = await services.encodePng(rgba); // before embedding: embed takes the pixels (transferred)
      const [vector] = (await services.embed([rgba], { signal: options.signal })).items;
      const request = { sample_id, iteration: 0, dataset_type: 'real' as const, param_set_id: 'user_real', replication_seed: 0, params: {} };
      const out: GeneratedOut = { metadata: domain.realInputMetadata?.(images[i].id) ?? {}, png, image: rgba };
      samples.push(sampleRecord(experiment.id, { ...request, fields: {} }, out, vector, services.now()));
    }
    if (samples.length) await services.store.putSamples(samples);
  }

  /**
   * Iteration 0 fits the fixed map and the scoring choices; every iteration then scores each parameter
   * set and the whole batch against the real set, places its samples in the map and records each
   * sample's nearest-real distance. A confirmation iteration also runs its two-sample test.
   */
  private async analyse(experiment: ExperimentRecord, iteration: IterationRecord, _all: IterationRecord[], options: RunOptions): Promise<ExperimentRecord> {
    const { services } = this;
    const startedAt = Date.now();
    const t0 = performance.now();
    const report = (done: number, total: number) => options.onProgress?.({ iteration: iteration.iteration, stage: 'score', done, total, startedAt });
    const iterationZero = await services.store.getSamples(experiment.id, 0);
    const real = iterationZero.filter((s) => s.metadata.dataset_type === 'real').sort(bySampleId);
    const problem = realSetProblem(real.length);
    if (problem) throw new Error(problem);
    const samples = (iteration.iteration === 0 ? iterationZero : await services.store.getSamples(experiment.id, iteration.iteration)).sort(bySampleId);
    const synthetic = samples.filter((s) => s.metadata.dataset_type !== 'real');
    const realMatrix = embeddingMatrix(real.map((s) => s.embedding));
    let updated = experiment;
    report(0, 4);
    if (iteration.iteration === 0 || !experiment.projection || !experiment.scoring) {
      const sameEverywhere = identicalVectorsProblem(iterationZero.map((s) => s.embedding));
      if (sameEverywhere) throw new Error(sameEverywhere);
      const fitted = await services.analysis.fitIterationZero(embeddingMatrix(iterationZero.sort(bySampleId).map((s) => s.embedding)), real.length, {
        // The map has two axes whatever pca_components says (the config parser warns about it).
        projection: experiment.config.projection === 'umap' ? { kind: 'umap', nComponents: 2, seed: experiment.config.random_seed } : { kind: 'pca', components: 2 },
        seed: experiment.config.random_seed,
      }, { signal: options.signal });
      updated = { ...updated, projection: fitted.projection, scoring: fitted.scoring };
    }
    report(1, 4);
    const scoring = updated.scoring!;
    const scoredSets = iteration.paramSets.filter((p) => p.dataset_type !== 'real');
    const setMatrices = scoredSets.map((p) => embeddingMatrix(synthetic.filter((s) => s.metadata.param_set_id === p.param_set_id).map((s) => s.embedding)));
    const setScores = await services.analysis.scoreParameterSets(realMatrix, setMatrices, scoring, { signal: options.signal });
    report(2, 4);
    const scores = await services.analysis.scoreIteration(realMatrix, embeddingMatrix(synthetic.map((s) => s.embedding)), scoring, { signal: options.signal });
    report(3, 4);
    const placed = await services.analysis.project(updated.projection!, embeddingMatrix(samples.map((s) => s.embedding)), { signal: options.signal });
    report(4, 4);
    const confirmation = iteration.confirming ? await this.testConfirmation(updated, iteration, realMatrix, confirmationSamples(iteration, scoredSets, setMatrices, synthetic), options) : undefined;
    const nearest = new Map(synthetic.map((s, i) => [s.sample_id, scores.perSample.euclidean[i]]));
    const updatedSamples = samples.map((s, i) => ({
      ...s,
      projection2d: [placed.data[i * placed.cols], placed.data[i * placed.cols + 1]] as [number, number],
      ...(nearest.has(s.sample_id) ? { nearestRealDistance: nearest.get(s.sample_id)! } : {}),
    }));
    const scoreById = new Map(scoredSets.map((p, i) => [p.param_set_id, setScores[i]]));
    const paramSets = iteration.paramSets.map((p) => (scoreById.has(p.param_set_id) ? { ...p, score: scoreById.get(p.param_set_id)! } : p));
    const record: IterationRecord = { ...iteration, stage: 'analysed', paramSets, scores, ...(confirmation ? { confirmation } : {}), timings: { ...iteration.timings, score_ms: performance.now() - t0 } };
    updated = { ...withConfirmation(updated, iteration, confirmation), updatedAt: services.now() };
    options.onProgress?.({ iteration: iteration.iteration, stage: 'store', done: 0, total: 1, startedAt });
    await services.store.commitStage({ experiment: updated, iteration: record, samples: updatedSamples });
    options.onCommitted?.(updated, record);
    return updated;
  }

  /** Fits the surrogate on every observation so far, proposes the next batch and checks convergence. */
  private async proposeNext(experiment: ExperimentRecord, iteration: IterationRecord, all: IterationRecord[], options: RunOptions): Promise<ExperimentRecord> {
    const { services } = this;
    const { config } = experiment;
    const startedAt = Date.now();
    options.onProgress?.({ iteration: iteration.iteration, stage: 'propose', done: 0, total: 1, startedAt });
    const t0 = performance.now();
    const history = all.map((it) => (it.iteration === iteration.iteration ? iteration : it));
    const previous = history.find((it) => it.iteration === iteration.iteration - 1)?.proposal;
    // The real-vs-real floor's sd: the noise of one score, a lower bound for the GP's learned noise.
    const scoreNoiseStd = parameterSetFloor(history)?.sd;
    const space = domainOf(this.domains, experiment).space(config);
    // δ at the confirmation's sizes: the threshold rule's tolerance and the plausible region's.
    const delta = await this.confirmationDelta(experiment);
    const proposal = await services.propose(
      {
        space,
        observations: observationsFrom(history),
        pending: pendingParamSets(history, iteration.iteration),
        // The β schedule counts batches (a confirmation is not one): the batch this proposal is for.
        iteration: batchesRun(history) + 1,
        maxIterations: config.max_iterations,
        acquisition: config.acquisition_function,
        batchSize: config.iteration_batch_size,
        seed: hashSeed(config.random_seed, 'propose', iteration.iteration),
        ...(previous?.diagnostics.model ? { warmStart: previous.diagnostics.model.hyperparameters } : {}),
        ...(scoreNoiseStd !== undefined ? { scoreNoiseStd } : {}),
        // A score here is the MMD² of a set's generated images, a statistic of random samples: noisy even
        // before the floor gives its scale. A re-evaluation of a set would not tell: it redraws the same
        // images (voids: domains/voids/sampleImage.ts, imageSeed hashes the chip, parameters and replicate).
        noisyScores: true,
        // For the same reason no contender is re-measured (engine/optimizer/replicate.ts): its score would
        // repeat exactly and count as a second, independent measurement.
        settings: { replicateContenders: false },
        ...(delta ? { regionTolerance: delta.delta } : {}),
      },
      { signal: options.signal },
    );
    const proposed: IterationRecord = { ...iteration, proposal };
    const tolerance = config.convergence_rule === 'absolute' ? null : delta;
    const convergence = this.convergenceAfter(experiment, proposed, history.map((it) => (it.iteration === iteration.iteration ? proposed : it)), space, tolerance);
    const record: IterationRecord = {
      ...proposed,
      stage: 'proposed',
      convergence,
      timings: { ...iteration.timings, propose_ms: performance.now() - t0 },
      finishedAt: services.now(),
    };
    const updated: ExperimentRecord = {
      ...experiment,
      convergence,
      status: convergence.converged ? statusAfterRun(convergence) : experiment.status,
      updatedAt: services.now(),
    };
    await services.store.commitStage({ experiment: updated, iteration: record });
    options.onCommitted?.(updated, record);
    return updated;
  }

  /**
   * The convergence check after an iteration's proposal. Iteration 0 is the baseline (close and far sets
   * the user configured, not the optimizer's choices): convergence is judged from iteration 1 on, with
   * iteration 0's best as the reference.
   */
  private convergenceAfter(experiment: ExperimentRecord, proposed: IterationRecord, history: IterationRecord[], space: ParameterSpace, tolerance: ConfirmationTolerance | null): ConvergenceResult {
    const { config } = experiment;
    if (proposed.confirming?.trigger === 'recipe') {
      // Checking a recipe changes nothing the loop decides on: its state is the previous iteration's.
      const before = history.find((it) => it.iteration === proposed.iteration - 1)?.convergence ?? experiment.convergence;
      if (before) return before;
    }
    if (proposed.iteration === 0) {
      const best = proposed.proposal?.current_best[0]?.posteriorMean;
      return { converged: false, reason: null, detail: `baseline${best !== undefined ? `: best posterior mean ${formatScore(best)}` : ''}; convergence is checked from iteration 1` };
    }
    const best = bestToConfirm(proposed);
    return checkConvergence({
      history: convergenceHistory(history),
      rule: config.convergence_rule,
      threshold: config.convergence_threshold,
      noiseFloor: parameterSetFloor(history),
      // A confirmation iteration is judged by its own test; the threshold is checked again after the next batch.
      tolerance: proposed.confirming ? null : tolerance,
      bestConfirmed: best !== null && wasConfirmed(history, space, best),
      confirmation: proposed.confirmation ? { verdict: proposed.confirmation.verdict, statement: proposed.confirmation.statement } : null,
      patience: config.early_stop_patience,
      maxIterations: config.max_iterations,
      batches: batchesRun(history),
    });
  }

  /** The two-sample test of a confirmation iteration's m samples against the real set (in the analyze worker when the services have one). */
  private async testConfirmation(experiment: ExperimentRecord, iteration: IterationRecord, real: Matrix, synthetic: Matrix, options: RunOptions): Promise<ConfirmationRecord> {
    const plan = iteration.confirming!;
    const set = plan.recipe ? { param_set_id: plan.param_set_id, params: {} } : iteration.paramSets.find((p) => p.param_set_id === plan.param_set_id);
    if (!set || !synthetic) throw new Error(`iteration ${iteration.iteration} confirms ${plan.param_set_id}, which it does not plan`);
    const input = confirmationTestInput(experiment.config, real, synthetic, experiment.scoring!.bandwidth);
    const analysis = this.services.analysis;
    const result = analysis.confirm ? await analysis.confirm(input, { signal: options.signal }) : confirm(input);
    return confirmationRecord(result, {
      iteration: iteration.iteration,
      trigger: plan.trigger,
      param_set_id: set.param_set_id,
      params: set.params,
      seed: input.seed,
      ...(plan.recipe ? { sets: plan.recipe.sets } : {}),
    });
  }

  /** δ at the confirmation's sizes (engine/pipeline/confirmationTest.ts), once the kernel is fixed; null before. */
  private async confirmationDelta(experiment: ExperimentRecord): Promise<ConfirmationTolerance | null> {
    if (!experiment.scoring) return null;
    return confirmationDelta(experiment.config, realSetMatrix(await this.services.store.getSamples(experiment.id, 0)), experiment.scoring.bandwidth);
  }
}

/**
 * The samples a confirmation iteration tests: the confirmed set's, or, for a recipe, every sample of the
 * iteration (its sets together make the m).
 */
function confirmationSamples(iteration: IterationRecord, scoredSets: readonly ParamSetRecord[], setMatrices: readonly Matrix[], synthetic: readonly SampleRecord[]): Matrix {
  if (iteration.confirming!.recipe) return embeddingMatrix(synthetic.map((s) => s.embedding));
  return setMatrices[scoredSets.findIndex((p) => p.param_set_id === iteration.confirming!.param_set_id)];
}

/**
 * The experiment with a confirmation's record: a best set's is the experiment's latest confirmation; a
 * recipe's goes on the recipe it was planned from (a recipe computed since keeps none of it).
 */
function withConfirmation(experiment: ExperimentRecord, iteration: IterationRecord, confirmation: ConfirmationRecord | undefined): ExperimentRecord {
  if (!confirmation) return experiment;
  const recipeId = iteration.confirming?.recipe?.id;
  if (recipeId === undefined) return { ...experiment, confirmation };
  return experiment.recipe?.id === recipeId ? { ...experiment, recipe: { ...experiment.recipe, confirmation } } : experiment;
}

/** A sample record from its job, what the domain made of it and its vector. */
function sampleRecord(experimentId: string, job: DomainJob, out: GeneratedOut, vector: EmbeddingPairOut, now: string): SampleRecord {
  const { fields: _fields, ...request } = job;
  return {
    experimentId,
    sample_id: job.sample_id,
    iteration: job.iteration,
    metadata: { ...request, params: { ...request.params }, ...out.metadata, timestamp: typeof out.metadata.timestamp === 'string' ? out.metadata.timestamp : now },
    ...(out.detail !== undefined ? { geometry: out.detail } : {}),
    ...(out.png ? { png: out.png } : {}),
    ...(out.image ? { width: out.image.width, height: out.image.height } : {}),
    embedding: vector.embedding,
    rawEmbedding: vector.raw,
  };
}

/** A score in a convergence line: four decimals, or exponent form below 1e-3 (as engine/optimizer/convergence.ts writes them). */
function formatScore(x: number): string {
  return Math.abs(x) >= 1e-3 || x === 0 ? x.toFixed(4) : x.toExponential(2);
}

function missing(domain: Domain, index: number, what: string): never {
  throw new Error(`the ${domain.label} generator returned no ${what.replace(/^an? /, '')} for sample ${index + 1} of its chunk; a ${domain.observation} domain must return ${what}`);
}

function must(iterations: readonly IterationRecord[], n: number): IterationRecord {
  const found = iterations.find((it) => it.iteration === n);
  if (!found) throw new Error(`iteration ${n} is not stored`);
  return found;
}

function bySampleId(a: SampleRecord, b: SampleRecord): number {
  return a.sample_id < b.sample_id ? -1 : a.sample_id > b.sample_id ? 1 : 0;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError('run');
}
