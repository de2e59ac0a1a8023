/**
 * The worker side of the bridge. `exposeWorker(api)` exposes an API over comlink with the bridge's
 * `cancelJob` added; a long method wraps its body in `runJob(jobId, what, job => …)` and calls
 * `await job.checkpoint()` between chunks of work: the checkpoint yields to the event loop (so a
 * cancelJob message can be delivered at all) and then throws AbortError if the job was cancelled.
 *
 *   async scoreIteration(real, synthetic, config, jobId, onProgress) {
 *     return runJob(jobId, 'scoring', async (job) => {
 *       for (const chunk of chunks) { work(chunk); onProgress?.(…); await job.checkpoint(); }
 *     });
 *   }
 */
import * as Comlink from 'comlink';
import { AbortError } from './errors';
import type { JobControl } from './protocol';

/** Lets queued messages (a cancel, a progress ack) run before the next chunk of work. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export interface WorkerJob {
  /** Aborted when the page cancels the job; hand it to code that takes an AbortSignal. */
  readonly signal: AbortSignal;
  /** Throws AbortError if the job was cancelled (no yield: cheap enough for every item). */
  throwIfAborted(): void;
  /** Yields to the event loop, then throws AbortError if the job was cancelled. */
  checkpoint(): Promise<void>;
}

/** The jobs running in this worker, by the id the page gave them. */
const running = new Map<number, AbortController>();

/** Aborts a running job; an id that is not running (finished, or never a job) is ignored. */
export function cancelJob(jobId: number): void {
  running.get(jobId)?.abort();
}

/**
 * Runs one cancellable call. The id is registered before the first await, so a cancel that the page
 * sends after the call always finds it; it is forgotten when the call settles. Without an id (a direct
 * call, a test) the job simply cannot be cancelled.
 */
export async function runJob<T>(jobId: number | undefined, what: string, body: (job: WorkerJob) => Promise<T> | T): Promise<T> {
  const controller = new AbortController();
  if (jobId !== undefined) {
    if (running.has(jobId)) throw new Error(`job ${jobId} is already running in this worker`);
    running.set(jobId, controller);
  }
  const throwIfAborted = () => {
    if (controller.signal.aborted) throw new AbortError(what);
  };
  const job: WorkerJob = {
    signal: controller.signal,
    throwIfAborted,
    async checkpoint() {
      await yieldToEventLoop();
      throwIfAborted();
    },
  };
  try {
    throwIfAborted();
    return await body(job);
  } finally {
    if (jobId !== undefined) running.delete(jobId);
  }
}

/**
 * Exposes `api` over comlink with the bridge's job control added. `endpoint` defaults to the worker's
 * global scope (a test can pass one end of a MessageChannel).
 */
export function exposeWorker<Api extends object>(api: Api, endpoint?: Comlink.Endpoint): Api & JobControl {
  const exposed = Object.assign(api, { cancelJob } satisfies JobControl);
  Comlink.expose(exposed, endpoint);
  return exposed;
}
