/**
 * Writes tests/fixtures/storage/v2-database.json.gz: the full content of a version-2 IndexedDB database
 * as the version-2 release of the app leaves it, for the migration tests (tests/browser/migration.test.ts
 * loads it into Chromium with tests/helpers/v2Database.ts).
 *
 * The records are made by the release's own code, not by this working tree: the script extracts the
 * release commit with `git archive` into a temporary directory and imports from there the pipeline runner
 * (src/state/pipeline/runner.ts), the in-memory pipeline services of the unit tests
 * (tests/unit/pipeline/memoryServices.ts: the same generator, image-statistics embedder, scoring,
 * projection and optimizer as the app, without workers or IndexedDB), the config defaults and the tagged
 * JSON writer. So the file stays what that release stored, whatever src/ becomes; the commit is written
 * into the file (madeFrom.commit). What this script adds around the pipeline is what the app's UI layer
 * does: real PNG bytes (the in-memory services store a 16-byte stand-in), the base chips and the user's
 * real images as dropped files, the experiment record as "New experiment" builds it, and the status
 * updates after a Step or a Stop.
 *
 * Content (small: 64×64 images, a few dozen samples):
 *   (a) simulated target: iterations 0 and 1 fully run (planned → sampled → analysed → proposed), then
 *       iteration 2 planned and stopped after its first chunk of samples (a run stopped mid-stage);
 *   (b) user target: six real images as dropped, iteration 0 sampled, status still 'running' (the tab
 *       closed mid-run);
 *   (c) a record as the v1→v2 migration leaves it: no updatedAt before, so updatedAt = createdAt (the
 *       migration's rule, applied here since Node has no IndexedDB), iteration 0 planned, stopped.
 *
 * Regenerate (a few seconds):
 *
 *   npx tsx scripts/make-v2-fixture.ts                    # same release commit as the existing file
 *   npx tsx scripts/make-v2-fixture.ts --commit <sha>     # another commit whose schema is version 2
 *
 * Without --commit it uses the commit recorded in the existing file, or HEAD when there is none. Times
 * measured during the run (the iteration records' timings, the optimizer's diagnostics.timingsMs) and
 * madeFrom.writtenAt differ from run to run; every other value is the same. After a regeneration from
 * another commit, update the commit in tests/fixtures/storage/README.md.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync, gzipSync, inflateSync } from 'node:zlib';
import { diffRecords } from '../tests/helpers/recordDiff';
import { bytesToBase64, parseV2Fixture, V2_STORE_NAMES, type V2Fixture, type V2FixtureSummary, type V2Record, type V2StoreName } from '../tests/helpers/v2Fixture';

const REPO = resolve(dirname(new URL(import.meta.url).pathname), '..');
const OUTPUT = join(REPO, 'tests/fixtures/storage/v2-database.json.gz');
const SIZE = 64;

// ---- the release's modules, as this script uses them (loaded from the extracted commit) ----

type Rec = Record<string, unknown>;
interface Experiment extends Rec {
  id: string;
  createdAt: string;
  updatedAt?: string;
  status: string;
  statusDetail?: string;
}
interface Rgba {
  width: number;
  height: number;
  pixels: Uint8ClampedArray;
}
interface Generated extends Rgba {
  metadata: { sample_id: string };
  png?: Blob;
}
interface Services {
  store: Store;
  generate(jobs: readonly unknown[], call: { encodePng: boolean; signal?: AbortSignal }): Promise<Generated[]>;
  decodeImage(name: string, bytes: ArrayBuffer): Promise<Rgba>;
  encodePng(image: Rgba): Promise<Blob>;
  embed(images: readonly Rgba[], call?: { signal?: AbortSignal }): Promise<unknown[]>;
  now(): string;
}
interface Store {
  experiments: Map<string, Experiment>;
  iterations: Map<string, Rec>;
  samples: Map<string, Rec>;
  realImages: Rec[];
}
type Step = { kind: 'stage'; iteration: number; stage: 'plan' | 'sampled' | 'analysed' | 'proposed' };
interface Runner {
  runIteration(experiment: Experiment): Promise<Experiment>;
  runStage(experiment: Experiment, step: Step, options: { signal?: AbortSignal }): Promise<Experiment>;
}
interface Release {
  PipelineRunner: new (services: Services) => Runner;
  MemoryStore: new () => Store;
  memoryServices(store: Store, chipSize?: number): Services;
  defaultExperimentConfig(): Rec;
  EXPERIMENT_SCHEMA_VERSION: number;
  IMAGE_STATISTICS_ID: string;
  IMAGE_STATISTICS_LABEL: string;
  IMAGE_STATISTICS_DIM: number;
  toTaggedJson(value: unknown, indent?: number): string;
  encodePng(width: number, height: number, channels: 1 | 3 | 4, samples: Uint8Array): Uint8Array;
  renderChip(spec: { id: string; width: number; height: number; seed: number }): Uint8Array;
}

/** Module paths at the version-2 release (they moved later: this list is tied to those commits). */
const RELEASE_MODULES: Record<string, string[]> = {
  'src/state/pipeline/runner.ts': ['PipelineRunner'],
  'tests/unit/pipeline/memoryServices.ts': ['MemoryStore', 'memoryServices'],
  'src/core/config/experimentConfig.ts': ['defaultExperimentConfig'],
  'src/core/experiment/records.ts': ['EXPERIMENT_SCHEMA_VERSION'],
  'src/embedders/imageStatistics.ts': ['IMAGE_STATISTICS_ID', 'IMAGE_STATISTICS_LABEL', 'IMAGE_STATISTICS_DIM'],
  'src/core/export/taggedJson.ts': ['toTaggedJson'],
  'scripts/lib/png.ts': ['encodePng'],
  'scripts/lib/demoChip.ts': ['renderChip'],
};

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 28 }).trim();
}

