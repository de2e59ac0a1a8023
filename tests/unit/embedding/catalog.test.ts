import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODEL_CATALOG, catalogFile, catalogModel, chooseCatalogFile, defaultCatalogModel, localModelPath, parseModelCatalog, sizeMatchesCatalog } from '../../../src/embedders/catalog';

const json = () => JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'models', 'catalog.json'), 'utf8'));

describe('model catalog', () => {
  it('lists the DINOv2 exports, ViT-S/14 fp32 first choice', () => {
    expect(MODEL_CATALOG.models.map((m) => m.id)).toEqual(['dinov2-small', 'dinov2-base', 'dinov2-with-registers-small', 'dinov2-with-registers-base']);
    const small = defaultCatalogModel();
    expect(small).toMatchObject({ id: 'dinov2-small', embeddingDim: 384, patchSize: 14, registers: 0, licence: 'Apache-2.0' });
    expect(small.files.map((f) => [f.precision, f.sizeMB])).toEqual([['fp32', 88.5], ['fp16', 44.4], ['int8', 24.4]]);
    expect(small.files[0].url).toBe('https://huggingface.co/onnx-community/dinov2-small/resolve/main/onnx/model.onnx');
    expect(catalogModel('dinov2-base').files[0].sizeMB).toBe(347);
    expect(catalogModel('dinov2-with-registers-base').registers).toBe(4);
    expect(localModelPath(small, small.files[1])).toBe('models/onnx-community/dinov2-small/onnx/model_fp16.onnx');
  });

  it('rejects a catalog with a mistake, naming the field', () => {
    const broken = json();
    broken.models[1].files[0].url = 'https://example.com/model.onnx';
    expect(() => parseModelCatalog(broken)).toThrow(/models\[1\] \(dinov2-base\)\.files\[0\]\.url is https:\/\/example\.com\/model\.onnx, expected https:\/\/huggingface\.co\/onnx-community\/dinov2-base\/resolve\/main\/onnx\/model\.onnx/);
    const twoDefaults = json();
    twoDefaults.models[1].default = true;
    expect(() => parseModelCatalog(twoDefaults)).toThrow(/exactly one default/);
    const badPrecision = json();
    badPrecision.models[0].files[0].precision = 'q4';
    expect(() => parseModelCatalog(badPrecision)).toThrow(/precision must be one of fp32, fp16, int8/);
    expect(() => catalogModel('dinov3')).toThrow(/no model "dinov3" in the catalog/);
  });

  it('picks the file and its backend: fp16 only on WebGPU with shader-f16, int8 on WASM', () => {
    const small = defaultCatalogModel();
    const gpu = { webgpu: true, shaderF16: true, adapterName: 'nvidia', maxStorageBufferBindingSize: 2 ** 30, crossOriginIsolated: true, hardwareConcurrency: 8 };
    expect(chooseCatalogFile(small, 'fp16', 'auto', gpu)).toMatchObject({ file: { precision: 'fp16', file: 'onnx/model_fp16.onnx' }, backend: 'webgpu', note: null });
    const fallback = chooseCatalogFile(small, 'fp16', 'auto', { ...gpu, shaderF16: false });
    expect(fallback.file.precision).toBe('fp32');
    expect(fallback.note).toMatch(/shader-f16/);
    expect(chooseCatalogFile(small, 'int8', 'auto', gpu)).toMatchObject({ file: { precision: 'int8', file: 'onnx/model_quantized.onnx' }, backend: 'wasm', note: null });
    expect(catalogFile(small, 'int8').sizeMB).toBe(24.4);
    expect(() => catalogFile({ ...small, files: small.files.slice(0, 1) }, 'int8')).toThrow(/has no int8 file \(has fp32\)/);
  });

  it('checks a download length against the listed size (2 %) or the exact one', () => {
    const file = defaultCatalogModel().files[0];
    expect(sizeMatchesCatalog(file, 88_500_000)).toBe(true);
    expect(sizeMatchesCatalog(file, 87_000_000)).toBe(true);
    expect(sizeMatchesCatalog(file, 44_000_000)).toBe(false);
    expect(sizeMatchesCatalog({ ...file, sizeBytes: 88_476_123 }, 88_476_124)).toBe(false);
  });
});
