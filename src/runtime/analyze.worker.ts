/**
 * The analyze worker: the latent-space metric suite and the 2-D map, off the main thread. It owns
 * umap-js (analyze/umapEngine.ts, injected into core's fit-once UMAP); everything else is src/engine run as-is, so Node tests and
 * this worker compute the same numbers.
 *
 * No tfjs here, on purpose: at these sizes (16 real × 3..1,000 pooled synthetic rows × D ≤ 768) the
 * work is one Gram matrix and a few small eigenproblems, and bench/metrics.ts measures tfjs's cpu
 * backend ~6–10× slower than core's tiled Float64 loop for that Gram matrix. tfjs's WebGL/WebGPU
 * backends were not measured here (this machine has no GPU; see docs/decisions.md, 'Headless Chromium in tests and benches': headless Chromium's WebGPU is
 * SwiftShader) and would compute in float32, losing the exact-zero distance of duplicates and the
 * 1e-10 agreement with the goldens; revisit on a GPU if pools grow to many thousands of rows.
 *
 * Long calls take a job id (the bridge's cancelJob stops them between chunks of splits) and a progress
 * callback.
 */
import type { Matrix } from '../engine/linalg/matrix';
import {
  createScoringContext,
  medianHeuristicBandwidth,
  noiseFloorSteps,
  scoreIterationSteps,
  scoreParameterSetSteps,
  scoringConfigFromIteration0,
  metricIds,
  type IterationScores,
  type MetricId,
  type NoiseFloor,
  type ParameterSetScore,
  type ScoreProgress,
  type ScoringConfig,
  type ScoringContext,
} from '../engine/metrics';
import { fitProjection, projectEmbeddings, type ProjectionModel, type UmapSettings } from '../engine/projection';
import { confirm, type Confirmation, type ConfirmInput } from '../engine/trust/confirmation';
import { distributionRecipe, type DistributionRecipe, type RecipeInput } from '../engine/trust/recipe';
import { createUmapEngine as createUmap } from './analyze/umapEngine';
import type { ProgressCallback } from './bridge/protocol';
import { exposeWorker, runJob, type WorkerJob } from './bridge/workerJobs';

/** Fit options that can cross the worker boundary (the UMAP engine is the worker's own). */
export type AnalyzeFitOptions = { kind: 'pca'; components?: number } | ({ kind: 'umap' } & Partial<UmapSettings>);

export interface AnalyzeWorkerApi {
  fitProjection(embeddings: Matrix, options: AnalyzeFitOptions): ProjectionModel;
  projectEmbeddings(model: ProjectionModel, embeddings: Matrix): Matrix<Float64Array>;
  medianHeuristicBandwidth(embeddings: Matrix): number;
  scoringConfigFromIteration0(iteration0: Matrix, realCount: number, overrides?: Partial<ScoringConfig> & { reductionComponents?: number }): ScoringConfig;
  scoreParameterSets(real: Matrix, sets: Matrix[], config: ScoringConfig, jobId?: number, onProgress?: ProgressCallback): Promise<ParameterSetScore[]>;
  scoreIteration(real: Matrix, synthetic: Matrix, config: ScoringConfig, jobId?: number, onProgress?: ProgressCallback): Promise<IterationScores>;
  noiseFloor(real: Matrix, candidateCount: number, config: ScoringConfig, jobId?: number, onProgress?: ProgressCallback): Promise<Partial<Record<MetricId, NoiseFloor>>>;
  confirm(input: ConfirmInput): Confirmation;
  recipe(input: RecipeInput): DistributionRecipe;
}

// Contexts cache each real set's noise floors; an experiment uses one config, so a handful is plenty.
const contexts = new Map<string, ScoringContext>();
function contextFor(config: ScoringConfig): ScoringContext {
  const key = JSON.stringify(config);
  let context = contexts.get(key);
  if (!context) {
    context = createScoringContext(config);
    if (contexts.size >= 4) contexts.delete(contexts.keys().next().value as string);
  } else {
    contexts.delete(key);
  }
  contexts.set(key, context);
  return context;
}

/** Drives a core step generator: progress after each step, then a checkpoint where a cancel can stop it. */
async function drive<T>(steps: Generator<ScoreProgress | number, T>, job: WorkerJob, onProgress?: ProgressCallback, offset = { done: 0, total: 0 }): Promise<T> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    const p = typeof r.value === 'number' ? { stage: 'floor' as const, done: r.value, total: 0 } : r.value;
    void onProgress?.({ stage: p.stage, done: offset.done + p.done, total: offset.total || p.total });
    await job.checkpoint();
  }
}

const api: AnalyzeWorkerApi = {
  fitProjection(embeddings, options) {
    if (options.kind === 'umap') return fitProjection(embeddings, { ...options, createUmap });
    return fitProjection(embeddings, options);
  },

  projectEmbeddings: (model, embeddings) => projectEmbeddings(model, embeddings, { createUmap }),

  medianHeuristicBandwidth: (embeddings) => medianHeuristicBandwidth(embeddings),

  scoringConfigFromIteration0: (iteration0, realCount, overrides) => scoringConfigFromIteration0(iteration0, realCount, overrides),

  scoreParameterSets: (real, sets, config, jobId, onProgress) =>
    runJob(jobId, 'scoring', async (job) => {
      const context = contextFor(config);
      const out: ParameterSetScore[] = [];
      for (const set of sets) {
        out.push(await drive(scoreParameterSetSteps(real, set, context), job));
        void onProgress?.({ stage: 'parameter sets', done: out.length, total: sets.length });
        await job.checkpoint();
      }
      return out;
    }),

  scoreIteration: (real, synthetic, config, jobId, onProgress) =>
    runJob(jobId, 'scoring', (job) => drive(scoreIterationSteps(real, synthetic, contextFor(config)), job, onProgress)),

  noiseFloor: (real, candidateCount, config, jobId, onProgress) =>
    runJob(jobId, 'noise floor', async (job) => {
      const context = contextFor(config);
      const floors = await drive(noiseFloorSteps(real, candidateCount, context, new Set(metricIds)), job, onProgress, { done: 0, total: config.repeats });
      return Object.fromEntries(floors) as Partial<Record<MetricId, NoiseFloor>>;
    }),

  confirm: (input) => confirm(input),

  recipe: (input) => distributionRecipe(input.sets, input.real, input.bandwidth, input.options),
};

exposeWorker(api);