function chooseCommit(): string {
  const i = process.argv.indexOf('--commit');
  if (i >= 0) return git('rev-parse', '--verify', `${process.argv[i + 1]}^{commit}`);
  if (existsSync(OUTPUT)) {
    const previous = JSON.parse(gunzipSync(readFileSync(OUTPUT)).toString('utf8')) as V2Fixture;
    return git('rev-parse', '--verify', `${previous.madeFrom.commit}^{commit}`);
  }
  return git('rev-parse', 'HEAD');
}

/** The commit's files the pipeline needs, in a temporary directory that shares this checkout's node_modules. */
function extractRelease(commit: string): string {
  const dir = mkdtempSync(join(tmpdir(), `lcs-v2-release-${commit.slice(0, 8)}-`));
  const tar = execFileSync('git', ['archive', '--format=tar', commit, 'src', 'scripts/lib', 'tests/unit/pipeline', 'package.json', 'tsconfig.json'], { cwd: REPO, maxBuffer: 1 << 28 });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const schema = readFileSync(join(dir, 'src/storage/experimentDbSchema.ts'), 'utf8');
  if (!/DB_VERSION = 2;/.test(schema)) throw new Error(`commit ${commit} is not a schema-version-2 release (src/storage/experimentDbSchema.ts)`);
  return dir;
}

async function loadRelease(dir: string): Promise<Release> {
  const release: Rec = {};
  for (const [file, names] of Object.entries(RELEASE_MODULES)) {
    const module = (await import(pathToFileURL(join(dir, file)).href)) as Rec;
    for (const name of names) {
      if (module[name] === undefined) throw new Error(`${file} at the release commit has no export ${name}`);
      release[name] = module[name];
    }
  }
  return release as unknown as Release;
}

// ---- images ----

/** An ArrayBuffer holding exactly these bytes (a Node Buffer may be a view into a shared pool). */
const exactBuffer = (bytes: Uint8Array): ArrayBuffer => Uint8Array.from(bytes).buffer;

