import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { crc32, decodeNpy, toTaggedJson } from '../../src/storage/archive';
import { EXPERIMENT_SCHEMA_VERSION } from '../../src/engine/experiment/records';
import { openChromium, type ChromiumSession } from '../helpers/chromium';
import { craftZip, storedEntry } from '../helpers/zipCraft';

const SEED_METADATA_KEYS = ['sample_id', 'iteration', 'dataset_type', 'param_set_id', 'replication_seed', 'base_image_id', 'params', 'uncontrolled_params', 'timestamp'];
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const text = (s: string) => new TextEncoder().encode(s);

describe('archive worker: ZIP export and import (real worker in Chromium)', () => {
  let session: ChromiumSession;
  let exported: Uint8Array;

  beforeAll(async () => {
    session = await openChromium();
    await session.page.goto(`${inject('baseUrl')}/tests/browser/pages/archive.html`);
    await session.page.waitForFunction(() => (window as any).harnessReady === true);
    const base64 = await session.page.evaluate(async () => {
      const w = window as any;
      return w.blobToBase64(await w.exportBundle(w.fixtureBundle({ iterations: 2, samplesPerIteration: 6, dim: 8 })));
    });
    exported = new Uint8Array(Buffer.from(base64, 'base64'));
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/archive-fixture.zip', exported); // scripts/check_export_numpy.py reads it
  });
  afterAll(async () => {
    await session?.close();
  });

  it("writes the Python pipeline's layout: .npy files numpy can read with the right shapes, metadata with the pipeline's keys", () => {
    const files = unzipSync(exported);
    const dir = 'data/experiments/exp-fixture-001';
    const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json']));
    expect(manifest).toMatchObject({ tool: 'latent-calibration-studio', format_version: 1, schema_version: EXPERIMENT_SCHEMA_VERSION, experiment_id: 'exp-fixture-001', counts: { iterations: 2, iteration_records: 2, samples: 12, chips: 2, real_images: 0 } });
    expect(Object.keys(files).sort()).toEqual([...manifest.files.map((f: any) => f.path), 'manifest.json'].sort());
    for (const f of manifest.files) expect(files[f.path].length, f.path).toBe(f.bytes);
    for (const n of [0, 1]) {
      const it = `${dir}/iteration_${n}`;
      const meta = JSON.parse(new TextDecoder().decode(files[`${it}/metadata.json`]));
      expect(meta).toHaveLength(6);
      for (const row of meta) {
        for (const key of SEED_METADATA_KEYS) expect(row).toHaveProperty(key);
        expect(files[`${it}/images/${row.sample_id}.png`].subarray(0, 4)).toEqual(Uint8Array.from([0x89, 0x50, 0x4e, 0x47]));
      }
      const embeddings = decodeNpy(files[`${it}/embeddings.npy`], 'embeddings.npy');
      expect([embeddings.descr, embeddings.shape]).toEqual(['<f4', [6, 8]]);
      expect(decodeNpy(files[`${it}/embeddings_raw.npy`]).shape).toEqual([6, 8]);
      const xy = decodeNpy(files[`${it}/pca_2d.npy`]);
      expect([xy.descr, xy.shape]).toEqual(['<f8', [6, 2]]);
      // unit-norm rows: the scored embeddings are L2-normalised
      for (let r = 0; r < 6; r++) expect(Math.hypot(...embeddings.data.subarray(r * 8, r * 8 + 8))).toBeCloseTo(1, 5);
    }
    expect(JSON.parse(new TextDecoder().decode(files[`${dir}/iteration_0/pca_model.json`]))).toMatchObject({ kind: 'pca', dim: 8 });
    expect(new TextDecoder().decode(files['configs/experiment_config.yaml'])).toMatch(/^experiment_name: infineon_void_poc$/m);
    const history = JSON.parse(new TextDecoder().decode(files[`${dir}/history.json`]));
    expect(history.summary.map((r: any) => r.iteration)).toEqual([0, 1]);
    expect(history.observations.length).toBeGreaterThan(0);
    const report = new TextDecoder().decode(files['report.html']);
    expect(report.match(/<svg /g)).toHaveLength(2);
    expect(report).not.toMatch(/<script/i);
    expect(new TextDecoder().decode(files['README.md'])).toContain('np.load(');
  });

  it('imports its own archive back to the same records, and exporting those again gives identical bytes', async () => {
    const result = await session.page.evaluate(async (zip) => {
      const w = window as any;
      const imported = await w.importBase64(zip, 'exp.zip');
      if (!imported.ok) return { error: imported.message };
      const same = (await w.recordsDigest(imported.bundle)) === (await w.recordsDigest(w.fixtureBundle({ iterations: 2, samplesPerIteration: 6, dim: 8 })));
      const again = await w.blobToBase64(await w.exportBundle(imported.bundle));
      return { same, again, pngType: imported.bundle.samples[0].png.type, embedding: imported.bundle.samples[0].embedding instanceof Float32Array };
    }, b64(exported));
    expect(result.error).toBeUndefined();
    expect(result.same).toBe(true);
    expect(result.pngType).toBe('image/png');
    expect(result.embedding).toBe(true);
    expect(Buffer.from(result.again!, 'base64').equals(Buffer.from(exported))).toBe(true);
  });

  it('exports a user-target experiment from storage and imports it into another database under a new id', async () => {
    const result = await session.page.evaluate(async () => {
      const w = window as any;
      const b = w.fixtureBundle({ id: 'exp-user', userTarget: true });
      const db = await w.openExperimentDb({ name: `archive-${Date.now()}` });
      await db.createExperiment(b.experiment, b.chips, b.realImages);
      for (const it of b.iterations) await db.commitStage({ experiment: b.experiment, iteration: it, samples: w.samplesOf(b, it.iteration) });
      const id = 'exp-user';
      const stored = { experiment: await db.getExperiment(id), iterations: await db.getIterations(id), samples: await db.getSamples(id), chips: await db.getChips(id), realImages: await db.getRealImages(id) };
      const zip = await w.blobToBase64(await w.exportBundle(stored));
      const imported = await w.importBase64(zip);
      const written = await db.importBundle(imported.bundle, { newId: 'exp-user-2' });
      const copy = { experiment: await db.getExperiment('exp-user-2'), iterations: await db.getIterations('exp-user-2'), samples: await db.getSamples('exp-user-2'), chips: await db.getChips('exp-user-2'), realImages: await db.getRealImages('exp-user-2') };
      db.close();
      const normalize = (x: any) => ({
        ...x,
        experiment: { ...x.experiment, id: 'X', name: 'N' },
        iterations: x.iterations.map((r: any) => ({ ...r, experimentId: 'X' })),
        samples: x.samples.map((r: any) => ({ ...r, experimentId: 'X' })),
        chips: x.chips.map((r: any) => ({ ...r, experimentId: 'X' })),
        realImages: x.realImages.map((r: any) => ({ ...r, experimentId: 'X' })),
      });
      return { written, same: (await w.recordsDigest(normalize(stored))) === (await w.recordsDigest(normalize(copy))), realImages: copy.realImages.length, name: copy.experiment.name };
    });
    expect(result.written).toEqual({ id: 'exp-user-2', renamed: true });
    expect(result.same).toBe(true);
    expect(result.realImages).toBe(2);
    expect(result.name).toBe('Fixture experiment (imported)');
  });

  it('refuses malformed, foreign, inconsistent and oversized ZIPs with a message naming the file and the reason', async () => {
    const files = unzipSync(exported);
    const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json']));
    const embeddingsPath = 'data/experiments/exp-fixture-001/iteration_1/embeddings.npy';
    // A zip bomb: the manifest and the ZIP directory both say the embeddings are their real size,
    // but the entry inflates to 64 MB.
    const bombContent = new Uint8Array(64 * 1024 * 1024);
    const bombEntries = Object.entries(files).map(([name, data]) =>
      name === embeddingsPath ? { name, data: deflateSync(bombContent, { level: 9 }), method: 8 as const, uncompressedSize: data.length, crc: crc32(bombContent) } : storedEntry(name, data),
    );
    // An archive whose .npy is not what its metadata says (6 rows): 3 rows of float32
    const wrongNpy = { ...files, [embeddingsPath]: files[embeddingsPath].subarray(0, 128 + 3 * 8 * 4) };
    const header = Buffer.from(wrongNpy[embeddingsPath].subarray(0, 128)).toString('latin1').replace('(6, 8)', '(3, 8)');
    wrongNpy[embeddingsPath] = Uint8Array.from([...Buffer.from(header, 'latin1'), ...wrongNpy[embeddingsPath].subarray(128)]);
    const wrongManifest = { ...manifest, files: manifest.files.map((f: any) => (f.path === embeddingsPath ? { ...f, bytes: wrongNpy[embeddingsPath].length } : f)) };
    const cases: Array<[string, Uint8Array, RegExp, number?]> = [
      ['not-a-zip.zip', text('PK but not really a zip file at all'), /^Cannot import "not-a-zip\.zip": is not a ZIP archive \(no end-of-central-directory record\)/],
      ['truncated.zip', exported.subarray(0, Math.floor(exported.length / 2)), /^Cannot import "truncated\.zip": is not a ZIP archive/],
      ['photos.zip', zipSync({ 'a.txt': text('hello') }), /^Cannot import "photos\.zip": was not exported by Latent Calibration Studio: it has no manifest\.json\. Nothing was imported\.$/],
      ['other-tool.zip', zipSync({ 'manifest.json': text(JSON.stringify({ ...manifest, tool: 'other' })) }), /manifest\.json: names the tool "other", not "latent-calibration-studio"/],
      ['bomb.zip', craftZip(bombEntries), new RegExp(`${embeddingsPath.replace(/\./g, '\\.')}: unpacks to more than the .* that manifest\\.json states \\(stopped`)],
      ['wrong-npy.zip', zipSync({ ...wrongNpy, 'manifest.json': text(toTaggedJson(wrongManifest)) }), /iteration_1\/embeddings\.npy: has 3 rows but metadata\.json lists 6 samples/],
      ['extra.zip', zipSync({ ...files, 'evil.sh': text('rm -rf /') }), /evil\.sh: is in the ZIP but not listed in manifest\.json/],
      ['too-big.zip', exported, /would unpack to .* over the 1\.0 KB import limit/, 1024],
    ];
    for (const [name, bytes, message, cap] of cases) {
      const outcome = await session.page.evaluate(([zip, zipName, maxTotalBytes]) => (window as any).importBase64(zip, zipName, maxTotalBytes ?? undefined), [b64(bytes), name, cap ?? null] as const);
      expect(outcome.ok, name).toBe(false);
      expect(outcome.name, name).toBe('ArchiveImportError');
      expect(outcome.message, name).toMatch(message);
      expect(outcome.message, name).toMatch(/Nothing was imported\.$/);
    }
  });

  it('reports import progress up to the total, and cancels an import on abort', async () => {
    const result = await session.page.evaluate(async (zip) => {
      const w = window as any;
      const bytes = Uint8Array.from(atob(zip), (c) => c.charCodeAt(0));
      const progress: Array<[number, number]> = [];
      await w.archive.importArchive(new Blob([bytes]), { onProgress: (p: any) => progress.push([p.done, p.total]) });
      const controller = new AbortController();
      const pending = w.archive.importArchive(new Blob([bytes]), { signal: controller.signal });
      controller.abort();
      let cancelled = '';
      try {
        await pending;
      } catch (e) {
        cancelled = (e as Error).name;
      }
      return { progress, cancelled };
    }, b64(exported));
    const manifest = JSON.parse(new TextDecoder().decode(unzipSync(exported)['manifest.json']));
    const total = manifest.files.reduce((s: number, f: any) => s + f.bytes, 0);
    expect(result.progress.length).toBeGreaterThan(1);
    expect(result.progress.at(-1)).toEqual([total, total]);
    const dones = result.progress.map(([done]) => done);
    expect(dones).toEqual([...dones].sort((a, b) => a - b));
    expect(result.cancelled).toBe('CancelledError');
  });

  it('cancels an export: later calls reject with CancelledError and the worker stays usable', async () => {
    const result = await session.page.evaluate(async () => {
      const w = window as any;
      const b = w.fixtureBundle();
      const controller = new AbortController();
      const exportSession = await w.archive.beginExport({ experiment: b.experiment, chips: b.chips }, { signal: controller.signal });
      await exportSession.addIteration(0, b.iterations[0], b.samples.filter((s: any) => s.iteration === 0));
      controller.abort();
      let error = '';
      try {
        await exportSession.addIteration(1, b.iterations[1], b.samples.filter((s: any) => s.iteration === 1));
      } catch (e) {
        error = (e as Error).name;
      }
      const after = await w.blobToBase64(await w.exportBundle(b));
      return { error, afterLength: after.length };
    });
    expect(result.error).toBe('CancelledError');
    expect(result.afterLength).toBe(b64(exported).length);
  });
});
