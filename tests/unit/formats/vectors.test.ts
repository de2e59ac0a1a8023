import { describe, expect, it } from 'vitest';
import { encodeNpy } from '../../../src/storage/archive/npy';
import { readVectors, readVectorsCsv, readVectorsJson, readVectorsNpy, vectorsFormatOf } from '../../../src/storage/formats/vectors';
import { bytesOf, inputError } from './studyInputHelpers';

/**
 * A .npy file built by hand: magic, version 1.0, the header dict padded with spaces to a 64-byte
 * boundary and ended by '\n', then `payload`.
 */
function npy(dict: string, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  let header = dict;
  while ((10 + header.length + 1) % 64 !== 0) header += ' ';
  header += '\n';
  const out = new Uint8Array(10 + header.length + payload.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(payload, 10 + header.length);
  return out;
}

function f32le(values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return out;
}

function f64le(values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 8);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setFloat64(i * 8, v, true));
  return out;
}

const dict = (descr: string, shape: string, fortran = 'False') => `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;

describe('.npy vectors', () => {
  it('reads a float32 (rows, dims) array as written by numpy', () => {
    const m = readVectorsNpy(encodeNpy(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]), 'real.npy');
    expect(m.rows).toBe(2);
    expect(m.cols).toBe(3);
    expect(m.data).toBeInstanceOf(Float32Array);
    expect(Array.from(m.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reads float64 into float32, rounding each value', () => {
    const m = readVectorsNpy(npy(dict('<f8', '(3, 1)'), f64le([0.1, -2.5, 1e-3])), 'emb.npy');
    expect(m).toMatchObject({ rows: 3, cols: 1 });
    expect(Array.from(m.data)).toEqual([Math.fround(0.1), -2.5, Math.fround(1e-3)]);
  });

  it('refuses 1-D, 0-D and 3-D arrays, naming the shape', () => {
    expect(inputError(() => readVectorsNpy(npy(dict('<f4', '(3,)'), f32le([1, 2, 3])), 'v.npy')).message).toBe(
      'v.npy: the array is 1-D with shape (3,): vectors must be a 2-D array (rows, dimensions)',
    );
    expect(inputError(() => readVectorsNpy(npy(dict('<f4', '()'), f32le([1])), 'v.npy')).message).toMatch(/is 0-D/);
    expect(inputError(() => readVectorsNpy(npy(dict('<f4', '(2, 2, 2)'), f32le([1, 2, 3, 4, 5, 6, 7, 8])), 'v.npy')).message).toMatch(
      /is 3-D with shape \(2, 2, 2\)/,
    );
  });

  it('refuses Fortran order', () => {
    expect(inputError(() => readVectorsNpy(npy(dict('<f4', '(2, 2)', 'True'), f32le([1, 2, 3, 4])), 'v.npy')).message).toMatch(
      /^v\.npy: the array is in Fortran order \(fortran_order True\)/,
    );
  });

  it('refuses big-endian floats, naming the byte order', () => {
    const e = inputError(() => readVectorsNpy(npy(dict('>f4', '(1, 2)'), new Uint8Array(8)), 'v.npy'));
    expect(e.message).toMatch(/^v\.npy: dtype '>f4' \(big-endian float32\) is not supported: vectors must be little-endian float32 '<f4' or float64 '<f8'; save it little-endian/);
    expect(inputError(() => readVectorsNpy(npy(dict('>f8', '(1, 1)'), new Uint8Array(8)), 'v.npy')).message).toMatch(/'>f8' \(big-endian float64\)/);
  });

  it('refuses integer, bool, object, half and complex dtypes, naming which', () => {
    const cases: Array<[string, string]> = [
      ['<i4', 'little-endian int32'],
      ['|u1', 'uint8'],
      ['|b1', 'bool'],
      ['|O', 'object'],
      ['<f2', 'little-endian float16'],
      ['<c8', 'little-endian complex64'],
    ];
    for (const [descr, words] of cases) {
      const e = inputError(() => readVectorsNpy(npy(dict(descr, '(1, 1)'), new Uint8Array(8)), 'v.npy'));
      expect(e.message).toContain(`dtype '${descr}' (${words}) is not supported`);
    }
  });

  it('refuses NaN and ±Inf, naming the row (from 1) and the column', () => {
    const values = [0, 1, 2, 3, 4, Number.NaN];
    const e = inputError(() => readVectorsNpy(encodeNpy(Float32Array.from(values), [2, 3]), 'emb.npy'));
    expect(e).toMatchObject({ file: 'emb.npy', row: 2, column: 'e2' });
    expect(e.message).toBe('emb.npy, row 2, column e2: NaN is not a finite number');
    expect(inputError(() => readVectorsNpy(encodeNpy(Float64Array.from([Infinity, 0]), [1, 2]), 'e.npy')).message).toBe(
      'e.npy, row 1, column e0: Infinity is not a finite number',
    );
    expect(inputError(() => readVectorsNpy(encodeNpy(Float32Array.from([0, -Infinity]), [2, 1]), 'e.npy')).message).toMatch(/row 2, column e0: -Infinity/);
  });

  it('refuses a float64 value too large for float32', () => {
    expect(inputError(() => readVectorsNpy(npy(dict('<f8', '(1, 2)'), f64le([1, 1e39])), 'e.npy')).message).toBe(
      'e.npy, row 1, column e1: 1e+39 is beyond the float32 range (±3.4028235e38)',
    );
  });

  it('refuses an empty file, zero rows, zero columns and a file that is not .npy', () => {
    expect(inputError(() => readVectorsNpy(new Uint8Array(0), 'e.npy')).message).toBe('e.npy: the file is empty');
    expect(inputError(() => readVectorsNpy(npy(dict('<f4', '(0, 768)')), 'e.npy')).message).toBe('e.npy: the file has no rows (no vectors)');
    expect(inputError(() => readVectorsNpy(npy(dict('<f4', '(4, 0)')), 'e.npy')).message).toBe('e.npy: the vectors have no columns (dimension 0)');
    expect(inputError(() => readVectorsNpy(bytesOf('0.5,1.5\n2.5,3.5\n'), 'e.npy')).message).toMatch(/^e\.npy: not a valid \.npy file: missing the \\x93NUMPY magic/);
    expect(inputError(() => readVectorsNpy(npy(dict('<f4', '(2, 2)'), f32le([1, 2, 3])), 'e.npy')).message).toMatch(/needs 16 data bytes but the file has 12/);
  });
});

describe('CSV vectors', () => {
  it('reads a file with a UTF-8 BOM, CRLF line ends, the e0..e{D-1} header and quoted numbers', () => {
    const m = readVectors(bytesOf('\uFEFFe0,e1,e2\r\n1,2.5,-3\r\n"4", 5e-1 ,6\r\n'), 'emb.csv');
    expect(m).toMatchObject({ rows: 2, cols: 3 });
    expect(Array.from(m.data)).toEqual([1, 2.5, -3, 4, 0.5, 6]);
  });

  it('reads a file without a header and without a final line end', () => {
    const m = readVectorsCsv('0.25,1\n2,3', 'emb.csv');
    expect(m).toMatchObject({ rows: 2, cols: 2 });
    expect(Array.from(m.data)).toEqual([0.25, 1, 2, 3]);
  });

  it('refuses a ragged row, naming it', () => {
    expect(inputError(() => readVectorsCsv('1,2,3\n4,5,6\n7,8\n', 'emb.csv')).message).toBe('emb.csv, row 3: the row has 2 values but row 1 has 3');
    expect(inputError(() => readVectorsCsv('e0,e1\n1,2\n3,4,5\n', 'emb.csv')).message).toBe('emb.csv, row 3: the row has 3 values but row 1 has 2');
  });

  it('refuses a value that is not a number, naming the row and the column', () => {
    const e = inputError(() => readVectorsCsv('e0,e1\n1,2\n3,abc\n', 'emb.csv'));
    expect(e).toMatchObject({ row: 3, column: 'e1' });
    expect(e.message).toBe('emb.csv, row 3, column e1: "abc" is not a number');
    expect(inputError(() => readVectorsCsv('1,2\n,4\n', 'emb.csv')).message).toBe('emb.csv, row 2, column e0: the value is empty');
  });

  it('refuses NaN and ±Inf, and a value beyond float32', () => {
    expect(inputError(() => readVectorsCsv('1,NaN\n', 'emb.csv')).message).toBe('emb.csv, row 1, column e1: NaN is not a finite number');
    expect(inputError(() => readVectorsCsv('1,2\n-Infinity,0\n', 'emb.csv')).message).toBe('emb.csv, row 2, column e0: -Infinity is not a finite number');
    expect(inputError(() => readVectorsCsv('1e400,2\n', 'emb.csv')).message).toBe('emb.csv, row 1, column e0: 1e400 is not a finite number');
    expect(inputError(() => readVectorsCsv('1e39,2\n', 'emb.csv')).message).toMatch(/row 1, column e0: 1e\+39 is beyond the float32 range/);
  });

  it('refuses a header other than exactly e0..e{D-1}', () => {
    expect(inputError(() => readVectorsCsv('e0,e2\n1,2\n', 'emb.csv')).message).toBe(
      'emb.csv, row 1: the header must be exactly e0,e1,…,e1; column 2 is "e2"',
    );
    expect(inputError(() => readVectorsCsv('x,y\n1,2\n', 'emb.csv')).message).toMatch(/row 1: the header must be exactly e0,e1,…,e1; column 1 is "x"/);
    expect(inputError(() => readVectorsCsv('e0, e1\n1,2\n', 'emb.csv')).message).toMatch(/column 2 is " e1"/);
  });

  it('refuses an empty file, a header without rows, a blank line between rows and a broken quote', () => {
    expect(inputError(() => readVectorsCsv('', 'emb.csv')).message).toBe('emb.csv: the file is empty');
    expect(inputError(() => readVectors(bytesOf('\uFEFF\r\n'), 'emb.csv')).message).toBe('emb.csv: the file is empty');
    expect(inputError(() => readVectorsCsv('e0,e1\r\n', 'emb.csv')).message).toBe('emb.csv: the file has no rows (no vectors)');
    expect(inputError(() => readVectorsCsv('1,2\n\n3,4\n', 'emb.csv')).message).toBe('emb.csv, row 2: the row is empty');
    expect(inputError(() => readVectorsCsv('1,2\n"3,4\n', 'emb.csv')).message).toMatch(/^emb\.csv, row 2: quoted field unterminated/);
  });
});

describe('JSON vectors', () => {
  it('reads an array of arrays of numbers (with a BOM)', () => {
    const m = readVectors(bytesOf('\uFEFF[[1, 2], [3.5, -4e-2]]\r\n'), 'emb.json');
    expect(m).toMatchObject({ rows: 2, cols: 2 });
    expect(Array.from(m.data)).toEqual([1, 2, 3.5, Math.fround(-0.04)]);
  });

  it('refuses a ragged row and a non-number, naming the row and the column', () => {
    expect(inputError(() => readVectorsJson('[[1,2],[3]]', 'e.json')).message).toBe('e.json, row 2: the vector has 1 values but row 1 has 2');
    expect(inputError(() => readVectorsJson('[[1,2],[3,"4"]]', 'e.json')).message).toBe('e.json, row 2, column e1: the text "4" is not a number');
    expect(inputError(() => readVectorsJson('[[1,null]]', 'e.json')).message).toBe('e.json, row 1, column e1: null is not a number');
    expect(inputError(() => readVectorsJson('[[1,2],5]', 'e.json')).message).toBe('e.json, row 2: the vector is not an array of numbers');
  });

  it('refuses a number that overflows to Infinity', () => {
    expect(inputError(() => readVectorsJson('[[0, 0], [0, 1e999]]', 'e.json')).message).toBe('e.json, row 2, column e1: Infinity is not a finite number');
  });

  it('refuses an empty file, zero rows, zero columns, a non-array and broken JSON', () => {
    expect(inputError(() => readVectorsJson('  \n', 'e.json')).message).toBe('e.json: the file is empty');
    expect(inputError(() => readVectorsJson('[]', 'e.json')).message).toBe('e.json: the file has no rows (no vectors)');
    expect(inputError(() => readVectorsJson('[[], []]', 'e.json')).message).toBe('e.json: the vectors have no columns (dimension 0)');
    expect(inputError(() => readVectorsJson('{"a": [1]}', 'e.json')).message).toMatch(/must hold an array of vectors/);
    expect(inputError(() => readVectorsJson('[[1, NaN]]', 'e.json')).message).toMatch(/^e\.json: not valid JSON/);
  });
});

describe('format by extension', () => {
  it('follows the extension and refuses others', () => {
    expect(vectorsFormatOf('a/b/EMB.NPY')).toBe('npy');
    expect(vectorsFormatOf('x.csv')).toBe('csv');
    expect(vectorsFormatOf('x.json')).toBe('json');
    expect(inputError(() => vectorsFormatOf('x.tsv')).message).toBe('x.tsv: vectors must be a .npy, .csv or .json file');
    expect(inputError(() => readVectors(bytesOf('1,2'), 'vectors')).file).toBe('vectors');
    expect(inputError(() => readVectors(Uint8Array.from([0x31, 0xc3]), 'v.csv')).message).toMatch(/^v\.csv: invalid UTF-8 at byte 1/);
  });
});
