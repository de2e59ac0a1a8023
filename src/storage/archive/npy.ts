/**
 * NumPy's .npy format, version 1.0 (numpy/lib/format.py, NEP 1): the magic "\x93NUMPY", version 1.0,
 * a little-endian uint16 header length, an ASCII header holding a Python dict literal with keys
 * 'descr', 'fortran_order' and 'shape', padded with spaces and a final '\n' so that the data starts on a
 * 64-byte boundary, then the values in C order.
 *
 * The writer reproduces numpy ≥ 1.23's header byte for byte, including the spare spaces numpy adds so
 * the first axis can grow in place (GROWTH_AXIS_MAX_DIGITS = 21); the golden test compares with
 * np.save's output. The reader accepts versions 1.0 and 2.0 and the two dtypes this tool writes.
 */

export type NpyDescr = '<f4' | '<f8';

export interface NpyArray {
  descr: NpyDescr;
  shape: number[];
  /** Float32Array for '<f4', Float64Array for '<f8', C order. */
  data: Float32Array | Float64Array;
}

export class NpyFormatError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: not a valid .npy file: ${reason}`);
    this.name = 'NpyFormatError';
  }
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const ARRAY_ALIGN = 64;
const GROWTH_AXIS_MAX_DIGITS = 21;
const PREFIX_V1 = 10; // magic 6 + version 2 + uint16 length 2

function shapeRepr(shape: readonly number[]): string {
  if (shape.length === 0) return '()';
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((n, s) => n * s, 1);
}

/** The header text numpy writes, without padding (keys in sorted order, as numpy's writer sorts them). */
function headerDict(descr: NpyDescr, shape: readonly number[]): string {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeRepr(shape)}, }`;
  if (shape.length > 0) header += ' '.repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length));
  return header;
}

/** Encodes a C-order float array as .npy v1.0; the dtype follows the array type. */
export function encodeNpy(data: Float32Array | Float64Array, shape: readonly number[]): Uint8Array {
  for (const s of shape) {
    if (!Number.isInteger(s) || s < 0) throw new Error(`encodeNpy: shape ${shapeRepr(shape)} has an invalid axis length`);
  }
  if (elementCount(shape) !== data.length) {
    throw new Error(`encodeNpy: shape ${shapeRepr(shape)} holds ${elementCount(shape)} values but ${data.length} were given`);
  }
  const descr: NpyDescr = data instanceof Float32Array ? '<f4' : '<f8';
  const header = headerDict(descr, shape);
  const hlen = header.length + 1; // + '\n'
  // numpy: padlen = ARRAY_ALIGN - ((MAGIC_LEN + 2 + hlen) % ARRAY_ALIGN), between 1 and 64.
  const padlen = ARRAY_ALIGN - ((PREFIX_V1 + hlen) % ARRAY_ALIGN);
  const headerLength = hlen + padlen;
  if (headerLength > 0xffff) throw new Error('encodeNpy: header longer than version 1.0 allows');
  const itemSize = data.BYTES_PER_ELEMENT;
  const out = new Uint8Array(PREFIX_V1 + headerLength + data.length * itemSize);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = headerLength & 0xff;
  out[9] = headerLength >> 8;
  let o = PREFIX_V1;
  for (let i = 0; i < header.length; i++) out[o++] = header.charCodeAt(i);
  for (let i = 0; i < padlen; i++) out[o++] = 0x20;
  out[o++] = 0x0a;
  const view = new DataView(out.buffer, o);
  if (descr === '<f4') for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  else for (let i = 0; i < data.length; i++) view.setFloat64(i * 8, data[i], true);
  return out;
}

