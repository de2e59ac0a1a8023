import { deflateSync, strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { domainRegistry } from '../../src/app/domains';
import { ExperimentService } from '../../src/app/experimentService';
import { MemoryExperimentStore } from '../../src/app/memoryStore';
import { DOMAINS } from '../../src/domains/registry';
import { ExportJob } from '../../src/runtime/archive/exportJob';
import { bundleFromFiles } from '../../src/runtime/archive/importBundle';
import { readArchiveFiles } from '../../src/runtime/archive/zipReader';
import { ArchiveImportError } from '../../src/runtime/archiveClient';
import { ArchiveError, crc32, decodeNpy, DEFAULT_MAX_IMPORT_BYTES, encodeNpy, MAX_COMPRESSION_RATIO } from '../../src/storage/archive';
import { buildSyntheticExperiment } from '../../tests/helpers/experimentFixture';
import { craftZip, storedEntry, type CraftedEntry } from '../../tests/helpers/zipCraft';
import { memoryServices } from '../../tests/unit/pipeline/memoryServices';
import { aliasBomb, bigYaml } from './hostileTexts';
import { digest, type CaseOutcome, type HostileCase } from './hostileCase';

/**
 * ZIP imports (family 'zip') and the images inside them (family 'image'), through the page's real
 * import path in Node: readArchiveFiles (the archive worker's code) → bundleFromFiles →
 * ExperimentService.import into a memory store that already holds one experiment. The message is what
 * the page shows (ArchiveImportError); "changed" compares every record, typed array and Blob of the
 * store before and after.
 */

const EXPERIMENT = 'exp-fixture-001';
const DIR = `data/experiments/${EXPERIMENT}`;
const EMBEDDINGS = `${DIR}/iteration_1/embeddings.npy`;
const CONFIG = 'configs/experiment_config.yaml';
const CHIP = 'data/base_chips/NoVoids_53438_0003_result.png';
const REAL = 'data/real_images/real_001.png';
const SAMPLE_IMAGE = `${DIR}/iteration_0/images/`;

let good: Promise<Uint8Array> | null = null;

/** A good export (user target: it holds chips, real images, sample images and embeddings). */
export function goodArchive(): Promise<Uint8Array> {
  good ??= (async () => {
    const x = buildSyntheticExperiment({ userTarget: true });
    const job = new ExportJob(x.experiment, x.chips, x.realImages);
    for (const n of [...new Set(x.samples.map((s) => s.iteration))].sort((a, b) => a - b)) {
      const samples = x.samples.filter((s) => s.iteration === n).map(({ image, ...rest }) => ({ ...rest, ...(image ? { png: new Blob([image as BlobPart], { type: 'image/png' }) } : {}) }));
      await job.addIteration(n, x.iterations.find((r) => r.iteration === n), samples, () => undefined);
    }
    return new Uint8Array(await job.finish().arrayBuffer());
  })();
  return good;
}

/** A studio (memory store + ExperimentService) that already holds the good experiment. */
async function studio() {
  const store = new MemoryExperimentStore();
  const service = new ExperimentService({ store, pipeline: memoryServices(store), domains: domainRegistry(DOMAINS), now: () => '2026-03-01T00:00:00Z' });
  const importZip = async (bytes: Uint8Array, name: string) => {
    try {
      return await service.import(bundleFromFiles(await readArchiveFiles(new Blob([bytes as BlobPart]), { maxTotalBytes: DEFAULT_MAX_IMPORT_BYTES })));
    } catch (e) {
      // What the page shows (runtime/archiveClient.ts).
      if (e instanceof ArchiveError) throw new ArchiveImportError(name, e.file, e.reason);
      throw e;
    }
  };
  await importZip(await goodArchive(), 'good.zip');
  const state = () => digest({ experiments: store.experiments, iterations: store.iterations, samples: store.samples, chips: store.chips, realImages: store.realImages, tables: store.tables });
  return { store, importZip, state };
}

/** Imports `bytes` as `name` into a studio holding the good experiment; the message and whether the store changed. */
export async function importOutcome(bytes: Uint8Array, name: string): Promise<CaseOutcome> {
  const s = await studio();
  const before = await s.state();
  let message = '(accepted: the archive was imported)';
  try {
    await s.importZip(bytes, name);
  } catch (e) {
    message = e instanceof Error ? e.message : String(e);
  }
  return { message, changed: (await s.state()) !== before, detail: `store digest compared (${s.store.experiments.size} experiment(s) after)` };
}

/** The good archive's files, edited: a path to new bytes, or null to drop it; the manifest's sizes follow. */
async function edited(changes: Record<string, Uint8Array | null>, options: { keepManifest?: boolean } = {}): Promise<Record<string, Uint8Array>> {
  const files: Record<string, Uint8Array> = unzipSync(await goodArchive());
  for (const [path, bytes] of Object.entries(changes)) {
    if (bytes === null) delete files[path];
    else files[path] = bytes;
  }
  if (!options.keepManifest && !('manifest.json' in changes)) {
    const manifest = JSON.parse(strFromU8(files['manifest.json'])) as { files: Array<{ path: string; bytes: number }> };
    manifest.files = manifest.files.filter((f) => f.path in files).map((f) => ({ ...f, bytes: files[f.path].length }));
    files['manifest.json'] = strToU8(JSON.stringify(manifest));
  }
  return files;
}

async function manifestWith(edit: (m: Record<string, unknown>) => void): Promise<Uint8Array> {
  const files = unzipSync(await goodArchive());
  const manifest = JSON.parse(strFromU8(files['manifest.json'])) as Record<string, unknown>;
  edit(manifest);
  return zipSync({ ...files, 'manifest.json': strToU8(JSON.stringify(manifest)) });
}

/** The good archive's entries as crafted (stored) entries, plus `extra` at the end. */
async function craftedWith(extra: CraftedEntry[], replace: Record<string, CraftedEntry> = {}, manifestEdit?: (m: { files: Array<{ path: string; bytes: number }> }) => void): Promise<Uint8Array> {
  const files = unzipSync(await goodArchive());
  if (manifestEdit) {
    const manifest = JSON.parse(strFromU8(files['manifest.json'])) as { files: Array<{ path: string; bytes: number }> };
    manifestEdit(manifest);
    files['manifest.json'] = strToU8(JSON.stringify(manifest));
  }
  return craftZip([...Object.entries(files).map(([name, data]) => replace[name] ?? storedEntry(name, data)), ...extra]);
}

/** An .npy whose header states `shape` (same header length) over the original data. */
function withNpyShape(npy: Uint8Array, shape: string): Uint8Array {
  const headerLength = npy[8] | (npy[9] << 8);
  const header = strFromU8(npy.subarray(10, 10 + headerLength), true);
  let text = header.replace(/'shape': \([^)]*\)/, `'shape': ${shape}`).replace(/ *\n$/, '');
  text = text.padEnd(headerLength - 1, ' ') + '\n';
  if (text.length !== headerLength) throw new Error('withNpyShape: the new shape does not fit the header');
  const out = npy.slice();
  out.set(strToU8(text, true), 10);
  return out;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const page = (file: string, reason: string) => new RegExp(`^Cannot import "${escape(file)}": ${reason}.*Nothing was imported\\.$`, 's');

const BOMB_BYTES = 64 * 1024 * 1024;
let bombData: { packed: Uint8Array; crc: number } | null = null;

/** 64 MB of zeros, deflated (~64 KB), made once for the bomb cases. */
function zerosBomb(): { packed: Uint8Array; crc: number } {
  if (!bombData) {
    const zeros = new Uint8Array(BOMB_BYTES);
    bombData = { packed: deflateSync(zeros, { level: 9 }), crc: crc32(zeros) };
  }
  return bombData;
}

/** The good export with its embeddings entry honestly declaring 64 MB of zeros from ~64 KB of deflate. */
function ratioBomb(): Promise<Uint8Array> {
  const { packed, crc } = zerosBomb();
  return craftedWith([], { [EMBEDDINGS]: { name: EMBEDDINGS, data: packed, method: 8, uncompressedSize: BOMB_BYTES, crc } }, (m) => {
    m.files = m.files.map((f) => (f.path === EMBEDDINGS ? { ...f, bytes: BOMB_BYTES } : f));
  });
}

/**
 * The page's import in Chromium: the archive worker reads the ZIP and, had it passed, the bundle would
 * go into IndexedDB (storage/experimentDb.ts) beside an experiment already stored there. "Changed"
 * compares every record of that database before and after.
 */
const indexedDbCase: HostileCase = {
  id: 'zip-bomb-indexeddb',
  family: 'zip',
  browser: true,
  description: 'the ratio zip bomb imported in the page: the archive worker refuses it and the IndexedDB database that already holds an experiment is unchanged',
  expect: page('zip-bomb-indexeddb.zip', `${escape(EMBEDDINGS)}: would unpack .* past the ${MAX_COMPRESSION_RATIO}:1 limit on compression: refused as a zip bomb`),
  run: async (context) => {
    if (!context) throw new Error('zip-bomb-indexeddb runs in Chromium');
    await context.page.goto(`${context.baseUrl}/tests/browser/pages/archive.html`);
    await context.page.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true);
    const bomb = Buffer.from(await ratioBomb()).toString('base64');
    const result = await context.page.evaluate(async (zip) => {
      // tests/browser/pages/archive.ts
      const w = window as unknown as Record<string, (...args: never[]) => Promise<any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
      const db = await w.openExperimentDb({ name: `hostile-${Date.now()}` } as never);
      const b = (w.fixtureBundle as unknown as (o: object) => any)({ id: 'exp-stored', userTarget: true }); // eslint-disable-line @typescript-eslint/no-explicit-any
      await db.createExperiment(b.experiment, b.chips, b.realImages);
      for (const it of b.iterations) await db.commitStage({ experiment: b.experiment, iteration: it, samples: (w.samplesOf as unknown as (x: unknown, n: number) => unknown)(b, it.iteration) });
      const state = async () => {
        const all = [];
        for (const e of await db.listExperiments()) {
          all.push(await w.recordsDigest({ experiment: e, iterations: await db.getIterations(e.id), samples: await db.getSamples(e.id), chips: await db.getChips(e.id), realImages: await db.getRealImages(e.id) } as never));
        }
        return all.join(',');
      };
      const before = await state();
      const outcome = await w.importBase64(zip as never, 'zip-bomb-indexeddb.zip' as never);
      if (outcome.ok) await db.importBundle(outcome.bundle);
      const after = await state();
      db.close();
      return { message: outcome.ok ? '(accepted: the archive was imported)' : outcome.message, same: before === after && before.length > 0 };
    }, bomb);
    return { message: result.message, changed: !result.same, detail: 'every record of the IndexedDB database compared before and after' };
  },
};