/** Decodes the 8-bit greyscale PNGs this script writes (one IDAT, filter 0 on every row) to RGBA. */
function decodeGreyPng(bytes: ArrayBuffer): Rgba {
  const b = new Uint8Array(bytes);
  const view = new DataView(bytes);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  if (b[24] !== 8 || b[25] !== 0) throw new Error('decodeGreyPng: not 8-bit greyscale');
  const idat: Uint8Array[] = [];
  for (let o = 8; o < b.length; ) {
    const length = view.getUint32(o);
    const type = String.fromCharCode(...b.subarray(o + 4, o + 8));
    if (type === 'IDAT') idat.push(b.subarray(o + 8, o + 8 + length));
    o += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const pixels = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    if (raw[y * (width + 1)] !== 0) throw new Error('decodeGreyPng: a row uses a PNG filter');
    for (let x = 0; x < width; x++) {
      const g = raw[y * (width + 1) + 1 + x];
      pixels.set([g, g, g, 255], (y * width + x) * 4);
    }
  }
  return { width, height, pixels };
}

// ---- the experiments ----

/** A clock that advances a few seconds per reading, so stored times are ordered and distinct. */
function clock(startIso: string, stepMs = 2_500): () => string {
  let t = Date.parse(startIso);
  return () => {
    const now = new Date(t).toISOString();
    t += stepMs;
    return now;
  };
}

interface Built {
  experiment: Experiment;
  store: Store;
  chips: V2Record[];
  realImages: V2Record[];
  note: string;
}

function makeContext(release: Release, startIso: string) {
  const store = new release.MemoryStore();
  const services = release.memoryServices(store, SIZE);
  const now = clock(startIso);
  services.now = now;
  const pixelsById = new Map<string, Uint8ClampedArray>();
  const generate = services.generate.bind(services);
  // The app's generator encodes each image as a PNG (OffscreenCanvas); here Node's zlib does.
  services.generate = async (jobs, call) =>
    (await generate(jobs, call)).map((image) => {
      pixelsById.set(image.metadata.sample_id, new Uint8ClampedArray(image.pixels));
      return { ...image, png: pngBlob(release, image) };
    });
  services.encodePng = async (image) => pngBlob(release, image);
  services.decodeImage = async (_name, bytes) => decodeGreyPng(bytes);
  return { store, services, runner: new release.PipelineRunner(services), now, pixelsById };
}

function pngBlob(release: Release, image: Rgba): Blob {
  const bytes = release.encodePng(image.width, image.height, 4, new Uint8Array(image.pixels.buffer, image.pixels.byteOffset, image.pixels.length));
  return new Blob([exactBuffer(bytes)], { type: 'image/png' });
}

/** A base chip as a dropped file: the grey die the in-memory generator paints on, as a PNG. */
function chipRecord(release: Release, experimentId: string, id: string): V2Record {
  // The random-seed formula of tests/unit/pipeline/memoryServices.ts, so the stored chip is the one painted on.
  const grey = release.renderChip({ id, width: SIZE, height: SIZE, seed: id.length + id.charCodeAt(id.length - 5) });
  return { experimentId, id, bytes: exactBuffer(release.encodePng(SIZE, SIZE, 1, grey)), width: SIZE, height: SIZE };
}

/** The experiment record as "New experiment" builds it (src/state/experimentStore.ts). */
function newExperimentRecord(release: Release, createdAt: string, idSuffix: string, config: Rec, target: Rec, chipIds: string[]): Experiment {
  const id = `exp_${createdAt.replace(/[-:.TZ]/g, '').slice(0, 14)}_${idSuffix}`;
  return {
    id,
    name: `${String(config.experiment_name)} · ${createdAt.slice(0, 16).replace('T', ' ')}`,
    createdAt,
    updatedAt: createdAt,
    config,
    target,
    embedder: { id: release.IMAGE_STATISTICS_ID, label: release.IMAGE_STATISTICS_LABEL, dimension: release.IMAGE_STATISTICS_DIM, normalized: true, backend: 'js' },
    chipIds,
    status: 'ready',
    schemaVersion: release.EXPERIMENT_SCHEMA_VERSION,
  };
}

