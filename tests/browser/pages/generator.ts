// Harness: exposes the real generator pool to Playwright's page.evaluate.
import { fromGenerationJob } from '../../../src/domains/voids/domain';
import type { GenerationJob } from '../../../src/domains/voids/metadata';
import { GeneratorPool } from '../../../src/runtime/generatorPool';
import { DINOV2_PREPROCESS, preprocessImage, preprocessKey } from '../../../src/embedders/preprocess';

/**
 * The pool as the void tests and the generation bench use it: flat void jobs in, and per image its
 * pixels, size, metadata (generic and void fields together), layout and PNG out.
 */
class VoidGeneratorPool extends GeneratorPool {
  // @ts-expect-error: the tests' signature, over the generic one
  override async generate(jobs: GenerationJob[], options: Parameters<GeneratorPool['generate']>[2] = {}) {
    const made = await super.generate('voids', jobs.map(fromGenerationJob), options);
    return made.map((m, i) => {
      const { base_image_id: _b, position_rule: _p, ...request } = jobs[i];
      return { pixels: m.image!.pixels, width: m.image!.width, height: m.image!.height, prepared: m.image!.prepared, metadata: { ...request, ...m.metadata }, geometry: m.detail, png: m.png };
    });
  }
}

async function sha256(bytes: ArrayBufferView | ArrayBuffer): Promise<string> {
  const buffer = bytes instanceof ArrayBuffer ? bytes : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', buffer as ArrayBuffer));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function fetchBytes(url: string): Promise<ArrayBuffer> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

/** Encodes a canvas-drawn test picture as the given browser format (JPEG, WebP). */
async function canvasImage(type: string, width = 64, height = 48): Promise<ArrayBuffer> {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#808080';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#303030';
  ctx.fillRect(8, 8, 16, 16);
  return (await canvas.convertToBlob({ type, quality: 0.9 })).arrayBuffer();
}

Object.assign(window, { GeneratorPool: VoidGeneratorPool, sha256, fetchBytes, canvasImage, preprocessImage, preprocessKey, DINOV2_PREPROCESS, harnessReady: true });
