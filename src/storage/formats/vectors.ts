import type { Matrix } from '../../engine/linalg/matrix';
import { StudyInputError } from '../../engine/studyInputError';
import { decodeNpy, NpyFormatError, readNpyHeader } from '../archive/npy';
import { decodeInputText, parseCsvRecords, parseJsonText, parseNumberCell } from './csvText';

/**
 * Vectors a user brings (real embeddings, or the embeddings of generated samples), one vector per row:
 *
 * - `.npy`: a 2-D array (rows, dimensions) in C order, little-endian float32 ('<f4') or float64 ('<f8');
 * - CSV: one vector per row, comma-separated numbers, with no header or the header `e0,e1,…,e{D-1}`;
 * - JSON: an array of arrays of numbers.
 *
 * Every reader refuses an empty file, zero rows or zero columns, rows of different lengths, and any
 * value that is not a finite number — including a float64 value too large for float32 — naming the row
 * (from 1) and the column (`e0`, `e1`, … as the header names them). The result is a row-major
 * Float32 matrix, as embeddings travel everywhere else in the engine.
 */

export type VectorsFormat = 'npy' | 'csv' | 'json';

/** The format a file name implies by its extension (case-insensitive). */
export function vectorsFormatOf(file: string): VectorsFormat {
  const ext = /\.([^./\\]+)$/.exec(file)?.[1]?.toLowerCase();
  if (ext === 'npy' || ext === 'csv' || ext === 'json') return ext;
  throw new StudyInputError(file, 'vectors must be a .npy, .csv or .json file');
}

/** Reads a vectors file in the format its extension names, or in `format`. */
export function readVectors(bytes: Uint8Array, file: string, format: VectorsFormat = vectorsFormatOf(file)): Matrix<Float32Array> {
  if (format === 'npy') return readVectorsNpy(bytes, file);
  const text = decodeInputText(bytes, file);
  return format === 'csv' ? readVectorsCsv(text, file) : readVectorsJson(text, file);
}

const column = (j: number) => `e${j}`;

/** Stores `value` at out[index] as float32, refusing one float32 cannot hold; `row` (from 1) and column `c` name it. */
function put(out: Float32Array, index: number, value: number, file: string, row: number, c: number): void {
  if (!Number.isFinite(value)) throw new StudyInputError(file, `${value} is not a finite number`, { row, column: column(c) });
  const f = Math.fround(value);
  if (!Number.isFinite(f)) throw new StudyInputError(file, `${value} is beyond the float32 range (±3.4028235e38)`, { row, column: column(c) });
  out[index] = f;
}

function checkSize(rows: number, cols: number, file: string): void {
  if (rows === 0) throw new StudyInputError(file, 'the file has no rows (no vectors)');
  if (cols === 0) throw new StudyInputError(file, 'the vectors have no columns (dimension 0)');
}

const DTYPE_KINDS: Record<string, string> = {
  b: 'bool',
  i: 'int',
  u: 'uint',
  f: 'float',
  c: 'complex',
  O: 'object',
  U: 'unicode string',
  S: 'byte string',
  a: 'byte string',
  V: 'structured (void)',
  M: 'datetime',
  m: 'timedelta',
};

/** A dtype string in words: '<i4' → 'little-endian int32', '|O' → 'object', '>f4' → 'big-endian float32'. */
function describeDtype(descr: string): string {
  const m = /^([<>|=]?)([a-zA-Z])(\d*)/.exec(descr);
  if (!m) return `an unrecognized dtype`;
  const [, order, kind, size] = m;
  const name = DTYPE_KINDS[kind] ?? `kind '${kind}'`;
  const bits = size && 'iufc'.includes(kind) ? `${name}${Number(size) * 8}` : name;
  const endian = order === '<' ? 'little-endian ' : order === '>' ? 'big-endian ' : order === '=' ? 'native-order ' : '';
  return `${endian}${bits}`;
}

