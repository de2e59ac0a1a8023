/**
 * A structural check of a would-be .onnx file before onnxruntime sees it. onnxruntime's own errors for
 * a bad file are opaque ("protobuf parsing failed"); this names what the file actually is (an HTML page,
 * a Git LFS pointer, a PNG…) or where it was cut short.
 *
 * An ONNX model is a protobuf ModelProto. We walk its top-level fields only (cheap: length-delimited
 * fields are skipped, not parsed): every field must have a valid key and fit inside the file, and a
 * model needs ir_version (field 1) and graph (field 7). Field numbers and wire types are from onnx.proto.
 */
export class ModelFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelFileError';
  }
}

export interface OnnxFileSummary {
  byteLength: number;
  irVersion: number;
  producerName: string;
  producerVersion: string;
  opsets: Array<{ domain: string; version: number }>;
  graphByteLength: number;
}

/** Top-level ModelProto fields we know, with their wire types (0 varint, 2 length-delimited). */
const MODEL_FIELDS: Record<number, { name: string; wireType: number }> = {
  1: { name: 'ir_version', wireType: 0 },
  2: { name: 'producer_name', wireType: 2 },
  3: { name: 'producer_version', wireType: 2 },
  4: { name: 'domain', wireType: 2 },
  5: { name: 'model_version', wireType: 0 },
  6: { name: 'doc_string', wireType: 2 },
  7: { name: 'graph', wireType: 2 },
  8: { name: 'opset_import', wireType: 2 },
  14: { name: 'metadata_props', wireType: 2 },
  20: { name: 'training_info', wireType: 2 },
  25: { name: 'functions', wireType: 2 },
};

/** Formats people hand us by mistake, recognised by their first bytes. */
function sniffForeignFormat(b: Uint8Array): string | null {
  const text = (n: number) => String.fromCharCode(...b.subarray(0, Math.min(n, b.length)));
  if (b.length >= 4 && b[0] === 0x89 && text(4).slice(1) === 'PNG') return 'a PNG image';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'a JPEG image';
  if (text(4) === 'GIF8') return 'a GIF image';
  if (text(4) === 'RIFF') return 'a RIFF file (WebP/WAV)';
  if (text(4) === '%PDF') return 'a PDF document';
  if (b.length >= 2 && b[0] === 0x50 && b[1] === 0x4b) return 'a ZIP archive (a PyTorch .pt/.pth checkpoint or a zipped model?)';
  if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) return 'a gzip archive (unpack it first)';
  if (text(7) === 'version' && /git-lfs/.test(text(200))) return 'a Git LFS pointer file, not the model itself (the download bypassed LFS)';
  const head = text(512).trimStart().toLowerCase();
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) return 'an HTML page (an error or login page instead of the model?)';
  if (head.startsWith('{') || head.startsWith('[')) return 'a JSON document';
  if (text(8) === '\x93NUMPY') return 'a NumPy .npy array';
  if (b.length >= 8 && new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true) < 1n << 32n && b[8] === 0x7b) {
    return 'a safetensors file (weights only, no graph: export the model to ONNX)';
  }
  return null;
}

class Reader {
  pos = 0;
  constructor(readonly b: Uint8Array) {}
  /** A varint as a Number (exact below 2^53), or null when the file ends inside it. */
  varint(): number | null {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.b.length) return null;
      const byte = this.b[this.pos++];
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return result;
      scale *= 128;
    }
    return NaN; // more than 10 bytes: not a varint
  }
}

