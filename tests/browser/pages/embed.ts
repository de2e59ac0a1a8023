/**
 * Harness for tests/browser/embed.test.ts and bench/embed.ts: puts the real embed client and model
 * cache on window so the Node side can drive them through page.evaluate.
 */
import { createEmbedClient } from '../../../src/workers/embedClient';
import * as modelCache from '../../../src/storage/modelCache';
import type { RgbaPixels } from '../../../src/core/embedding/rgbaImage';

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

const harness = { createEmbedClient, modelCache, decodeImage, fetchBytes };
declare global {
  interface Window {
    harness: typeof harness;
  }
}
window.harness = harness;
document.body.dataset.ready = 'true';
