import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { ArtifactRecord, ChipRecord, ExperimentRecord, InputRecord, IterationRecord, StoredSampleRecord } from '../engine/experiment/records';

/**
 * The IndexedDB schema of 'latent-calibration-studio' and its migrations, one function per version
 * step: MIGRATIONS[v] takes a database at version v to v + 1. Opening at version N runs the steps from
 * the stored version up to N inside the one upgrade transaction, so an upgrade lands whole or not at all.
 * A new version is a new function appended here (and DB_VERSION + 1); never edit a shipped step.
 *
 * Stores (keys are arrays so one experiment's records are one contiguous key range):
 *   experiments  id                            ExperimentRecord            index byUpdatedAt (v2)
 *   iterations   [experimentId, iteration]     IterationRecord
 *   samples      [experimentId, sample_id]     StoredSampleRecord: parameters, replicate seed, vectors,
 *                                              metadata and an optional artifact reference (v3)
 *                                              index byIteration [experimentId, iteration]
 *   artifacts    [experimentId, id]            ArtifactRecord: a sample's artifact (a PNG) (v3)
 *   inputs       [experimentId, role, id]      InputRecord: the domain's inputs as the user gave them
 *                                              (voids: role 'chips', the base chips; role 'realImages',
 *                                              the user's own real images) (v3)
 * Versions 1–2 kept the PNG inside the sample and had the stores chips and realImages; version 3 moves
 * them (toVersion3), so a sample can be read without its image and a domain without images fits.
 */
export const DB_NAME = 'latent-calibration-studio';
export const DB_VERSION = 3;

export interface LcsDbSchema extends DBSchema {
  experiments: { key: string; value: ExperimentRecord; indexes: { byUpdatedAt: string } };
  iterations: { key: [string, number]; value: IterationRecord };
  samples: { key: [string, string]; value: StoredSampleRecord; indexes: { byIteration: [string, number] } };
  artifacts: { key: [string, string]; value: ArtifactRecord };
  inputs: { key: [string, string, string]; value: InputRecord };
  /** Versions 1–2 only (moved into inputs by toVersion3). */
  chips: { key: [string, string]; value: ChipRecord };
  /** Versions 1–2 only (moved into inputs by toVersion3). */
  realImages: { key: [string, string]; value: ChipRecord };
}

export type LcsStoreName = StoreNames<LcsDbSchema>;
/** The stores of the current version. */
export const ALL_STORES: LcsStoreName[] = ['experiments', 'iterations', 'samples', 'artifacts', 'inputs'];

type UpgradeTx = IDBPTransaction<LcsDbSchema, LcsStoreName[], 'versionchange'>;
export type Migration = (db: IDBPDatabase<LcsDbSchema>, tx: UpgradeTx) => Promise<void>;

/** Version 1: the five stores. */
async function toVersion1(db: IDBPDatabase<LcsDbSchema>): Promise<void> {
  db.createObjectStore('experiments', { keyPath: 'id' });
  db.createObjectStore('iterations', { keyPath: ['experimentId', 'iteration'] });
  const samples = db.createObjectStore('samples', { keyPath: ['experimentId', 'sample_id'] });
  samples.createIndex('byIteration', ['experimentId', 'iteration']);
  db.createObjectStore('chips', { keyPath: ['experimentId', 'id'] });
  db.createObjectStore('realImages', { keyPath: ['experimentId', 'id'] });
}

/**
 * Version 2: the experiment list sorted by last update (index byUpdatedAt). A record without a string
 * updatedAt would be left out of the index, so such records get their createdAt (or the epoch).
 */
async function toVersion2(_db: IDBPDatabase<LcsDbSchema>, tx: UpgradeTx): Promise<void> {
  const experiments = tx.objectStore('experiments');
  experiments.createIndex('byUpdatedAt', 'updatedAt');
  for (let cursor = await experiments.openCursor(); cursor; cursor = await cursor.continue()) {
    const record = cursor.value;
    if (typeof record.updatedAt !== 'string') await cursor.update({ ...record, updatedAt: typeof record.createdAt === 'string' ? record.createdAt : new Date(0).toISOString() });
  }
}

/**
 * Version 3: a sample's PNG moves to the artifacts store (the sample keeps a reference), base chips and
 * real images move to the inputs store under their role, and every experiment names its domain
 * (records of versions 1–2 are all voids). Nothing else of a record changes.
 */
async function toVersion3(db: IDBPDatabase<LcsDbSchema>, tx: UpgradeTx): Promise<void> {
  db.createObjectStore('artifacts', { keyPath: ['experimentId', 'id'] });
  db.createObjectStore('inputs', { keyPath: ['experimentId', 'role', 'id'] });
  const artifacts = tx.objectStore('artifacts');
  const inputs = tx.objectStore('inputs');
  const samples = tx.objectStore('samples');
  for (let cursor = await samples.openCursor(); cursor; cursor = await cursor.continue()) {
    const { png, ...sample } = cursor.value as StoredSampleRecord & { png?: Blob };
    if (!png) continue;
    await artifacts.put({ experimentId: sample.experimentId, id: sample.sample_id, type: png.type, blob: png });
    await cursor.update({ ...sample, artifact: { id: sample.sample_id, type: png.type } });
  }
  for (const role of ['chips', 'realImages'] as const) {
    const legacy = tx.objectStore(role);
    for (let cursor = await legacy.openCursor(); cursor; cursor = await cursor.continue()) await inputs.put({ ...cursor.value, role });
    db.deleteObjectStore(role);
  }
  const experiments = tx.objectStore('experiments');
  for (let cursor = await experiments.openCursor(); cursor; cursor = await cursor.continue()) {
    if (cursor.value.domain === undefined) await cursor.update({ ...cursor.value, domain: 'voids' });
  }
}

export const MIGRATIONS: readonly Migration[] = [toVersion1, toVersion2, toVersion3];

/** Runs the steps oldVersion → newVersion in order (inside the upgrade transaction). */
export async function migrate(db: IDBPDatabase<LcsDbSchema>, oldVersion: number, newVersion: number, tx: UpgradeTx): Promise<void> {
  if (newVersion > MIGRATIONS.length) throw new Error(`no migration to version ${newVersion} (this build knows up to ${MIGRATIONS.length})`);
  for (let v = oldVersion; v < newVersion; v++) await MIGRATIONS[v](db, tx);
}
