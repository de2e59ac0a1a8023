// Harness: exposes the real IndexedDB layer and run lock to Playwright's page.evaluate.
import { openDB } from 'idb';
import { openExperimentDb, requestPersistentStorage, storageEstimate, StorageFullError } from '../../../src/storage/experimentDb';
import { acquireRunLock, isRunLockHeld, type RunLock } from '../../../src/storage/runLock';
import { fixtureBundle, recordsDigest, samplesOf } from './experimentRecords';

/** Records per store for one experiment, read with plain idb (not through the code under test). */
async function countRecords(dbName: string, experimentId: string): Promise<Record<string, number>> {
  const db = await openDB(dbName);
  const range = IDBKeyRange.bound([experimentId], [experimentId, []]);
  const counts: Record<string, number> = { experiments: await db.count('experiments', experimentId) };
  for (const store of ['iterations', 'samples', 'chips', 'realImages']) counts[store] = await db.count(store, range);
  db.close();
  return counts;
}

async function databaseInfo(dbName: string): Promise<{ version: number; stores: string[]; indexes: Record<string, string[]> }> {
  const db = await openDB(dbName);
  const stores = [...db.objectStoreNames];
  const tx = db.transaction(stores);
  const indexes = Object.fromEntries(stores.map((s) => [s, [...tx.objectStore(s).indexNames]]));
  const info = { version: db.version, stores, indexes };
  db.close();
  return info;
}

const heldLocks = new Map<string, RunLock>();

Object.assign(window, {
  openExperimentDb,
  storageEstimate,
  requestPersistentStorage,
  StorageFullError,
  fixtureBundle,
  samplesOf,
  recordsDigest,
  countRecords,
  databaseInfo,
  acquireRunLock,
  isRunLockHeld,
  heldLocks,
  harnessReady: true,
});
