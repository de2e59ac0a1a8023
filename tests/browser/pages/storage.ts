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
  for (const store of ['iterations', 'samples', 'artifacts']) counts[store] = await db.count(store, range);
  for (const role of ['chips', 'realImages']) counts[role] = await db.count('inputs', IDBKeyRange.bound([experimentId, role], [experimentId, role, []]));
  db.close();
  return counts;
}

/**
 * A version-1 database as the first release wrote it, with the raw API and that release's schema
 * (its stores and keys, no indexes on experiments; the PNG inside the sample, chips in a store of
 * their own): the starting point of the migration test.
 */
async function createV1Database(dbName: string, records: { experiments: object[]; iterations: object[]; samples: object[]; chips: object[] }): Promise<void> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const open = indexedDB.open(dbName, 1);
    open.onupgradeneeded = () => {
      const d = open.result;
      d.createObjectStore('experiments', { keyPath: 'id' });
      d.createObjectStore('iterations', { keyPath: ['experimentId', 'iteration'] });
      d.createObjectStore('samples', { keyPath: ['experimentId', 'sample_id'] }).createIndex('byIteration', ['experimentId', 'iteration']);
      d.createObjectStore('chips', { keyPath: ['experimentId', 'id'] });
      d.createObjectStore('realImages', { keyPath: ['experimentId', 'id'] });
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const tx = db.transaction(['experiments', 'iterations', 'samples', 'chips'], 'readwrite');
  for (const [store, list] of Object.entries(records)) for (const r of list) tx.objectStore(store).put(r);
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error);
  });
  db.close();
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
  createV1Database,
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
