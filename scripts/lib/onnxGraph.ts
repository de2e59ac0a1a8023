import onnxProto from 'onnx-proto';
import type { Rng } from '../../src/engine/random/rng';
import { quantizeUint8PerTensor, toFloat16Weights } from './weightQuantization';

/**
 * A small ONNX graph builder for the stand-in models (scripts/build-standin.ts): initializers drawn
 * from a seeded generator, nodes with fresh names, and the two places where a Hugging Face export's
 * precision shows — how float weights are stored, and what a MatMul or Conv with a constant weight
 * becomes. The same seed draws the same weights in every precision, so the fp32, int8 and fp16
 * stand-ins are one model stored three ways.
 */
const { onnx } = onnxProto;
type INode = onnxProto.onnx.INodeProto;
type ITensor = onnxProto.onnx.ITensorProto;
type IValueInfo = onnxProto.onnx.IValueInfoProto;
export type IAttribute = onnxProto.onnx.IAttributeProto;

/** fp32: model.onnx; int8: model_quantized.onnx; fp16: model_fp16.onnx. */
export type WeightPrecision = 'fp32' | 'int8' | 'fp16';

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const FLOAT16 = onnx.TensorProto.DataType.FLOAT16;
const UINT8 = onnx.TensorProto.DataType.UINT8;
const INT64 = onnx.TensorProto.DataType.INT64;

export const ints = (name: string, values: number[]): IAttribute => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: values });
export const int = (name: string, value: number): IAttribute => ({ name, type: onnx.AttributeProto.AttributeType.INT, i: value });
export const float = (name: string, value: number): IAttribute => ({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f: value });

const count = (dims: number[]) => dims.reduce((a, b) => a * b, 1);
const bytesOf = (view: ArrayBufferView) => new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));

export class GraphBuilder {
  readonly nodes: INode[] = [];
  readonly initializers: ITensor[] = [];
  private counter = 0;
  /** DynamicQuantizeLinear outputs per activation: onnxruntime quantises an input once for all its consumers. */
  private readonly quantizedActivations = new Map<string, [string, string, string]>();

  constructor(
    private readonly rng: Rng,
    readonly precision: WeightPrecision = 'fp32',
  ) {}

  private fresh(hint: string): string {
    return `${hint}_${this.counter++}`;
  }

  /** A float initializer: float32, or float16 in the fp16 export. */
  float(name: string, dims: number[], values: Float32Array): string {
    if (this.precision === 'fp16') this.initializers.push({ name, dims, dataType: FLOAT16, rawData: bytesOf(toFloat16Weights(values)) });
    else this.initializers.push({ name, dims, dataType: FLOAT, rawData: new Uint8Array(values.buffer.slice(0)) });
    return name;
  }
  /** N(0, 1/fan_in), fan_in = product of all dimensions but the output one. */
  fanIn(name: string, dims: number[], fanIn: number): string {
    return this.random(name, dims, 1 / Math.sqrt(fanIn));
  }
  random(name: string, dims: number[], std: number): string {
    return this.float(name, dims, this.draw(dims, std));
  }
  constant(name: string, dims: number[], value: number): string {
    return this.float(name, dims, new Float32Array(count(dims)).fill(value));
  }
  int64(name: string, values: number[], scalar = false): string {
    const data = BigInt64Array.from(values.map(BigInt));
    this.initializers.push({ name, dims: scalar ? [] : [values.length], dataType: INT64, rawData: new Uint8Array(data.buffer) });
    return name;
  }

  op(opType: string, inputs: string[], attributes: IAttribute[] = [], output?: string): string {
    const out = output ?? this.fresh(opType.toLowerCase());
    this.nodes.push({ opType, input: inputs, output: [out], name: this.fresh(`${opType}_node`), attribute: attributes });
    return out;
  }
  /** A node with the given output names (several outputs, or names that follow an exporter's pattern). */
  node(opType: string, inputs: string[], outputs: string[], name: string, attributes: IAttribute[] = []): void {
    this.nodes.push({ opType, input: inputs, output: outputs, name, attribute: attributes });
  }

