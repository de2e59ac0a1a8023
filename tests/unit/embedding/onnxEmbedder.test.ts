import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web/webgpu';
import * as ortNode from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { l2Norm } from '../../../src/embedders/pooling';
import { preprocessBatch } from '../../../src/embedders/preprocess';
import { OnnxEmbedder } from '../../../src/embedders/onnx/onnxEmbedder';
import { FIXTURES, TINY_MODEL, fixtureImageNames, loadFixtureImage } from './fixtures';

/**
 * The worker's session code (OnnxEmbedder) on onnxruntime-web's WASM backend in Node, on the tiny
 * DINOv2-shaped stand-in. onnxruntime-web runs single-threaded under Node (no cross-origin isolation).
 */
ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

const tinyBytes = () => new Uint8Array(readFileSync(TINY_MODEL));
const images = fixtureImageNames().map(loadFixtureImage);
const options = { label: '"dinov2-tiny.onnx"', backend: 'wasm' as const, pooling: 'cls' as const, patchSize: 14 };

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i], 0) / (l2Norm(a) * l2Norm(b));

describe('OnnxEmbedder on onnxruntime-web WASM (Node)', () => {
  let embedder: OnnxEmbedder;
  beforeAll(async () => {
    embedder = await OnnxEmbedder.create(ort, tinyBytes(), options);
  });

  it('reads the model as DINOv2-shaped: 224 input, 257 tokens, pooler_output readout', () => {
    expect(embedder.plan).toMatchObject({ inputName: 'pixel_values', inputHeight: null, fixedBatch: null, embeddingDim: 16 });
    expect(embedder.plan.tokens?.name).toBe('last_hidden_state');
    expect(embedder.plan.pooled?.name).toBe('pooler_output');
    expect(embedder.tokens).toBe(1); // pooled readout: no tokens fetched
    expect(embedder.embeddingDim).toBe(16);
    expect(embedder.readout).toBe('pooler_output');
    expect(embedder.batchSize).toBeGreaterThanOrEqual(1);
    expect(embedder.warmupMs).toBeGreaterThan(0);
  });

  it('gives unit-length embeddings with the raw vector kept, and different images differ', async () => {
    const { items } = await embedder.embedBatch(images);
    expect(items).toHaveLength(images.length);
    for (const { embedding, raw } of items) {
      expect(embedding).toHaveLength(16);
      expect(l2Norm(embedding)).toBeCloseTo(1, 5);
      expect(l2Norm(raw)).toBeGreaterThan(0);
      const scaled = raw.map((v) => v / l2Norm(raw));
      expect(Array.from(embedding)).toEqual(Array.from(scaled).map((v) => expect.closeTo(v, 6)));
    }
    expect(cosine(items[0].embedding, items[1].embedding)).toBeLessThan(0.999);
  });

  it('is batch-independent: one at a time equals all at once', async () => {
    const all = await embedder.embedBatch(images);
    for (let i = 0; i < images.length; i++) {
      const one = await embedder.embedBatch([images[i]]);
      const diff = Math.max(...one.items[0].raw.map((v, d) => Math.abs(v - all.items[i].raw[d])));
      expect(diff).toBeLessThan(1e-4);
    }
  });

  it('CLS from pooler_output equals token 0 of last_hidden_state; CLS ⊕ mean patch has 2D values', async () => {
    const viaTokens = await OnnxEmbedder.create(ort, tinyBytes(), { ...options, pooling: 'cls+meanpatch' });
    expect(viaTokens.tokens).toBe(257);
    expect(viaTokens.patchTokens).toBe(256);
    expect(viaTokens.embeddingDim).toBe(32);
    const a = await embedder.embedBatch(images.slice(0, 2));
    const b = await viaTokens.embedBatch(images.slice(0, 2));
    for (let i = 0; i < 2; i++) {
      expect(Array.from(b.items[i].raw.subarray(0, 16))).toEqual(Array.from(a.items[i].raw).map((v) => expect.closeTo(v, 5)));
      expect(l2Norm(b.items[i].embedding)).toBeCloseTo(1, 5);
      expect(l2Norm(b.items[i].embedding.subarray(16))).toBeCloseTo(Math.SQRT1_2, 5);
    }
    await viaTokens.release();
  });

  it('agrees with native onnxruntime-node on the same preprocessed tensor', async () => {
    const session = await ortNode.InferenceSession.create(join(FIXTURES, 'models', 'dinov2-tiny.onnx'));
    const pixels = preprocessBatch(images);
    const out = await session.run({ pixel_values: new ortNode.Tensor('float32', pixels, [images.length, 3, 224, 224]) });
    const native = out.pooler_output.data as Float32Array;
    const { items } = await embedder.embedBatch(images);
    const diff = Math.max(...items.flatMap((item, b) => Array.from(item.raw, (v, d) => Math.abs(v - native[b * 16 + d]))));
    expect(diff).toBeLessThan(1e-4);
  });

  it('runs at every graph optimisation level with the same embeddings, and refuses an unknown level naming the model', async () => {
    const reference = (await embedder.embedBatch(images)).items;
    for (const level of ['disabled', 'basic', 'extended', 'all'] as const) {
      const other = await OnnxEmbedder.create(ort, tinyBytes(), { ...options, graphOptimization: level });
      const { items } = await other.embedBatch(images);
      await other.release();
      for (let i = 0; i < images.length; i++) expect(cosine(items[i].raw, reference[i].raw)).toBeGreaterThan(1 - 1e-6);
    }
    await expect(OnnxEmbedder.create(ort, tinyBytes(), { ...options, graphOptimization: 'everything' as never })).rejects.toThrow(/"dinov2-tiny.onnx".*everything/);
  });
});
