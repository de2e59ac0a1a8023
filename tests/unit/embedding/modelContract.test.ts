import { describe, expect, it } from 'vitest';
import { checkOutputDims, planEmbeddingModel, type ModelSignature } from '../../../src/embedders/modelContract';

const pixelValues = { name: 'pixel_values', type: 'float32', shape: ['batch_size', 3, 'height', 'width'] };
const lastHidden = { name: 'last_hidden_state', type: 'float32', shape: ['batch_size', 'sequence_length', 384] };
const pooler = { name: 'pooler_output', type: 'float32', shape: ['batch_size', 384] };

describe('planEmbeddingModel', () => {
  it('reads a DINOv2 export (tokens + pooled, dynamic sizes)', () => {
    const plan = planEmbeddingModel({ inputs: [pixelValues], outputs: [lastHidden, pooler] });
    expect(plan).toEqual({
      inputName: 'pixel_values',
      inputType: 'float32',
      inputHeight: null,
      inputWidth: null,
      fixedBatch: null,
      tokens: { name: 'last_hidden_state', type: 'float32' },
      pooled: { name: 'pooler_output', type: 'float32' },
      embeddingDim: 384,
    });
  });

  it('accepts an export without pooler_output, a fixed 518 input and batch 1, and float16 I/O', () => {
    const plan = planEmbeddingModel({
      inputs: [{ name: 'pixel_values', type: 'float16', shape: [1, 3, 518, 518] }],
      outputs: [{ ...lastHidden, type: 'float16', shape: [1, 1370, 768] }],
    });
    expect(plan).toMatchObject({ inputType: 'float16', inputHeight: 518, fixedBatch: 1, pooled: null, embeddingDim: 768 });
  });

  it('accepts any single 4-D float input and a single unnamed 2-D output (pooled)', () => {
    const plan = planEmbeddingModel({ inputs: [{ name: 'input', type: 'float32', shape: ['N', 3, 224, 224] }], outputs: [{ name: 'features', type: 'float32', shape: ['N', 512] }] });
    expect(plan).toMatchObject({ inputName: 'input', inputHeight: 224, pooled: { name: 'features' }, tokens: null, embeddingDim: 512 });
  });

  const rejects = (signature: ModelSignature, reason: RegExp) => expect(() => planEmbeddingModel(signature, '"m.onnx"')).toThrow(reason);

  it('rejects an MNIST-shaped model, saying what was expected and what was found', () => {
    const mnist = { inputs: [{ name: 'Input3', type: 'float32', shape: [1, 1, 28, 28] }], outputs: [{ name: 'Plus214_Output_0', type: 'float32', shape: [1, 10] }] };
    expect(() => planEmbeddingModel(mnist, '"mnist-8.onnx"')).toThrow(
      '"mnist-8.onnx" is not a usable image embedding model: its input Input3 takes 1 channel, not 3 (RGB). Expected an image embedding model needs one float input [batch, 3, height, width] (pixel_values in DINOv2 exports) and an output last_hidden_state [batch, tokens, dim] or a pooled output [batch, dim]. Found inputs: Input3 float32 [1, 1, 28, 28]; outputs: Plus214_Output_0 float32 [1, 10].',
    );
  });

  it('rejects text models, extra inputs, wrong ranks and non-float outputs', () => {
    rejects({ inputs: [{ name: 'input_ids', type: 'int64', shape: ['b', 's'] }, { name: 'attention_mask', type: 'int64', shape: ['b', 's'] }], outputs: [lastHidden] }, /it has 2 inputs \(input_ids, attention_mask\)/);
    rejects({ inputs: [{ name: 'input_ids', type: 'int64', shape: ['b', 's'] }], outputs: [lastHidden] }, /its input input_ids is int64, not float32 or float16/);
    rejects({ inputs: [{ name: 'x', type: 'float32', shape: [1, 784] }], outputs: [pooler] }, /its input x has 2 dimensions, not 4/);
    rejects({ inputs: [pixelValues], outputs: [{ name: 'labels', type: 'int64', shape: ['b'] }] }, /its output labels is int64 with 1 dimensions/);
    rejects({ inputs: [pixelValues], outputs: [{ name: 'a', type: 'float32', shape: ['b', 4] }, { name: 'b', type: 'float32', shape: ['b', 4] }] }, /none of its outputs is last_hidden_state or pooler_output/);
    rejects({ inputs: [], outputs: [pooler] }, /it has no inputs/);
  });
});

describe('checkOutputDims', () => {
  it('accepts [batch, tokens, dim] and [batch, dim], rejects the rest with the shape', () => {
    expect(() => checkOutputDims('m', 'last_hidden_state', 'tokens', [2, 257, 384], 2)).not.toThrow();
    expect(() => checkOutputDims('m', 'pooler_output', 'pooled', [2, 384], 2)).not.toThrow();
    expect(() => checkOutputDims('"m"', 'out', 'tokens', [2, 10], 2)).toThrow('"m" is not a usable image embedding model: for a batch of 2 its output out has shape [2, 10], expected [2, tokens, dim].');
    expect(() => checkOutputDims('m', 'out', 'pooled', [1, 384], 2)).toThrow(/expected \[2, dim\]/);
  });
});