/** What the app writes after a run ends (the release's experimentStore wrote it with store.updateExperiment, an alias of putExperiment). */
function putExperiment(store: Store, record: Experiment): Experiment {
  store.experiments.set(record.id, structuredClone(record));
  return record;
}

async function simulatedExperiment(release: Release): Promise<Built & { realPixels: Uint8ClampedArray[] }> {
  const ctx = makeContext(release, '2026-03-02T09:14:05.000Z');
  const base = release.defaultExperimentConfig();
  const config = {
    ...base,
    experiment_name: 'fixture_simulated',
    real: { param_sets: 4, replications: 2, total_size: 8 },
    close: { param_sets: 4, replications: 2, total_size: 8 },
    far: { param_sets: 4, replications: 2, total_size: 8 },
    iteration_batch_size: 5,
    replications_per_iteration: 2,
    max_iterations: 6,
  };
  const chipIds = ['NoVoids_53438_0003_result.png', 'NoVoids_53440_0011_result.png', 'die scan #3.png'];
  let experiment = newExperimentRecord(release, ctx.now(), '4c1e', config, { kind: 'simulated' }, chipIds);
  ctx.store.experiments.set(experiment.id, structuredClone(experiment)); // createExperiment
  // Two Steps: iteration 0, then iteration 1; after each the app records 'paused' (or converged/finished).
  for (let step = 0; step < 2; step++) {
    experiment = await ctx.runner.runIteration({ ...experiment, status: 'running' });
    const convergence = experiment.convergence as { converged: boolean; reason: string | null } | undefined;
    const status = convergence?.converged ? (convergence.reason === 'budget' ? 'finished' : 'converged') : 'paused';
    experiment = putExperiment(ctx.store, { ...experiment, status });
  }
  // A third Step stopped by the user after the first chunk of iteration 2's samples was stored.
  experiment = await ctx.runner.runStage({ ...experiment, status: 'running' }, { kind: 'stage', iteration: 2, stage: 'plan' }, {});
  const controller = new AbortController();
  const embed = ctx.services.embed.bind(ctx.services);
  ctx.services.embed = async (images, call) => {
    const vectors = await embed(images, call);
    controller.abort();
    return vectors;
  };
  await ctx.runner.runStage(experiment, { kind: 'stage', iteration: 2, stage: 'sampled' }, { signal: controller.signal }).then(
    () => {
      throw new Error('iteration 2 was expected to stop after its first chunk');
    },
    (e: unknown) => {
      if ((e as Error).name !== 'CancelledError') throw e;
    },
  );
  ctx.services.embed = embed;
  experiment = putExperiment(ctx.store, { ...experiment, status: 'stopped', statusDetail: 'stopped by the user' });
  const realPixels = [...ctx.store.samples.values()]
    .filter((s) => (s.metadata as { dataset_type: string }).dataset_type === 'real')
    .map((s) => ctx.pixelsById.get(s.sample_id as string)!);
  return {
    experiment,
    store: ctx.store,
    chips: chipIds.map((id) => chipRecord(release, experiment.id, id)),
    realImages: [],
    realPixels,
    note: 'simulated target; iterations 0 and 1 proposed; iteration 2 planned with its first chunk of samples, stopped by the user',
  };
}

