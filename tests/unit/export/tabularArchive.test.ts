import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { domainRegistry } from '../../../src/app/domains';
import { ExperimentService } from '../../../src/app/experimentService';
import { MemoryExperimentStore } from '../../../src/app/memoryStore';
import { inProcessTabularEngine } from '../../../src/app/tabularInProcess';
import { TabularService } from '../../../src/app/tabularService';
import { tabularDomain } from '../../../src/domains/tabular/domain';
import { readTable } from '../../../src/domains/tabular/csv/readTable';
import type { ExperimentRecord, IterationRecord } from '../../../src/engine/experiment/records';
import { ExportJob } from '../../../src/runtime/archive/exportJob';
import { bundleFromFiles } from '../../../src/runtime/archive/importBundle';
import { readArchiveFiles } from '../../../src/runtime/archive/zipReader';
import { tabularArchiveFiles } from '../../../src/state/archiveActions';
import { ArchiveError, closingFiles, experimentFiles, manifestFile, readArchiveContents, toTaggedJson, validateManifest, type ArchiveFile } from '../../../src/storage/archive';
import { buildSyntheticExperiment } from '../../helpers/experimentFixture';
import { memoryServices } from '../pipeline/memoryServices';
import { glassCalibration, tabularFixtures } from '../tabular/fixtures';

/**
 * A table calibration through the shared experiment archive, in Node: three evaluations exported with the
 * ZIP every domain uses (the table under data/tables, the evaluations in history.json, the domain's
 * report, synthetic table and constraints under domain/), imported into another studio with the same
 * records and bytes, and optimised there to the budget with exactly the evaluations an uninterrupted run
 * makes. A table whose size disagrees with the manifest, or that is missing, is refused by name with
 * nothing stored; an image domain's archive has none of the new keys.
 */
const FGL = new Uint8Array(readFileSync(join(tabularFixtures, 'fgl.csv')));
const CONSTRAINTS = readFileSync(join(tabularFixtures, 'fgl_constraints.yaml'), 'utf8');
const GiB = 1 << 30;

const glass = glassCalibration();

let clock = 0;
const now = () => new Date(Date.UTC(2026, 2, 1) + clock++ * 1000).toISOString();

/** One studio: a store, its table calibrations and its experiments (list, export, import). */
function studio(store = new MemoryExperimentStore()) {
  return {
    store,
    tabular: new TabularService({ store, engine: inProcessTabularEngine(), now, newId: () => 'table-exp-1' }),
    experiments: new ExperimentService({ store, pipeline: memoryServices(store), domains: domainRegistry([tabularDomain]), now }),
  };
}

/** The shared export as the page runs it (ExportJob is the archive worker's code), with the domain's files. */
async function exportZip(s: ReturnType<typeof studio>, experiment: ExperimentRecord): Promise<Uint8Array> {
  const domainFiles = await tabularArchiveFiles(s.tabular, experiment);
  const blob = await s.experiments.export(
    experiment.id,
    async (e, chips, realImages, _count, start) => {
      const job = new ExportJob(e, chips, realImages, { tables: start.tables, domainFiles: start.domainFiles });
      return { addIteration: async (n, record, samples) => job.addIteration(n, record, samples, () => undefined), finish: async () => job.finish() };
    },
    domainFiles,
  );
  return new Uint8Array(await blob.arrayBuffer());
}

async function importZip(s: ReturnType<typeof studio>, zip: Uint8Array): Promise<ExperimentRecord> {
  return s.experiments.import(bundleFromFiles(await readArchiveFiles(new Blob([zip as BlobPart]), { maxTotalBytes: GiB })));
}

async function rejection(s: ReturnType<typeof studio>, zip: Uint8Array): Promise<ArchiveError> {
  try {
    await importZip(s, zip);
  } catch (e) {
    if (e instanceof ArchiveError) return e;
    throw e;
  }
  throw new Error('expected the archive to be refused');
}

const json = <T = Record<string, unknown>>(bytes: Uint8Array) => JSON.parse(strFromU8(bytes)) as T;
interface ManifestJson {
  counts: Record<string, number>;
  files: Array<{ path: string; bytes: number }>;
}

