import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { ChipRecord, ExperimentRecord, IterationRecord, SampleRecord } from '../engine/experiment/records';

/**
 * The IndexedDB schema of 'latent-calibration-studio' and its migrations, one function per version
 * step: MIGRATIONS[v] takes a database at version v to v + 1. Opening at version N runs the steps from
 * the stored version up to N inside the one upgrade transaction, so an upgrade lands whole or not at all.
 * A new version is a new function appended here (and DB_VERSION + 1); never edit a shipped step.
 *
 * Stores (keys are arrays so one experiment's records are one contiguous key range):
 *   experiments  id                            ExperimentRecord            index byUpdatedAt (v2)
 *   iterations   [experimentId, iteration]     IterationRecord
 *   samples      [experimentId, sample_id]     SampleRecord (PNG Blob, Float32Array embeddings)
 *                                              index byIteration [experimentId, iteration]
 *   chips        [experimentId, id]            ChipRecord: the base chips' bytes as dropped
 *   realImages   [experimentId, id]            ChipRecord: the user's own real images as dropped (user
 *                                              target). Their decoded, embedded form is a SampleRecord
 *                                              of iteration 0 with dataset_type 'real', like simulated ones.
 */
export const DB_NAME = 'latent-calibration-studio';
export const DB_VERSION = 2;

export interface LcsDbSchema extends DBSchema {
  experiments: { key: string; value: ExperimentRecord; indexes: { byUpdatedAt: string } };
  iterations: { key: [string, number]; value: IterationRecord };
  samples: { key: [string, string]; value: SampleRecord; indexes: { byIteration: [string, number] } };
  chips: { key: [string, string]; value: ChipRecord };
  realImages: { key: [string, string]; value: ChipRecord };
}

export type LcsStoreName = StoreNames<LcsDbSchema>;
export const ALL_STORES: LcsStoreName[] = ['experiments', 'iterations', 'samples', 'chips', 'realImages'];

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

export const MIGRATIONS: readonly Migration[] = [toVersion1, toVersion2];

/** Runs the steps oldVersion → newVersion in order (inside the upgrade transaction). */
export async function migrate(db: IDBPDatabase<LcsDbSchema>, oldVersion: number, newVersion: number, tx: UpgradeTx): Promise<void> {
  if (newVersion > MIGRATIONS.length) throw new Error(`no migration to version ${newVersion} (this build knows up to ${MIGRATIONS.length})`);
  for (let v = oldVersion; v < newVersion; v++) await MIGRATIONS[v](db, tx);
}