export function readVectorsNpy(bytes: Uint8Array, file: string): Matrix<Float32Array> {
  if (bytes.length === 0) throw new StudyInputError(file, 'the file is empty');
  const invalid = (e: unknown): never => {
    if (e instanceof NpyFormatError) throw new StudyInputError(file, `not a valid .npy file: ${e.reason}`);
    throw e;
  };
  let header;
  try {
    header = readNpyHeader(bytes, file);
  } catch (e) {
    return invalid(e);
  }
  const { descr, fortranOrder, shape } = header;
  if (descr !== '<f4' && descr !== '<f8') {
    const what = describeDtype(descr);
    const hint = /^>f[48]$/.test(descr) ? "; save it little-endian, e.g. numpy's a.astype('<f4')" : '';
    throw new StudyInputError(file, `dtype '${descr}' (${what}) is not supported: vectors must be little-endian float32 '<f4' or float64 '<f8'${hint}`);
  }
  if (fortranOrder) {
    throw new StudyInputError(file, "the array is in Fortran order (fortran_order True): save it in C order, e.g. numpy's np.ascontiguousarray(a)");
  }
  if (shape.length !== 2) {
    const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
    throw new StudyInputError(file, `the array is ${shape.length}-D with shape ${shapeText}: vectors must be a 2-D array (rows, dimensions)`);
  }
  const [rows, cols] = shape;
  checkSize(rows, cols, file);
  let data: Float32Array | Float64Array;
  try {
    data = decodeNpy(bytes, file).data;
  } catch (e) {
    return invalid(e);
  }
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) put(out, i, data[i], file, Math.floor(i / cols) + 1, i % cols);
  return { rows, cols, data: out };
}

export function readVectorsCsv(text: string, file: string): Matrix<Float32Array> {
  const records = parseCsvRecords(text, file);
  const first = records[0].fields;
  let body = records;
  // A first row of text only (no cell that Number() reads, `NaN` aside) is meant as a header, and must be the exact one.
  const isText = (f: string) => f.trim() !== '' && f.trim() !== 'NaN' && Number.isNaN(Number(f.trim()));
  if (first.every(isText)) {
    const bad = first.findIndex((f, j) => f !== column(j));
    if (bad >= 0) {
      throw new StudyInputError(file, `the header must be exactly e0,e1,…,e${first.length - 1}; column ${bad + 1} is ${JSON.stringify(first[bad])}`, { row: 1 });
    }
    body = records.slice(1);
  }
  const cols = first.length;
  checkSize(body.length, cols, file);
  const out = new Float32Array(body.length * cols);
  body.forEach(({ row, fields }, r) => {
    if (fields.length !== cols) {
      throw new StudyInputError(file, `the row has ${fields.length} values but row ${records[0].row} has ${cols}`, { row });
    }
    fields.forEach((f, c) => {
      const parsed = parseNumberCell(f);
      if (!parsed.ok) throw new StudyInputError(file, parsed.reason, { row, column: column(c) });
      put(out, r * cols + c, parsed.value, file, row, c);
    });
  });
  return { rows: body.length, cols, data: out };
}

export function readVectorsJson(text: string, file: string): Matrix<Float32Array> {
  const value = parseJsonText(text, file);
  if (!Array.isArray(value)) throw new StudyInputError(file, 'the file must hold an array of vectors (an array of arrays of numbers)');
  return vectorsFromArrays(value, file);
}

/** Parsed JSON vectors (an array of arrays of numbers) as a matrix, with the checks of every reader. */
export function vectorsFromArrays(value: readonly unknown[], file: string): Matrix<Float32Array> {
  const rows = value.length;
  if (rows === 0) checkSize(0, 0, file);
  const firstRow: unknown = value[0];
  if (!Array.isArray(firstRow)) throw new StudyInputError(file, 'the vector is not an array of numbers', { row: 1 });
  const cols = firstRow.length;
  checkSize(rows, cols, file);
  const out = new Float32Array(rows * cols);
  value.forEach((vector: unknown, r) => {
    if (!Array.isArray(vector)) throw new StudyInputError(file, 'the vector is not an array of numbers', { row: r + 1 });
    if (vector.length !== cols) throw new StudyInputError(file, `the vector has ${vector.length} values but row 1 has ${cols}`, { row: r + 1 });
    vector.forEach((x: unknown, c) => {
      if (typeof x !== 'number') {
        throw new StudyInputError(file, `${x === null ? 'null' : typeof x === 'string' ? `the text ${JSON.stringify(x)}` : JSON.stringify(x)} is not a number`, { row: r + 1, column: column(c) });
      }
      put(out, r * cols + c, x, file, r + 1, c);
    });
  });
  return { rows, cols, data: out };
}