  /** x · W, W [in, out] drawn N(0, 1/fanIn) and named `name`. */
  matMul(x: string, name: string, dims: number[], fanIn: number): string {
    if (this.precision !== 'int8') return this.op('MatMul', [x, this.fanIn(name, dims, fanIn)]);
    return this.integerOp('MatMulInteger', x, name, this.draw(dims, 1 / Math.sqrt(fanIn)), dims, []);
  }

  /** Conv(x, W) + bias, W drawn N(0, 1/fanIn), bias `bias` (already an initializer). */
  conv(x: string, name: string, dims: number[], fanIn: number, bias: () => string, attributes: IAttribute[]): string {
    if (this.precision !== 'int8') return this.op('Conv', [x, this.fanIn(name, dims, fanIn), bias()], attributes);
    const scaled = this.integerOp('ConvInteger', x, name, this.draw(dims, 1 / Math.sqrt(fanIn)), dims, attributes);
    // onnxruntime's quantised Conv keeps the bias in float: Reshape to [1, C, 1, 1], then Add.
    const shape = this.int64(`${scaled}_bias_reshape_shape`, [1, -1, ...dims.slice(2).map(() => 1)]);
    const reshaped = this.op('Reshape', [bias(), shape]);
    return this.op('Add', [scaled, reshaped]);
  }

  /**
   * onnxruntime's dynamic quantisation of one op with a constant weight (IntegerOps mode):
   *   x_q, x_scale, x_zp = DynamicQuantizeLinear(x)
   *   y = Cast<float>(MatMulInteger | ConvInteger(x_q, W_q, x_zp, W_zp)) · (x_scale · W_scale)
   * with W_q, W_scale, W_zp stored as initializers named W_quantized, W_scale, W_zero_point.
   */
  private integerOp(opType: 'MatMulInteger' | 'ConvInteger', x: string, name: string, weights: Float32Array, dims: number[], attributes: IAttribute[]): string {
    const [xq, xScale, xZero] = this.quantizeActivation(x);
    const q = quantizeUint8PerTensor(weights);
    this.initializers.push({ name: `${name}_quantized`, dims, dataType: UINT8, rawData: q.values });
    this.initializers.push({ name: `${name}_scale`, dims: [], dataType: FLOAT, rawData: bytesOf(Float32Array.of(q.scale)) });
    this.initializers.push({ name: `${name}_zero_point`, dims: [], dataType: UINT8, rawData: Uint8Array.of(q.zeroPoint) });
    const base = this.fresh(opType === 'MatMulInteger' ? 'matmul' : 'conv');
    const integer = `${base}_output_quantized`;
    this.node(opType, [xq, `${name}_quantized`, xZero, `${name}_zero_point`], [integer], `${base}_quant`, attributes);
    const cast = `${integer}_cast_output`;
    this.node('Cast', [integer], [cast], `${integer}_cast`, [int('to', FLOAT)]);
    const scales = `${base}_scales_mul:0`;
    this.node('Mul', [xScale, `${name}_scale`], [scales], `${base}_scales_mul`);
    this.node('Mul', [cast, scales], [base], `${base}_quant_output_scale_mul`);
    return base;
  }

  private quantizeActivation(x: string): [string, string, string] {
    let outputs = this.quantizedActivations.get(x);
    if (!outputs) {
      outputs = [`${x}_quantized`, `${x}_scale`, `${x}_zero_point`];
      this.node('DynamicQuantizeLinear', [x], outputs, `${x}_QuantizeLinear`);
      this.quantizedActivations.set(x, outputs);
    }
    return outputs;
  }

  private draw(dims: number[], std: number): Float32Array {
    return Float32Array.from({ length: count(dims) }, () => this.rng.normal(0, std));
  }
}

/** A float32 graph input or output (the fp16 export keeps float32 at its boundary, see build-standin.ts). */
export function valueInfo(name: string, dims: Array<number | string>): IValueInfo {
  return {
    name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  };
}

export const FLOAT_TYPES = { FLOAT, FLOAT16 };

export function encodeModel(g: GraphBuilder, name: string, inputs: IValueInfo[], outputs: IValueInfo[], docString: string): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'latent-calibration-studio/build-standin',
    producerVersion: '1',
    docString,
    graph: { name, node: g.nodes, initializer: g.initializers, input: inputs, output: outputs },
  });
  return onnx.ModelProto.encode(model).finish();
}
