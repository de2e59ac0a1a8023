/**
 * The main thread's handle on the analyze worker (metric suite, noise floors, the fixed 2-D map). The
 * worker starts on first use. Cancellation is an AbortSignal here and a job id in the worker
 * (lib/jobs.ts); progress comes back through a callback.
 *
 *   const analyze = createAnalyzeClient();
 *   const config = await analyze.scoringConfigFromIteration0(iteration0, realCount);  // store it
 *   const map = await analyze.fitProjection(iteration0, { kind: 'pca' });              // store it
 *   const scores = await analyze.scoreParameterSets(real, sets, config);              // for the GP
 *   const suite = await analyze.scoreIteration(real, batch, config, { onProgress, signal });
 */
import * as Comlink from 'comlink';
import type { Matrix } from '../engine/linalg/matrix';
import type { IterationScores, MetricId, NoiseFloor, ParameterSetScore, ScoringConfig } from '../engine/metrics';
import type { ProjectionModel } from '../engine/projection';
import type { AnalyzeFitOptions, AnalyzeWorkerApi } from './analyze.worker';
import { CancelledError, newJobId, type Progress } from './lib/jobs';

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
  /** Terminates the worker (a later call starts a fresh one). */
  dispose(): void;
}

export interface AnalyzeClientOptions {
  /** For tests: how to start the worker. */
  createWorker?: () => Worker;
}

const defaultWorker = () => new Worker(new URL('./analyze.worker.ts', import.meta.url), { type: 'module', name: 'analyze' });

export function createAnalyzeClient(options: AnalyzeClientOptions = {}): AnalyzeClient {
  const createWorker = options.createWorker ?? defaultWorker;
  let worker: Worker | null = null;
  let api: Comlink.Remote<AnalyzeWorkerApi> | null = null;

  const start = (): Comlink.Remote<AnalyzeWorkerApi> => {
    if (!api) {
      worker = createWorker();
      api = Comlink.wrap<AnalyzeWorkerApi>(worker);
    }
    return api;
  };

  /** Runs a cancellable call: a fresh job id, abort → cancel(jobId), progress proxied. */
  async function job<T>(what: string, o: AnalyzeCallOptions, call: (remote: Comlink.Remote<AnalyzeWorkerApi>, jobId: number, progress?: (p: Progress) => void) => Promise<T>): Promise<T> {
    const remote = start();
    if (o.signal?.aborted) throw new CancelledError(what);
    const jobId = newJobId();
    const abort = () => void remote.cancel(jobId);
    o.signal?.addEventListener('abort', abort, { once: true });
    try {
      return await call(remote, jobId, o.onProgress ? Comlink.proxy(o.onProgress) : undefined);
    } finally {
      o.signal?.removeEventListener('abort', abort);
    }
  }

  return {
    fitProjection: (embeddings, fit = { kind: 'pca' }) => start().fitProjection(embeddings, fit),
    projectEmbeddings: (model, embeddings) => start().projectEmbeddings(model, embeddings),
    medianHeuristicBandwidth: (embeddings) => start().medianHeuristicBandwidth(embeddings),
    scoringConfigFromIteration0: (iteration0, realCount, overrides) => start().scoringConfigFromIteration0(iteration0, realCount, overrides),
    scoreParameterSets: (real, sets, config, o = {}) =>
      job('scoring', o, (remote, jobId, progress) => remote.scoreParameterSets(real, [...sets], config, jobId, progress)),
    scoreIteration: (real, synthetic, config, o = {}) =>
      job('scoring', o, (remote, jobId, progress) => remote.scoreIteration(real, synthetic, config, jobId, progress)),
    noiseFloor: (real, candidateCount, config, o = {}) =>
      job('noise floor', o, (remote, jobId, progress) => remote.noiseFloor(real, candidateCount, config, jobId, progress)),
    dispose() {
      api?.[Comlink.releaseProxy]();
      worker?.terminate();
      worker = null;
      api = null;
    },
  };
}
