/**
 * Harness for tests/browser/migration.test.ts: a version-2 database built from the v2 fixture (raw
 * IndexedDB, tests/helpers/v2Database.ts), opened with the app's openExperimentDb, and every record
 * read back through the app's storage API compared with the fixture, exactly.
 *
 * When the schema moves past version 2, the comparison stays: `readExperiments` is where the records
 * of the new schema are read and mapped back to their version-2 form (one function per store), so
 * `compareWithFixture(db, fixture)` keeps checking that nothing of a version-2 database was lost or
 * changed on the way.
 */
import { DB_VERSION, openExperimentDb, type ExperimentDb } from '../../../src/storage/experimentDb';
import { diffRecords } from '../../helpers/recordDiff';
import { createV2Database, databaseShape, deleteDatabase, fetchV2Fixture, readAllRecords } from '../../helpers/v2Database';
import { V2_STORE_NAMES, type V2Fixture, type V2Record } from '../../helpers/v2Fixture';

export const FIXTURE_URL = '/tests/fixtures/storage/v2-database.json.gz';

/** One experiment and everything of it, in the version-2 record shapes, each list in key order. */
export interface ExperimentRecords {
  experiment: V2Record;
  iterations: V2Record[];
  samples: V2Record[];
  chips: V2Record[];
  realImages: V2Record[];
  /** Sample ids per iteration, as the byIteration index gives them (getSampleIds). */
  sampleIdsByIteration: Record<string, string[]>;
}

export interface StoredContent {
  /** Experiment ids as the experiment list shows them (most recently updated first). */
  listed: string[];
  experiments: Map<string, ExperimentRecords>;
}

const codeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The fixture as the content a database should show: grouped per experiment, listed by updatedAt. */
export function fixtureContent(fixture: V2Fixture): StoredContent {
  const { stores } = fixture;
  const experiments = new Map<string, ExperimentRecords>();
  for (const experiment of stores.experiments) {
    const id = experiment.id as string;
    const mine = (r: V2Record) => r.experimentId === id;
    const samples = stores.samples.filter(mine);
    const sampleIdsByIteration: Record<string, string[]> = {};
    for (const s of samples) (sampleIdsByIteration[String(s.iteration)] ??= []).push(s.sample_id as string);
    for (const ids of Object.values(sampleIdsByIteration)) ids.sort(codeUnits);
    experiments.set(id, {
      experiment,
      iterations: stores.iterations.filter(mine),
      samples,
      chips: stores.chips.filter(mine),
      realImages: stores.realImages.filter(mine),
      sampleIdsByIteration,
    });
  }
  // The byUpdatedAt index read backwards: updatedAt descending, equal ones by id descending.
  const listed = [...stores.experiments]
    .sort((a, b) => codeUnits(a.updatedAt as string, b.updatedAt as string) || codeUnits(a.id as string, b.id as string))
    .reverse()
    .map((e) => e.id as string);
  return { listed, experiments };
}

/**
 * What the database holds, read through the app's storage API, in the version-2 shapes. Version 3
 * adds two things and this is where they go back: every experiment names its domain (all version-2
 * experiments are voids: any other value stays and shows as a difference), and a sample's PNG lives in
 * the artifacts store, joined on read (getSamples gives the sample back with its PNG, as it was put).
 */
export async function readExperiments(db: ExperimentDb): Promise<StoredContent> {
  const listed = (await db.listExperiments()).map((e) => e.id);
  const experiments = new Map<string, ExperimentRecords>();
  for (const id of listed) {
    const experiment = await db.getExperiment(id);
    if (!experiment) throw new Error(`listed experiment ${id} cannot be read`);
    const sampleIdsByIteration: Record<string, string[]> = {};
    for (const n of await db.getIterationNumbers(id)) {
      const ids = await db.getSampleIds(id, n);
      if (ids.length) sampleIdsByIteration[String(n)] = ids;
    }
    const { domain, ...v2Experiment } = experiment;
    const samples = await db.getSamples(id);
    experiments.set(id, {
      experiment: (domain === 'voids' ? v2Experiment : experiment) as unknown as V2Record,
      iterations: (await db.getIterations(id)) as unknown as V2Record[],
      samples: samples as unknown as V2Record[],
      chips: (await db.getChips(id)) as unknown as V2Record[],
      realImages: (await db.getRealImages(id)) as unknown as V2Record[],
      sampleIdsByIteration,
    });
  }
  return { listed, experiments };
}

export interface Comparison {
  /** One line per difference; empty when the database holds exactly the fixture. */
  differences: string[];
  /** What was compared (so an empty list cannot come from comparing nothing). */
  checked: { experiments: number; iterations: number; samples: number; pngBlobs: number; embeddingValues: number; chips: number; realImages: number; imageBytes: number };
}

