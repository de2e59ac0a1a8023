import { describe, expect, it } from 'vitest';
import { domainById } from '../../../src/domains/registry';
import {
  ArchiveError,
  closingFiles,
  decodeNpy,
  experimentFiles,
  iterationFiles,
  manifestFile,
  readArchiveContents,
  validateManifest,
  type ArchiveFile,
  type ArchiveManifest,
  type MapPoint,
} from '../../../src/storage/archive';
import { buildSyntheticExperiment, type SyntheticExperiment } from '../../helpers/experimentFixture';

/** Every file of the archive, built the way the worker streams them (without the ZIP). */
function buildFiles(x: SyntheticExperiment): ArchiveFile[] {
  const files: ArchiveFile[] = [...experimentFiles(x.experiment, x.chips, x.realImages)];
  const points: MapPoint[] = [];
  const numbers = [...new Set(x.samples.map((s) => s.iteration))].sort((a, b) => a - b);
  for (const n of numbers) {
    const part = iterationFiles(x.experiment, n, x.samples.filter((s) => s.iteration === n).reverse());
    files.push(...part.files);
    points.push(...part.points);
  }
  files.push(...closingFiles(x.experiment, x.iterations, numbers, points, x.samples.length));
  const counts = { iterations: numbers.length, iteration_records: x.iterations.length, samples: x.samples.length, chips: x.chips.length, real_images: x.realImages.length };
  files.push(manifestFile(x.experiment, counts, files.map((f) => ({ path: f.path, bytes: f.bytes.length }))));
  return files;
}

function read(files: ArchiveFile[]) {
  const map = new Map(files.map((f) => [f.path, f.bytes]));
  const manifest = validateManifest(JSON.parse(new TextDecoder().decode(map.get('manifest.json')!))) as ArchiveManifest;
  map.delete('manifest.json');
  return readArchiveContents(manifest, map, (id) => domainById(id)?.configSection);
}

function errorOf(fn: () => unknown): ArchiveError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ArchiveError) return e;
    throw e;
  }
  throw new Error('expected an ArchiveError');
}

const byKey = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : 1);
const byId = <T extends { sample_id: string }>(a: T, b: T) => (a.sample_id < b.sample_id ? -1 : 1);

