import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openChromium, type ChromiumSession } from '../helpers/chromium';
import { encodeBmp, encodeTiffGrey, greyPng, encodePng } from '../helpers/imageFiles';

const CIRCLES = {
  void_shape: 'circle',
  void_count: 7,
  base_size: 9,
  brightness_factor: 0.5,
  size_std: 0,
  position_spread: 0.75,
};

async function openHarness(page: Page) {
  await page.goto(`${inject('baseUrl')}/tests/browser/pages/generator.html`);
  await page.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true);
  // One pool per page, with the five demo chips registered.
  await page.evaluate(async () => {
    const w = window as any;
    w.pool = new w.GeneratorPool(2);
    const index = await (await fetch('/chips/index.json')).json();
    await w.pool.setChips(await Promise.all(index.map(async (c: any) => ({ id: c.id, bytes: await w.fetchBytes(`/chips/${c.file}`) }))));
  });
}

describe('void generator worker pool', () => {
  let session: ChromiumSession;
  beforeAll(async () => {
    session = await openChromium();
    await openHarness(session.page);
  });
  afterAll(async () => {
    await session?.close();
  });

  it('gives identical pixels for the same (chip, params, seed), across runs and a worker restart', async () => {
    const result = await session.page.evaluate(async (params) => {
      const w = window as any;
      const jobs = [0, 1, 2].flatMap((seed) =>
        ['demo_chip_1.png', 'demo_chip_3.png'].map((chip) => ({
          sample_id: `s_${chip}_${seed}`,
          iteration: 0,
          dataset_type: 'real',
          param_set_id: 'ps_000',
          replication_seed: seed,
          base_image_id: chip,
          params: { ...params, void_shape: 'irregular' },
          position_rule: 'centered',
        })),
      );
      const hashes = async () => Promise.all((await w.pool.generate(jobs)).map((im: any) => w.sha256(im.pixels)));
      const first = await hashes();
      const second = await hashes();
      w.pool.terminate();
      const afterRestart = await hashes();
      return { first, second, afterRestart };
    }, CIRCLES);
    expect(result.second).toEqual(result.first);
    expect(result.afterRestart).toEqual(result.first);
    expect(new Set(result.first).size).toBe(6); // every (chip, seed) pair differs
  });

  it('draws exactly void_count voids where the returned geometry says, and nothing elsewhere', async () => {
    const stats = await session.page.evaluate(async (params) => {
      const w = window as any;
      const out = [];
      for (const [shape, seed] of [['circle', 3], ['ellipse', 4], ['irregular', 5]] as const) {
        const job = {
          sample_id: 'geom',
          iteration: 0,
          dataset_type: 'synthetic',
          param_set_id: 'ps_001',
          replication_seed: seed,
          base_image_id: 'demo_chip_2.png',
          params: { ...params, void_shape: shape },
          position_rule: 'centered',
        };
        const [image] = await w.pool.generate([job]);
        const [clean] = await w.pool.generate([{ ...job, params: { ...job.params, void_count: 0 } }]);
        const { width, height, pixels, geometry } = image;
        const base = clean.pixels;
        const reach = (v: any) => Math.max(v.semiMajor, v.semiMinor, v.radius) + 5 * geometry.edgeBlur;
        // Pixels farther than every void's reach must be untouched.
        let changedOutside = 0;
        const changed = new Uint8Array(width * height);
        for (let y = 0; y < height; y++) {
          for (let x = 0; x < width; x++) {
            const i = y * width + x;
            const delta = base[i * 4] - pixels[i * 4];
            const near = geometry.voids.some((v: any) => Math.hypot(x + 0.5 - v.cx, y + 0.5 - v.cy) <= reach(v));
            if (!near && delta !== 0) changedOutside++;
            // "Clearly inside": darkened by more than half of the full effect.
            if (delta > 0.5 * base[i * 4] * (1 - params.brightness_factor)) changed[i] = 1;
          }
        }
        // Connected components (4-neighbour) of the clearly-darkened mask.
        const label = new Int32Array(width * height).fill(-1);
        let components = 0;
        for (let s = 0; s < changed.length; s++) {
          if (!changed[s] || label[s] >= 0) continue;
          const stack = [s];
          label[s] = components;
          while (stack.length) {
            const p = stack.pop()!;
            const x = p % width;
            const y = (p - x) / width;
            for (const q of [x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, y > 0 ? p - width : -1, y < height - 1 ? p + width : -1]) {
              if (q >= 0 && changed[q] && label[q] < 0) {
                label[q] = components;
                stack.push(q);
              }
            }
          }
          components++;
        }
        // Voids whose outlines overlap merge into one blob: count clusters from the geometry.
        const n = geometry.voids.length;
        const parent = Array.from({ length: n }, (_, i) => i);
        const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
        for (let a = 0; a < n; a++)
          for (let b = a + 1; b < n; b++) {
            const va = geometry.voids[a];
            const vb = geometry.voids[b];
            if (Math.hypot(va.cx - vb.cx, va.cy - vb.cy) < Math.max(va.semiMajor, va.radius) + Math.max(vb.semiMajor, vb.radius) + 2) parent[find(a)] = find(b);
          }
        const clusters = new Set(Array.from({ length: n }, (_, i) => find(i))).size;
        // Every void centre is inside a darkened component, with the configured brightness ratio.
        const centreRatios = geometry.voids.map((v: any) => {
          const i = Math.floor(v.cy) * width + Math.floor(v.cx);
          return pixels[i * 4] / base[i * 4];
        });
        const centreLabels = geometry.voids.map((v: any) => label[Math.floor(v.cy) * width + Math.floor(v.cx)]);
        out.push({ shape, voids: n, components, clusters, changedOutside, centreRatios, centreLabels, rotation: image.metadata.uncontrolled_params.rotation });
      }
      return out;
    }, CIRCLES);
    for (const s of stats) {
      expect(s.voids, s.shape).toBe(CIRCLES.void_count);
      expect(s.changedOutside, s.shape).toBe(0);
      expect(s.components, s.shape).toBe(s.clusters);
      expect(s.centreLabels.every((l: number) => l >= 0), s.shape).toBe(true);
      for (const r of s.centreRatios) expect(Math.abs(r - CIRCLES.brightness_factor), s.shape).toBeLessThan(0.02);
      expect(s.rotation).toBeGreaterThanOrEqual(0);
      expect(s.rotation).toBeLessThan(360);
    }
    // The test is only meaningful if most voids are separate.
    expect(stats.some((s) => s.clusters >= 5)).toBe(true);
  });

  it('multiplies pixel values by brightness_factor inside a void and leaves them alone outside', async () => {
    const ratios = await session.page.evaluate(async (params) => {
      const w = window as any;
      const result: Record<string, { inside: number; outside: number }> = {};
      for (const b of [0.3, 0.55, 0.8]) {
        const job = {
          sample_id: 'b',
          iteration: 0,
          dataset_type: 'synthetic',
          param_set_id: 'ps_002',
          replication_seed: 0,
          base_image_id: 'demo_chip_4.png',
          params: { ...params, brightness_factor: b, base_size: 20, void_count: 5 },
          position_rule: 'corner',
        };
        const [image] = await w.pool.generate([job]);
        const [clean] = await w.pool.generate([{ ...job, params: { ...job.params, void_count: 0 } }]);
        let inSum = 0, inBase = 0, outSum = 0, outBase = 0;
        for (let y = 0; y < image.height; y++)
          for (let x = 0; x < image.width; x++) {
            const d = Math.min(...image.geometry.voids.map((v: any) => Math.hypot(x + 0.5 - v.cx, y + 0.5 - v.cy) - v.radius));
            const i = (y * image.width + x) * 4;
            if (d < -3 * image.geometry.edgeBlur) { inSum += image.pixels[i]; inBase += clean.pixels[i]; }
            else if (d > 5 * image.geometry.edgeBlur) { outSum += image.pixels[i]; outBase += clean.pixels[i]; }
          }
        result[b] = { inside: inSum / inBase, outside: outSum / outBase };
      }
      return result;
    }, CIRCLES);
    for (const [b, r] of Object.entries(ratios)) {
      expect(r.inside).toBeCloseTo(Number(b), 2);
      expect(r.outside).toBe(1);
    }
  });

  it('returns the metadata record and the PNG when asked', async () => {
    const image = await session.page.evaluate(async (params) => {
      const w = window as any;
      const [im] = await w.pool.generate(
        [{ sample_id: 'iter0_real_000', iteration: 0, dataset_type: 'real', param_set_id: 'ps_000', replication_seed: 2, base_image_id: 'demo_chip_1.png', params, position_rule: 'centered' }],
        { encodePng: true, timestamp: '2026-01-01T10:30:00.000Z' },
      );
      const png = new Uint8Array(await im.png.arrayBuffer());
      return { metadata: im.metadata, pngHead: Array.from(png.slice(0, 4)), pngBytes: png.length, width: im.width };
    }, CIRCLES);
    expect(Object.keys(image.metadata).sort()).toEqual(
      ['base_image_id', 'dataset_type', 'iteration', 'param_set_id', 'params', 'position_rule', 'replication_seed', 'sample_id', 'timestamp', 'uncontrolled_params'],
    );
    expect(image.metadata).toMatchObject({ sample_id: 'iter0_real_000', replication_seed: 2, base_image_id: 'demo_chip_1.png', params: CIRCLES, timestamp: '2026-01-01T10:30:00.000Z' });
    expect(image.metadata.uncontrolled_params.edge_blur).toBe(2);
    expect(image.pngHead).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(image.pngBytes).toBeGreaterThan(10_000);
  });

  it("makes each image's model input beside it when asked (prepareFor), the same as the embed worker would", async () => {
    const out = await session.page.evaluate(async (params) => {
      const w = window as any;
      const job = { sample_id: 'iter1_synthetic_000', iteration: 1, dataset_type: 'synthetic', param_set_id: 'ps_000', replication_seed: 1, base_image_id: 'demo_chip_3.png', params, position_rule: 'centered' };
      const [plain] = await w.pool.generate([job], {});
      const [im] = await w.pool.generate([job], { prepareFor: w.DINOV2_PREPROCESS });
      const expected: Float32Array = w.preprocessImage({ width: im.width, height: im.height, pixels: im.pixels }, w.DINOV2_PREPROCESS);
      let maxDiff = 0;
      for (let i = 0; i < expected.length; i++) maxDiff = Math.max(maxDiff, Math.abs(expected[i] - im.prepared.data[i]));
      return { plainPrepared: plain.prepared ?? null, key: im.prepared.specKey, expectedKey: w.preprocessKey(w.DINOV2_PREPROCESS), length: im.prepared.data.length, maxDiff, width: im.width };
    }, CIRCLES);
    expect(out.plainPrepared).toBeNull();
    expect(out.width).toBe(640); // a 640 × 512 chip: resized and cropped, not just copied
    expect(out.key).toBe(out.expectedKey);
    expect(out.length).toBe(3 * 224 * 224);
    expect(out.maxDiff).toBe(0);
  });

  it('setting the same chips again keeps them; new bytes under a known name replace the chip', async () => {
    const out = await session.page.evaluate(async (params) => {
      const w = window as any;
      const a: ArrayBuffer = await w.fetchBytes('/chips/demo_chip_1.png');
      const b: ArrayBuffer = await w.fetchBytes('/chips/demo_chip_3.png');
      const job = { sample_id: 'iter1_synthetic_000', iteration: 1, dataset_type: 'synthetic', param_set_id: 'ps_000', replication_seed: 4, base_image_id: 'x.png', params, position_rule: 'centered' };
      const hash = async (pool: any) => w.sha256((await pool.generate([job]))[0].pixels);
      const pool = new w.GeneratorPool(2);
      const first = await pool.setChips([{ id: 'x.png', bytes: a }]);
      const before = await hash(pool);
      const again = await pool.setChips([{ id: 'x.png', bytes: a.slice(0) }]);
      const same = await hash(pool);
      const replaced = await pool.setChips([{ id: 'x.png', bytes: b }]);
      const changed = await hash(pool);
      const fresh = new w.GeneratorPool(1);
      await fresh.setChips([{ id: 'x.png', bytes: b }]);
      const reference = await hash(fresh);
      pool.terminate();
      fresh.terminate();
      return { first: first.get('x.png'), again: again.get('x.png'), replaced: replaced.get('x.png'), before, same, changed, reference };
    }, CIRCLES);
    expect(out.again).toEqual(out.first);
    expect(out.same).toBe(out.before);
    expect(out.replaced).toEqual({ width: 640, height: 512 });
    expect(out.changed).toBe(out.reference);
    expect(out.changed).not.toBe(out.before);
  });

  it('cancels a running batch', async () => {
    const outcome = await session.page.evaluate(async (params) => {
      const w = window as any;
      const controller = new AbortController();
      const jobs = Array.from({ length: 200 }, (_, i) => ({ sample_id: `c${i}`, iteration: 1, dataset_type: 'synthetic', param_set_id: 'ps_003', replication_seed: i, base_image_id: 'demo_chip_5.png', params, position_rule: 'centered' }));
      let progressSeen = 0;
      const promise = w.pool.generate(jobs, { encodePng: true, signal: controller.signal, onProgress: (p: any) => { progressSeen = p.done; if (p.done >= 8) controller.abort(); } });
      try {
        await promise;
        return { error: null, progressSeen };
      } catch (e: any) {
        return { error: e.name, progressSeen };
      }
    }, CIRCLES);
    expect(outcome.error).toBe('CancelledError');
    expect(outcome.progressSeen).toBeLessThan(200);
  });
});

