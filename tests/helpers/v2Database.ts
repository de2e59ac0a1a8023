/**
 * Builds a version-2 'latent-calibration-studio' database from the v2 fixture, in a browser page, with
 * the raw IndexedDB API: the stores and indexes below are this file's own copy of schema versions 1 and
 * 2, so the database is what the version-2 release left on a user's disk however the app's schema code
 * changes later. Records are put as they were stored: Blobs as Blobs, typed arrays as typed arrays,
 * ArrayBuffers as ArrayBuffers.
 *
 *   const fixture = await fetchV2Fixture('/tests/fixtures/storage/v2-database.json.gz');
 *   await createV2Database('some-test-db', fixture);
 *   // then open it with the code under test (openExperimentDb({ name: 'some-test-db' }))
 */
import { fixtureText, parseV2Fixture, V2_STORE_NAMES, type V2Fixture, type V2StoreName } from './v2Fixture';

interface StoreDefinition {
  keyPath: string | string[];
  indexes: Array<{ name: string; keyPath: string | string[] }>;
}

/** Schema version 1 (five stores, samples by iteration) plus version 2 (experiments by updatedAt). */
export const V2_SCHEMA: Record<V2StoreName, StoreDefinition> = {
  experiments: { keyPath: 'id', indexes: [{ name: 'byUpdatedAt', keyPath: 'updatedAt' }] },
  iterations: { keyPath: ['experimentId', 'iteration'], indexes: [] },
  samples: { keyPath: ['experimentId', 'sample_id'], indexes: [{ name: 'byIteration', keyPath: ['experimentId', 'iteration'] }] },
  chips: { keyPath: ['experimentId', 'id'], indexes: [] },
  realImages: { keyPath: ['experimentId', 'id'], indexes: [] },
};

export async function fetchV2Fixture(url: string): Promise<V2Fixture> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return parseV2Fixture(await fixtureText(new Uint8Array(await response.arrayBuffer())));
}

function requestDone<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * Creates database `name` at version 2 with the v2 stores and indexes and puts every fixture record
 * in one transaction. Refuses a name that already exists (the database must be exactly the fixture).
 */
export async function createV2Database(name: string, fixture: V2Fixture): Promise<void> {
  if (await databaseExists(name)) throw new Error(`database ${name} exists already: the fixture goes into a fresh one`);
  const open = indexedDB.open(name, 2);
  open.onupgradeneeded = (event) => {
    if (event.oldVersion !== 0) {
      open.transaction!.abort();
      return;
    }
    const db = open.result;
    for (const storeName of V2_STORE_NAMES) {
      const definition = V2_SCHEMA[storeName];
      const store = db.createObjectStore(storeName, { keyPath: definition.keyPath });
      for (const index of definition.indexes) store.createIndex(index.name, index.keyPath);
    }
  };
  let db: IDBDatabase;
  try {
    db = await requestDone(open);
  } catch (e) {
    throw new Error(`could not create ${name} at version 2: ${(e as Error)?.message ?? e}`);
  }
  try {
    const tx = db.transaction([...V2_STORE_NAMES], 'readwrite');
    const done = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onabort = () => reject(tx.error ?? new Error('the fixture transaction was aborted'));
    });
    for (const storeName of V2_STORE_NAMES) {
      const store = tx.objectStore(storeName);
      for (const record of fixture.stores[storeName]) store.add(record);
    }
    await done;
  } finally {
    db.close();
  }
}

export interface DatabaseShape {
  version: number;
  stores: Record<string, { keyPath: string | string[] | null; autoIncrement: boolean; indexes: Record<string, { keyPath: string | string[]; unique: boolean; multiEntry: boolean }> }>;
}

export async function databaseExists(name: string): Promise<boolean> {
  return (await indexedDB.databases()).some((d) => d.name === name);
}

/** The version, stores, key paths and indexes of an existing database (opened without upgrading). */
export async function databaseShape(name: string): Promise<DatabaseShape> {
  // Opening a name that does not exist would create it (empty, version 1).
  if (!(await databaseExists(name))) throw new Error(`database ${name} does not exist`);
  const db = await requestDone(indexedDB.open(name));
  try {
    const storeNames = [...db.objectStoreNames].sort();
    const shape: DatabaseShape = { version: db.version, stores: {} };
    if (storeNames.length === 0) return shape;
    const tx = db.transaction(storeNames, 'readonly');
    for (const storeName of storeNames) {
      const store = tx.objectStore(storeName);
      const indexes: DatabaseShape['stores'][string]['indexes'] = {};
      for (const indexName of [...store.indexNames].sort()) {
        const index = store.index(indexName);
        indexes[indexName] = { keyPath: index.keyPath, unique: index.unique, multiEntry: index.multiEntry };
      }
      shape.stores[storeName] = { keyPath: store.keyPath, autoIncrement: store.autoIncrement, indexes };
    }
    return shape;
  } finally {
    db.close();
  }
}

/** Every record of every store, read with the raw API (for checks that bypass the code under test). */
export async function readAllRecords(name: string): Promise<Record<string, unknown[]>> {
  const db = await requestDone(indexedDB.open(name));
  try {
    const storeNames = [...db.objectStoreNames];
    const tx = db.transaction(storeNames, 'readonly');
    const entries = await Promise.all(storeNames.map(async (s) => [s, await requestDone(tx.objectStore(s).getAll())] as const));
    return Object.fromEntries(entries);
  } finally {
    db.close();
  }
}

export function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error(`deleting ${name} is blocked by an open connection`));
  });
}
