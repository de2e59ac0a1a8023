import { UMAP } from 'umap-js';
import { createUmapEngine } from '../../../src/runtime/analyze/umapEngine';
import { describe, expect, it } from 'vitest';
import { base64ToFloat32, float32ToBase64 } from '../../../src/engine/projection/float32Base64';
import { fitProjection, projectEmbeddings, restoreUmap, type UmapFactory, type UmapModel } from '../../../src/engine/projection';
import { gaussianSample } from '../metrics/fixtures';

const createUmap = createUmapEngine;
/** Plain umap-js, no adoptLayout: restoring must reproduce the layout itself. */
const plainUmap: UmapFactory = (params) => new UMAP(params);

describe('UMAP under the fit-once rule', () => {
  const iteration0 = gaussianSample('umap-it0', 30, 12);
  const model = fitProjection(iteration0, { kind: 'umap', createUmap, seed: 3, nEpochs: 150 }) as UmapModel;
  const later = gaussianSample('umap-later', 10, 12, 0.5);

  it('stores a plain-JSON model with the fit data and the fitted layout', () => {
    expect(model).toMatchObject({ kind: 'umap', dim: 12, fittedRows: 30, settings: { nNeighbors: 15, seed: 3, nEpochs: 150 } });
    expect(model.embedding).toHaveLength(30);
    expect(Array.from(base64ToFloat32(model.fitData))).toEqual(Array.from(Float32Array.from(iteration0.data)));
  });

  it('after a reload (JSON round trip, fresh engine) places new points exactly where the original does', () => {
    const reloaded = JSON.parse(JSON.stringify(model)) as UmapModel;
    const original = projectEmbeddings(model, later, { createUmap });
    const again = projectEmbeddings(reloaded, later, { createUmap });
    expect(Array.from(again.data)).toEqual(Array.from(original.data));
    expect(original.data.every(Number.isFinite)).toBe(true);
  });

  it('a batch projects the same whatever was projected before, and never moves the fitted map', () => {
    const restored = restoreUmap(model, createUmap);
    const first = restored.transform(later);
    restored.transform(gaussianSample('umap-other', 7, 12));
    // A batch as large as the fit data is the case umap-js treats as "optimise the fit" (see umap.ts).
    restored.transform(gaussianSample('umap-same-size', 30, 12));
    expect(Array.from(restored.transform(later).data)).toEqual(Array.from(first.data));
    // Re-creating from the stored model still reproduces the stored layout (restoreUmap verifies it).
    expect(() => restoreUmap(model, createUmap)).not.toThrow();
  });

  it('adopts the stored layout: a restored map places points against it, whatever its own refit gave', () => {
    const restored = restoreUmap(model, createUmap);
    expect(restored).toMatchObject({ adoptedStoredLayout: true, refitDrift: 0 });
    // Shift the stored layout by (+5, 0): placements against it move by about the same.
    const shifted = restoreUmap({ ...model, embedding: model.embedding.map(([x, y]) => [x + 5, y]) }, createUmap);
    expect(shifted.refitDrift).toBeCloseTo(5, 10);
    const a = restored.transform(later).data;
    const b = shifted.transform(later).data;
    for (let i = 0; i < a.length; i += 2) {
      expect(b[i] - a[i]).toBeGreaterThan(4);
      expect(b[i] - a[i]).toBeLessThan(6);
    }
    // Plain umap-js reproduces its own layout exactly on this engine.
    expect(restoreUmap(model, plainUmap)).toMatchObject({ adoptedStoredLayout: false, refitDrift: 0 });
  });

  it('refuses a model it cannot reproduce without adoption, and settings umap-js would loop on', () => {
    const tampered = { ...model, embedding: model.embedding.map(([x, y]) => [x + 1, y]) };
    expect(() => restoreUmap(tampered, plainUmap)).toThrow(/differs from the stored map/);
    expect(() => fitProjection(iteration0, { kind: 'umap', createUmap, nEpochs: 100 })).toThrow(/`nEpochs` = 100 must be a positive multiple of 3/);
    const freshCopy = JSON.parse(JSON.stringify(model)) as UmapModel;
    expect(() => projectEmbeddings(freshCopy, later)).toThrow(/needs `runtime.createUmap`/);
  });
});

describe('float32 base64', () => {
  it('round-trips exact Float32 values of any length', () => {
    for (const n of [0, 1, 2, 3, 7]) {
      const values = Float32Array.from({ length: n }, (_, i) => (i - 3) * 1.37e-3 + (i === 2 ? -0 : 0));
      expect(Array.from(base64ToFloat32(float32ToBase64(values)))).toEqual(Array.from(values));
    }
    expect(float32ToBase64([1])).toBe('AACAPw==');
  });
});