describe('base chip decoding', () => {
  let session: ChromiumSession;
  beforeAll(async () => {
    session = await openChromium();
    await openHarness(session.page);
  });
  afterAll(async () => {
    await session?.close();
  });

  const b64 = (b: Buffer) => b.toString('base64');

  async function inspect(files: Array<{ name: string; bytes: Buffer | 'jpeg' | 'webp' | 'truncated-jpeg' }>) {
    return session.page.evaluate(async (list) => {
      const w = window as any;
      const decoded = await Promise.all(
        list.map(async (f: any) => {
          let bytes: ArrayBuffer;
          if (f.kind === 'jpeg' || f.kind === 'webp') bytes = await w.canvasImage(`image/${f.kind}`);
          else if (f.kind === 'truncated-jpeg') bytes = (await w.canvasImage('image/jpeg', 200, 200)).slice(0, 700);
          else bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0)).buffer;
          return { name: f.name, bytes };
        }),
      );
      const outcomes = await w.pool.inspectImages(decoded);
      return outcomes.map((o: any) => (o.ok ? { name: o.name, ok: true, format: o.format, width: o.width, height: o.height, bitDepth: o.bitDepth } : o));
    }, files.map((f) => (typeof f.bytes === 'string' ? { name: f.name, kind: f.bytes } : { name: f.name, b64: b64(f.bytes) })));
  }

  it('accepts PNG (8/16-bit grey, RGB), JPEG, WebP, BMP and TIFF (8/16-bit)', async () => {
    const rgb = new Uint8Array(30 * 20 * 3).map((_, i) => i % 251);
    const outcomes = await inspect([
      { name: 'grey8.png', bytes: greyPng(40, 30, 8) },
      { name: 'grey16.png', bytes: greyPng(40, 30, 16) },
      { name: 'rgb.png', bytes: encodePng(30, 20, 3, rgb) },
      { name: 'photo.jpg', bytes: 'jpeg' },
      { name: 'photo.webp', bytes: 'webp' },
      { name: 'scan.bmp', bytes: encodeBmp(33, 17, (x) => x * 7) },
      { name: 'xray8.tif', bytes: encodeTiffGrey(50, 40, 8, (x) => x * 5) },
      { name: 'xray16.tif', bytes: encodeTiffGrey(50, 40, 16, (x) => x * 1300) },
    ]);
    expect(outcomes).toEqual([
      { name: 'grey8.png', ok: true, format: 'png', width: 40, height: 30, bitDepth: 8 },
      { name: 'grey16.png', ok: true, format: 'png', width: 40, height: 30, bitDepth: 16 },
      { name: 'rgb.png', ok: true, format: 'png', width: 30, height: 20, bitDepth: 8 },
      { name: 'photo.jpg', ok: true, format: 'jpeg', width: 64, height: 48, bitDepth: 8 },
      { name: 'photo.webp', ok: true, format: 'webp', width: 64, height: 48, bitDepth: 8 },
      { name: 'scan.bmp', ok: true, format: 'bmp', width: 33, height: 17, bitDepth: 8 },
      { name: 'xray8.tif', ok: true, format: 'tiff', width: 50, height: 40, bitDepth: 8 },
      { name: 'xray16.tif', ok: true, format: 'tiff', width: 50, height: 40, bitDepth: 16 },
    ]);
  });

  it('decodes 16-bit TIFF and PNG samples to 8 bits by their top byte', async () => {
    const values = await session.page.evaluate(
      async ([tif, png]) => {
        const w = window as any;
        const toBuffer = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0)).buffer;
        const a = await w.pool.decodeToRgba('x.tif', toBuffer(tif));
        const b = await w.pool.decodeToRgba('x.png', toBuffer(png));
        return { tif: [0, 10, 49].map((x) => a.pixels[x * 4]), png: [0, 20, 39].map((x) => b.pixels[x * 4]) };
      },
      [b64(encodeTiffGrey(50, 40, 16, (x) => x * 1300)), b64(greyPng(40, 30, 16))],
    );
    expect(values.tif.map((v) => Math.abs(v - 0))[0]).toBe(0);
    expect(Math.abs(values.tif[1] - (10 * 1300) / 257)).toBeLessThanOrEqual(1);
    expect(Math.abs(values.tif[2] - (49 * 1300) / 257)).toBeLessThanOrEqual(1);
    expect(values.png[0]).toBe(0);
    expect(values.png[2]).toBe(255);
  });

  it('names each bad file and the reason, keeping the good ones of the same drop', async () => {
    const good = greyPng(40, 30);
    const corruptData = Buffer.from(good);
    corruptData.fill(0x5a, 45, 70); // keep the chunk structure, garble the compressed pixels
    const outcomes = await inspect([
      { name: 'empty.png', bytes: Buffer.alloc(0) },
      { name: 'notes.txt', bytes: Buffer.from('these are not pixels\n') },
      { name: 'cut.png', bytes: good.subarray(0, good.length - 20) },
      { name: 'cut.jpg', bytes: 'truncated-jpeg' },
      { name: 'huge.png', bytes: greyPng(9000, 4) },
      { name: 'garbled.png', bytes: corruptData },
      { name: 'good.png', bytes: good },
      { name: 'cut.bmp', bytes: encodeBmp(20, 20, () => 9).subarray(0, 300) },
      { name: 'cut.tif', bytes: encodeTiffGrey(20, 20, 8, () => 1).subarray(0, 100) },
    ]);
    const byName = Object.fromEntries(outcomes.map((o: any) => [o.name, o]));
    expect(byName['empty.png'].reason).toBe('the file is empty (0 bytes)');
    expect(byName['notes.txt'].reason).toBe('not a supported image: expected PNG, JPEG, WebP, BMP or TIFF');
    expect(byName['cut.png'].reason).toMatch(/^truncated PNG/);
    expect(byName['cut.jpg'].reason).toMatch(/^truncated JPEG/);
    expect(byName['huge.png'].reason).toBe('the image is 9000×4 px; the limit is 8192 px on a side');
    expect(byName['garbled.png'].reason).toBe('the PNG data is corrupt and could not be decoded');
    expect(byName['cut.bmp'].reason).toMatch(/^truncated BMP/);
    expect(byName['cut.tif'].reason).toMatch(/^truncated TIFF/);
    expect(byName['good.png'].ok).toBe(true);
  });
});
