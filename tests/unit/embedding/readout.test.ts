import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web/webgpu';
import * as ortNode from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { ModelContractError } from '../../../src/embedders/modelContract';
import { OnnxEmbedder } from '../../../src/embedders/onnx/onnxEmbedder';
import { l2Norm } from '../../../src/embedders/pooling';
import { preprocessBatch } from '../../../src/embedders/preprocess';
import { SAME_VECTOR_TOLERANCE, changesWithImage, chooseReadout, probeImages, unitDistance } from '../../../src/embedders/readout';
import { FIXTURES, TINY_MODEL, fixtureImageNames, loadFixtureImage } from './fixtures';

/**
 * The load-time check that the readout depends on the image: the rule on plain vectors, then the real
 * OnnxEmbedder (onnxruntime-web WASM under Node) on the stand-in and its two broken variants built by
 * scripts/build-standin.ts: CLS isolated from the patches, and an output that ignores the input.
 */
ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

const NO_TOKEN_MIX = join(FIXTURES, 'models', 'dinov2-tiny-notokenmix.onnx');
const CONSTANT = join(FIXTURES, 'models', 'dinov2-tiny-constant.onnx');
const bytesOf = (path: string) => new Uint8Array(readFileSync(path));
const options = (label: string, pooling: 'cls' | 'cls+meanpatch' = 'cls') => ({ label, backend: 'wasm' as const, pooling, patchSize: 14 });
const f32 = (...v: number[]) => Float32Array.from(v);

