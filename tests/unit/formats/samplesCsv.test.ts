import { describe, expect, it } from 'vitest';
import { fromRows } from '../../../src/engine/linalg/matrix';
import { parseSpaceFile } from '../../../src/engine/space/spaceFile';
import { checkSamplesAlign, readSamplesCsv } from '../../../src/storage/formats/samplesCsv';
import { inputError } from './studyInputHelpers';

const space = parseSpaceFile(`parameters:
  - {name: brightness, type: float, low: 0.3, high: 0.8}
  - {name: count, type: int, low: 3, high: 20}
  - {name: shape, type: categorical, choices: [circle, "big, round", irregular]}
`);
const HEADER = 'sample_id,param_set_id,brightness,count,shape';
const read = (body: string, file = 'samples.csv') => readSamplesCsv(`${HEADER}\n${body}`, space, file);

describe('samples table: a good file', () => {
  it('reads a file with a UTF-8 BOM and CRLF: typed values, empty set ids, missing cells, values outside the bounds', () => {
    const text =
      '\uFEFF' +
      HEADER +
      '\r\n' +
      's1,p7,0.5,4,circle\r\n' +
      's2,p7, 0.5 ,4,circle\r\n' +
      's3,,0.9,25,"big, round"\r\n' +
      ' s4 ,p8,,,\r\n' +
      's5,p9,1e-1,0x10,irregular\r\n';
    const rows = readSamplesCsv(text, space, 'samples.csv');
    expect(rows).toEqual([
      { row: 2, index: 0, sample_id: 's1', param_set_id: 'p7', params: { brightness: 0.5, count: 4, shape: 'circle' }, missing: [], outside: [] },
      { row: 3, index: 1, sample_id: 's2', param_set_id: 'p7', params: { brightness: 0.5, count: 4, shape: 'circle' }, missing: [], outside: [] },
      {
        row: 4,
        index: 2,
        sample_id: 's3',
        param_set_id: null,
        params: { brightness: 0.9, count: 25, shape: 'big, round' },
        missing: [],
        outside: ['brightness', 'count'],
      },
      { row: 5, index: 3, sample_id: 's4', param_set_id: 'p8', params: {}, missing: ['brightness', 'count', 'shape'], outside: [] },
      { row: 6, index: 4, sample_id: 's5', param_set_id: 'p9', params: { brightness: 0.1, count: 16, shape: 'irregular' }, missing: [], outside: ['brightness'] },
    ]);
  });

  it('aligns with an embeddings matrix of as many rows, and refuses another count', () => {
    const rows = read('a,,0.5,4,circle\nb,,0.5,4,circle\n');
    expect(() => checkSamplesAlign(rows, fromRows([[1], [2]]), 'samples.csv', 'emb.npy')).not.toThrow();
    expect(inputError(() => checkSamplesAlign(rows, fromRows([[1], [2], [3]]), 'samples.csv', 'emb.npy')).message).toBe(
      'samples.csv: 2 sample rows, but emb.npy has 3 vectors: row k of the samples describes vector k',
    );
  });
});

describe('samples table: values', () => {
  it('an integer column holding a fraction', () => {
    const e = inputError(() => read('a,p1,0.5,4,circle\nb,p1,0.5,4,circle\nc,p2,0.4,3.5,circle\n'));
    expect(e).toMatchObject({ file: 'samples.csv', row: 4, column: 'count' });
    expect(e.message).toBe('samples.csv, row 4, column count: 3.5 is not an integer');
  });

  it('a float that is not a number, NaN or infinite', () => {
    expect(inputError(() => read('a,p1,bright,4,circle\n')).message).toBe('samples.csv, row 2, column brightness: "bright" is not a number');
    expect(inputError(() => read('a,p1,NaN,4,circle\n')).message).toBe('samples.csv, row 2, column brightness: NaN is not a finite number');
    expect(inputError(() => read('a,p1,0.5,Infinity,circle\n')).message).toBe('samples.csv, row 2, column count: Infinity is not a finite number');
    expect(inputError(() => read('a,p1,1e400,4,circle\n')).message).toBe('samples.csv, row 2, column brightness: 1e400 is not a finite number');
  });

  it('a categorical value that is not one of the choices', () => {
    expect(inputError(() => read('a,p1,0.5,4,square\n')).message).toBe(
      'samples.csv, row 2, column shape: "square" is not one of circle, big, round, irregular',
    );
    // Case matters: choices are compared as text.
    expect(inputError(() => read('a,p1,0.5,4,Circle\n')).column).toBe('shape');
  });

  it('a row with more or fewer cells than the header', () => {
    expect(inputError(() => read('a,p1,0.5,4\n')).message).toBe('samples.csv, row 2: the row has 4 values but the header has 5 columns');
    expect(inputError(() => read('a,p1,0.5,4,circle,extra\n')).message).toMatch(/row 2: the row has 6 values/);
  });
});

