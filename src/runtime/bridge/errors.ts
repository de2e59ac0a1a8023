/**
 * The error a cancelled call rejects with, on either side of a worker boundary. Comlink carries an
 * Error's name and message but not its class, so code that meets one recognises it by name
 * (`isAbortError`), never by its message.
 */
export class AbortError extends Error {
  /** `what` names the work in the message: "scoring cancelled". */
  constructor(what = 'operation') {
    super(`${what} cancelled`);
    this.name = 'AbortError';
  }
}

/**
 * Names that mean "cancelled": AbortError (ours, and the DOMException an aborted fetch or
 * `signal.throwIfAborted()` throws) and CancelledError, the subclass older callers test by name.
 */
const ABORT_NAMES = new Set(['AbortError', 'CancelledError']);

/** True for an AbortError or a subclass, including one that crossed comlink as a plain Error. */
export function isAbortError(error: unknown): boolean {
  if (error instanceof AbortError) return true;
  return typeof error === 'object' && error !== null && ABORT_NAMES.has((error as { name?: unknown }).name as string);
}

/**
 * A worker died under a call: an uncaught error outside any call (a crash in a timer, a module that
 * failed to load, memory the engine could not get). The bridge drops that worker; the next call starts
 * a fresh one. Recognised by name, like AbortError.
 */
export class WorkerLostError extends Error {
  constructor(worker: string, what: string, reason: string) {
    super(`The ${worker} worker stopped unexpectedly during ${what}${reason ? ` (${reason})` : ''}.`);
    this.name = 'WorkerLostError';
  }
}

export function isWorkerLostError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'WorkerLostError';
}