/** Parses the header dict numpy writes: {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }. */
function parseHeader(text: string, file: string): { descr: string; fortranOrder: boolean; shape: number[] } {
  const fail = (reason: string) => new NpyFormatError(file, reason);
  const body = text.trim();
  if (!body.startsWith('{') || !body.endsWith('}')) throw fail(`header is not a dict literal: ${JSON.stringify(body.slice(0, 80))}`);
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(body)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(body)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(body)?.[1];
  if (descr === undefined) throw fail("header has no 'descr'");
  if (fortran === undefined) throw fail("header has no 'fortran_order'");
  if (shapeText === undefined) throw fail("header has no 'shape'");
  const parts = shapeText.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const shape = parts.map((p) => {
    if (!/^\d+L?$/.test(p)) throw fail(`shape axis "${p}" is not a whole number`);
    return Number.parseInt(p, 10);
  });
  return { descr, fortranOrder: fortran === 'True', shape };
}

export interface NpyHeader {
  /** The dtype string as written, e.g. '<f4', '>f8', '<i4', '|b1', '|O'. */
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  /** Byte offset of the first value. */
  dataStart: number;
}

/** Reads the prefix and header of a .npy file (versions 1.0 and 2.0) without judging its dtype or order. */
export function readNpyHeader(bytes: Uint8Array, file = 'array.npy'): NpyHeader {
  const fail = (reason: string) => new NpyFormatError(file, reason);
  if (bytes.length < PREFIX_V1) throw fail(`only ${bytes.length} bytes`);
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC[i]) throw fail('missing the \\x93NUMPY magic');
  const major = bytes[6];
  const minor = bytes[7];
  let headerStart: number;
  let headerLength: number;
  if (major === 1 && minor === 0) {
    headerLength = bytes[8] | (bytes[9] << 8);
    headerStart = 10;
  } else if (major === 2 && minor === 0) {
    if (bytes.length < 12) throw fail('truncated version 2.0 prefix');
    headerLength = (bytes[8] | (bytes[9] << 8) | (bytes[10] << 16)) + bytes[11] * 2 ** 24;
    headerStart = 12;
  } else {
    throw fail(`format version ${major}.${minor} is not supported (1.0 and 2.0 are)`);
  }
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length) throw fail(`header claims ${headerLength} bytes but the file has ${bytes.length - headerStart} after the prefix`);
  let text = '';
  for (let i = headerStart; i < dataStart; i++) {
    if (bytes[i] > 0x7e) throw fail('header is not ASCII');
    text += String.fromCharCode(bytes[i]);
  }
  if (!text.endsWith('\n')) throw fail('header does not end with a newline');
  return { ...parseHeader(text, file), dataStart };
}

/** Decodes a .npy file written as float32 or float64 little-endian, C order. `file` names it in errors. */
export function decodeNpy(bytes: Uint8Array, file = 'array.npy'): NpyArray {
  const fail = (reason: string) => new NpyFormatError(file, reason);
  const header = readNpyHeader(bytes, file);
  const dataStart = header.dataStart;
  if (header.descr !== '<f4' && header.descr !== '<f8') {
    throw fail(`dtype '${header.descr}' is not supported (expected '<f4' float32 or '<f8' float64, little-endian)`);
  }
  if (header.fortranOrder) throw fail('Fortran-ordered arrays are not supported (expected fortran_order False)');
  const descr = header.descr as NpyDescr;
  const itemSize = descr === '<f4' ? 4 : 8;
  const count = elementCount(header.shape);
  const expected = count * itemSize;
  const actual = bytes.length - dataStart;
  if (actual !== expected) {
    throw fail(`shape ${shapeRepr(header.shape)} needs ${expected} data bytes but the file has ${actual}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + dataStart, expected);
  let data: Float32Array | Float64Array;
  if (descr === '<f4') {
    data = new Float32Array(count);
    for (let i = 0; i < count; i++) data[i] = view.getFloat32(i * 4, true);
  } else {
    data = new Float64Array(count);
    for (let i = 0; i < count; i++) data[i] = view.getFloat64(i * 8, true);
  }
  return { descr, shape: header.shape, data };
}
