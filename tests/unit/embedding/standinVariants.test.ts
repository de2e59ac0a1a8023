import { readFileSync } from 'node:fs';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-web/webgpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { OnnxEmbedder } from '../../../src/embedders/onnx/onnxEmbedder';
import { onnxWeightSummary } from '../../../src/embedders/onnxWeightPrecision';
import type { EmbeddingPair } from '../../../src/embedders/pooling';
import { TINY_CONFIG, TINY_VARIANT_PATHS, buildDinov2Standin } from '../../../scripts/build-standin';
import { fixtureImageNames, loadFixtureImage } from './fixtures';

/**
 * The tiny stand-in stored as Hugging Face's three exports store DINOv2 (model.onnx, model_quantized.onnx,
 * model_fp16.onnx): the committed fixtures are what the builder makes, each has the real export's
 * operator pattern and the same input and output names, types and shapes, each runs in onnxruntime-web
 * (WASM, Node) through the worker's session code, and the int8 and fp16 embeddings of the same images
 * are close to fp32's.
 */
ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';
const { onnx } = onnxProto;
const PRECISIONS = ['fp32', 'int8', 'fp16'] as const;
const bytesOf = (p: (typeof PRECISIONS)[number]) => new Uint8Array(readFileSync(TINY_VARIANT_PATHS[p]));
const graphOf = (p: (typeof PRECISIONS)[number]) => onnx.ModelProto.decode(bytesOf(p)).graph!;
const images = fixtureImageNames().map(loadFixtureImage);
const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i], 0);

describe('DINOv2-shaped stand-in in fp32, int8 and fp16', () => {
  it('the committed fixtures are what scripts/build-standin.ts builds', () => {
    for (const p of PRECISIONS) expect(Buffer.compare(Buffer.from(buildDinov2Standin(TINY_CONFIG, p)), Buffer.from(bytesOf(p)))).toBe(0);
    // Tens of KB each: small enough to commit.
    for (const p of PRECISIONS) expect(bytesOf(p).length).toBeLessThan(100_000);
  });

  it('int8 has the quantized export pattern: DynamicQuantizeLinear → MatMulInteger / ConvInteger with uint8 weights, scales and zero points as initializers', () => {
    const graph = graphOf('int8');
    const ops = graph.node!.map((n) => n.opType);
    const count = (op: string) => ops.filter((o) => o === op).length;
    // 2 blocks × 4 linear layers, plus the patch embedding.
    expect(count('MatMulInteger')).toBe(8);
    expect(count('ConvInteger')).toBe(1);
    expect(count('DynamicQuantizeLinear')).toBe(9);
    expect(count('Conv')).toBe(0);
    // The attention's activation × activation products stay float MatMuls.
    expect(count('MatMul')).toBe(4);
    const init = new Map(graph.initializer!.map((t) => [t.name!, { dataType: t.dataType, dims: t.dims!.map(Number) }]));
    const qkv = 'encoder.layer.0.attention.qkv.weight';
    expect(init.has(qkv)).toBe(false);
    expect(init.get(`${qkv}_quantized`)).toMatchObject({ dataType: onnx.TensorProto.DataType.UINT8, dims: [16, 48] });
    expect(init.get(`${qkv}_scale`)).toMatchObject({ dataType: onnx.TensorProto.DataType.FLOAT, dims: [] });
    expect(init.get(`${qkv}_zero_point`)).toMatchObject({ dataType: onnx.TensorProto.DataType.UINT8, dims: [] });
    const matMulInteger = graph.node!.find((n) => n.opType === 'MatMulInteger')!;
    expect(matMulInteger.input).toEqual([expect.stringMatching(/_quantized$/), expect.stringMatching(/weight_quantized$/), expect.stringMatching(/_zero_point$/), expect.stringMatching(/weight_zero_point$/)]);
    expect(onnxWeightSummary(bytesOf('int8'))).toMatchObject({ precision: 'int8', integerOps: ['ConvInteger', 'DynamicQuantizeLinear', 'MatMulInteger'] });
  });

  it('fp16 stores every float weight in float16 and keeps float32 at its boundary (Cast in, Cast out)', () => {
    const graph = graphOf('fp16');
    const floatTypes = new Set(graph.initializer!.filter((t) => t.dataType !== onnx.TensorProto.DataType.INT64).map((t) => t.dataType));
    expect([...floatTypes]).toEqual([onnx.TensorProto.DataType.FLOAT16]);
    const casts = graph.node!.filter((n) => n.opType === 'Cast');
    expect(casts.map((n) => [n.input![0], n.output![0]])).toEqual([
      ['pixel_values', 'pixel_values_fp16'],
      ['last_hidden_state_fp16', 'last_hidden_state'],
      ['pooler_output_fp16', 'pooler_output'],
    ]);
    expect(onnxWeightSummary(bytesOf('fp16')).precision).toBe('fp16');
    expect(onnxWeightSummary(bytesOf('fp32'))).toMatchObject({ precision: 'fp32', integerOps: [], float16Bytes: 0 });
  });

  describe('in onnxruntime-web (WASM, Node)', () => {
    const embedders = {} as Record<(typeof PRECISIONS)[number], OnnxEmbedder>;
    const vectors = {} as Record<(typeof PRECISIONS)[number], EmbeddingPair[]>;
    beforeAll(async () => {
      for (const p of PRECISIONS) {
        embedders[p] = await OnnxEmbedder.create(ort, bytesOf(p), { label: `"dinov2-tiny ${p}"`, backend: 'wasm', pooling: 'cls', patchSize: 14 });
        vectors[p] = (await embedders[p].embedBatch(images)).items;
      }
    }, 60_000);

    it('every variant has the same input and output names, types and shapes, and gives 16-d embeddings per image', () => {
      for (const p of PRECISIONS) {
        expect(embedders[p].plan).toEqual(embedders.fp32.plan);
        expect(embedders[p].plan).toMatchObject({ inputName: 'pixel_values', inputType: 'float32', tokens: { name: 'last_hidden_state', type: 'float32' }, pooled: { name: 'pooler_output', type: 'float32' }, embeddingDim: 16 });
        expect(embedders[p].readout).toBe('pooler_output');
        expect(vectors[p]).toHaveLength(images.length);
        for (const { embedding } of vectors[p]) expect(embedding).toHaveLength(16);
      }
    });

    it('int8 and fp16 embeddings of the same images are close to fp32 (cosine), yet not identical', () => {
      const cosines = (p: 'int8' | 'fp16') => vectors[p].map((v, i) => dot(v.embedding, vectors.fp32[i].embedding));
      const int8 = cosines('int8');
      const fp16 = cosines('fp16');
      console.log(`1 − cosine to fp32: int8 ${int8.map((c) => (1 - c).toExponential(1)).join(' ')}; fp16 ${fp16.map((c) => (1 - c).toExponential(1)).join(' ')}`);
      for (const c of int8) expect(c).toBeGreaterThan(0.999);
      for (const c of fp16) expect(c).toBeGreaterThan(0.9999);
      expect(Math.min(...int8)).toBeLessThan(1 - 1e-7);
      expect(Math.min(...fp16)).toBeLessThan(1 - 1e-9);
      // The images stay told apart in every variant.
      for (const p of PRECISIONS) expect(dot(vectors[p][0].embedding, vectors[p][1].embedding)).toBeLessThan(0.999);
    });
  });
});
