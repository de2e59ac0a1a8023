import type { Precision } from './backendChoice';

/**
 * How a model file stores its weights, read from the file itself, so that a dropped or mislabelled file
 * still goes to a backend that can run it:
 * - int8: the graph has onnxruntime's integer operators (dynamic quantisation as Hugging Face's
 *   model_quantized.onnx: DynamicQuantizeLinear + MatMulInteger / ConvInteger; or their fused and static
 *   forms);
 * - fp16: more initializer bytes are float16 than float32 (model_fp16.onnx);
 * - fp32 otherwise.
 * Only the protobuf framing is walked (onnx.proto field numbers: ModelProto.graph = 7, GraphProto.node =
 * 1 and initializer = 5, NodeProto.op_type = 4, TensorProto.data_type = 2, and its data fields
 * float_data = 4, int32_data = 5, raw_data = 9); tensor data is skipped, not read.
 */
const INTEGER_OPS = new Set(['DynamicQuantizeLinear', 'MatMulInteger', 'ConvInteger', 'QLinearMatMul', 'QLinearConv', 'MatMulIntegerToFloat', 'DynamicQuantizeMatMul']);
const DATA_TYPE = { FLOAT: 1, FLOAT16: 10 } as const;

interface Field {
  field: number;
  /** The varint value (wire type 0). */
  value: number;
  /** The body (wire type 2). */
  body: Uint8Array | null;
}

/** The fields of one protobuf message; stops quietly at anything malformed (inspectOnnxFile reports it). */
function* fields(b: Uint8Array): Generator<Field> {
  let pos = 0;
  const varint = (): number | null => {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10 && pos < b.length; i++) {
      const byte = b[pos++];
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return result;
      scale *= 128;
    }
    return null;
  };
  while (pos < b.length) {
    const key = varint();
    if (key === null) return;
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) {
      const value = varint();
      if (value === null) return;
      yield { field, value, body: null };
    } else if (wire === 2) {
      const length = varint();
      if (length === null || pos + length > b.length) return;
      yield { field, value: 0, body: b.subarray(pos, pos + length) };
      pos += length;
    } else if (wire === 1 || wire === 5) pos += wire === 1 ? 8 : 4;
    else return;
  }
}

const utf8 = new TextDecoder();

export interface WeightSummary {
  precision: Precision;
  /** The integer operators found (empty unless int8). */
  integerOps: string[];
  float32Bytes: number;
  float16Bytes: number;
}

export function onnxWeightSummary(bytes: Uint8Array): WeightSummary {
  const integerOps = new Set<string>();
  let float32Bytes = 0;
  let float16Bytes = 0;
  for (const model of fields(bytes)) {
    if (model.field !== 7 || !model.body) continue;
    for (const graph of fields(model.body)) {
      if (!graph.body) continue;
      if (graph.field === 1) {
        for (const node of fields(graph.body)) {
          if (node.field === 4 && node.body) {
            const op = utf8.decode(node.body);
            if (INTEGER_OPS.has(op)) integerOps.add(op);
          }
        }
      } else if (graph.field === 5) {
        let dataType = 0;
        let dataBytes = 0;
        for (const tensor of fields(graph.body)) {
          if (tensor.field === 2) dataType = tensor.value;
          else if ((tensor.field === 4 || tensor.field === 5 || tensor.field === 9) && tensor.body) dataBytes += tensor.body.length;
        }
        if (dataType === DATA_TYPE.FLOAT) float32Bytes += dataBytes;
        else if (dataType === DATA_TYPE.FLOAT16) float16Bytes += dataBytes;
      }
    }
  }
  const precision: Precision = integerOps.size > 0 ? 'int8' : float16Bytes > float32Bytes ? 'fp16' : 'fp32';
  return { precision, integerOps: [...integerOps].sort(), float32Bytes, float16Bytes };
}
