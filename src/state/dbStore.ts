import { acquireRunLock, isRunLockHeld } from '../storage/runLock';
import { openExperimentDb, type ExperimentDb } from '../storage/experimentDb';
import { requestPersistentStorage, storageEstimate } from '../storage/storageErrors';

/** The experiment database as the state layer uses it, plus storage use (estimate and persistence). */
export type ExperimentDbApi = ExperimentDb & {
  storageEstimate(): Promise<{ usage: number; quota: number; persisted: boolean }>;
  requestPersistentStorage(): Promise<boolean>;
};

let opened: Promise<ExperimentDbApi> | null = null;

/** The app's one IndexedDB connection (opened, and migrated, on first use). */
export function experimentDb(): Promise<ExperimentDbApi> {
  opened ??= openExperimentDb().then((db) =>
    Object.assign(db, {
      async storageEstimate() {
        const estimate = await storageEstimate();
        const persisted = typeof navigator !== 'undefined' && navigator.storage?.persisted ? await navigator.storage.persisted() : false;
        return { usage: estimate?.usage ?? 0, quota: estimate?.quota ?? 0, persisted };
      },
      requestPersistentStorage,
    }),
  );
  return opened;
}

/** One tab at a time runs an experiment: the release function, or null when another tab holds it. */
export async function runLock(experimentId: string, waitMs = 0): Promise<(() => void) | null> {
  const lock = await acquireRunLock(experimentId, waitMs);
  return lock ? () => lock.release() : null;
}

/** Whether some tab (this one included) holds the experiment's run lock. */
export const runLockHeld = (experimentId: string): Promise<boolean> => isRunLockHeld(experimentId);
