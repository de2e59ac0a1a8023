import { describe, expect, it } from 'vitest';
import { domainRegistry } from '../../../src/app/domains';
import { ExperimentService } from '../../../src/app/experimentService';
import type { VariantEmbedder } from '../../../src/app/variantComparison';
import { voidsDomain } from '../../../src/domains/voids/domain';
import { imageStatisticsEmbedding } from '../../../src/embedders/imageStatistics';
import { l2Normalize } from '../../../src/embedders/pooling';
import { defaultExperimentConfig, type ExperimentConfig } from '../../../src/engine/config/experimentConfig';
import type { ImagePixels } from '../../../src/engine/domain';
import { reportHtml } from '../../../src/storage/archive/report';
import { fromTaggedJson } from '../../../src/storage/archive/taggedJson';
import { experimentFiles } from '../../../src/storage/archive/writeArchive';
import { MemoryExperimentStore, memoryServices } from '../pipeline/memoryServices';

/**
 * "Compare model variants" through ExperimentService in Node: a voids experiment's iteration 0 (images
 * embedded with image statistics as its model), then the comparison of that model with a variant whose
 * vectors are rounded (a small drift) and with one that is not the same model at all (a large drift).
 */
const config: ExperimentConfig = {
  ...defaultExperimentConfig(),
  close: { param_sets: 4, replications: 3, total_size: 12 },
  far: { param_sets: 4, replications: 3, total_size: 12 },
  iteration_batch_size: 4,
};
const chip = (id: string) => ({ id, bytes: new ArrayBuffer(8), width: 96, height: 96 });

function setup() {
  const store = new MemoryExperimentStore();
  const pipeline = memoryServices(store);
  // PNGs as width, height and the raw pixels: the comparison decodes what iteration 0 stored.
  const encode = (image: ImagePixels) => new Blob([Uint32Array.of(image.width, image.height), image.pixels.slice()]);
  pipeline.encodePng = async (image) => encode(image);
  const generate = pipeline.generate;
  pipeline.generate = async (...args) => (await generate(...args)).map((out) => (out.image ? { ...out, png: encode(out.image) } : out));
  pipeline.decodeImage = async (_name, bytes) => {
    const [width, height] = new Uint32Array(bytes.slice(0, 8));
    return { width, height, pixels: new Uint8ClampedArray(bytes.slice(8)) };
  };
  let t = 0;
  const service = new ExperimentService({ store, pipeline, domains: domainRegistry([voidsDomain]), now: () => new Date(Date.UTC(2026, 0, 1) + 1000 * t++).toISOString() });
  return { store, service };
}

/** A variant that embeds with image statistics, its raw vector passed through `transform`. */
function variant(label: string, precision: string, transform: (raw: Float32Array) => Float32Array = (r) => r): VariantEmbedder & { seen: number } {
  const v = {
    seen: 0,
    async embed(images: ImagePixels[]) {
      v.seen += images.length;
      const items = images.map((im) => {
        const raw = transform(imageStatisticsEmbedding(im));
        return { raw, embedding: l2Normalize(raw) };
      });
      return { items, description: { id: `stats/${precision}`, label, precision, backend: 'js' } };
    },
  };
  return v;
}

