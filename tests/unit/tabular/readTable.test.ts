import { MAX_TABLE_BYTES, tableSizeProblem } from '../../../src/domains/tabular/csv/sizeLimit';
import { describe, expect, it } from 'vitest';
import { decodeTableText, firstInvalidUtf8 } from '../../../src/domains/tabular/csv/decodeText';
import { readTable } from '../../../src/domains/tabular/csv/readTable';
import { findColumn, isNumeric } from '../../../src/domains/tabular/table';
import { StudyInputError } from '../../../src/engine/studyInputError';
import { categoricalColumn as categorical, fixtureText as fixture, inputFailure as failure, numericColumn as numeric } from './fixtures';

const small = 'a,b,c\n1,x,2.5\n2,y,3\n3,x,4.25\n4,z,5\n';

describe('readTable: the real fixtures', () => {
  it('fgl: nine continuous columns and a categorical type with six classes, 214 rows', () => {
    const t = readTable(fixture('fgl.csv'), 'fgl.csv');
    expect(t.rowCount).toBe(214);
    expect(t.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'RI:continuous', 'Na:continuous', 'Mg:continuous', 'Al:continuous', 'Si:continuous', 'K:continuous', 'Ca:continuous', 'Ba:continuous', 'Fe:continuous', 'type:categorical',
    ]);
    expect(new Set(categorical(t, 'type').values).size).toBe(6);
    expect(numeric(t, 'Na').values[0]).toBe(13.64);
    expect(numeric(t, 'RI').decimals).toBe(16); // R wrote values such as 3.00999999999999 with up to 16 decimals
    expect(numeric(t, 'Na').decimals).toBe(2);
    expect(t.fileRows?.[0]).toBe(2);
  });

  it('birthwt: every column integer (0/1 flags, counts, grams)', () => {
    const t = readTable(fixture('birthwt.csv'), 'birthwt.csv');
    expect(t.rowCount).toBe(189);
    expect(t.columns.every((c) => c.type === 'integer')).toBe(true);
  });

  it('wine: thirteen numeric columns and a categorical target by role', () => {
    const t = readTable(fixture('wine.csv'), 'wine.csv', { roles: { target: 'target' } });
    expect(t.columns.filter(isNumeric).length).toBe(13);
    expect(numeric(t, 'magnesium').type).toBe('integer');
    expect(categorical(t, 'target').role).toBe('target');
  });
});

describe('readTable: format', () => {
  it('reads UTF-8 with and without a byte-order mark alike', () => {
    const a = readTable(small, 'a.csv');
    const b = readTable(`\uFEFF${small}`, 'b.csv');
    expect(b.columns.map((c) => c.name)).toEqual(['a', 'b', 'c']);
    expect(numeric(b, 'c').values).toEqual(numeric(a, 'c').values);
  });

  it('detects ; and tab delimiters, and reads a decimal comma in a ;-separated file', () => {
    const semi = readTable('a;b;c\n1;x;2,5\n2;y;3\n3;"x;y";4,25\n4;z;5\n', 's.csv');
    expect(numeric(semi, 'c').values).toEqual(Float64Array.from([2.5, 3, 4.25, 5]));
    expect(categorical(semi, 'b').values[2]).toBe('x;y');
    const tab = readTable(small.replace(/,/g, '\t'), 't.tsv');
    expect(numeric(tab, 'c').type).toBe('continuous');
    expect(numeric(tab, 'a').type).toBe('integer');
  });

  it('accepts CRLF and CR line ends and skips blank lines, keeping file row numbers', () => {
    const t = readTable('a,b\r\n1,2\r\n\r\n3,4\r\n5,6\r\n\r\n', 'crlf.csv');
    expect(t.rowCount).toBe(3);
    expect(Array.from(t.fileRows ?? [])).toEqual([2, 4, 5]);
    expect(readTable('a,b\r1,2\r3,4\r5,6', 'cr.csv').rowCount).toBe(3);
  });

  it('reads empty cells, NA, NaN and null as missing, and keeps them missing', () => {
    const t = readTable('x,y,z\n1,a,\nNA,b,2\nNaN,null,3\n4, ,4\n5,c,5\n', 'm.csv');
    expect(Array.from(numeric(t, 'x').values).map((v) => (Number.isNaN(v) ? 'NA' : v))).toEqual([1, 'NA', 'NA', 4, 5]);
    expect(categorical(t, 'y').values).toEqual(['a', 'b', null, null, 'c']);
    expect(numeric(t, 'z').type).toBe('integer');
    expect(Number.isNaN(numeric(t, 'z').values[0])).toBe(true);
  });

  it('infers integer (whole values, 2.0 included), continuous and categorical; counts decimals', () => {
    const t = readTable('i,f,c,e\n1,0.5,a,1e-3\n2.0,1.25,2,2E2\n-3,-7,b,3.5e-1\n4,+.5,c,4\n5,1,d,5\n', 'types.csv');
    expect(t.columns.map((c) => c.type)).toEqual(['integer', 'continuous', 'categorical', 'continuous']);
    expect(numeric(t, 'f').decimals).toBe(2);
    expect(numeric(t, 'e').decimals).toBe(3);
    // Hexadecimal and Infinity are text, not numbers.
    expect(readTable('h\n0x10\nInfinity\n1\n', 'h.csv').columns[0].type).toBe('categorical');
  });

  it('applies type overrides the cells allow, and roles', () => {
    const t = readTable(small, 'o.csv', { types: { a: 'categorical', c: 'continuous' }, roles: { b: 'group', a: 'id' } });
    expect(categorical(t, 'a').values).toEqual(['1', '2', '3', '4']);
    expect(findColumn(t, 'b')?.role).toBe('group');
    const flags = readTable('f,v\n0,1\n1,2\n0,3\n1,4\n', 'f.csv', { types: { f: 'boolean', v: 'continuous' } });
    expect(categorical(flags, 'f').type).toBe('boolean');
    expect(numeric(flags, 'v').type).toBe('continuous');
  });
});

