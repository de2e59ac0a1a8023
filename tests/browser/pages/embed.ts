/**
 * Harness for tests/browser/embed.test.ts and bench/embed.ts: puts the real embed client and model
 * cache on window so the Node side can drive them through page.evaluate.
 */
import { createEmbedClient } from '../../../src/runtime/embedClient';
import * as modelCache from '../../../src/embedders/modelCache';
import type { RgbaPixels } from '../../../src/embedders/rgbaImage';
import type { GraphOptimizationLevel } from '../../../src/embedders/protocol';

async function decodeImage(url: string): Promise<RgbaPixels> {
  const blob = await (await fetch(url)).blob();
  const bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d')!;
  context.drawImage(bitmap, 0, 0);
  const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
  return { width: bitmap.width, height: bitmap.height, pixels: data };
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** Deterministic grey 256×256 test images (diagonal ramps), k-th differs by phase. */
function syntheticImage(k: number, size = 256): RgbaPixels {
  const pixels = new Uint8ClampedArray(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    const v = (((i % size) * 3 + Math.floor(i / size) * 5 + k * 17) % 200) + 30;
    pixels.set([v, v, v, 255], i * 4);
  }
  return { width: size, height: size, pixels };
}

/**
 * bench/embed.ts's browser half: one embed client per open benchmark (so 1- and 2-thread workers can
 * stay loaded side by side while the bench interleaves runtimes), timed by the worker itself.
 */
const benchClients = new Map<number, ReturnType<typeof createEmbedClient>>();
async function benchOpen(
  modelPath: string,
  threads: number,
  graphOptimization?: GraphOptimizationLevel,
): Promise<{ id: number; threads: number; backend: string; precision: string | null }> {
  const client = createEmbedClient();
  const info = await client.loadModel(await fetchBytes(modelPath), { name: 'benchmark model', backend: 'wasm', threads, graphOptimization });
  const id = benchClients.size + 1;
  benchClients.set(id, client);
  return { id, threads: info.threads, backend: info.backend, precision: info.precision };
}
async function benchRun(id: number, batch: number, count: number): Promise<{ seconds: number; inferenceSeconds: number }> {
  const set = Array.from({ length: count }, (_, k) => syntheticImage(k));
  const result = await benchClients.get(id)!.embed(set, { batchSize: batch });
  return { seconds: result.timing.totalMs / 1000, inferenceSeconds: result.timing.inferenceMs / 1000 };
}
function benchClose(): void {
  for (const client of benchClients.values()) client.dispose();
  benchClients.clear();
}

const harness = { createEmbedClient, modelCache, decodeImage, fetchBytes, syntheticImage, benchOpen, benchRun, benchClose };
declare global {
  interface Window {
    harness: typeof harness;
  }
}
window.harness = harness;
document.body.dataset.ready = 'true';