const TRUNCATED_JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xdb, 0x00, 0x43, 0x00, 0x08]);

export function zipCases(): HostileCase[] {
  const zip = (id: string, description: string, expect: RegExp, bytes: () => Promise<Uint8Array>, family: 'zip' | 'image' = 'zip'): HostileCase => ({
    id,
    family,
    description,
    expect,
    run: async () => importOutcome(await bytes(), `${id}.zip`),
  });
  return [
    zip('zip-not-a-zip', 'a text file named .zip', page('zip-not-a-zip.zip', 'is not a ZIP archive \\(no end-of-central-directory record\\)'), async () => strToU8('just some notes, not an archive\n')),
    zip('zip-truncated', 'the good export cut at half its length', page('zip-truncated.zip', 'is not a ZIP archive.*truncated'), async () => (await goodArchive()).subarray(0, (await goodArchive()).length >> 1)),
    zip('zip-truncated-tail', 'the good export missing its last 30 bytes (the end record cut)', page('zip-truncated-tail.zip', 'is not a ZIP archive'), async () => (await goodArchive()).subarray(0, (await goodArchive()).length - 30)),
    zip('zip-dotdot-entry', 'an extra entry "../../evil.sh" (path traversal)', page('zip-dotdot-entry.zip', '\\.\\./\\.\\./evil\\.sh: has an unsafe path'), () => craftedWith([storedEntry('../../evil.sh', strToU8('rm -rf ~\n'))])),
    zip('zip-absolute-entry', 'an extra entry "/etc/cron.d/evil" (absolute path)', page('zip-absolute-entry.zip', '/etc/cron\\.d/evil: has an unsafe path'), () => craftedWith([storedEntry('/etc/cron.d/evil', strToU8('* * * * * root true\n'))])),
    zip('zip-manifest-dotdot', 'manifest.json lists "data/../../escape.txt"', page('zip-manifest-dotdot.zip', 'manifest\\.json: files\\[\\d+\\] has an unsafe path "data/\\.\\./\\.\\./escape\\.txt"'), () =>
      manifestWith((m) => (m.files as unknown[]).push({ path: 'data/../../escape.txt', bytes: 1 })),
    ),
    zip('zip-duplicate-entry', 'config YAML twice in the ZIP directory (the second differs)', page('zip-duplicate-entry.zip', 'configs/experiment_config\\.yaml: appears twice in the ZIP'), () => craftedWith([storedEntry(CONFIG, strToU8('experiment_name: other\n'))])),
    zip(
      'zip-bomb-ratio',
      `an embeddings entry that honestly declares 64 MB from ~64 KB of deflate (about 1000:1; the limit is ${MAX_COMPRESSION_RATIO}:1)`,
      page('zip-bomb-ratio.zip', `${escape(EMBEDDINGS)}: would unpack .* past the ${MAX_COMPRESSION_RATIO}:1 limit on compression: refused as a zip bomb`),
      ratioBomb,
    ),
    indexedDbCase,
    zip('zip-bomb-lying-size', 'an embeddings entry whose headers and manifest state its real size but which inflates to 64 MB', page('zip-bomb-lying-size.zip', `${escape(EMBEDDINGS)}: unpacks to more than the .* manifest\\.json states \\(stopped: a damaged file or a zip bomb\\)`), async () => {
      const files = unzipSync(await goodArchive());
      const { packed, crc } = zerosBomb();
      return craftedWith([], { [EMBEDDINGS]: { name: EMBEDDINGS, data: packed, method: 8, uncompressedSize: files[EMBEDDINGS].length, crc } });
    }),
    zip(
      'zip-total-over-limit',
      'an entry declaring 3 GB from 16 MB of data (under the ratio limit, over the 2 GB total)',
      page('zip-total-over-limit.zip', 'would unpack to 3\\.0 GB, over the 2\\.0 GB import limit'),
      async () => {
        const declared = 3 * 1024 ** 3;
        const data = new Uint8Array(16 * 1024 * 1024).map((_, i) => (i * 2654435761) >>> 24);
        const name = `${DIR}/history_extra.bin`;
        return craftedWith([{ name, data, method: 8, uncompressedSize: declared, crc: 0 }], {}, (m) => m.files.push({ path: name, bytes: declared }));
      },
    ),
    zip('zip-foreign', 'a ZIP with no manifest.json (another tool\'s archive)', page('zip-foreign.zip', 'was not exported by Latent Calibration Studio: it has no manifest\\.json'), async () => zipSync({ 'photos/a.txt': strToU8('hello') })),
    zip('zip-extra-entry', 'an entry the manifest does not list', page('zip-extra-entry.zip', 'run\\.sh: is in the ZIP but not listed in manifest\\.json'), async () => zipSync({ ...unzipSync(await goodArchive()), 'run.sh': strToU8('echo hi\n') })),
    zip('zip-schema-missing', 'manifest.json without "schema_version"', page('zip-schema-missing.zip', 'manifest\\.json: "schema_version" must be a positive whole number'), () => manifestWith((m) => delete m.schema_version)),
    zip('zip-schema-unknown', 'manifest.json with schema_version 999', page('zip-schema-unknown.zip', 'manifest\\.json: holds experiment schema 999, newer than this version reads'), () => manifestWith((m) => (m.schema_version = 999))),
    zip('zip-format-unknown', 'manifest.json with format_version 7', page('zip-format-unknown.zip', 'manifest\\.json: is archive format 7, newer than this version reads'), () => manifestWith((m) => (m.format_version = 7))),
    zip('zip-schema-text', 'manifest.json with schema_version "3" (a string)', page('zip-schema-text.zip', 'manifest\\.json: "schema_version" must be a positive whole number'), () => manifestWith((m) => (m.schema_version = '3'))),
    zip('zip-npy-rows-disagree', 'iteration 1\'s embeddings.npy holds fewer rows than metadata.json lists', page('zip-npy-rows-disagree.zip', `${escape(EMBEDDINGS)}: has \\d+ rows but metadata\\.json lists \\d+ samples`), async () => {
      const files = unzipSync(await goodArchive());
      const npy = decodeNpy(files[EMBEDDINGS]);
      const [rows, cols] = npy.shape;
      return zipSync(await edited({ [EMBEDDINGS]: encodeNpy((npy.data as Float32Array).slice(0, (rows - 1) * cols), [rows - 1, cols]) }));
    }),
    zip('zip-npy-lying-header', 'embeddings.npy whose header claims 600000 rows over the data of a few', page('zip-npy-lying-header.zip', `${escape(EMBEDDINGS)}: is not a valid \\.npy file: shape \\(600000, \\d+\\) needs \\d+ data bytes but the file has \\d+`), async () => {
      const files = unzipSync(await goodArchive());
      const cols = decodeNpy(files[EMBEDDINGS]).shape[1];
      return zipSync(await edited({ [EMBEDDINGS]: withNpyShape(files[EMBEDDINGS], `(600000, ${cols})`) }));
    }),
    zip('zip-npy-nan', 'embeddings.npy with a NaN in row 1', page('zip-npy-nan.zip', `${escape(EMBEDDINGS)}: row 1 \\([^)]+\\), column e0: NaN is not a finite number`), async () => {
      const files = unzipSync(await goodArchive());
      const npy = decodeNpy(files[EMBEDDINGS]);
      const data = (npy.data as Float32Array).slice();
      data[0] = Number.NaN;
      return zipSync(await edited({ [EMBEDDINGS]: encodeNpy(data, npy.shape) }));
    }),
    zip('zip-npy-dtype', 'embeddings.npy stored as int32', page('zip-npy-dtype.zip', `${escape(EMBEDDINGS)}: is not a valid \\.npy file: dtype '<i4' is not supported`), async () => {
      const files = unzipSync(await goodArchive());
      const npy = files[EMBEDDINGS].slice();
      const headerLength = npy[8] | (npy[9] << 8);
      npy.set(strToU8(strFromU8(npy.subarray(10, 10 + headerLength), true).replace("'<f4'", "'<i4'"), true), 10);
      return zipSync(await edited({ [EMBEDDINGS]: npy }));
    }),
    zip('zip-config-alias-bomb', 'configs/experiment_config.yaml replaced by a YAML alias bomb', page('zip-config-alias-bomb.zip', 'configs/experiment_config\\.yaml: is not a valid configuration: its aliases \\(\\*name\\) expand past the limit'), async () => zipSync(await edited({ [CONFIG]: strToU8(aliasBomb('experiment_name')) }))),
    zip('zip-config-10mb', 'configs/experiment_config.yaml of 10 MB', page('zip-config-10mb.zip', 'configs/experiment_config\\.yaml: is not a valid configuration: the document is 10\\.0 MB, over the 1\\.0 MB limit'), async () =>
      // Stored, not deflated: 10 MB of one letter would trip the compression limit first.
      craftZip(Object.entries(await edited({ [CONFIG]: strToU8(bigYaml(10)) })).map(([name, data]) => storedEntry(name, data))),
    ),
    zip('zip-config-edited', 'configs/experiment_config.yaml edited to disagree with experiment.json', page('zip-config-edited.zip', 'configs/experiment_config\\.yaml: does not match the configuration in experiment\\.json'), async () => {
      const files = unzipSync(await goodArchive());
      return zipSync(await edited({ [CONFIG]: strToU8(strFromU8(files[CONFIG]).replace(/^max_iterations: \d+$/m, 'max_iterations: 3')) }));
    }),
    // Images inside the archive (family 'image'): the page's header check, at import.
    zip('image-chip-truncated-png', 'a base chip PNG cut before its IEND chunk', page('image-chip-truncated-png.zip', `${escape(CHIP)}: is not a usable image: truncated PNG`), async () => {
      const files = unzipSync(await goodArchive());
      return zipSync(await edited({ [CHIP]: files[CHIP].subarray(0, files[CHIP].length - 20) }));
    }, 'image'),
    zip('image-chip-zero-size', 'a base chip of 0 bytes', page('image-chip-zero-size.zip', `${escape(CHIP)}: is not a usable image: the file is empty \\(0 bytes\\)`), async () => zipSync(await edited({ [CHIP]: new Uint8Array(0) })), 'image'),
    zip('image-chip-wrong-magic', 'a base chip named .png that is a PDF', page('image-chip-wrong-magic.zip', `${escape(CHIP)}: is not a usable image: not a supported image`), async () => zipSync(await edited({ [CHIP]: strToU8('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n') })), 'image'),
    zip('image-real-truncated-jpeg', 'a real image that is a JPEG cut inside its header', page('image-real-truncated-jpeg.zip', `${escape(REAL)}: is not a usable image: truncated or corrupt JPEG`), async () => zipSync(await edited({ [REAL]: TRUNCATED_JPEG })), 'image'),
    zip('image-real-corrupt-png', 'a real image PNG whose IHDR chunk is garbled', page('image-real-corrupt-png.zip', `${escape(REAL)}: is not a usable image: truncated or corrupt PNG: no IHDR chunk`), async () => {
      const files = unzipSync(await goodArchive());
      const bytes = files[REAL].slice();
      bytes.set(strToU8('XXXX'), 12);
      return zipSync(await edited({ [REAL]: bytes }));
    }, 'image'),
    zip('image-sample-huge', 'a sample image whose PNG header claims 100000 × 100000 px', page('image-sample-huge.zip', `${escape(SAMPLE_IMAGE)}[^:]+\\.png: is not a usable image: the image is 100000×100000 px; the limit is 8192`), async () => {
      const files = unzipSync(await goodArchive());
      const path = Object.keys(files).find((p) => p.startsWith(SAMPLE_IMAGE))!;
      const bytes = files[path].slice();
      const view = new DataView(bytes.buffer);
      view.setUint32(16, 100000);
      view.setUint32(20, 100000);
      return zipSync(await edited({ [path]: bytes }));
    }, 'image'),
  ];
}