describe('readTable: bad input names the file, row and column', () => {
  it('an empty file', () => {
    expect(failure(() => readTable('', 'empty.csv')).message).toBe('empty.csv: the file is empty');
    expect(failure(() => readTable('\uFEFF \n\n', 'blank.csv')).message).toBe('blank.csv: the file is empty');
  });

  it('a header without rows, and a single row', () => {
    expect(failure(() => readTable('a,b\n', 'h.csv')).message).toContain('no data rows');
    expect(failure(() => readTable('a,b\n1,2\n', 'one.csv')).message).toContain('a single data row');
  });

  it('more columns than rows', () => {
    const e = failure(() => readTable('a,b,c,d\n1,2,3,4\n5,6,7,8\n', 'wide.csv'));
    expect(e.message).toContain('4 columns but only 2 rows');
  });

  it('a ragged row', () => {
    const e = failure(() => readTable('a,b,c\n1,2,3\n4,5\n6,7,8\n9,1,2\n', 'ragged.csv'));
    expect(e.file).toBe('ragged.csv');
    expect(e.row).toBe(3);
    expect(e.message).toBe('ragged.csv, row 3: it has 2 fields, the header has 3 (delimiter ",")');
    expect(e).toBeInstanceOf(StudyInputError);
  });

  it('a repeated or missing header name', () => {
    const dup = failure(() => readTable('a,b,a\n1,2,3\n4,5,6\n7,8,9\n1,1,1\n', 'dup.csv'));
    expect(dup.column).toBe('a');
    expect(dup.row).toBe(1);
    expect(dup.message).toContain('columns 1 and 3');
    expect(failure(() => readTable('a,,c\n1,2,3\n4,5,6\n7,8,9\n1,1,1\n', 'noname.csv')).column).toBe('#2');
  });

  it('a column that is entirely missing', () => {
    const e = failure(() => readTable('a,b\n1,NA\n2,\n3,null\n', 'gone.csv'));
    expect(e.column).toBe('b');
    expect(e.message).toContain('every value is missing');
  });

  it('an unterminated quote', () => {
    const e = failure(() => readTable('a,b\n1,"x\n2,y\n', 'q.csv'));
    expect(e.file).toBe('q.csv');
    expect(e.message).toContain('quote');
  });

  it('overrides the cells do not allow, or naming no column', () => {
    expect(failure(() => readTable(small, 'o.csv', { types: { c: 'integer' } })).message).toBe('o.csv, row 2, column c: 2.5 is not a whole number, so the column cannot be integer');
    expect(failure(() => readTable(small, 'o.csv', { types: { b: 'continuous' } })).message).toBe('o.csv, row 2, column b: "x" is not a number, so the column cannot be continuous');
    expect(failure(() => readTable(small, 'o.csv', { types: { b: 'boolean' } })).message).toContain('3 distinct values');
    expect(failure(() => readTable(small, 'o.csv', { types: { nope: 'integer' } })).column).toBe('nope');
    expect(failure(() => readTable(small, 'o.csv', { roles: { a: 'target', c: 'target' } })).message).toContain('two columns have the role target');
  });

  it('text that was not UTF-8: refused from bytes with the line, and from decoded text by its U+FFFD', () => {
    const latin1 = Uint8Array.from([...Buffer.from('name,v\nabc,1\n'), 0x63, 0x61, 0x66, 0xe9, ...Buffer.from(',2\n')]);
    expect(firstInvalidUtf8(latin1)).toBe(16);
    const e = failure(() => decodeTableText(latin1, 'latin1.csv'));
    expect(e.row).toBe(3);
    expect(e.message).toContain('not UTF-8');
    const decoded = new TextDecoder().decode(latin1) + 'd,3\ne,4\n';
    const f = failure(() => readTable(decoded, 'latin1.csv'));
    expect([f.row, f.column]).toEqual([3, 'name']);
    expect(decodeTableText(Buffer.from('\uFEFFa,b\n'), 'ok.csv')).toBe('\uFEFFa,b\n');
  });
});

describe("the page's size limit", () => {
  it('refuses a file over the limit before reading it, naming the file, its size and the limit', () => {
    expect(tableSizeProblem('huge.csv', 300 * 1024 * 1024)).toBe('huge.csv: the file is 300.0 MB, more than this page reads (256.0 MB); nothing was read or stored');
    expect(tableSizeProblem('fine.csv', MAX_TABLE_BYTES)).toBeNull();
    expect(tableSizeProblem('small.csv', 2048, 1024)).toMatch(/^small\.csv: the file is 0\.0 MB, more than this page reads \(0\.0 MB\)/);
  });
});
