/**
 * The main thread's handle on the optimize worker (GP surrogate, batch proposals, convergence). The
 * worker starts on first use. Cancellation is an AbortSignal here and a job id in the worker
 * (lib/jobs.ts); progress comes back through a callback.
 *
 *   const optimizer = createOptimizeClient();
 *   const out = await optimizer.proposeBatch(
 *     { space, observations, iteration, maxIterations, acquisition: 'ucb', batchSize: 8, seed, warmStart },
 *     { onProgress, signal },
 *   );
 *   // store `out` (plain data); next iteration: warmStart = out.diagnostics.model?.hyperparameters
 *   const stop = await optimizer.checkConvergence({ history, rule, threshold, noiseFloor, patience, maxIterations });
 */
import * as Comlink from 'comlink';
import type {
  ConvergenceInput,
  ConvergenceResult,
  FitModelInput,
  FitModelOutput,
  ProposeBatchInput,
  ProposeBatchOutput,
} from '../engine/optimizer';
import type { OptimizeWorkerApi } from './optimize.worker';
import { CancelledError, newJobId, type Progress } from './lib/jobs';

export interface OptimizeCallOptions {
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

export interface OptimizeClient {
  /** The next batch (seed 001's recommend_next_batch) with current_best and diagnostics. */
  proposeBatch(input: ProposeBatchInput, options?: OptimizeCallOptions): Promise<ProposeBatchOutput>;
  /** The surrogate alone: current best by posterior mean, relevance, leave-one-out quality. */
  fitModel(input: FitModelInput): Promise<FitModelOutput>;
  checkConvergence(input: ConvergenceInput): Promise<ConvergenceResult>;
  /** Terminates the worker (a later call starts a fresh one). */
  dispose(): void;
}

export interface OptimizeClientOptions {
  /** For tests: how to start the worker. */
  createWorker?: () => Worker;
}

const defaultWorker = () => new Worker(new URL('./optimize.worker.ts', import.meta.url), { type: 'module', name: 'optimize' });

export function createOptimizeClient(options: OptimizeClientOptions = {}): OptimizeClient {
  const createWorker = options.createWorker ?? defaultWorker;
  let worker: Worker | null = null;
  let api: Comlink.Remote<OptimizeWorkerApi> | null = null;

  const start = (): Comlink.Remote<OptimizeWorkerApi> => {
    if (!api) {
      worker = createWorker();
      api = Comlink.wrap<OptimizeWorkerApi>(worker);
    }
    return api;
  };

  return {
    async proposeBatch(input, o = {}) {
      const remote = start();
      if (o.signal?.aborted) throw new CancelledError('proposal');
      const jobId = newJobId();
      const abort = () => void remote.cancel(jobId);
      o.signal?.addEventListener('abort', abort, { once: true });
      try {
        return await remote.proposeBatch(input, jobId, o.onProgress ? Comlink.proxy(o.onProgress) : undefined);
      } finally {
        o.signal?.removeEventListener('abort', abort);
      }
    },
    fitModel: (input) => start().fitModel(input),
    checkConvergence: (input) => start().checkConvergence(input),
    dispose() {
      api?.[Comlink.releaseProxy]();
      worker?.terminate();
      worker = null;
      api = null;
    },
  };
}
