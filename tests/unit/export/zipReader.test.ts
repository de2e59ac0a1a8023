import { deflateSync, unzipSync, zipSync } from 'fflate';
import { describe, expect, it, vi } from 'vitest';
import { ArchiveError, crc32 } from '../../../src/storage/archive';
import { ExportJob } from '../../../src/runtime/archive/exportJob';
import { readArchiveFiles } from '../../../src/runtime/archive/zipReader';
import { buildSyntheticExperiment } from '../../helpers/experimentFixture';
import { craftZip, storedEntry } from '../../helpers/zipCraft';

const GiB = 1024 ** 3;
const text = (s: string) => new TextEncoder().encode(s);

/** The real export path (ExportJob + fflate's streaming Zip) in Node, without the worker. */
async function exportFixture(): Promise<Uint8Array> {
  const x = buildSyntheticExperiment();
  const job = new ExportJob(x.experiment, x.chips, x.realImages);
  for (const n of [0, 1]) {
    const samples = x.samples.filter((s) => s.iteration === n).map(({ image, ...rest }) => ({ ...rest, png: new Blob([image as BlobPart], { type: 'image/png' }) }));
    await job.addIteration(n, x.iterations[n], samples, () => undefined);
  }
  return new Uint8Array(await job.finish().arrayBuffer());
}

async function failure(bytes: Uint8Array, maxTotalBytes = GiB): Promise<ArchiveError> {
  try {
    await readArchiveFiles(new Blob([bytes as BlobPart]), { maxTotalBytes });
  } catch (e) {
    if (e instanceof ArchiveError) return e;
    throw e;
  }
  throw new Error('expected the archive to be rejected');
}

/** A crafted archive whose manifest lists `files` with the given claimed sizes. */
function manifestFor(files: Array<{ path: string; bytes: number }>, tool = 'latent-calibration-studio') {
  return storedEntry(
    'manifest.json',
    text(JSON.stringify({ tool, format_version: 1, schema_version: 1, experiment_id: 'x', experiment_name: 'x', updated_at: '2026-01-01T00:00:00Z', counts: { iterations: 0, iteration_records: 0, samples: 0, chips: 0, real_images: 0 }, files })),
  );
}

describe('archive ZIP reading (Node, the worker code without the worker)', () => {
  it('reads back every file of a streamed export at its stated size, and the ZIP is standard (fflate unzipSync agrees)', async () => {
    const zip = await exportFixture();
    const { manifest, files } = await readArchiveFiles(new Blob([zip as BlobPart]), { maxTotalBytes: GiB });
    const standard = unzipSync(zip);
    expect(Object.keys(standard).sort()).toEqual([...files.keys(), 'manifest.json'].sort());
    for (const f of manifest.files) {
      expect(files.get(f.path)!.length).toBe(f.bytes);
      expect(Buffer.from(files.get(f.path)!).equals(Buffer.from(standard[f.path]))).toBe(true);
    }
  });

  it('exports the same bytes twice, whatever the clock and the timezone say', async () => {
    const savedTz = process.env.TZ;
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2031-05-06T07:08:09Z'));
      process.env.TZ = 'America/New_York';
      const first = await exportFixture();
      vi.setSystemTime(new Date('2040-12-31T23:59:59Z'));
      process.env.TZ = 'Asia/Tokyo';
      const second = await exportFixture();
      expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
    } finally {
      vi.useRealTimers();
      if (savedTz === undefined) delete process.env.TZ;
      else process.env.TZ = savedTz;
    }
  });

  it('rejects a file that is not a ZIP, and a truncated ZIP', async () => {
    expect((await failure(text('just some text, not an archive'))).reason).toMatch(/is not a ZIP archive/);
    const zip = await exportFixture();
    expect((await failure(zip.subarray(0, zip.length - 30))).reason).toMatch(/is not a ZIP archive|damaged/);
  });

  it('rejects a ZIP from another tool: no manifest, or a manifest naming another tool', async () => {
    const foreign = zipSync({ 'data.csv': text('a,b\n1,2\n') });
    expect((await failure(foreign)).reason).toMatch(/was not exported by Latent Calibration Studio: it has no manifest\.json/);
    const other = craftZip([manifestFor([], 'some-other-tool')]);
    const e = await failure(other);
    expect(e.file).toBe('manifest.json');
    expect(e.reason).toMatch(/names the tool "some-other-tool"/);
  });

  it('stops a zip bomb whose entry inflates far past the size the manifest and the directory claim', async () => {
    const bombContent = new Uint8Array(20 * 1024 * 1024); // 20 MB of zeros → ~20 KB deflated
    const deflated = deflateSync(bombContent, { level: 9 });
    const bomb = { name: 'data/experiments/x/iteration_0/embeddings.npy', data: deflated, method: 8 as const, uncompressedSize: 1000, crc: crc32(bombContent) };
    const e = await failure(craftZip([manifestFor([{ path: bomb.name, bytes: 1000 }]), bomb]));
    expect(e.file).toBe(bomb.name);
    expect(e.reason).toMatch(/unpacks to more than the 1000 bytes that manifest\.json states \(stopped/);
  });

  it('rejects entries whose directory size differs from the manifest, unlisted entries, missing entries', async () => {
    const a = storedEntry('README.md', text('hello'));
    let e = await failure(craftZip([manifestFor([{ path: 'README.md', bytes: 4 }]), a]));
    expect(e.message).toBe('README.md: the ZIP directory says it unpacks to 5 bytes but manifest.json says 4');
    e = await failure(craftZip([manifestFor([]), a]));
    expect(e.message).toBe('README.md: is in the ZIP but not listed in manifest.json');
    e = await failure(craftZip([manifestFor([{ path: 'README.md', bytes: 5 }, { path: 'report.html', bytes: 3 }]), a]));
    expect(e.message).toBe('report.html: is listed in manifest.json but missing from the ZIP');
    e = await failure(craftZip([manifestFor([{ path: '../evil.sh', bytes: 5 }]), { ...a, name: '../evil.sh' }]));
    expect(e.file).toBe('manifest.json');
    expect(e.reason).toMatch(/unsafe path/);
  });

  it('refuses an archive whose stated total is over the import cap, before inflating it', async () => {
    const zip = await exportFixture();
    const e = await failure(zip, 4096);
    expect(e.file).toBeNull();
    expect(e.reason).toMatch(/would unpack to .* over the 4\.0 KB import limit/);
  });

  it('detects a damaged entry by its CRC-32', async () => {
    const content = text('{"a": 1}');
    const damaged = { ...storedEntry('README.md', content), crc: crc32(content) ^ 1 };
    const e = await failure(craftZip([manifestFor([{ path: 'README.md', bytes: content.length }]), damaged]));
    expect(e.message).toBe('README.md: fails its CRC-32 check (the file is damaged)');
  });
});