/** Every record of the fixture against the database, exactly (see tests/helpers/recordDiff.ts). */
export async function compareWithFixture(db: ExperimentDb, fixture: V2Fixture, read: (db: ExperimentDb) => Promise<StoredContent> = readExperiments): Promise<Comparison> {
  const expected = fixtureContent(fixture);
  const actual = await read(db);
  const differences = await diffRecords(expected.listed, actual.listed, 'listExperiments');
  const checked: Comparison['checked'] = { experiments: 0, iterations: 0, samples: 0, pngBlobs: 0, embeddingValues: 0, chips: 0, realImages: 0, imageBytes: 0 };
  for (const [id, want] of expected.experiments) {
    const got = actual.experiments.get(id);
    if (!got) {
      differences.push(`experiment ${id}: missing`);
      continue;
    }
    differences.push(...(await diffRecords(want, got, id)));
    checked.experiments++;
    checked.iterations += got.iterations.length;
    checked.samples += got.samples.length;
    checked.pngBlobs += got.samples.filter((s) => s.png instanceof Blob).length;
    checked.embeddingValues += got.samples.reduce((n, s) => n + (s.embedding as Float32Array).length + (s.rawEmbedding as Float32Array).length, 0);
    checked.chips += got.chips.length;
    checked.realImages += got.realImages.length;
    checked.imageBytes += [...got.chips, ...got.realImages].reduce((n, c) => n + (c.bytes as ArrayBuffer).byteLength, 0);
  }
  for (const id of actual.experiments.keys()) if (!expected.experiments.has(id)) differences.push(`experiment ${id}: not in the fixture`);
  return { differences, checked };
}

let fixture: Promise<V2Fixture> | null = null;
const loadFixture = () => (fixture ??= fetchV2Fixture(FIXTURE_URL));

/** The fixture's header and summary (no records), for the test's own checks. */
async function fixtureInfo() {
  const f = await loadFixture();
  return { madeFrom: f.madeFrom, summary: f.summary, database: f.database, counts: Object.fromEntries(V2_STORE_NAMES.map((s) => [s, f.stores[s].length])) };
}

/** Builds the fixture database under `name`, then checks it with the raw API: schema and records. */
async function loadAndInspect(name: string, referenceName: string) {
  const f = await loadFixture();
  await createV2Database(name, f);
  // The schema the app itself creates at version 2 (its migration steps 0 → 2), to compare with.
  (await openExperimentDb({ name: referenceName, version: 2 })).close();
  const raw = await readAllRecords(name);
  const rawDifferences: string[] = [];
  for (const store of V2_STORE_NAMES) rawDifferences.push(...(await diffRecords(f.stores[store], raw[store], store)));
  return { shape: await databaseShape(name), reference: await databaseShape(referenceName), rawDifferences };
}

/** Builds the fixture database, opens it with the app's code (upgrading to DB_VERSION) and compares. */
async function openAndCompare(name: string) {
  const f = await loadFixture();
  await createV2Database(name, f);
  const db = await openExperimentDb({ name });
  try {
    return { dbVersion: DB_VERSION, shape: await databaseShape(name), ...(await compareWithFixture(db, f)) };
  } finally {
    db.close();
  }
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

/**
 * Builds the fixture database, then changes it behind the app's back (raw API): one PNG byte, one
 * embedding element by one float32 step, one raw-embedding element, one chip byte, one iteration field,
 * the last real image deleted. The comparison must name each of them.
 */
async function tamperAndCompare(name: string) {
  const f = await loadFixture();
  await createV2Database(name, f);
  const sample = f.stores.samples.find((s) => s.projection2d !== undefined)!;
  const chip = f.stores.chips[0];
  const iteration = f.stores.iterations.find((i) => i.stage === 'proposed')!;
  const realImage = f.stores.realImages[f.stores.realImages.length - 1]; // its experiment's last: no shift
  const png = new Uint8Array(await (sample.png as Blob).arrayBuffer());
  png[40] ^= 1;
  const embedding = Float32Array.from(sample.embedding as Float32Array);
  const bits = new Uint32Array(embedding.buffer);
  bits[5] += 1;
  const chipBytes = new Uint8Array((chip.bytes as ArrayBuffer).slice(0));
  chipBytes[chipBytes.length - 1] ^= 0x80;
  const rawEmbedding = Float32Array.from(sample.rawEmbedding as Float32Array);
  rawEmbedding[0] = Object.is(rawEmbedding[0], 0) ? -0 : -rawEmbedding[0]; // 0 becomes −0: still a difference
  // Everything computed first: the transaction commits once the page awaits anything but its requests.
  const db = await request(indexedDB.open(name));
  const tx = db.transaction(['samples', 'chips', 'iterations', 'realImages'], 'readwrite');
  tx.objectStore('samples').put({ ...sample, png: new Blob([png], { type: 'image/png' }), embedding, rawEmbedding });
  tx.objectStore('chips').put({ ...chip, bytes: chipBytes.buffer });
  tx.objectStore('iterations').put({ ...iteration, stage: 'analysed' });
  tx.objectStore('realImages').delete([realImage.experimentId as string, realImage.id as string]);
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error);
  });
  db.close();
  const app = await openExperimentDb({ name });
  try {
    const { differences } = await compareWithFixture(app, f);
    return {
      differences,
      sample: [sample.experimentId, sample.sample_id],
      chip: [chip.experimentId, chip.id],
      iteration: [iteration.experimentId, iteration.iteration],
      realImage: [realImage.experimentId, realImage.id],
    };
  } finally {
    app.close();
  }
}

Object.assign(window, { fixtureInfo, loadAndInspect, openAndCompare, tamperAndCompare, deleteDatabase, harnessReady: true });
