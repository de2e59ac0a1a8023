import { describe, expect, it } from 'vitest';
import { ArchiveError, checkDirectory, validateManifest, type ArchiveManifest, type ZipEntry } from '../../../src/storage/archive';

const valid: ArchiveManifest = {
  tool: 'latent-calibration-studio',
  format_version: 1,
  schema_version: 1,
  experiment_id: 'e1',
  experiment_name: 'n',
  updated_at: '2026-01-01T00:00:00Z',
  counts: { iterations: 1, iteration_records: 1, samples: 2, chips: 1, real_images: 0 },
  files: [
    { path: 'README.md', bytes: 10 },
    { path: 'data/base_chips/a.png', bytes: 20 },
  ],
};

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ArchiveError);
    return (e as Error).message;
  }
  throw new Error('expected an ArchiveError');
}

const entry = (name: string, size: number): ZipEntry => ({ name, compression: 8, flags: 0, crc32: 0, compressedSize: 1, uncompressedSize: size, localHeaderOffset: 0 });

describe('validateManifest', () => {
  it('accepts a manifest this tool writes', () => {
    expect(validateManifest(structuredClone(valid))).toEqual(valid);
  });

  it('says why another manifest is refused', () => {
    const cases: Array<[unknown, string]> = [
      [[], 'manifest.json: is not a JSON object'],
      [{ ...valid, tool: undefined }, 'manifest.json: has no "tool" field: this ZIP was not exported by Latent Calibration Studio'],
      [{ ...valid, tool: 'other-tool' }, 'manifest.json: names the tool "other-tool", not "latent-calibration-studio": this ZIP was made by another tool'],
      [{ ...valid, format_version: 2 }, 'manifest.json: is archive format 2, newer than this version reads (up to 1): update the app'],
      [{ ...valid, schema_version: 9 }, 'manifest.json: holds experiment schema 9, newer than this version reads (up to 2): update the app'],
      [{ ...valid, experiment_id: '' }, 'manifest.json: "experiment_id" must be a non-empty string'],
      [{ ...valid, counts: { ...valid.counts, samples: -1 } }, 'manifest.json: "counts.samples" must be a whole number ≥ 0'],
      [{ ...valid, files: [{ path: 'a', bytes: 1.5 }] }, 'manifest.json: files[0] must be {"path": string, "bytes": whole number}'],
      [{ ...valid, files: [{ path: 'a/../../etc/passwd', bytes: 1 }] }, 'manifest.json: files[0] has an unsafe path "a/../../etc/passwd"'],
      [{ ...valid, files: [{ path: '/abs', bytes: 1 }] }, 'manifest.json: files[0] has an unsafe path "/abs"'],
      [{ ...valid, files: [valid.files[0], valid.files[0]] }, 'manifest.json: lists README.md twice'],
      [{ ...valid, files: [{ path: 'manifest.json', bytes: 1 }] }, 'manifest.json: lists itself'],
    ];
    for (const [value, message] of cases) expect(messageOf(() => validateManifest(value))).toBe(message);
  });
});

describe('checkDirectory', () => {
  const limits = { maxTotalBytes: 1000 };
  it('returns the entries in manifest order when the ZIP matches', () => {
    const ordered = checkDirectory([entry('manifest.json', 50), entry('data/base_chips/a.png', 20), entry('README.md', 10), entry('data/', 0)], valid, limits);
    expect(ordered.map((e) => e.name)).toEqual(['README.md', 'data/base_chips/a.png']);
  });

  it('names the entry and the mismatch', () => {
    expect(messageOf(() => checkDirectory([entry('README.md', 10), entry('data/base_chips/a.png', 2000)], valid, limits))).toBe(
      'data/base_chips/a.png: the ZIP directory says it unpacks to 2000 bytes but manifest.json says 20',
    );
    expect(messageOf(() => checkDirectory([entry('README.md', 10), entry('data/base_chips/a.png', 20), entry('x.bin', 1)], valid, limits))).toBe(
      'x.bin: is in the ZIP but not listed in manifest.json',
    );
    expect(messageOf(() => checkDirectory([entry('README.md', 10)], valid, limits))).toBe('data/base_chips/a.png: is listed in manifest.json but missing from the ZIP');
    expect(messageOf(() => checkDirectory([entry('README.md', 10), entry('README.md', 10)], valid, limits))).toBe('README.md: appears twice in the ZIP');
    expect(messageOf(() => checkDirectory([entry('manifest.json', 5), entry('README.md', 10), entry('data/base_chips/a.png', 20)], valid, { maxTotalBytes: 30 }))).toBe(
      'would unpack to 35 bytes, over the 30 bytes import limit',
    );
  });
});