describe('samples table: ids', () => {
  it('a missing sample_id', () => {
    expect(inputError(() => read('a,p1,0.5,4,circle\n ,p1,0.5,4,circle\n')).message).toBe(
      'samples.csv, row 3, column sample_id: sample_id is empty: every row needs its own id',
    );
  });

  it('a repeated sample_id, naming both rows', () => {
    const e = inputError(() => read('a,p1,0.5,4,circle\nb,p1,0.5,4,circle\na,p2,0.5,4,circle\n'));
    expect(e).toMatchObject({ row: 4, column: 'sample_id' });
    expect(e.message).toBe('samples.csv, row 4, column sample_id: sample_id "a" is used by row 2 and row 4');
  });
});

describe('samples table: the header contract', () => {
  it('a column that is not a parameter', () => {
    const e = inputError(() => readSamplesCsv('sample_id,param_set_id,brightness,count,shape,seed\na,,0.5,4,circle,1\n', space, 'tell.csv'));
    expect(e).toMatchObject({ file: 'tell.csv', row: 1, column: 'seed' });
    expect(e.message).toBe(
      'tell.csv, row 1, column seed: "seed" is not a parameter of the space (its parameters are brightness, count, shape); the header must be sample_id,param_set_id,brightness,count,shape',
    );
  });

  it('a parameter missing from the header', () => {
    expect(inputError(() => readSamplesCsv('sample_id,param_set_id,brightness,shape\na,,0.5,circle\n', space)).message).toBe(
      'samples.csv, row 1, column count: the parameter is missing from the header; the header must be sample_id,param_set_id,brightness,count,shape',
    );
    expect(inputError(() => readSamplesCsv('sample_id,brightness,count,shape\na,0.5,4,circle\n', space)).message).toMatch(
      /column param_set_id: the column is missing from the header/,
    );
  });

  it('columns out of the space order, repeated or unnamed', () => {
    expect(inputError(() => readSamplesCsv('sample_id,param_set_id,count,brightness,shape\na,,4,0.5,circle\n', space)).message).toMatch(
      /row 1, column count: the column is in position 3, where brightness belongs/,
    );
    expect(inputError(() => readSamplesCsv('param_set_id,sample_id,brightness,count,shape\n', space)).message).toMatch(/column param_set_id: the column is in position 1, where sample_id belongs/);
    expect(inputError(() => readSamplesCsv(`${HEADER},count\n`, space)).message).toMatch(/column count: the column appears twice/);
    expect(inputError(() => readSamplesCsv(`${HEADER},\n`, space)).message).toMatch(/row 1: column 6 has an empty name/);
  });

  it('an empty file, a header alone, a blank line between rows and a broken quote', () => {
    expect(inputError(() => readSamplesCsv('', space)).message).toBe('samples.csv: the file is empty');
    expect(inputError(() => readSamplesCsv(`\uFEFF${HEADER}\r\n`, space)).message).toBe('samples.csv: the file has a header but no sample rows');
    expect(inputError(() => read('a,,0.5,4,circle\n\nb,,0.5,4,circle\n')).message).toBe('samples.csv, row 3: the row is empty');
    expect(inputError(() => read('a,,0.5,4,"circle\n')).message).toMatch(/^samples\.csv, row 2: quoted field unterminated/);
  });
});
