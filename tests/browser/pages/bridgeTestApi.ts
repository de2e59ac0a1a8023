/**
 * A small worker API for the bridge tests: the real worker of tests/browser/bridge.test.ts exposes it,
 * and tests/unit/runtime/workerBridge.test.ts exposes it on a MessageChannel in Node.
 */
import type { ProgressCallback } from '../../../src/runtime/bridge/protocol';
import { isAbortError } from '../../../src/runtime/bridge/errors';
import { runJob } from '../../../src/runtime/bridge/workerJobs';

export interface BridgeTestApi {
  /** Differs between two workers: tells a restarted worker from the one before it. */
  instance(): string;
  /** Logs "start label", waits `ms`, logs "end label". Not cancellable. */
  step(label: string, ms: number): Promise<string>;
  /** Counts `chunks` chunks of `chunkMs` each, reporting progress after each; cancellable between chunks. */
  count(chunks: number, chunkMs: number, jobId?: number, onProgress?: ProgressCallback): Promise<number>;
  /** Throws an ordinary error (it must reach the page as itself, not as a cancellation). */
  fail(message: string): void;
  /** Throws outside any call after `ms` (an uncaught error of the worker, as a crash reports itself). */
  crashSoon(ms: number): void;
  /** What happened in this worker, in order. */
  log(): string[];
  /** State a client re-establishes on a fresh worker. */
  setState(value: string): void;
  state(): string | null;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createBridgeTestApi(): BridgeTestApi {
  const instance = Math.random().toString(36).slice(2);
  const log: string[] = [];
  let state: string | null = null;
  return {
    instance: () => instance,
    async step(label, ms) {
      log.push(`start ${label}`);
      await sleep(ms);
      log.push(`end ${label}`);
      return label;
    },
    count: (chunks, chunkMs, jobId, onProgress) =>
      runJob(jobId, 'counting', async (job) => {
        log.push(`count ${jobId}`);
        let i = 0;
        try {
          while (i < chunks) {
            await sleep(chunkMs);
            i++;
            onProgress?.({ done: i, total: chunks, stage: 'count' });
            await job.checkpoint();
          }
        } catch (e) {
          if (isAbortError(e)) log.push(`count ${jobId} aborted after ${i}`);
          throw e;
        }
        log.push(`count ${jobId} done`);
        return i;
      }),
    fail(message) {
      throw new Error(message);
    },
    crashSoon(ms) {
      setTimeout(() => {
        throw new Error('crashed on purpose');
      }, ms);
    },
    log: () => [...log],
    setState(value) {
      state = value;
    },
    state: () => state,
  };
}