async function userExperiment(release: Release, realPixels: Uint8ClampedArray[]): Promise<Built> {
  const ctx = makeContext(release, '2026-03-03T14:40:31.000Z');
  const base = release.defaultExperimentConfig();
  const config = {
    ...base,
    experiment_name: 'fixture_user_target',
    close: { param_sets: 4, replications: 2, total_size: 8 },
    far: { param_sets: 4, replications: 2, total_size: 8 },
    iteration_batch_size: 4,
    random_seed: 17,
  };
  const chipIds = ['NoVoids_53438_0003_result.png', 'NoVoids_53501_0002_result.png'];
  // The user's X-ray images, as dropped: 8-bit grey PNGs (voids painted by the simulated run above).
  const names = ['xray_0001.png', 'xray_0002.png', 'xray_0003.png', 'Röntgen Probe 4.png', 'xray_0005.png', 'xray_0006.png'];
  if (realPixels.length < names.length) throw new Error(`only ${realPixels.length} real images to reuse`);
  const grey = (rgba: Uint8ClampedArray) => Uint8Array.from({ length: rgba.length / 4 }, (_, i) => rgba[i * 4]);
  const createdAt = ctx.now();
  let experiment = newExperimentRecord(release, createdAt, 'a07b', config, { kind: 'user', imageCount: names.length }, chipIds);
  const realImages: V2Record[] = names.map((id, i) => ({ experimentId: experiment.id, id, bytes: exactBuffer(release.encodePng(SIZE, SIZE, 1, grey(realPixels[i]))), width: SIZE, height: SIZE }));
  ctx.store.experiments.set(experiment.id, structuredClone(experiment));
  ctx.store.realImages = realImages;
  // Run iteration 0 up to 'sampled'; the tab closes before the analysis (status stays 'running').
  experiment = await ctx.runner.runStage({ ...experiment, status: 'running' }, { kind: 'stage', iteration: 0, stage: 'plan' }, {});
  await ctx.runner.runStage(experiment, { kind: 'stage', iteration: 0, stage: 'sampled' }, {});
  return {
    experiment: ctx.store.experiments.get(experiment.id)!,
    store: ctx.store,
    chips: chipIds.map((id) => chipRecord(release, experiment.id, id)),
    realImages,
    note: "user target (six real images); iteration 0 sampled, status 'running' (closed mid-run)",
  };
}

async function migratedV1Experiment(release: Release): Promise<Built> {
  const ctx = makeContext(release, '2025-12-18T08:02:44.000Z');
  const config = { ...release.defaultExperimentConfig(), experiment_name: 'fixture_from_v1' };
  const chipIds = ['NoVoids_53438_0003_result.png'];
  let experiment = newExperimentRecord(release, ctx.now(), '0e91', config, { kind: 'simulated' }, chipIds);
  ctx.store.experiments.set(experiment.id, structuredClone(experiment));
  experiment = await ctx.runner.runStage({ ...experiment, status: 'running' }, { kind: 'stage', iteration: 0, stage: 'plan' }, {});
  experiment = { ...experiment, status: 'stopped', statusDetail: 'stopped by the user' };
  // A record written before updatedAt existed; the v1→v2 step (toVersion2) gives it its createdAt.
  const { updatedAt: _dropped, ...v1Record } = experiment;
  const migrated = putExperiment(ctx.store, { ...v1Record, updatedAt: typeof v1Record.createdAt === 'string' ? v1Record.createdAt : new Date(0).toISOString() });
  return {
    experiment: migrated,
    store: ctx.store,
    chips: chipIds.map((id) => chipRecord(release, migrated.id, id)),
    realImages: [],
    note: 'as the v1→v2 migration leaves a record without updatedAt (updatedAt = createdAt); iteration 0 planned, stopped',
  };
}

// ---- the file ----

const compareKeys = (a: unknown[], b: unknown[]): number => {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as string | number;
    const y = b[i] as string | number;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
};

const KEY_PATHS: Record<V2StoreName, string[]> = {
  experiments: ['id'],
  iterations: ['experimentId', 'iteration'],
  samples: ['experimentId', 'sample_id'],
  chips: ['experimentId', 'id'],
  realImages: ['experimentId', 'id'],
};

function storesOf(built: Built[]): Record<V2StoreName, V2Record[]> {
  const stores: Record<V2StoreName, V2Record[]> = {
    experiments: built.map((b) => b.store.experiments.get(b.experiment.id)!),
    iterations: built.flatMap((b) => [...b.store.iterations.values()]),
    samples: built.flatMap((b) => [...b.store.samples.values()]),
    chips: built.flatMap((b) => b.chips),
    realImages: built.flatMap((b) => b.realImages),
  };
  for (const name of V2_STORE_NAMES) {
    const key = (r: V2Record) => KEY_PATHS[name].map((k) => r[k]);
    stores[name].sort((a, b) => compareKeys(key(a), key(b)));
  }
  return stores;
}

