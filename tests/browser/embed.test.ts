import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web/webgpu';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { OnnxEmbedder } from '../../src/embedders/onnx/onnxEmbedder';
import { openChromium, type ChromiumSession } from '../helpers/chromium';
import { decodePng } from '../unit/embedding/fixtures';

/**
 * The embed worker in real Chromium on the tiny DINOv2-shaped stand-in: WASM (multithreaded, the page
 * is cross-origin isolated) and WebGPU (SwiftShader, --enable-unsafe-webgpu), device loss, bad models,
 * cancel, the image-statistics embedder, and the download path against a local server.
 */
const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const IMAGES = ['chip_gray_300x400.png', 'chip_rgb_150x97.png', 'chip_rgb_400x300.png', 'chip_rgba_256x256.png'];
const tinyModel = readFileSync(join(FIXTURES, 'models', 'dinov2-tiny.onnx'));
/** WebGPU (f32 shaders, different summation order) vs WASM on unit-length embeddings. */
const BACKEND_TOLERANCE = 1e-3;

type Vectors = number[][];
const maxAbsDiff = (a: Vectors, b: Vectors) => Math.max(...a.flatMap((row, i) => row.map((v, j) => Math.abs(v - b[i][j]))));

describe('embed worker in Chromium', () => {
  let session: ChromiumSession;
  beforeAll(async () => {
    session = await openChromium({ webgpu: true });
    await session.page.goto(`${inject('baseUrl')}/tests/browser/pages/embed.html`);
    await session.page.locator('body[data-ready="true"]').waitFor();
  });
  afterAll(async () => {
    await session?.close();
  });

  /**
   * Loads the tiny model in a fresh client with `backend`, embeds the fixtures two per batch, returns
   * info + vectors. loseDeviceAfterBatch: destroy the WebGPU device once that many images are done.
   */
  const embedFixtures = (backend: 'wasm' | 'webgpu', loseDeviceAfterBatch = 0) =>
    session.page.evaluate(
      async ({ backend, images, loseDeviceAfterBatch }) => {
        const h = window.harness;
        const client = h.createEmbedClient();
        try {
          const caps = await client.probe();
          const bytes = await h.fetchBytes('/tests/fixtures/models/dinov2-tiny.onnx');
          const loaded = await client.loadModel(bytes, { name: 'dinov2-tiny.onnx', backend, batchSize: 2 });
          const decoded = await Promise.all(images.map((name) => h.decodeImage(`/tests/fixtures/images/${name}`)));
          const progress: number[] = [];
          let lost: Promise<boolean> | null = null;
          const result = await client.embed(decoded, {
            onProgress: (p) => {
              progress.push(p.done);
              // The worker yields between batches, so this lands before the next batch runs.
              if (loseDeviceAfterBatch && p.done === loseDeviceAfterBatch) lost = client.loseWebGpuDevice();
            },
          });
          return {
            caps,
            loaded,
            after: result.info,
            progress,
            deviceLost: lost ? await lost : null,
            embeddings: result.items.map((item) => Array.from(item.embedding)),
            raw: result.items.map((item) => Array.from(item.raw)),
          };
        } finally {
          client.dispose();
        }
      },
      { backend, images: IMAGES, loseDeviceAfterBatch },
    );

  let wasmRun: Awaited<ReturnType<typeof embedFixtures>> | undefined;
  /** The WASM run is the reference the WebGPU runs are compared with (computed once). */
  const wasmReference = async () => (wasmRun ??= await embedFixtures('wasm'));

  it('runs on multithreaded WASM in a worker and matches the same session code in Node', async () => {
    const wasm = await wasmReference();
    expect(wasm.caps.crossOriginIsolated).toBe(true);
    expect(wasm.loaded).toMatchObject({ backend: 'wasm', inputSize: { height: 224, width: 224 }, embeddingDim: 16, readout: 'pooler_output', isDinov2: true });
    expect(wasm.loaded.threads).toBe(Math.min(wasm.caps.hardwareConcurrency, 8));
    expect(wasm.progress.at(-1)).toBe(IMAGES.length);
    expect(wasm.after.msPerImage).toBeGreaterThan(0);
    for (const e of wasm.embeddings) expect(Math.hypot(...e)).toBeCloseTo(1, 5);

    // Same pixels decoded in Node, same OnnxEmbedder on onnxruntime-web WASM in Node.
    ort.env.wasm.numThreads = 1;
    const node = await OnnxEmbedder.create(ort, new Uint8Array(tinyModel), { label: 'tiny', backend: 'wasm', pooling: 'cls', patchSize: 14 });
    const images = IMAGES.map((name) => decodePng(readFileSync(join(FIXTURES, 'images', name))));
    const { items } = await node.embedBatch(images);
    expect(maxAbsDiff(wasm.raw, items.map((i) => Array.from(i.raw)))).toBeLessThan(1e-4);
  });

  it('runs on WebGPU (SwiftShader) and agrees with WASM', async () => {
    const gpu = await embedFixtures('webgpu');
    expect(gpu.caps.webgpu).toBe(true);
    expect(gpu.loaded.backend).toBe('webgpu');
    expect(gpu.after.backend).toBe('webgpu');
    expect(gpu.after.fallbackReason).toBeNull();
    expect(maxAbsDiff(gpu.embeddings, (await wasmReference()).embeddings)).toBeLessThan(BACKEND_TOLERANCE);
  });

  it('finishes on WASM when the WebGPU device is lost mid-run', async () => {
    const lost = await embedFixtures('webgpu', 2);
    expect(lost.deviceLost).toBe(true);
    expect(lost.progress).toEqual([0, 2, 4]);
    expect(lost.loaded.backend).toBe('webgpu');
    expect(lost.after.backend).toBe('wasm');
    expect(lost.after.fallbackReason).toMatch(/WebGPU failed mid-run .*finished on WASM/);
    expect(lost.embeddings).toHaveLength(IMAGES.length);
    expect(maxAbsDiff(lost.embeddings, (await wasmReference()).embeddings)).toBeLessThan(1e-5);
  });

  it('never runs fp16 weights on an adapter without shader-f16, and runs int8 weights on WASM even when WebGPU is asked for', async () => {
    const result = await session.page.evaluate(async (images) => {
      const h = window.harness;
      const client = h.createEmbedClient();
      const models = '/tests/fixtures/models';
      try {
        const caps = await client.probe();
        const decoded = await Promise.all(images.map((name) => h.decodeImage(`/tests/fixtures/images/${name}`)));
        const vectors = async () => (await client.embed(decoded)).items.map((item) => Array.from(item.embedding));
        const fp16 = await h.fetchBytes(`${models}/dinov2-tiny-fp16.onnx`);
        // Labelled fp32 on purpose: the worker reads the precision from the file.
        const auto = await client.loadModel(fp16.slice(), { name: 'dinov2-tiny-fp16.onnx', precision: 'fp32', backend: 'auto' });
        const fp16Vectors = await vectors();
        const forced = await client.loadModel(fp16.slice(), { name: 'dinov2-tiny-fp16.onnx', backend: 'webgpu' }).then(
          () => 'loaded',
          (e: Error) => e.message,
        );
        const int8 = await client.loadModel(await h.fetchBytes(`${models}/dinov2-tiny-int8.onnx`), { name: 'dinov2-tiny-int8.onnx', backend: 'webgpu' });
        const int8Vectors = await vectors();
        return { shaderF16: caps.shaderF16, auto, forced, int8, fp16Vectors, int8Vectors };
      } finally {
        client.dispose();
      }
    }, IMAGES);
    expect(result.shaderF16).toBe(false); // SwiftShader has no shader-f16
    expect(result.auto).toMatchObject({ backend: 'wasm', precision: 'fp16' });
    expect(result.auto.backendReason).toMatch(/shader-f16/);
    expect(result.forced).toMatch(/WebGPU was chosen with fp16 weights, but this GPU adapter lacks the shader-f16 feature/);
    expect(result.int8).toMatchObject({ backend: 'wasm', precision: 'int8' });
    expect(result.int8.backendReason).toMatch(/^WebGPU was chosen, but int8 weights run on WASM/);
    // The same weights: both variants stay close to fp32 (cosine of unit vectors).
    const reference = (await wasmReference()).embeddings;
    const cosine = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);
    for (let i = 0; i < IMAGES.length; i++) {
      expect(cosine(result.fp16Vectors[i], reference[i])).toBeGreaterThan(0.9999);
      expect(cosine(result.int8Vectors[i], reference[i])).toBeGreaterThan(0.999);
    }
  });

  it('gives each bad model its message and keeps the loaded model', async () => {
    const mnist = readFileSync(join(FIXTURES, 'models', 'mnist-shaped.onnx'));
    const png = readFileSync(join(FIXTURES, 'images', 'chip_rgb_150x97.png'));
    const result = await session.page.evaluate(
      async ({ truncatedLength, mnist, png }) => {
        const h = window.harness;
        const client = h.createEmbedClient();
        try {
          const tiny = await h.fetchBytes('/tests/fixtures/models/dinov2-tiny.onnx');
          await client.loadModel(tiny.slice(), { name: 'dinov2-tiny.onnx', backend: 'wasm' });
          const attempt = (bytes: Uint8Array, name: string) => client.loadModel(bytes, { name, backend: 'wasm' }).then(() => 'loaded', (e: Error) => e.message);
          const messages = {
            mnist: await attempt(new Uint8Array(mnist), 'mnist-8.onnx'),
            truncated: await attempt(tiny.slice(0, truncatedLength), 'dinov2-small-partial.onnx'),
            png: await attempt(new Uint8Array(png), 'photo.onnx'),
            text: await attempt(new TextEncoder().encode('this is a README, not weights\n'.repeat(20)), 'README.onnx'),
            empty: await attempt(new Uint8Array(0), 'empty.onnx'),
          };
          const image = await h.decodeImage('/tests/fixtures/images/chip_rgb_150x97.png');
          const still = await client.embed([image]);
          return { messages, stillName: still.info.name, stillDim: still.items[0].embedding.length };
        } finally {
          client.dispose();
        }
      },
      { truncatedLength: Math.floor(tinyModel.length / 2), mnist: Array.from(mnist), png: Array.from(png) },
    );
    expect(result.messages.mnist).toMatch(/^"mnist-8\.onnx" is not a usable image embedding model: its input Input3 takes 1 channel, not 3 \(RGB\)\. Expected .*pixel_values.*last_hidden_state.*Found inputs: Input3 float32 \[1, 1, 28, 28\]; outputs: Plus214_Output_0 float32 \[1, 10\]\.$/);
    expect(result.messages.truncated).toMatch(/^"dinov2-small-partial\.onnx" is truncated: its graph section needs .* but the file ends after .*cut short/);
    expect(result.messages.png).toBe('"photo.onnx" is a PNG image, not an ONNX model.');
    expect(result.messages.text).toMatch(/^"README\.onnx" is not an ONNX model: /);
    expect(result.messages.empty).toBe('"empty.onnx" is empty (0 bytes).');
    expect(result.stillName).toBe('dinov2-tiny.onnx');
    expect(result.stillDim).toBe(16);
  });

  it('reads a model whose CLS ignores the image through its mean patch token, and refuses one whose output ignores it', async () => {
    const result = await session.page.evaluate(async (images) => {
      const h = window.harness;
      const client = h.createEmbedClient();
      const models = '/tests/fixtures/models';
      try {
        const decoded = await Promise.all(images.map((name) => h.decodeImage(`/tests/fixtures/images/${name}`)));
        const vectors = async () => (await client.embed(decoded)).items.map((item) => Array.from(item.embedding));
        const gpu = await client.loadModel(await h.fetchBytes(`${models}/dinov2-tiny-notokenmix.onnx`), { name: 'dinov2-tiny-notokenmix.onnx', backend: 'webgpu' });
        const gpuVectors = await vectors();
        const loaded = await client.loadModel(await h.fetchBytes(`${models}/dinov2-tiny-notokenmix.onnx`), { name: 'dinov2-tiny-notokenmix.onnx', backend: 'wasm' });
        const wasmVectors = await vectors();
        const refused = await client
          .loadModel(await h.fetchBytes(`${models}/dinov2-tiny-constant.onnx`), { name: 'dinov2-tiny-constant.onnx', backend: 'wasm' })
          .then(() => 'loaded', (e: Error) => e.message);
        const after = await client.embed(decoded);
        return {
          gpu,
          loaded,
          gpuVectors,
          wasmVectors,
          refused,
          afterInfo: after.info,
          afterVectors: after.items.map((item) => Array.from(item.embedding)),
        };
      } finally {
        client.dispose();
      }
    }, IMAGES);
    for (const info of [result.gpu, result.loaded]) {
      expect(info).toMatchObject({ name: 'dinov2-tiny-notokenmix.onnx', readoutKind: 'meanpatch', readout: 'mean of patch tokens: mean(last_hidden_state[:, −256:])', embeddingDim: 16 });
      expect(info.readoutNote).toMatch(/^pooler_output and CLS are the same for two different images/);
    }
    expect(result.gpu.backend).toBe('webgpu');
    // The embeddings tell the fixtures apart (the CLS token alone could not), on both backends alike.
    const distance = (a: number[], b: number[]) => Math.hypot(...a.map((v, i) => v - b[i]));
    for (let i = 1; i < IMAGES.length; i++) expect(distance(result.wasmVectors[0], result.wasmVectors[i])).toBeGreaterThan(0.01);
    expect(maxAbsDiff(result.gpuVectors, result.wasmVectors)).toBeLessThan(BACKEND_TOLERANCE);

    expect(result.refused).toBe(
      '"dinov2-tiny-constant.onnx": its output does not depend on the image (pooler_output, CLS and mean patch token identical for two different images); this model cannot tell images apart.',
    );
    // The model loaded before the refusal is still the one in use, unchanged.
    expect(result.afterInfo).toMatchObject({ name: 'dinov2-tiny-notokenmix.onnx', readoutKind: 'meanpatch', backend: 'wasm' });
    expect(maxAbsDiff(result.afterVectors, result.wasmVectors)).toBe(0);
  });

  it('cancels a running embed between batches', async () => {
    const result = await session.page.evaluate(async () => {
      const h = window.harness;
      const client = h.createEmbedClient();
      try {
        const bytes = await h.fetchBytes('/tests/fixtures/models/dinov2-tiny.onnx');
        await client.loadModel(bytes, { name: 'dinov2-tiny.onnx', backend: 'wasm', batchSize: 1 });
        const image = await h.decodeImage('/tests/fixtures/images/chip_rgb_150x97.png');
        const images = Array.from({ length: 200 }, () => image);
        const controller = new AbortController();
        let lastDone = 0;
        const outcome = await client
          .embed(images, {
            signal: controller.signal,
            onProgress: (p) => {
              lastDone = p.done;
              if (p.done >= 3) controller.abort();
            },
          })
          .then(
            () => ({ name: 'resolved', message: '' }),
            (e: Error) => ({ name: e.name, message: e.message }),
          );
        const after = await client.embed([image]);
        return { outcome, lastDone, afterCount: after.items.length };
      } finally {
        client.dispose();
      }
    });
    expect(result.outcome.message).toBe('embedding cancelled');
    expect(result.lastDone).toBeGreaterThanOrEqual(3);
    expect(result.lastDone).toBeLessThan(200);
    expect(result.afterCount).toBe(1); // the worker is still usable
  });

  it('moves the pixels to the worker only when asked (transferPixels), with the same embedding', async () => {
    const result = await session.page.evaluate(async () => {
      const h = window.harness;
      const client = h.createEmbedClient();
      try {
        await client.loadImageStatistics();
        const copied = await h.decodeImage('/tests/fixtures/images/chip_rgb_150x97.png');
        const moved = await h.decodeImage('/tests/fixtures/images/chip_rgb_150x97.png');
        const before = moved.pixels.byteLength;
        const a = await client.embed([copied]);
        const b = await client.embed([moved, moved], { transferPixels: true });
        return {
          before,
          copiedAfter: copied.pixels.byteLength,
          movedAfter: moved.pixels.byteLength,
          same: Array.from(a.items[0].embedding).join() === Array.from(b.items[1].embedding).join(),
          count: b.items.length,
        };
      } finally {
        client.dispose();
      }
    });
    expect(result.before).toBe(150 * 97 * 4);
    expect(result.copiedAfter).toBe(150 * 97 * 4); // copied: the caller keeps its pixels
    expect(result.movedAfter).toBe(0); // transferred: the buffer is detached here
    expect(result.count).toBe(2); // one buffer shared by two images is moved once
    expect(result.same).toBe(true);
  });

  it('embeds with the offline image-statistics embedder, labelled as not DINOv2', async () => {
    const result = await session.page.evaluate(async (images) => {
      const h = window.harness;
      const client = h.createEmbedClient();
      try {
        const info = await client.loadImageStatistics();
        const decoded = await Promise.all(images.map((name) => h.decodeImage(`/tests/fixtures/images/${name}`)));
        const { items } = await client.embed(decoded);
        return { info, lengths: items.map((i) => i.embedding.length), norms: items.map((i) => Math.hypot(...i.embedding)) };
      } finally {
        client.dispose();
      }
    }, IMAGES);
    expect(result.info).toMatchObject({ kind: 'image-statistics', isDinov2: false, backend: 'js', embeddingDim: 57 });
    expect(result.info.name).toMatch(/not DINOv2/);
    expect(result.lengths).toEqual([57, 57, 57, 57]);
    for (const n of result.norms) expect(n).toBeCloseTo(1, 5);
  });

  describe('model download against a local server', () => {
    let server: Server;
    let origin: string;
    const cutAfter = Math.floor(tinyModel.length / 3);
    beforeAll(async () => {
      server = createServer((request, response) => {
        const headers = {
          'access-control-allow-origin': '*',
          'cross-origin-resource-policy': 'cross-origin',
          'content-type': 'application/octet-stream',
          'content-length': String(tinyModel.length),
        };
        if (request.url === '/cut/model.onnx') {
          // Announce the whole file, send a third, then drop the connection.
          response.writeHead(200, headers);
          response.write(tinyModel.subarray(0, cutAfter), () => setTimeout(() => response.socket?.destroy(), 100));
        } else if (request.url === '/full/model.onnx') {
          response.writeHead(200, headers);
          response.end(tinyModel);
        } else {
          response.writeHead(404, { 'access-control-allow-origin': '*', 'content-type': 'text/plain' });
          response.end('not found');
        }
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => {
      server?.closeAllConnections();
      server?.close();
    });

    it('a connection cut midway leaves no cache entry; a full download is cached and then served offline', async () => {
      const cut = await session.page.evaluate(
        async ({ origin }) => {
          const { modelCache } = window.harness;
          const url = `${origin}/cut/model.onnx`;
          const seen: number[] = [];
          const message = await modelCache
            .downloadAndCacheModel(url, { label: 'DINOv2 test model', onProgress: (p) => seen.push(p.loaded) })
            .then(() => 'stored', (e: Error) => e.message);
          return { message, maxSeen: Math.max(...seen), cached: await modelCache.readCachedModel(url), list: await modelCache.listCachedModels() };
        },
        { origin },
      );
      console.log(`cut download message: ${cut.message}`);
    expect(cut.message).toMatch(/^Download of DINOv2 test model (broke off after|is incomplete: received)/);
      expect(cut.message).toMatch(/Nothing was stored/);
      expect(cut.maxSeen).toBeGreaterThan(0);
      expect(cut.maxSeen).toBeLessThan(tinyModel.length);
      expect(cut.cached).toBeNull();
      expect(cut.list).toEqual([]);

      const full = await session.page.evaluate(
        async ({ origin }) => {
          const { modelCache } = window.harness;
          const url = `${origin}/full/model.onnx`;
          const bytes = await modelCache.downloadAndCacheModel(url, { label: 'DINOv2 test model' });
          return { length: bytes.length, list: await modelCache.listCachedModels() };
        },
        { origin },
      );
      expect(full.length).toBe(tinyModel.length);
      expect(full.list).toEqual([{ url: `${origin}/full/model.onnx`, bytes: tinyModel.length }]);

      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      const offline = await session.page.evaluate(
        async ({ origin }) => {
          const { modelCache } = window.harness;
          const resolved = await modelCache.resolveModelBytes({ url: `${origin}/full/model.onnx`, appPath: '/models/not-shipped/model.onnx', label: 'DINOv2 test model' });
          const missing = await modelCache
            .resolveModelBytes({ url: `${origin}/other/model.onnx`, appPath: '/models/not-shipped/model.onnx', label: 'DINOv2 ViT-S/14 (fp32)' })
            .then(() => 'resolved', (e: Error) => e.message);
          return { origin: resolved.origin, length: resolved.bytes.length, missing };
        },
        { origin },
      );
      expect(offline).toMatchObject({ origin: 'browser cache', length: tinyModel.length });
      expect(offline.missing).toMatch(/^Could not download DINOv2 ViT-S\/14 \(fp32\) from .*: the network request failed/);
    });

    it('rejects a download of the wrong size and stores nothing', async () => {
      const result = await session.page.evaluate(async () => {
        const { modelCache } = window.harness;
        await Promise.all((await modelCache.listCachedModels()).map((e) => modelCache.deleteCachedModel(e.url)));
        const url = '/tests/fixtures/models/dinov2-tiny.onnx';
        const message = await modelCache
          .downloadAndCacheModel(url, { label: 'DINOv2 ViT-S/14 (fp32)', checkSize: (n) => `got ${n} bytes, the catalog lists 88.5 MB` })
          .then(() => 'stored', (e: Error) => e.message);
        return { message, list: await modelCache.listCachedModels() };
      });
      expect(result.message).toMatch(/^Download of DINOv2 ViT-S\/14 \(fp32\) has the wrong size: got \d+ bytes, the catalog lists 88\.5 MB\. Nothing was stored\.$/);
      expect(result.list).toEqual([]);
    });
  });
});

describe('ModelPanel in Chromium', () => {
  let session: ChromiumSession;
  beforeAll(async () => {
    session = await openChromium();
    // The catalog's Hugging Face URLs must never be fetched in tests: any request there fails here.
    await session.page.route('https://huggingface.co/**', (route) => route.abort('internetdisconnected'));
    await session.page.goto(`${inject('baseUrl')}/tests/browser/pages/model-panel.html`);
    await session.page.getByRole('heading', { name: 'Embedding model' }).waitFor();
  });
  afterAll(async () => {
    await session?.close();
  });

  const facts = () => session.page.getByLabel('Loaded model');
  const fact = async (name: string) => (await facts().locator(`dt:text-is("${name}") + dd`).innerText()).trim();
  const alert = () => session.page.getByRole('alert');
  const chooseFile = (name: string, buffer: Buffer) => session.page.getByLabel('Model file').setInputFiles({ name, mimeType: 'application/octet-stream', buffer });

  it('offers the catalog with ViT-S/14 as default, a local file and the offline embedder', async () => {
    const embedder = session.page.getByLabel('Embedder');
    expect(await embedder.inputValue()).toBe('dinov2-small');
    const options = await embedder.locator('option').allInnerTexts();
    expect(options).toEqual([
      'DINOv2 ViT-S/14 (default)',
      'DINOv2 ViT-B/14',
      'DINOv2 ViT-S/14 with registers',
      'DINOv2 ViT-B/14 with registers',
      'Local .onnx file',
      'Image statistics (offline, not DINOv2)',
    ]);
    const weights = await session.page.getByLabel('Weights').locator('option').allInnerTexts();
    expect(weights[0]).toMatch(/^fp32 \(full precision\) · 88\.5 MB/);
  });

  it('loads a local .onnx from "Model file" and shows name, input size, dim, backend, threads', async () => {
    await chooseFile('dinov2-tiny.onnx', tinyModel);
    await facts().waitFor();
    expect(await fact('Name')).toBe('dinov2-tiny.onnx');
    expect(await fact('Input size')).toBe('224 × 224');
    expect(await fact('Embedding dim')).toBe('16');
    expect(await fact('Backend')).toMatch(/^WASM \(no WebGPU adapter in this browser\)/);
    expect(Number(await fact('Threads'))).toBeGreaterThanOrEqual(1);
    await session.page.getByRole('button', { name: 'Measure' }).click();
    await facts().locator('dd', { hasText: 'images/s' }).waitFor();
    expect(await fact('Speed')).toMatch(/^\d+(\.\d)? images\/s \(\d+ ms\/image\)/);
    await session.page.screenshot({ path: 'test-results/model-panel.png', fullPage: true });
  });

  it('shows a message naming each bad file, and keeps the loaded model', async () => {
    const cases: Array<[string, Buffer, RegExp]> = [
      ['mnist-8.onnx', readFileSync(join(FIXTURES, 'models', 'mnist-shaped.onnx')), /^"mnist-8\.onnx" is not a usable image embedding model: its input Input3 takes 1 channel, not 3/],
      ['dinov2-small-partial.onnx', tinyModel.subarray(0, tinyModel.length >> 1), /^"dinov2-small-partial\.onnx" is truncated: /],
      ['weights.onnx', readFileSync(join(FIXTURES, 'images', 'chip_rgb_150x97.png')), /^"weights\.onnx" is a PNG image, not an ONNX model\.$/],
    ];
    for (const [name, buffer, message] of cases) {
      await chooseFile(name, buffer);
      await session.page.getByRole('alert').filter({ hasText: name }).waitFor();
      expect(await alert().innerText()).toMatch(message);
      expect(await fact('Name')).toBe('dinov2-tiny.onnx');
    }
    await session.page.screenshot({ path: 'test-results/model-panel-error.png', fullPage: true });
  });

  it('says clearly when a catalog model cannot be downloaded (no network here)', async () => {
    await session.page.getByLabel('Embedder').selectOption('dinov2-small');
    await session.page.getByRole('button', { name: 'Load model' }).click();
    await session.page.getByRole('alert').filter({ hasText: 'Could not download' }).waitFor();
    expect(await alert().innerText()).toMatch(/^Could not download DINOv2 ViT-S\/14 \(fp32\) from https:\/\/huggingface\.co\/onnx-community\/dinov2-small\/resolve\/main\/onnx\/model\.onnx: the network request failed/);
    expect(await fact('Name')).toBe('dinov2-tiny.onnx');
  });

  it('switches to the image-statistics embedder, marked as not DINOv2', async () => {
    await session.page.getByLabel('Embedder').selectOption('image-statistics');
    await session.page.getByRole('button', { name: 'Load model' }).click();
    await facts().locator('dd', { hasText: 'Image statistics' }).waitFor();
    expect(await fact('Name')).toBe('Image statistics (offline, not DINOv2)not DINOv2');
    expect(await fact('Embedding dim')).toBe('57');
    expect(await fact('Backend')).toMatch(/^JavaScript/);
    expect(await alert().count()).toBe(0);
  });

  it('shows the mean-patch readout of a model whose CLS ignores the image, and the refusal of a constant model', async () => {
    await chooseFile('dinov2-tiny-notokenmix.onnx', readFileSync(join(FIXTURES, 'models', 'dinov2-tiny-notokenmix.onnx')));
    await facts().locator('dd', { hasText: 'dinov2-tiny-notokenmix.onnx' }).waitFor();
    expect(await fact('Readout')).toMatch(/^mean of patch tokens: mean\(last_hidden_state\[:, −256:\]\) \(pooler_output and CLS are the same for two different images .*\)$/);
    expect(await fact('Embedding dim')).toBe('16');
    expect(await alert().count()).toBe(0);

    await chooseFile('dinov2-tiny-constant.onnx', readFileSync(join(FIXTURES, 'models', 'dinov2-tiny-constant.onnx')));
    await alert().filter({ hasText: 'dinov2-tiny-constant.onnx' }).waitFor();
    expect(await alert().innerText()).toBe(
      '"dinov2-tiny-constant.onnx": its output does not depend on the image (pooler_output, CLS and mean patch token identical for two different images); this model cannot tell images apart.',
    );
    expect(await fact('Name')).toBe('dinov2-tiny-notokenmix.onnx');
    expect(await fact('Readout')).toMatch(/^mean of patch tokens/);
    await session.page.getByRole('button', { name: 'Measure' }).click();
    await facts().locator('dd', { hasText: 'images/s' }).waitFor();
    await session.page.screenshot({ path: 'test-results/model-panel-readout.png', fullPage: true });
  });
});
