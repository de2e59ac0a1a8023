/**
 * The main thread's handle on the analyze worker (metric suite, noise floors, the fixed 2-D map), over
 * the worker bridge: the worker starts on first use and stops after a minute idle; an aborted signal
 * rejects with CancelledError; progress comes back through a callback.
 *
 *   const analyze = createAnalyzeClient();
 *   const config = await analyze.scoringConfigFromIteration0(iteration0, realCount);  // store it
 *   const map = await analyze.fitProjection(iteration0, { kind: 'pca' });              // store it
 *   const scores = await analyze.scoreParameterSets(real, sets, config);              // for the GP
 *   const suite = await analyze.scoreIteration(real, batch, config, { onProgress, signal });
 */
import type { Matrix } from '../engine/linalg/matrix';
import type { IterationScores, MetricId, NoiseFloor, ParameterSetScore, ScoringConfig } from '../engine/metrics';
import type { ProjectionModel } from '../engine/projection';
import type { Confirmation, ConfirmInput } from '../engine/trust/confirmation';
import type { DistributionRecipe, RecipeInput } from '../engine/trust/recipe';
import type { AnalyzeFitOptions, AnalyzeWorkerApi } from './analyze.worker';
import { createWorkerBridge } from './bridge/workerBridge';
import { cancelledError, type Progress } from './lib/jobs';

export type { AnalyzeFitOptions };

export interface AnalyzeCallOptions {
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

export interface AnalyzeClient {
  /** Fits the 2-D map once (PCA by default; UMAP with the worker's umap-js). Persist the result. */
  fitProjection(embeddings: Matrix, options?: AnalyzeFitOptions): Promise<ProjectionModel>;
  /** Places rows in a stored map (never refits it). */
  projectEmbeddings(model: ProjectionModel, embeddings: Matrix): Promise<Matrix<Float64Array>>;
  medianHeuristicBandwidth(embeddings: Matrix): Promise<number>;
  /** Bandwidth and PCA-k fixed on the iteration-0 embeddings; persist it with the experiment. */
  scoringConfigFromIteration0(iteration0: Matrix, realCount: number, overrides?: Partial<ScoringConfig> & { reductionComponents?: number }): Promise<ScoringConfig>;
  /** One score per parameter set (unbiased MMD², fixed bandwidth) with its noise floor. */
  scoreParameterSets(real: Matrix, sets: readonly Matrix[], config: ScoringConfig, options?: AnalyzeCallOptions): Promise<ParameterSetScore[]>;
  /** The whole suite for one iteration's synthetic batch. */
  scoreIteration(real: Matrix, synthetic: Matrix, config: ScoringConfig, options?: AnalyzeCallOptions): Promise<IterationScores>;
  noiseFloor(real: Matrix, candidateCount: number, config: ScoringConfig, options?: AnalyzeCallOptions): Promise<Partial<Record<MetricId, NoiseFloor>>>;
  /** The confirmation test of a best set's samples against the real set (engine/trust/confirmation.ts). */
  confirm(input: ConfirmInput, options?: AnalyzeCallOptions): Promise<Confirmation>;
  /** The distribution recipe over scored sets' embeddings with the fixed kernel (engine/trust/recipe.ts). */
  recipe(input: RecipeInput, options?: AnalyzeCallOptions): Promise<DistributionRecipe>;
  /** Terminates the worker (a later call starts a fresh one). */
  dispose(): void;
}

export interface AnalyzeClientOptions {
  /** For tests: how to start the worker. */
  createWorker?: () => Worker;
}

const defaultWorker = () => new Worker(new URL('./analyze.worker.ts', import.meta.url), { type: 'module', name: 'analyze' });

export function createAnalyzeClient(options: AnalyzeClientOptions = {}): AnalyzeClient {
  const bridge = createWorkerBridge<AnalyzeWorkerApi>({
    name: 'analyze',
    createWorker: options.createWorker ?? defaultWorker,
    // Longer than the default: the worker caches each real set's noise floors, which an iteration's
    // calls (scores, then the suite) reuse; losing the cache costs time, never correctness.
    idleTimeoutMs: 60_000,
    abortError: cancelledError,
  });
  const job = (what: string, o: AnalyzeCallOptions) => ({ signal: o.signal, onProgress: o.onProgress, what });

  return {
    fitProjection: (embeddings, fit = { kind: 'pca' }) => bridge.call((remote) => remote.fitProjection(embeddings, fit)),
    projectEmbeddings: (model, embeddings) => bridge.call((remote) => remote.projectEmbeddings(model, embeddings)),
    medianHeuristicBandwidth: (embeddings) => bridge.call((remote) => remote.medianHeuristicBandwidth(embeddings)),
    scoringConfigFromIteration0: (iteration0, realCount, overrides) =>
      bridge.call((remote) => remote.scoringConfigFromIteration0(iteration0, realCount, overrides)),
    scoreParameterSets: (real, sets, config, o = {}) =>
      bridge.call((remote, j) => remote.scoreParameterSets(real, [...sets], config, j.id, j.onProgress), job('scoring', o)),
    scoreIteration: (real, synthetic, config, o = {}) =>
      bridge.call((remote, j) => remote.scoreIteration(real, synthetic, config, j.id, j.onProgress), job('scoring', o)),
    noiseFloor: (real, candidateCount, config, o = {}) =>
      bridge.call((remote, j) => remote.noiseFloor(real, candidateCount, config, j.id, j.onProgress), job('noise floor', o)),
    confirm: (input, o = {}) => bridge.call((remote) => remote.confirm(input), job('confirmation', o)),
    recipe: (input, o = {}) => bridge.call((remote) => remote.recipe({ ...input, sets: [...input.sets] }), job('recipe', o)),
    dispose: () => bridge.terminate(),
  };
}