describe('readout choice on plain vectors', () => {
  const moving = [f32(1, 0, 0), f32(0, 1, 0)] as const;
  const still = [f32(2, 1, 0), f32(2, 1, 0)] as const;

  it('measures the distance between the L2-normalised vectors, so a change of scale alone is no change', () => {
    expect(unitDistance(f32(1, 0), f32(0, 1))).toBeCloseTo(Math.SQRT2, 12);
    expect(unitDistance(f32(3, 4), f32(6, 8))).toBeCloseTo(0, 7);
    expect(unitDistance(f32(0, 0), f32(0, 0))).toBe(0);
    expect(changesWithImage([f32(3, 4), f32(30, 40)])).toBe(false);
  });

  it('counts float rounding as "the same" and any real change as a change', () => {
    const a = f32(0.6, 0.8, 0);
    const near = f32(0.6 + 1e-5, 0.8 - 1e-5, 1e-5); // float16-level noise: ≈ 2e-5 apart
    const far = f32(0.6, 0.79, 0.1); // cos ≈ 0.99
    expect(SAME_VECTOR_TOLERANCE).toBe(1e-3);
    expect(changesWithImage([a, near])).toBe(false);
    expect(changesWithImage([a, far])).toBe(true);
  });

  it('keeps the requested readout when it changes with the image', () => {
    expect(chooseReadout('pooler', { pooler: moving, cls: moving, meanPatch: moving }, 'm')).toEqual({ kind: 'pooler', note: null });
    expect(chooseReadout('cls', { cls: moving, meanPatch: still }, 'm')).toEqual({ kind: 'cls', note: null });
    expect(chooseReadout('cls+meanpatch', { cls: moving, meanPatch: moving }, 'm')).toEqual({ kind: 'cls+meanpatch', note: null });
  });

  it('falls back to CLS from the tokens, then to the mean of patch tokens, saying why', () => {
    const viaCls = chooseReadout('pooler', { pooler: still, cls: moving, meanPatch: moving }, 'm');
    expect(viaCls.kind).toBe('cls');
    expect(viaCls.note).toMatch(/^pooler_output is the same for two different images/);
    const viaMean = chooseReadout('pooler', { pooler: still, cls: still, meanPatch: moving }, 'm');
    expect(viaMean.kind).toBe('meanpatch');
    expect(viaMean.note).toMatch(/^pooler_output and CLS are the same for two different images .*the mean of patch tokens$/);
    // CLS ⊕ mean patch with a CLS that never changes is the mean patch plus a dead half.
    expect(chooseReadout('cls+meanpatch', { cls: still, meanPatch: moving }, 'm').kind).toBe('meanpatch');
  });

  it('refuses a model whose outputs never change, naming the model and what was compared', () => {
    expect(() => chooseReadout('cls', { cls: still, meanPatch: still }, '"a.onnx"')).toThrow(
      new ModelContractError('"a.onnx": its output does not depend on the image (CLS and mean patch token identical for two different images); this model cannot tell images apart.'),
    );
    expect(() => chooseReadout('pooler', { pooler: still, cls: still, meanPatch: still }, '"b.onnx"')).toThrow(/^"b\.onnx": its output does not depend on the image \(pooler_output, CLS and mean patch token identical/);
    expect(() => chooseReadout('pooler', { pooler: still }, '"pooled-only.onnx"')).toThrow(/\(pooler_output identical for two different images, and it has no token output last_hidden_state to read patch tokens from\)/);
  });

  it('probes with two deterministic, clearly different images', () => {
    const [a, b] = probeImages(224, 224);
    expect(probeImages(224, 224)[1].pixels).toEqual(b.pixels);
    const pixels = preprocessBatch([a, b]);
    const half = pixels.length / 2;
    let squares = 0;
    for (let i = 0; i < half; i++) squares += (pixels[i] - pixels[half + i]) ** 2;
    expect(Math.sqrt(squares / half)).toBeGreaterThan(1); // RMS difference > 1 normalised unit
  });
});

describe('readout choice in OnnxEmbedder (onnxruntime-web WASM, Node)', () => {
  const images = fixtureImageNames().map(loadFixtureImage);

  it('the good stand-in keeps its requested readouts', async () => {
    const pooled = await OnnxEmbedder.create(ort, bytesOf(TINY_MODEL), options('"dinov2-tiny.onnx"'));
    expect([pooled.readoutKind, pooled.readoutNote, pooled.readout]).toEqual(['pooler', null, 'pooler_output']);
    await pooled.release();
    const both = await OnnxEmbedder.create(ort, bytesOf(TINY_MODEL), options('"dinov2-tiny.onnx"', 'cls+meanpatch'));
    expect([both.readoutKind, both.readoutNote, both.embeddingDim]).toEqual(['cls+meanpatch', null, 32]);
    await both.release();
  });

  it('a model whose CLS ignores the image is read through the mean of its patch tokens', async () => {
    const embedder = await OnnxEmbedder.create(ort, bytesOf(NO_TOKEN_MIX), options('"dinov2-tiny-notokenmix.onnx"'));
    expect(embedder.readoutKind).toBe('meanpatch');
    expect(embedder.readout).toBe('mean of patch tokens: mean(last_hidden_state[:, −256:])');
    expect(embedder.readoutNote).toMatch(/^pooler_output and CLS are the same for two different images/);
    expect(embedder.embeddingDim).toBe(16);
    expect(embedder.tokens).toBe(257);

    const { items } = await embedder.embedBatch(images);
    for (const { embedding } of items) expect(l2Norm(embedding)).toBeCloseTo(1, 5);
    for (let i = 1; i < items.length; i++) expect(unitDistance(items[0].embedding, items[i].embedding)).toBeGreaterThan(0.01);

    // raw is the mean of tokens 1..256 as native onnxruntime computes them, and CLS there is constant.
    const session = await ortNode.InferenceSession.create(NO_TOKEN_MIX);
    const out = await session.run({ pixel_values: new ortNode.Tensor('float32', preprocessBatch(images), [images.length, 3, 224, 224]) });
    const tokens = out.last_hidden_state.data as Float32Array;
    const [T, D] = [257, 16];
    for (let b = 0; b < images.length; b++) {
      const mean = Array.from({ length: D }, (_, d) => {
        let s = 0;
        for (let t = 1; t < T; t++) s += tokens[(b * T + t) * D + d];
        return s / (T - 1);
      });
      expect(Array.from(items[b].raw)).toEqual(mean.map((v) => expect.closeTo(v, 4)));
      expect(unitDistance(tokens.subarray(b * T * D, b * T * D + D), tokens.subarray(0, D))).toBe(0);
    }
    await session.release();

    // Asked for CLS ⊕ mean patch, it drops the dead CLS half.
    const both = await OnnxEmbedder.create(ort, bytesOf(NO_TOKEN_MIX), options('"dinov2-tiny-notokenmix.onnx"', 'cls+meanpatch'));
    expect([both.readoutKind, both.embeddingDim]).toEqual(['meanpatch', 16]);
    expect(both.readoutNote).toMatch(/^CLS is the same for two different images/);
    await both.release();
    await embedder.release();
  });

  it('a model whose output ignores the image is refused, with the file named', async () => {
    const failure = await OnnxEmbedder.create(ort, bytesOf(CONSTANT), options('"dinov2-tiny-constant.onnx"')).then(
      () => null,
      (e: Error) => e,
    );
    expect(failure).toBeInstanceOf(ModelContractError);
    expect(failure!.message).toBe(
      '"dinov2-tiny-constant.onnx": its output does not depend on the image (pooler_output, CLS and mean patch token identical for two different images); this model cannot tell images apart.',
    );
  });
});
