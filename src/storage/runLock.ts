/**
 * One tab at a time runs an experiment, with the Web Locks API: the lock is named
 * after the experiment and requested with ifAvailable, so a second tab learns at once that it is taken
 * instead of queueing. The browser releases a lock when its tab closes or crashes, so a lock is never
 * left stale.
 *
 *   const lock = await acquireRunLock(id);
 *   if (!lock) return showMessage('This experiment is running in another tab.');
 *   try { await run(); } finally { lock.release(); }
 */
export interface RunLock {
  experimentId: string;
  /** Releases the lock (idempotent). */
  release(): void;
}

const lockName = (experimentId: string) => `latent-calibration-studio:run:${experimentId}`;

function locks(): LockManager | null {
  return typeof navigator !== 'undefined' && navigator.locks ? navigator.locks : null;
}

/**
 * The run lock of an experiment, or null when another tab (or this one) holds it. Where the browser has
 * no Web Locks (an insecure context), there is nothing to coordinate with: the lock is granted.
 */
export async function acquireRunLock(experimentId: string, waitMs = 0): Promise<RunLock | null> {
  const manager = locks();
  if (!manager) return { experimentId, release: () => undefined };
  // Waiting (after a reload, the closing document may still hold the lock for a moment) is a request
  // that queues and is aborted after waitMs; an abort means another tab kept it.
  const options: LockOptions = waitMs > 0 ? { signal: AbortSignal.timeout(waitMs) } : { ifAvailable: true };
  return new Promise<RunLock | null>((resolve, reject) => {
    manager
      .request(lockName(experimentId), options, (lock) => {
        if (!lock) {
          resolve(null);
          return undefined;
        }
        // Held until release() resolves this promise.
        return new Promise<void>((releaseLock) => {
          let released = false;
          resolve({
            experimentId,
            release: () => {
              if (released) return;
              released = true;
              releaseLock();
            },
          });
        });
      })
      .catch((e: unknown) => ((e as Error)?.name === 'TimeoutError' || (e as Error)?.name === 'AbortError' ? resolve(null) : reject(e)));
  });
}

/** Whether some tab of this origin holds the experiment's run lock (for "running in another tab"). */
export async function isRunLockHeld(experimentId: string): Promise<boolean> {
  const manager = locks();
  if (!manager) return false;
  const state = await manager.query();
  return (state.held ?? []).some((l) => l.name === lockName(experimentId));
}
