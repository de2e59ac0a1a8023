/**
 * Experiments in IndexedDB. Every write is one readwrite transaction over the stores
 * it touches, so it lands whole or not at all: a stage of the pipeline (commitStage) can never be half
 * stored, and a reload resumes from the last committed stage. Records are keyed by
 * [experimentId, …] (see experimentDbSchema.ts), so putting a sample twice replaces it.
 * A write the browser refuses for lack of space rejects with StorageFullError (and wrote nothing).
 *
 *   const db = await openExperimentDb();
 *   await db.createExperiment(record, chips);
 *   await db.putSamples(samples);                                   // within a stage, atomic per call
 *   await db.commitStage({ experiment, iteration, samples });       // the stage's outputs, atomically
 */
import { openDB, type IDBPDatabase, type IDBPTransaction } from 'idb';
import type { ChipRecord, ExperimentRecord, InputRecord, InputRole, IterationRecord, SampleRecord, StoredSampleRecord } from '../engine/experiment/records';
import type { ExperimentBundle } from './archive/bundle';
import { ALL_STORES, DB_NAME, DB_VERSION, migrate, type LcsDbSchema, type LcsStoreName } from './experimentDbSchema';
import { isQuotaError, StorageFullError } from './storageErrors';

export { DB_NAME, DB_VERSION } from './experimentDbSchema';
export { requestPersistentStorage, storageEstimate, StorageFullError } from './storageErrors';

export interface OpenOptions {
  /** Database name (tests use their own); default 'latent-calibration-studio'. */
  name?: string;
  /** Schema version to open at; default the latest. Tests open older versions to test migrations. */
  version?: number;
}

export interface StageCommit {
  experiment: ExperimentRecord;
  iteration: IterationRecord;
  samples?: SampleRecord[];
}

/** Every key of one experiment in a store keyed [experimentId, …]: arrays sort after numbers and strings. */
const experimentRange = (experimentId: string) => IDBKeyRange.bound([experimentId], [experimentId, []]);
/** Every input of one role of one experiment (inputs are keyed [experimentId, role, id]). */
const inputRange = (experimentId: string, role: InputRole) => IDBKeyRange.bound([experimentId, role], [experimentId, role, []]);

const asInput = (role: InputRole, experimentId: string) => (c: ChipRecord): InputRecord => ({ ...c, experimentId, role });
const fromInput = ({ role: _role, ...chip }: InputRecord): ChipRecord => chip;

/** A sample as stored: its PNG goes to the artifacts store, the sample keeps a reference. */
function splitSample(sample: SampleRecord): { stored: StoredSampleRecord; artifact: { experimentId: string; id: string; type: string; blob: Blob } | null } {
  const { png, ...stored } = sample;
  if (!png) return { stored, artifact: null };
  return { stored: { ...stored, artifact: { id: sample.sample_id, type: png.type } }, artifact: { experimentId: sample.experimentId, id: sample.sample_id, type: png.type, blob: png } };
}

type WriteTx = IDBPTransaction<LcsDbSchema, LcsStoreName[], 'readwrite'>;