describe('ExperimentService.compareVariants', () => {
  it('embeds the real set and iteration 0 with both variants, judges the drift against the floor and stores it', async () => {
    const { store, service } = setup();
    const experiment = await service.create({
      domain: 'voids',
      config,
      target: 'simulated',
      embedder: { id: 'image-statistics', label: 'stats', dimension: 57, normalized: true },
      inputs: { chips: [chip('a.png'), chip('b.png'), chip('c.png')] },
    });
    await expect(service.compareVariants(experiment.id, { reference: variant('A', 'fp32'), candidate: variant('B', 'int8') })).rejects.toThrow(/run iteration 0 first/);
    const run = await service.run(experiment.id, { iterations: 1 });
    expect(run.kind).toBe('done');

    const reference = variant('stats fp32', 'fp32');
    const rounded = variant('stats rounded', 'int8', (raw) => raw.map((v) => Math.round(v * 1000) / 1000));
    const stages = new Set<string>();
    const record = await service.compareVariants(experiment.id, { reference, candidate: rounded }, { onProgress: (p) => stages.add(p.stage) });
    const iterationZero = (await store.getIterations(experiment.id))[0];
    const floor = iterationZero.scores!.metrics.mmd2_unbiased.floor;
    if (!floor.available) throw new Error('iteration 0 has no floor');
    expect(record.images).toEqual({ real: expect.any(Number), iteration0: 24 });
    expect(record.images.real).toBeGreaterThanOrEqual(4);
    expect(reference.seen).toBe(record.images.real + 24);
    expect(rounded.seen).toBe(reference.seen);
    expect(record.cosines).toHaveLength(reference.seen);
    expect(record.cosine.min).toBeGreaterThan(0.99);
    expect(record).toMatchObject({ bandwidth: (await service.get(experiment.id)).scoring!.bandwidth, floor: floor.high, share: 0.1, verdict: 'safe' });
    expect(record.floorSource).toMatch(/^iteration 0's noise floor: the 95th percentile of real-vs-real MMD² over \d+ splits of the real set/);
    expect(record.reference).toEqual({ id: 'stats/fp32', label: 'stats fp32', precision: 'fp32', backend: 'js' });
    expect([...stages]).toEqual(['images', 'reference', 'candidate', 'drift']);

    // Stored with the experiment, and nothing else it holds changed.
    const stored = await service.get(experiment.id);
    expect(stored.variantComparison).toEqual(record);
    expect({ ...stored, variantComparison: undefined }).toEqual({ ...run.kind === 'done' ? run.experiment : {}, variantComparison: undefined });

    // Another model altogether: not safe, and the latest comparison replaces the first.
    const other = variant('not the same model', 'fp32', (raw) => raw.map((v, i) => (i % 2 ? v * 3 : -v)));
    const far = await service.compareVariants(experiment.id, { reference, candidate: other }, { share: 0.05 });
    expect(far).toMatchObject({ verdict: 'not safe', share: 0.05 });
    expect(far.ratio).toBeGreaterThan(0.05);
    expect(far.statement).toMatch(/^not safe for this experiment: .* \(not below the 5\.0 % allowed\)$/);
    expect((await service.get(experiment.id)).variantComparison).toEqual(far);

    // The archive's experiment.json carries it as it is.
    const file = experimentFiles(await service.get(experiment.id), await store.getChips(experiment.id)).find((f) => f.path.endsWith('experiment.json'))!;
    expect(fromTaggedJson<{ experiment: { variantComparison: unknown } }>(new TextDecoder().decode(file.bytes)).experiment.variantComparison).toEqual(far);

    // The report says which variants were compared, with the verdict and its numbers.
    const html = reportHtml({ experiment: await service.get(experiment.id), iterations: await store.getIterations(experiment.id), points: [], sampleCount: 0 });
    expect(html).toMatch(/<dt>Model variants<\/dt><dd>stats fp32 \(fp32, js\) vs not the same model \(fp32, js\) on \d+ real \+ 24 iteration-0 images, [^:]+:\d\d:\d\d\.\d+Z: not safe for this experiment: .*MMD² [\d.e-]+ against 5 % of the floor/);
    expect(reportHtml({ experiment, iterations: [], points: [], sampleCount: 0 })).toContain('<dt>Model variants</dt><dd>not compared');
  });

  it('before iteration 0 compares a user’s real images against a provisional floor; a running experiment is refused', async () => {
    const { service } = setup();
    const image = (k: number) => {
      const pixels = new Uint8ClampedArray(64 * 64 * 4).map((_, i) => (i % 4 === 3 ? 255 : ((i * (k + 3)) % 97) + 40 * (k % 3)));
      return { id: `real_${k}.png`, bytes: new Uint8Array([...new Uint8Array(Uint32Array.of(64, 64).buffer), ...pixels]).buffer, width: 64, height: 64 };
    };
    const experiment = await service.create({
      domain: 'voids',
      config,
      target: 'user',
      embedder: { id: 'image-statistics', label: 'stats', dimension: 57, normalized: true },
      inputs: { chips: [chip('a.png')], realImages: Array.from({ length: 8 }, (_, k) => image(k)) },
    });
    const record = await service.compareVariants(experiment.id, { reference: variant('A', 'fp32'), candidate: variant('B', 'int8', (raw) => raw.map((v) => Math.round(v * 1e4) / 1e4)) });
    expect(record.images).toEqual({ real: 8, iteration0: 0 });
    expect(record.floorSource).toMatch(/^provisional, before iteration 0: the 95th percentile of real-vs-real MMD² over 70 splits of the real set \(4 vs 4\); σ by the median heuristic/);
    expect(record.floor).toBeGreaterThan(0);

    const locked = new ExperimentService({ store: new MemoryExperimentStore(), pipeline: memoryServices(new MemoryExperimentStore()), domains: domainRegistry([voidsDomain]), locks: { acquire: async () => null } });
    const elsewhere = await locked.create({ domain: 'voids', config, target: 'simulated', embedder: { id: 'image-statistics', label: 'stats', dimension: 57, normalized: true }, inputs: { chips: [chip('a.png')] } });
    await expect(locked.compareVariants(elsewhere.id, { reference: variant('A', 'fp32'), candidate: variant('B', 'int8') })).rejects.toThrow(/is running \(here or in another tab\): stop it, then compare model variants/);
  });
});
