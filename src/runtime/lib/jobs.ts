/**
 * Cancellation across a comlink boundary. An AbortSignal cannot be transferred, so every long call takes
 * a numeric job id; the worker's `cancel(jobId)` marks it, and the running loop checks between chunks
 * (after `yieldToEventLoop`, so the cancel message is actually delivered). Progress goes back through a
 * `Comlink.proxy(callback)` argument.
 */
export class CancelledError extends Error {
  constructor(what = 'operation') {
    super(`${what} cancelled`);
    this.name = 'CancelledError';
  }
}

export type { Progress, ProgressCallback } from '../../engine/progress';

export class JobRegistry {
  private readonly cancelled = new Set<number>();

  cancel(jobId: number): void {
    this.cancelled.add(jobId);
  }

  isCancelled(jobId: number | undefined): boolean {
    return jobId !== undefined && this.cancelled.has(jobId);
  }

  /** Throws CancelledError if the job was cancelled. */
  check(jobId: number | undefined, what?: string): void {
    if (this.isCancelled(jobId)) throw new CancelledError(what);
  }

  finish(jobId: number | undefined): void {
    if (jobId !== undefined) this.cancelled.delete(jobId);
  }
}

/** Lets queued messages (a cancel, a progress ack) run before the next chunk of work. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

let nextJobId = 1;
/** A fresh job id for the calling side. */
export function newJobId(): number {
  return nextJobId++;
}

/** True for a CancelledError, including one that crossed comlink (which keeps name and message). */
export function isCancelled(error: unknown): boolean {
  return error instanceof Error && (error.name === 'CancelledError' || /cancelled$/.test(error.message));
}
