/**
 * The main thread's handle on the optimize worker (batch proposals from the GP surrogate), over
 * the worker bridge: the worker starts on first use and stops after a while idle (it keeps no state);
 * an aborted signal rejects with CancelledError; progress comes back through a callback.
 *
 *   const optimizer = createOptimizeClient();
 *   const out = await optimizer.proposeBatch(
 *     { space, observations, iteration, maxIterations, acquisition: 'ucb', batchSize: 8, seed, warmStart },
 *     { onProgress, signal },
 *   );
 *   // store `out` (plain data); next iteration: warmStart = out.diagnostics.model?.hyperparameters
 */
import type { ProposeBatchInput, ProposeBatchOutput } from '../engine/optimizer';
import type { OptimizeWorkerApi } from './optimize.worker';
import { createWorkerBridge } from './bridge/workerBridge';
import { cancelledError, type Progress } from './lib/jobs';

export interface OptimizeCallOptions {
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

export interface OptimizeClient {
  /** The next batch (next_params) with current_best and diagnostics. */
  proposeBatch(input: ProposeBatchInput, options?: OptimizeCallOptions): Promise<ProposeBatchOutput>;
  /** Terminates the worker (a later call starts a fresh one). */
  dispose(): void;
}

export interface OptimizeClientOptions {
  /** For tests: how to start the worker. */
  createWorker?: () => Worker;
}

const defaultWorker = () => new Worker(new URL('./optimize.worker.ts', import.meta.url), { type: 'module', name: 'optimize' });

export function createOptimizeClient(options: OptimizeClientOptions = {}): OptimizeClient {
  const bridge = createWorkerBridge<OptimizeWorkerApi>({
    name: 'optimize',
    createWorker: options.createWorker ?? defaultWorker,
    abortError: cancelledError,
  });
  return {
    proposeBatch: (input, o = {}) =>
      bridge.call((remote, job) => remote.proposeBatch(input, job.id, job.onProgress), { signal: o.signal, onProgress: o.onProgress, what: 'proposal' }),
    dispose: () => bridge.terminate(),
  };
}
