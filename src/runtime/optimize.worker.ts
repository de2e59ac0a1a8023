/**
 * The optimize worker: the batch proposals of src/engine/optimizer (GP fit and acquisition), off the
 * main thread. Everything is core run as-is, so Node tests and this worker propose the same batches for a seed.
 *
 * No tfjs here, on purpose: bench/bo.ts measures the one step where batching could pay — the posterior
 * over the ~1,300 raw candidates of a batch — and core's Float64 loop is faster than tfjs's cpu backend
 * at these sizes (n ≤ 300 observations); the WebGL backend of a headless worker here runs on SwiftShader
 * (CPU), and float32 would lose the variance σ² = σ_f² − vᵀv near observed points, where it matters.
 *
 * Long calls take a job id (the bridge's cancelJob stops them between the fit and each batch member)
 * and a progress callback.
 */
import { proposeBatchSteps, type ProposeBatchInput, type ProposeBatchOutput } from '../engine/optimizer';
import type { ProgressCallback } from './bridge/protocol';
import { exposeWorker, runJob } from './bridge/workerJobs';

export interface OptimizeWorkerApi {
  proposeBatch(input: ProposeBatchInput, jobId?: number, onProgress?: ProgressCallback): Promise<ProposeBatchOutput>;
}

const api: OptimizeWorkerApi = {
  proposeBatch: (input, jobId, onProgress) =>
    runJob(jobId, 'proposal', async (job) => {
      const steps = proposeBatchSteps(input);
      for (;;) {
        const step = steps.next();
        if (step.done) return step.value;
        void onProgress?.({ stage: step.value.stage, done: step.value.done, total: step.value.total });
        await job.checkpoint();
      }
    }),
};

exposeWorker(api);