const kb = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} kB` : `${n} bytes`);

function readString(b: Uint8Array): string {
  let s = '';
  for (const c of b.subarray(0, 200)) s += String.fromCharCode(c);
  return s;
}

function parseOpset(b: Uint8Array): { domain: string; version: number } {
  const r = new Reader(b);
  let domain = '';
  let version = 0;
  while (r.pos < b.length) {
    const key = r.varint();
    if (key === null || Number.isNaN(key)) break;
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 2) {
      const len = r.varint() ?? 0;
      if (field === 1) domain = readString(b.subarray(r.pos, r.pos + len));
      r.pos += len;
    } else if (wire === 0) {
      const v = r.varint() ?? 0;
      if (field === 2) version = v;
    } else break;
  }
  return { domain, version };
}

/**
 * Checks that `bytes` look like a complete ONNX model; throws ModelFileError naming `label` and the reason.
 */
export function inspectOnnxFile(bytes: Uint8Array, label = 'the model file'): OnnxFileSummary {
  const fail = (reason: string): never => {
    throw new ModelFileError(`${label} ${reason}`);
  };
  if (bytes.length === 0) fail('is empty (0 bytes).');
  const foreign = sniffForeignFormat(bytes);
  if (foreign) fail(`is ${foreign}, not an ONNX model.`);

  const r = new Reader(bytes);
  const summary: OnnxFileSummary = {
    byteLength: bytes.length,
    irVersion: 0,
    producerName: '',
    producerVersion: '',
    opsets: [],
    graphByteLength: 0,
  };
  let sawIrVersion = false;
  let sawGraph = false;
  const notOnnx = (detail: string) => fail(`is not an ONNX model: ${detail} (an ONNX file is a protobuf ModelProto).`);
  while (r.pos < bytes.length) {
    const at = r.pos;
    const key = r.varint();
    if (key === null) {
      if (sawIrVersion) fail(`is truncated: it ends inside a field header at byte ${at} of ${bytes.length}.`);
      notOnnx(`byte ${at} does not start a protobuf field`);
    }
    const field = Math.floor(key! / 8);
    const wire = key! % 8;
    if (Number.isNaN(key) || field === 0 || !(wire === 0 || wire === 1 || wire === 2 || wire === 5)) {
      notOnnx(`byte ${at} holds an invalid protobuf field key`);
    }
    const known = MODEL_FIELDS[field];
    if (known && known.wireType !== wire) notOnnx(`field ${known.name} at byte ${at} has the wrong encoding`);
    if (wire === 0) {
      const value = r.varint();
      if (value === null) fail(`is truncated: it ends inside field ${known?.name ?? field} at byte ${r.pos}.`);
      if (field === 1) {
        summary.irVersion = value!;
        sawIrVersion = value! >= 1 && value! <= 100;
        if (!sawIrVersion) notOnnx(`ir_version is ${value}`);
      }
    } else if (wire === 2) {
      const len = r.varint();
      const start = r.pos;
      if (len === null || Number.isNaN(len)) {
        if (sawIrVersion) fail(`is truncated: it ends inside the length of field ${known?.name ?? field} at byte ${at}.`);
        notOnnx(`byte ${at} holds an invalid length`);
      }
      if (start + len! > bytes.length) {
        if (sawIrVersion) {
          fail(
            `is truncated: its ${known?.name ?? `field ${field}`} section needs ${kb(len!)} from byte ${start}, ` +
              `but the file ends after ${kb(bytes.length)} (a download or copy was cut short).`,
          );
        }
        notOnnx(`byte ${at} declares ${kb(len!)} of data but the file has ${kb(bytes.length)}`);
      }
      const body = bytes.subarray(start, start + len!);
      if (field === 2) summary.producerName = readString(body);
      else if (field === 3) summary.producerVersion = readString(body);
      else if (field === 8) summary.opsets.push(parseOpset(body));
      else if (field === 7) {
        sawGraph = true;
        summary.graphByteLength = len!;
      }
      r.pos = start + len!;
    } else {
      const width = wire === 1 ? 8 : 4;
      if (r.pos + width > bytes.length) {
        if (sawIrVersion) fail(`is truncated: it ends inside field ${field} at byte ${r.pos}.`);
        notOnnx(`byte ${at} holds a field that runs past the end`);
      }
      r.pos += width;
    }
  }
  if (!sawIrVersion) notOnnx('it has no ir_version field');
  if (!sawGraph) fail('has no graph: it is an ONNX header without a model (truncated or an empty export).');
  return summary;
}
