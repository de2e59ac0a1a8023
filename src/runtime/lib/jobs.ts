/**
 * What callers outside src/runtime use to recognise a cancelled call. The machinery itself lives in
 * ../bridge: a cancelled call rejects with AbortError (the clients here reject with its subclass
 * CancelledError, whose name older callers test), and `isCancelled` is `isAbortError`: it goes by the
 * error's name, so it also holds for errors that crossed comlink.
 */
import { AbortError, isAbortError } from '../bridge/errors';

export { AbortError, isAbortError };
export type { Progress, ProgressCallback } from '../../engine/progress';

export class CancelledError extends AbortError {
  constructor(what = 'operation') {
    super(what);
    this.name = 'CancelledError';
  }
}

/** True for an AbortError or CancelledError, including one that crossed comlink (which keeps the name). */
export function isCancelled(error: unknown): boolean {
  return isAbortError(error);
}

/** The `abortError` option of the runtime's bridges: cancelled calls keep rejecting with CancelledError. */
export function cancelledError(what: string): CancelledError {
  return new CancelledError(what);
}
