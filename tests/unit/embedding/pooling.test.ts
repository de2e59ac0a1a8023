import { describe, expect, it } from 'vitest';
import { clsEmbedding, clsMeanPatchEmbedding, clsToken, l2Norm, l2Normalize, meanPatchToken, patchTokenCount } from '../../../src/embedders/pooling';

describe('CLS readout and normalisation', () => {
  // batch 2, tokens 3, dim 2: item b, token t, dim d = 100·b + 10·t + d
  const data = Float32Array.from({ length: 12 }, (_, i) => 100 * Math.floor(i / 6) + 10 * Math.floor((i % 6) / 2) + (i % 2));
  const layout = { tokens: 3, dim: 2 };

  it('takes token 0 of each item', () => {
    expect(Array.from(clsToken(data, layout, 0))).toEqual([0, 1]);
    expect(Array.from(clsToken(data, layout, 1))).toEqual([100, 101]);
  });

  it('averages the trailing patch tokens only', () => {
    expect(Array.from(meanPatchToken(data, layout, 1, 2))).toEqual([115, 116]);
    expect(Array.from(meanPatchToken(data, layout, 0, 1))).toEqual([20, 21]);
    expect(() => meanPatchToken(data, layout, 0, 3)).toThrow(/3 patch tokens out of 3/);
  });

  it('counts patch tokens, skipping registers', () => {
    expect(patchTokenCount(257, 224, 224)).toBe(256); // DINOv2: CLS + 16×16
    expect(patchTokenCount(261, 224, 224)).toBe(256); // with 4 registers
    expect(patchTokenCount(50, 224, 224)).toBe(49); // a /32 ViT: fall back to all but CLS
  });

  it('L2-normalises, keeps the raw vector, leaves zero at zero', () => {
    const raw = Float32Array.from([3, 4]);
    const pair = clsEmbedding(raw);
    expect(Array.from(pair.embedding)).toEqual([Math.fround(0.6), Math.fround(0.8)]);
    expect(pair.raw).toBe(raw);
    expect(Array.from(l2Normalize([0, 0]))).toEqual([0, 0]);
  });

  it('CLS ⊕ mean patch: raw concatenation, halves weighted equally in the unit vector', () => {
    const pair = clsMeanPatchEmbedding(Float32Array.from([30, 40]), Float32Array.from([0.1, 0]));
    expect(Array.from(pair.raw)).toEqual([30, 40, Math.fround(0.1), 0]);
    expect(l2Norm(pair.embedding)).toBeCloseTo(1, 6);
    expect(l2Norm(pair.embedding.subarray(0, 2))).toBeCloseTo(l2Norm(pair.embedding.subarray(2)), 6);
  });
});