export class ExperimentNotFoundError extends Error {
  constructor(readonly experimentId: string) {
    super(`experiment ${experimentId} does not exist (was it deleted?)`);
    this.name = 'ExperimentNotFoundError';
  }
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class ExperimentDb {
  constructor(private readonly db: IDBPDatabase<LcsDbSchema>) {}

  close(): void {
    this.db.close();
  }

  /**
   * One readwrite transaction: `body` queues its requests (returning their promises) and may await
   * reads of the same transaction; any error aborts it, rolling every request back.
   */
  private async write<T>(stores: LcsStoreName[], body: (tx: WriteTx) => Promise<T>): Promise<T> {
    const tx = this.db.transaction(stores, 'readwrite');
    const done = tx.done;
    done.catch(() => undefined); // observed below; this only keeps an abort from being reported as unhandled
    try {
      const result = await body(tx);
      await done;
      return result;
    } catch (error) {
      try {
        tx.abort();
      } catch {
        // already finished or aborted
      }
      await done.catch(() => undefined);
      if (isQuotaError(error, tx.error)) throw await StorageFullError.now();
      throw error;
    }
  }

  /**
   * Issues the requests in order and waits for all of them. Each promise is observed as soon as it
   * exists, so when a later request throws synchronously (DataCloneError) and the transaction aborts,
   * the earlier ones' rejections are not reported as unhandled.
   */
  private static async all(requests: Array<() => Promise<unknown>>): Promise<void> {
    const pending: Array<Promise<unknown>> = [];
    for (const issue of requests) {
      const request = issue();
      request.catch(() => undefined);
      pending.push(request);
    }
    await Promise.all(pending);
  }

  /** All experiments, most recently updated first. */
  async listExperiments(): Promise<ExperimentRecord[]> {
    const records = await this.db.getAllFromIndex('experiments', 'byUpdatedAt');
    return records.reverse();
  }

  async getExperiment(id: string): Promise<ExperimentRecord | undefined> {
    return this.db.get('experiments', id);
  }

  /** A new experiment with its base chips (and the user's real images, or its real table); fails if the id exists. */
  async createExperiment(record: ExperimentRecord, chips: ChipRecord[], realImages: ChipRecord[] = [], tables: ChipRecord[] = []): Promise<void> {
    await this.write(['experiments', 'inputs'], async (tx) => {
      await ExperimentDb.all([
        () => tx.objectStore('experiments').add(record),
        ...chips.map(asInput('chips', record.id)).map((c) => () => tx.objectStore('inputs').put(c)),
        ...realImages.map(asInput('realImages', record.id)).map((c) => () => tx.objectStore('inputs').put(c)),
        ...tables.map(asInput('table', record.id)).map((c) => () => tx.objectStore('inputs').put(c)),
      ]);
    }).catch((e: unknown) => {
      if (e instanceof DOMException && e.name === 'ConstraintError') throw new Error(`an experiment with id ${record.id} already exists`);
      throw e;
    });
  }

  /** Replaces the experiment record alone (status, statusDetail, …). */
  async putExperiment(record: ExperimentRecord): Promise<void> {
    await this.write(['experiments'], async (tx) => {
      await tx.objectStore('experiments').put(record);
    });
  }

  async renameExperiment(id: string, name: string, now: string = new Date().toISOString()): Promise<ExperimentRecord> {
    return this.write(['experiments'], async (tx) => {
      const store = tx.objectStore('experiments');
      const record = await store.get(id);
      if (!record) throw new ExperimentNotFoundError(id);
      const renamed = { ...record, name, updatedAt: now };
      await store.put(renamed);
      return renamed;
    });
  }

  /**
   * A new experiment with the same config, target, embedder, chips and real images (inputs), and no
   * results: no iterations, samples, projection, scoring, hidden parameters or convergence.
   */
  async duplicateExperimentConfig(id: string, newName: string, options: { newId?: string; now?: string } = {}): Promise<ExperimentRecord> {
    const newId = options.newId ?? crypto.randomUUID();
    const now = options.now ?? new Date().toISOString();
    return this.write(['experiments', 'inputs'], async (tx) => {
      const source = await tx.objectStore('experiments').get(id);
      if (!source) throw new ExperimentNotFoundError(id);
      const inputs = await tx.objectStore('inputs').getAll(experimentRange(id));
      const copy: ExperimentRecord = {
        id: newId,
        name: newName,
        createdAt: now,
        updatedAt: now,
        ...(source.domain !== undefined ? { domain: source.domain } : {}),
        config: source.config,
        target: source.target,
        embedder: source.embedder,
        chipIds: source.chipIds,
        status: 'ready',
        schemaVersion: source.schemaVersion,
      };
      await ExperimentDb.all([
        () => tx.objectStore('experiments').add(copy),
        ...inputs.map((c) => () => tx.objectStore('inputs').put({ ...c, experimentId: newId })),
      ]);
      return copy;
    });
  }

  /** Deletes the experiment and everything of it, in one transaction. */
  async deleteExperiment(id: string): Promise<void> {
    await this.write(ALL_STORES, async (tx) => {
      await ExperimentDb.all([
        () => tx.objectStore('experiments').delete(id),
        () => tx.objectStore('iterations').delete(experimentRange(id)),
        () => tx.objectStore('samples').delete(experimentRange(id)),
        () => tx.objectStore('artifacts').delete(experimentRange(id)),
        () => tx.objectStore('inputs').delete(experimentRange(id)),
      ]);
    });
  }

  /** Iteration records, by iteration. */
  async getIterations(id: string): Promise<IterationRecord[]> {
    return this.db.getAll('iterations', experimentRange(id));
  }

  /** Samples of one iteration, or of all iterations, in sample_id order (code units, within an iteration). */
  async getSamples(id: string, iteration?: number): Promise<SampleRecord[]> {
    const tx = this.db.transaction(['samples', 'artifacts']);
    const stored = iteration === undefined ? await tx.objectStore('samples').getAll(experimentRange(id)) : await tx.objectStore('samples').index('byIteration').getAll(IDBKeyRange.only([id, iteration]));
    const artifacts = tx.objectStore('artifacts');
    const samples = await Promise.all(
      stored.map(async ({ artifact: ref, ...sample }): Promise<SampleRecord> => {
        if (!ref) return sample;
        const artifact = await artifacts.get([id, ref.id]);
        if (!artifact) throw new Error(`sample ${sample.sample_id} of experiment ${id}: its image (artifact ${ref.id}) is missing from storage`);
        return { ...sample, png: artifact.blob };
      }),
    );
    await tx.done;
    return samples;
  }

  /** The sample ids stored for an iteration (what a resumed stage can skip). */
  async getSampleIds(id: string, iteration: number): Promise<string[]> {
    const keys = await this.db.getAllKeysFromIndex('samples', 'byIteration', IDBKeyRange.only([id, iteration]));
    return keys.map((k) => k[1]).sort(compareCodeUnits);
  }

  /** Iterations that have a record or samples (an iteration's samples can precede its first commit). */
  async getIterationNumbers(id: string): Promise<number[]> {
    const numbers = new Set((await this.db.getAllKeys('iterations', experimentRange(id))).map((k) => k[1]));
    const tx = this.db.transaction('samples');
    const range = IDBKeyRange.bound([id, -Infinity], [id, Infinity]);
    for (let cursor = await tx.store.index('byIteration').openKeyCursor(range, 'nextunique'); cursor; cursor = await cursor.continue()) {
      numbers.add(cursor.key[1]);
    }
    await tx.done;
    return [...numbers].sort((a, b) => a - b);
  }

  async getChips(id: string): Promise<ChipRecord[]> {
    return (await this.db.getAll('inputs', inputRange(id, 'chips'))).map(fromInput);
  }

  async getRealImages(id: string): Promise<ChipRecord[]> {
    return (await this.db.getAll('inputs', inputRange(id, 'realImages'))).map(fromInput);
  }

  /** The real table of a tabular experiment, as dropped (one input). */
  async getTables(id: string): Promise<ChipRecord[]> {
    return (await this.db.getAll('inputs', inputRange(id, 'table'))).map(fromInput);
  }

  async putRealImages(images: ChipRecord[]): Promise<void> {
    await this.write(['inputs'], async (tx) => ExperimentDb.all(images.map((c) => () => tx.objectStore('inputs').put(asInput('realImages', c.experimentId)(c)))));
  }

  /**
   * Samples stored as they are produced within a stage; atomic per call. Refuses samples of an
   * experiment that no longer exists (deleted in another tab), so no orphans are left behind.
   */
  async putSamples(samples: SampleRecord[]): Promise<void> {
    if (samples.length === 0) return;
    await this.write(['experiments', 'samples', 'artifacts'], async (tx) => {
      for (const id of new Set(samples.map((s) => s.experimentId))) {
        if ((await tx.objectStore('experiments').count(id)) === 0) throw new ExperimentNotFoundError(id);
      }
      await ExperimentDb.all(samples.flatMap((s) => ExperimentDb.sampleWrites(tx, s)));
    });
  }

  /** A completed stage: the experiment, the iteration record and any samples, in one transaction. */
  async commitStage({ experiment, iteration, samples = [] }: StageCommit): Promise<void> {
    if (iteration.experimentId !== experiment.id) throw new Error(`iteration ${iteration.iteration} belongs to ${iteration.experimentId}, not ${experiment.id}`);
    for (const s of samples) {
      if (s.experimentId !== experiment.id) throw new Error(`sample ${s.sample_id} belongs to ${s.experimentId}, not ${experiment.id}`);
    }
    const stores: LcsStoreName[] = samples.length > 0 ? ['experiments', 'iterations', 'samples', 'artifacts'] : ['experiments', 'iterations'];
    await this.write(stores, async (tx) => {
      await ExperimentDb.all([
        () => tx.objectStore('experiments').put(experiment),
        () => tx.objectStore('iterations').put(iteration),
        ...samples.flatMap((s) => ExperimentDb.sampleWrites(tx, s)),
      ]);
    });
  }

  /** The requests that store one sample: the sample (with its artifact reference) and its artifact. */
  private static sampleWrites(tx: WriteTx, sample: SampleRecord): Array<() => Promise<unknown>> {
    const { stored, artifact } = splitSample(sample);
    return [() => tx.objectStore('samples').put(stored), ...(artifact ? [() => tx.objectStore('artifacts').put(artifact)] : [])];
  }

  /**
   * Writes an imported experiment in one transaction. If its id is taken, the copy gets a new id (and
   * " (imported)" after its name) rather than replacing anything: an import never overwrites.
   */
  async importBundle(bundle: ExperimentBundle, options: { newId?: string } = {}): Promise<{ id: string; renamed: boolean }> {
    return this.write(ALL_STORES, async (tx) => {
      const taken = (await tx.objectStore('experiments').count(bundle.experiment.id)) > 0;
      const id = taken ? (options.newId ?? crypto.randomUUID()) : bundle.experiment.id;
      const experiment = taken ? { ...bundle.experiment, id, name: `${bundle.experiment.name} (imported)` } : bundle.experiment;
      const mine = <T extends { experimentId: string }>(r: T): T => (taken ? { ...r, experimentId: id } : r);
      await ExperimentDb.all([
        () => tx.objectStore('experiments').add(experiment),
        ...bundle.iterations.map((r) => () => tx.objectStore('iterations').put(mine(r))),
        ...bundle.samples.flatMap((r) => ExperimentDb.sampleWrites(tx, mine(r))),
        ...bundle.chips.map((r) => () => tx.objectStore('inputs').put(asInput('chips', id)(r))),
        ...bundle.realImages.map((r) => () => tx.objectStore('inputs').put(asInput('realImages', id)(r))),
        ...(bundle.tables ?? []).map((r) => () => tx.objectStore('inputs').put(asInput('table', id)(r))),
      ]);
      return { id, renamed: taken };
    });
  }
}

/**
 * Opens (creating or upgrading) the database. When another tab opens a newer version, this connection
 * closes itself so the upgrade is not blocked; later calls on it then throw InvalidStateError and the
 * caller reopens (the other tab's code is newer: a reload is the honest answer).
 */
export async function openExperimentDb(options: OpenOptions = {}): Promise<ExperimentDb> {
  const version = options.version ?? DB_VERSION;
  const db = await openDB<LcsDbSchema>(options.name ?? DB_NAME, version, {
    upgrade(database, oldVersion, newVersion, transaction) {
      // The upgrade transaction stays open while migrate's IndexedDB requests run; an error aborts it
      // and the open rejects, leaving the database at its old version.
      migrate(database, oldVersion, newVersion ?? version, transaction).catch((e: unknown) => {
        console.error('IndexedDB migration failed', e);
        transaction.abort();
      });
    },
    blocking() {
      db.close();
    },
  });
  return new ExperimentDb(db);
}