function summaryOf(built: Built[], stores: Record<V2StoreName, V2Record[]>): V2FixtureSummary {
  return {
    experiments: built.map((b) => {
      const id = b.experiment.id;
      const mine = (r: V2Record) => r.experimentId === id;
      const samplesPerIteration: Record<string, number> = {};
      for (const s of stores.samples.filter(mine)) samplesPerIteration[String(s.iteration)] = (samplesPerIteration[String(s.iteration)] ?? 0) + 1;
      const record = stores.experiments.find((e) => e.id === id)!;
      return {
        id,
        name: String(record.name),
        target: (record.target as { kind: string }).kind,
        status: String(record.status),
        iterations: stores.iterations.filter(mine).map((i) => [i.iteration as number, i.stage as string]),
        samplesPerIteration,
        chips: stores.chips.filter(mine).length,
        realImages: stores.realImages.filter(mine).length,
        note: b.note,
      };
    }),
    records: Object.fromEntries(V2_STORE_NAMES.map((n) => [n, stores[n].length])) as Record<V2StoreName, number>,
  };
}

/** Blobs, ArrayBuffers and undefined properties as tags; typed arrays and numbers are toTaggedJson's. */
async function tagForJson(value: unknown): Promise<unknown> {
  if (value === undefined) return { $undefined: true };
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  if (value instanceof Blob) return { $blob: { type: value.type, base64: bytesToBase64(new Uint8Array(await value.arrayBuffer())) } };
  if (value instanceof ArrayBuffer) return { $arrayBuffer: bytesToBase64(new Uint8Array(value)) };
  if (Array.isArray(value)) return Promise.all(value.map(tagForJson));
  if (Object.getPrototypeOf(value) !== Object.prototype) throw new Error(`cannot write a ${value.constructor.name}`);
  const out: Rec = {};
  for (const [k, v] of Object.entries(value)) {
    if (k.startsWith('$')) throw new Error(`a record key starts with '$' (${k}): it would read back as a tag`);
    out[k] = await tagForJson(v);
  }
  return out;
}

async function main() {
  const commit = chooseCommit();
  console.log(`release commit ${commit}`);
  const dir = extractRelease(commit);
  try {
    const release = await loadRelease(dir);
    const t0 = Date.now();
    const a = await simulatedExperiment(release);
    const b = await userExperiment(release, a.realPixels);
    const c = await migratedV1Experiment(release);
    const built = [a, b, c];
    console.log(`pipeline runs: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const stores = storesOf(built);
    const fixture: V2Fixture = {
      format: 'latent-calibration-studio IndexedDB fixture',
      formatVersion: 1,
      database: { name: 'latent-calibration-studio', version: 2 },
      madeFrom: {
        commit,
        // The records come from `git archive <commit>`, so working-tree changes never reach them.
        uncommittedSrcChanges: [],
        script: 'scripts/make-v2-fixture.ts',
        node: process.version,
        writtenAt: new Date().toISOString(),
      },
      summary: summaryOf(built, stores),
      stores,
    };
    const text = release.toTaggedJson(await tagForJson(fixture), 0);
    // The reader the tests use must give back exactly these records.
    const differences = await diffRecords(fixture, parseV2Fixture(text));
    if (differences.length) throw new Error(`the fixture does not read back as written:\n${differences.slice(0, 20).join('\n')}`);
    mkdirSync(dirname(OUTPUT), { recursive: true });
    const gz = gzipSync(text, { level: 9 });
    writeFileSync(OUTPUT, gz);
    console.log(`${OUTPUT}: ${(gz.length / 1024).toFixed(0)} KiB (${(text.length / 1024).toFixed(0)} KiB of JSON)`);
    console.log(JSON.stringify(fixture.summary, null, 2));
  } finally {
    unlinkSync(join(dir, 'node_modules')); // the link only, before the directory goes
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