describe('a table calibration in the shared experiment archive', () => {
  it('exports three evaluations, imports them exactly, and the copy continues to the budget as an uninterrupted run does', async () => {
    const twin = studio();
    const reference = await twin.tabular.create(glass);
    expect(await twin.tabular.run(reference.id)).toEqual({ kind: 'finished', stopped: 'budget' });
    const uninterrupted = await twin.tabular.history(reference.id);
    expect(uninterrupted).toHaveLength(6);

    const here = studio();
    const created = await here.tabular.create(glass);
    expect(await here.tabular.run(created.id, { limit: 3 })).toEqual({ kind: 'stopped' });
    const experiment = (await here.store.getExperiment(created.id))!;
    const iterations = await here.store.getIterations(created.id);
    expect(iterations.map((i) => i.iteration)).toEqual([1, 2, 3]);

    const zip = await exportZip(here, experiment);
    const files = unzipSync(zip);
    const manifest = json<ManifestJson>(files['manifest.json']);
    expect(manifest.counts).toEqual({ iterations: 3, iteration_records: 3, samples: 0, chips: 0, real_images: 0, tables: 1 });
    expect(Object.keys(files).sort()).toEqual([...manifest.files.map((f) => f.path), 'manifest.json'].sort());
    for (const f of manifest.files) expect(files[f.path].length, f.path).toBe(f.bytes);
    expect(Buffer.from(files['data/tables/fgl.csv']).equals(Buffer.from(FGL))).toBe(true);
    expect(json(files[`data/experiments/${experiment.id}/experiment.json`]).tables).toEqual([{ id: 'fgl.csv', file: 'fgl.csv', width: 10, height: 214 }]);
    // The domain's files, to open without the app: the command line's report keys, the best table, the constraints.
    const report = json<{ evaluations: unknown[] }>(files['domain/report.json']);
    expect(report).toMatchObject({ input: 'fgl.csv', gates_preset: 'seed003_adjusted', group: 'type' });
    expect(report.evaluations).toHaveLength(3);
    expect(strFromU8(files['domain/report.html'])).toContain('<table');
    expect(readTable(strFromU8(files['domain/synthetic.csv']), 'synthetic.csv').rowCount).toBe(214);
    expect(strFromU8(files['domain/constraints.yaml'])).toBe(CONSTRAINTS);
    expect(strFromU8(files['README.md'])).toMatch(/data\/tables\/ +the real table as dropped \(fgl\.csv\)[\s\S]*domain\/ +the domain's own files[\s\S]*\n {2}report\.json\n/);
    expect(strFromU8(files['report.html'])).toContain('<code>domain/report.html</code>');

    const elsewhere = studio();
    const imported = await importZip(elsewhere, zip);
    expect(imported).toEqual(experiment);
    const tables = await elsewhere.store.getTables(imported.id);
    expect(tables).toHaveLength(1);
    expect(tables[0]).toMatchObject({ experimentId: imported.id, id: 'fgl.csv', width: 10, height: 214 });
    expect(Buffer.from(new Uint8Array(tables[0].bytes)).equals(Buffer.from(FGL))).toBe(true);
    // Every evaluation exactly: the same values (NaN, ±Infinity and −0 included) and the same keys.
    const back = await elsewhere.store.getIterations(imported.id);
    expect(back).toEqual(iterations);
    expect(back.map((r) => toTaggedJson(r))).toEqual(iterations.map((r) => toTaggedJson(r)));
    expect(await elsewhere.store.getSamples(imported.id)).toEqual([]);

    // Optimize on the imported copy continues from its history to the budget.
    const seen: number[] = [];
    expect(await elsewhere.tabular.run(imported.id, { onEvaluation: (e) => seen.push(e.index) })).toEqual({ kind: 'finished', stopped: 'budget' });
    expect(seen).toEqual([4, 5, 6]);
    expect(await elsewhere.tabular.history(imported.id)).toEqual(uninterrupted);
  }, 240_000);

  it('keeps an evaluation’s non-finite numbers and −0 exactly through the archive files', () => {
    const { projection: _imageMap, ...base } = buildSyntheticExperiment().experiment;
    const experiment: ExperimentRecord = { ...base, domain: 'tabular', config: tabularDomain.defaultConfig(), chipIds: ['t.csv'] };
    const detail = { index: 1, metrics: { ratio: Infinity, low: -Infinity, undefinedHere: NaN, zero: -0 }, values: [NaN, 1.5, -Infinity] };
    const record: IterationRecord = { experimentId: experiment.id, iteration: 1, stage: 'analysed', paramSets: [], timings: {}, startedAt: experiment.createdAt, detail };
    const table = { experimentId: experiment.id, id: 't.csv', bytes: new TextEncoder().encode('a,b\n1,2\n').buffer, width: 2, height: 1 };
    const files: ArchiveFile[] = [...experimentFiles(experiment, [], [], [table]), ...closingFiles(experiment, [record], [], [], 0)];
    files.push(manifestFile(experiment, { iterations: 0, iteration_records: 1, samples: 0, chips: 0, real_images: 0, tables: 1 }, files.map((f) => ({ path: f.path, bytes: f.bytes.length }))));
    const map = new Map(files.map((f) => [f.path, f.bytes]));
    const manifest = validateManifest(JSON.parse(strFromU8(map.get('manifest.json')!)));
    map.delete('manifest.json');
    const back = readArchiveContents(manifest, map, (id) => (id === 'tabular' ? tabularDomain.configSection : undefined));
    const got = back.iterations[0].detail as typeof detail;
    expect(Object.is(got.metrics.ratio, Infinity) && Object.is(got.metrics.low, -Infinity) && Number.isNaN(got.metrics.undefinedHere) && Object.is(got.metrics.zero, -0)).toBe(true);
    expect(got.values.map(String)).toEqual(['NaN', '1.5', '-Infinity']);
    expect(back.tables.map((t) => [t.id, strFromU8(new Uint8Array(t.bytes))])).toEqual([['t.csv', 'a,b\n1,2\n']]);
  });

  it('refuses a table whose size disagrees with manifest.json, or that is missing, naming it, and stores nothing', async () => {
    const here = studio();
    const created = await here.tabular.create({ ...glass, budget: 1 });
    await here.tabular.run(created.id);
    const zip = await exportZip(here, (await here.store.getExperiment(created.id))!);
    const elsewhere = studio();

    const grown = unzipSync(zip);
    grown['data/tables/fgl.csv'] = new Uint8Array([...FGL, ...new TextEncoder().encode('1.5,13,3,1,72,0.5,8,0,0,1\n')]);
    let e = await rejection(elsewhere, zipSync(grown));
    expect(e.file).toBe('data/tables/fgl.csv');
    expect(e.reason).toMatch(/the ZIP directory says it unpacks to \d+ bytes but manifest\.json says \d+/);

    // Left out of the ZIP and its manifest: experiment.json still lists it.
    const missing = unzipSync(zip);
    delete missing['data/tables/fgl.csv'];
    const manifest = json<ManifestJson>(missing['manifest.json']);
    manifest.files = manifest.files.filter((f) => f.path !== 'data/tables/fgl.csv');
    missing['manifest.json'] = new TextEncoder().encode(JSON.stringify(manifest));
    e = await rejection(elsewhere, zipSync(missing));
    expect(e.message).toBe('data/tables/fgl.csv: is listed in experiment.json as table "fgl.csv" but missing');

    // A file under domain/ that the manifest does not list is refused like any other.
    const stray = unzipSync(zip);
    stray['domain/notes.txt'] = new TextEncoder().encode('hi');
    e = await rejection(elsewhere, zipSync(stray));
    expect(e.message).toBe('domain/notes.txt: is in the ZIP but not listed in manifest.json');

    expect(await elsewhere.store.listExperiments()).toEqual([]);
    expect(elsewhere.store.tables).toEqual([]);
  }, 120_000);

  it('leaves an image domain’s archive as it was: no tables count, no tables list, no domain folder', async () => {
    const x = buildSyntheticExperiment();
    const job = new ExportJob(x.experiment, x.chips, x.realImages);
    for (const n of [0, 1]) {
      const samples = x.samples.filter((s) => s.iteration === n).map(({ image, ...rest }) => ({ ...rest, png: new Blob([image as BlobPart], { type: 'image/png' }) }));
      await job.addIteration(n, x.iterations[n], samples, () => undefined);
    }
    const files = unzipSync(new Uint8Array(await job.finish().arrayBuffer()));
    expect(Object.keys(json<ManifestJson>(files['manifest.json']).counts)).toEqual(['iterations', 'iteration_records', 'samples', 'chips', 'real_images']);
    expect(Object.keys(json(files[`data/experiments/${x.experiment.id}/experiment.json`]))).toEqual(['experiment', 'chips', 'real_images']);
    expect(Object.keys(files).filter((p) => p.startsWith('domain/') || p.startsWith('data/tables/'))).toEqual([]);
    expect(strFromU8(files['report.html'])).not.toContain('domain wrote');
  });
});
