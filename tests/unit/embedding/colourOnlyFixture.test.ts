import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web/webgpu';
import * as ortNode from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { OnnxEmbedder } from '../../../src/embedders/onnx/onnxEmbedder';
import { preprocessBatch } from '../../../src/embedders/preprocess';
import { unitDistance } from '../../../src/embedders/readout';
import type { RgbaPixels } from '../../../src/embedders/rgbaImage';
import { renderChip } from '../../../scripts/lib/demoChip';
import { FIXTURES, fixtureImageNames, loadFixtureImage } from './fixtures';

/**
 * The 'colour-only' stand-in (scripts/build-standin.ts): its patch embedding sees only R−G, G−B, B−R, so
 * it passes the load-time probe (two coloured images) and still gives every grey image the same output.
 * The browser test of a failed "Score and project" stage relies on exactly that; this pins it down on
 * onnxruntime-web WASM (the embedder's own code) and on native onnxruntime.
 */
ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

const COLOUR_ONLY = join(FIXTURES, 'models', 'dinov2-tiny-colouronly.onnx');
const options = { label: '"dinov2-tiny-colouronly.onnx"', backend: 'wasm' as const, pooling: 'cls' as const, patchSize: 14 };

/** The demo chips' renderer gives grey samples; as RGBA with R = G = B. */
function greyChip(seed: number, width: number, height: number): RgbaPixels {
  const grey = renderChip({ id: `grey_${seed}`, width, height, seed });
  const pixels = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) pixels.set([grey[p], grey[p], grey[p], 255], p * 4);
  return { width, height, pixels };
}

function isGrey(image: RgbaPixels): boolean {
  for (let p = 0; p < image.pixels.length; p += 4) if (image.pixels[p] !== image.pixels[p + 1] || image.pixels[p] !== image.pixels[p + 2]) return false;
  return true;
}

describe('dinov2-tiny-colouronly.onnx', () => {
  const fixtures = fixtureImageNames().map((name) => ({ name, image: loadFixtureImage(name) }));
  const greys = [greyChip(1, 256, 256), greyChip(2, 300, 240), ...fixtures.filter((f) => isGrey(f.image)).map((f) => f.image)];
  const coloured = fixtures.filter((f) => !isGrey(f.image)).map((f) => f.image);

  it('has the real export’s input and outputs', async () => {
    const session = await ortNode.InferenceSession.create(COLOUR_ONLY);
    expect(session.inputNames).toEqual(['pixel_values']);
    expect(session.outputNames).toEqual(['last_hidden_state', 'pooler_output']);
    const out = await session.run({ pixel_values: new ortNode.Tensor('float32', preprocessBatch(greys.slice(0, 2)), [2, 3, 224, 224]) });
    expect(out.last_hidden_state.dims).toEqual([2, 257, 16]);
    expect(out.pooler_output.dims).toEqual([2, 16]);
    session.release();
  });

  it('passes the load check and embeds different grey images to one vector, coloured images not', async () => {
    expect(greys.length).toBeGreaterThanOrEqual(3);
    expect(coloured.length).toBeGreaterThanOrEqual(2);
    const embedder = await OnnxEmbedder.create(ort, new Uint8Array(readFileSync(COLOUR_ONLY)), options);
    // The requested readout changed between the coloured probe images, so it is kept.
    expect([embedder.readoutKind, embedder.readoutNote]).toEqual(['pooler', null]);

    // The grey images themselves differ (else the check below would be empty).
    const greyPixels = preprocessBatch(greys.slice(0, 2));
    const half = greyPixels.length / 2;
    expect(greyPixels.subarray(0, half)).not.toEqual(greyPixels.subarray(half));

    const grey = await embedder.embedBatch(greys);
    for (const item of grey.items.slice(1)) {
      expect(Array.from(item.raw)).toEqual(Array.from(grey.items[0].raw));
      expect(Array.from(item.embedding)).toEqual(Array.from(grey.items[0].embedding));
    }
    // One at a time (another batch size) gives the same vector too.
    const single = await embedder.embedBatch([greys[1]]);
    expect(Array.from(single.items[0].raw)).toEqual(Array.from(grey.items[0].raw));

    const colour = await embedder.embedBatch(coloured);
    expect(unitDistance(colour.items[0].embedding, colour.items[1].embedding)).toBeGreaterThan(0.01);
    expect(unitDistance(colour.items[0].embedding, grey.items[0].embedding)).toBeGreaterThan(0.01);
    await embedder.release();
  });

  it('gives bit-identical outputs for grey images on native onnxruntime too', async () => {
    const session = await ortNode.InferenceSession.create(COLOUR_ONLY);
    const out = await session.run({ pixel_values: new ortNode.Tensor('float32', preprocessBatch(greys), [greys.length, 3, 224, 224]) });
    const tokens = out.last_hidden_state.data as Float32Array;
    const size = 257 * 16;
    for (let b = 1; b < greys.length; b++) expect(tokens.subarray(b * size, (b + 1) * size)).toEqual(tokens.subarray(0, size));
    session.release();
  });
});
