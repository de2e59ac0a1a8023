import onnxProto from 'onnx-proto';

/**
 * Hostile ONNX models, built in code with onnx-proto (the builder of scripts/build-standin.ts) so no
 * binary is committed: each is a valid ModelProto (IR 8, opset 17) that is wrong in one way.
 */
const { onnx } = onnxProto;
type IValueInfo = onnxProto.onnx.IValueInfoProto;
type INode = onnxProto.onnx.INodeProto;
type ITensor = onnxProto.onnx.ITensorProto;

const T = onnx.TensorProto.DataType;
const A = onnx.AttributeProto.AttributeType;

function tensorInfo(name: string, elemType: number, dims: Array<number | string>): IValueInfo {
  return { name, type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } } };
}

function encode(name: string, nodes: INode[], inputs: IValueInfo[], outputs: IValueInfo[], initializer: ITensor[] = []): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'latent-calibration-studio/hostile-inputs',
    producerVersion: '1',
    graph: { name, node: nodes, initializer, input: inputs, output: outputs },
  });
  return onnx.ModelProto.encode(model).finish();
}

const meanOverImage = (input: string, output: string): INode => ({ opType: 'ReduceMean', input: [input], output: [output], name: 'mean', attribute: [{ name: 'axes', type: A.INTS, ints: [2, 3] }, { name: 'keepdims', type: A.INT, i: 0 }] });

/** A text model's interface: one int64 input input_ids [batch, 16]. */
export function textModel(): Uint8Array {
  return encode('text', [{ opType: 'Cast', input: ['input_ids'], output: ['pooler_output'], name: 'cast', attribute: [{ name: 'to', type: A.INT, i: T.FLOAT }] }], [tensorInfo('input_ids', T.INT64, ['batch', 16])], [tensorInfo('pooler_output', T.FLOAT, ['batch', 16])]);
}

/** An image model that also wants an attention mask: two inputs. */
export function twoInputModel(): Uint8Array {
  return encode(
    'two_inputs',
    [meanOverImage('pixel_values', 'mean'), { opType: 'Mul', input: ['mean', 'attention_mask'], output: ['pooler_output'], name: 'mask' }],
    [tensorInfo('pixel_values', T.FLOAT, ['batch', 3, 224, 224]), tensorInfo('attention_mask', T.FLOAT, ['batch', 3])],
    [tensorInfo('pooler_output', T.FLOAT, ['batch', 3])],
  );
}

/** pixel_values declared [1, 3, 2 000 000 000, 2 000 000 000]: the tab would allocate 48 EB of input. */
export function hugeInputModel(): Uint8Array {
  return encode('huge_input', [meanOverImage('pixel_values', 'pooler_output')], [tensorInfo('pixel_values', T.FLOAT, [1, 3, 2_000_000_000, 2_000_000_000])], [tensorInfo('pooler_output', T.FLOAT, [1, 3])]);
}

/** A pooled output declared 3 000 000 000 wide. */
export function hugeOutputModel(): Uint8Array {
  return encode(
    'huge_output',
    // Reshaped to its own runtime shape, so shape inference cannot contradict the declared width.
    [meanOverImage('pixel_values', 'mean'), { opType: 'Shape', input: ['mean'], output: ['shape'], name: 'shape' }, { opType: 'Reshape', input: ['mean', 'shape'], output: ['pooler_output'], name: 'out' }],
    [tensorInfo('pixel_values', T.FLOAT, ['batch', 3, 224, 224])],
    [tensorInfo('pooler_output', T.FLOAT, ['batch', 3_000_000_000])],
  );
}

/**
 * A graph that never finishes its test run: a Loop whose trip count is 2^62 carries the image's mean
 * through an Add per iteration, and the pooled output depends on what the Loop returns, so nothing can
 * skip it (and it depends on the input, so nothing folds it at load).
 */
export function loopForeverModel(): Uint8Array {
  const body = {
    name: 'body',
    node: [
      { opType: 'Identity', input: ['cond_in'], output: ['cond_out'], name: 'keep_going' },
      { opType: 'Add', input: ['v_in', 'step'], output: ['v_out'], name: 'step_add' },
    ],
    initializer: [{ name: 'step', dims: [], dataType: T.FLOAT, rawData: new Uint8Array(Float32Array.of(0).buffer) }],
    input: [tensorInfo('iteration', T.INT64, []), tensorInfo('cond_in', T.BOOL, []), tensorInfo('v_in', T.FLOAT, ['batch', 3])],
    output: [tensorInfo('cond_out', T.BOOL, []), tensorInfo('v_out', T.FLOAT, ['batch', 3])],
  };
  return encode(
    'loop_forever',
    [meanOverImage('pixel_values', 'mean'), { opType: 'Loop', input: ['trip_count', 'keep_going', 'mean'], output: ['looped'], name: 'loop', attribute: [{ name: 'body', type: A.GRAPH, g: body }] }, { opType: 'Identity', input: ['looped'], output: ['pooler_output'], name: 'out' }],
    [tensorInfo('pixel_values', T.FLOAT, ['batch', 3, 224, 224])],
    [tensorInfo('pooler_output', T.FLOAT, ['batch', 3])],
    [
      { name: 'trip_count', dims: [], dataType: T.INT64, rawData: new Uint8Array(BigInt64Array.of(1n << 62n).buffer) },
      { name: 'keep_going', dims: [], dataType: T.BOOL, rawData: Uint8Array.of(1) },
    ],
  );
}