describe('archive files (no ZIP)', () => {
  for (const userTarget of [false, true]) {
    it(`rebuild the same records and, written again, the same bytes (${userTarget ? 'user' : 'simulated'} target)`, () => {
      const x = buildSyntheticExperiment({ userTarget });
      const files = buildFiles(x);
      const back = read(files);
      expect(back.experiment).toEqual(x.experiment);
      expect(back.iterations).toEqual(x.iterations);
      // chips and real images come back in canonical (id) order
      expect(back.chips).toEqual([...x.chips].sort(byKey));
      expect(back.realImages).toEqual([...x.realImages].sort(byKey));
      expect(back.realImages).toHaveLength(userTarget ? 2 : 0);
      expect([...back.samples].sort(byId)).toEqual([...x.samples].sort(byId));
      const again = buildFiles({ ...back, samples: back.samples });
      expect(again.map((f) => f.path)).toEqual(files.map((f) => f.path));
      again.forEach((f, i) => expect(Buffer.from(f.bytes).equals(Buffer.from(files[i].bytes)), f.path).toBe(true));
    });
  }

  it("lay out the Python pipeline's folders, with .npy shapes that match metadata.json", () => {
    const x = buildSyntheticExperiment({ iterations: 2, samplesPerIteration: 6, dim: 8 });
    const files = new Map(buildFiles(x).map((f) => [f.path, f.bytes]));
    const dir = 'data/experiments/exp-fixture-001';
    for (const n of [0, 1]) {
      const meta = JSON.parse(new TextDecoder().decode(files.get(`${dir}/iteration_${n}/metadata.json`)!));
      expect(meta).toHaveLength(6);
      for (const row of meta) {
        expect(Object.keys(row)).toEqual(expect.arrayContaining(['sample_id', 'iteration', 'dataset_type', 'param_set_id', 'replication_seed', 'base_image_id', 'params', 'uncontrolled_params', 'timestamp']));
        expect(files.has(`${dir}/iteration_${n}/images/${row.sample_id}.png`)).toBe(true);
      }
      expect(meta.map((m: { sample_id: string }) => m.sample_id)).toEqual([...meta.map((m: { sample_id: string }) => m.sample_id)].sort());
      expect(decodeNpy(files.get(`${dir}/iteration_${n}/embeddings.npy`)!).shape).toEqual([6, 8]);
      expect(decodeNpy(files.get(`${dir}/iteration_${n}/embeddings_raw.npy`)!).shape).toEqual([6, 8]);
      const xy = decodeNpy(files.get(`${dir}/iteration_${n}/pca_2d.npy`)!);
      expect(xy.shape).toEqual([6, 2]);
      expect(xy.descr).toBe('<f8');
    }
    expect(files.has(`${dir}/iteration_0/pca_model.json`)).toBe(true);
    expect(files.has('configs/experiment_config.yaml')).toBe(true);
    expect(files.has('data/base_chips/NoVoids_53438_0003_result.png')).toBe(true);
    expect(files.has('data/base_chips/demo%20chip%20%C3%BC%20%232.png')).toBe(true);
    // row i of embeddings.npy is metadata row i's embedding
    const meta0 = JSON.parse(new TextDecoder().decode(files.get(`${dir}/iteration_0/metadata.json`)!));
    const emb0 = decodeNpy(files.get(`${dir}/iteration_0/embeddings.npy`)!);
    meta0.forEach((m: { sample_id: string }, i: number) => {
      const sample = x.samples.find((s) => s.sample_id === m.sample_id)!;
      expect(Array.from(emb0.data.subarray(i * 8, i * 8 + 8))).toEqual(Array.from(sample.embedding));
    });
  });

  it('name the file and the reason when the parts do not fit together', () => {
    const x = buildSyntheticExperiment();
    const dir = 'data/experiments/exp-fixture-001';
    const mutate = (path: string, change: (bytes: Uint8Array) => Uint8Array | null) =>
      buildFiles(x).flatMap((f) => {
        if (f.path !== path) return [f];
        const changed = change(f.bytes);
        return changed ? [{ path, bytes: changed }] : [];
      });
    const text = (s: string) => new TextEncoder().encode(s);
    const json = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes));

    let e = errorOf(() => read(mutate(`${dir}/iteration_1/metadata.json`, (b) => text(JSON.stringify(json(b).map((r: Record<string, unknown>) => ({ ...r, timestamp: undefined })))))));
    expect(e.file).toBe(`${dir}/iteration_1/metadata.json`);
    expect(e.reason).toMatch(/row 0 lacks timestamp/);

    e = errorOf(() => read(mutate(`${dir}/iteration_0/embeddings.npy`, () => decodeNpyRows(3))));
    expect(e.message).toMatch(/iteration_0\/embeddings\.npy: has 3 rows but metadata\.json lists 6 samples/);

    e = errorOf(() => read(mutate(`${dir}/iteration_0/pca_2d.npy`, (b) => b.subarray(0, b.length - 8))));
    expect(e.message).toMatch(/pca_2d\.npy: is not a valid \.npy file: shape \(6, 2\) needs 96 data bytes but the file has 88/);

    e = errorOf(() => read(mutate('configs/experiment_config.yaml', (b) => text(new TextDecoder().decode(b).replace('max_iterations: 10', 'max_iterations: 12')))));
    expect(e.file).toBe('configs/experiment_config.yaml');
    expect(e.reason).toMatch(/does not match the configuration in experiment\.json/);

    e = errorOf(() => read(mutate(`${dir}/history.json`, () => text('{"iterations": ['))));
    expect(e.message).toMatch(/history\.json: is not valid JSON/);

    e = errorOf(() => read(mutate(`${dir}/iteration_1/images/iter1_synthetic_003.png`, () => null)));
    expect(e.message).toMatch(/iter1_synthetic_003\.png: is the image of iter1_synthetic_003 in samples\.json but missing/);

    e = errorOf(() => read([...buildFiles(x), { path: `${dir}/iteration_1/notes.txt`, bytes: text('hi') }]));
    expect(e.message).toMatch(/notes\.txt: is not part of the archive layout/);
  });
});

function decodeNpyRows(rows: number): Uint8Array {
  // a valid float32 (rows, 8) array: the wrong row count for the folder
  const header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, 8), }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  const text = header + ' '.repeat(pad) + '\n';
  const out = new Uint8Array(10 + text.length + rows * 32);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, text.length & 255, text.length >> 8]);
  out.set(new TextEncoder().encode(text), 10);
  return out;
}
