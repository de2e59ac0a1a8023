import { describe, expect, it } from 'vitest';
import { formatTable, formatTableForSpreadsheet } from '../../../src/domains/tabular/csv/writeTable';
import { readTable } from '../../../src/domains/tabular/csv/readTable';
import { FORMULA_TRIGGERS, SPREADSHEET_SAFETY_NOTE, isPlainNumber, spreadsheetSafeCell } from '../../../src/domains/tabular/csv/spreadsheetSafe';
import type { Table } from '../../../src/domains/tabular/table';
import { fixtureTable } from './fixtures';

describe('spreadsheetSafeCell: formula injection', () => {
  it("puts a single quote before text that begins with =, +, -, @, a tab or a carriage return", () => {
    expect(spreadsheetSafeCell('=1+1')).toBe("'=1+1");
    expect(spreadsheetSafeCell('=HYPERLINK("http://x","y")')).toBe('\'=HYPERLINK("http://x","y")');
    expect(spreadsheetSafeCell('+cmd|/C calc!A0')).toBe("'+cmd|/C calc!A0");
    expect(spreadsheetSafeCell('-2+3')).toBe("'-2+3");
    expect(spreadsheetSafeCell('@SUM(A1:A2)')).toBe("'@SUM(A1:A2)");
    expect(spreadsheetSafeCell('\t=1')).toBe("'\t=1");
    expect(spreadsheetSafeCell('\r=1')).toBe("'\r=1");
    expect(spreadsheetSafeCell('-')).toBe("'-");
    expect(spreadsheetSafeCell('-Infinity')).toBe("'-Infinity");
    expect(FORMULA_TRIGGERS).toEqual(['=', '+', '-', '@', '\t', '\r']);
  });

  it('writes plain numbers and other text unchanged', () => {
    for (const n of ['-3.5', '+2', '-1e-3', '-.5', '+1.', '-0', '12', '1E+6']) {
      expect(isPlainNumber(n)).toBe(true);
      expect(spreadsheetSafeCell(n)).toBe(n);
    }
    for (const t of ['', 'WinF', 'a=b', 'x-1', ' =1', "'=1", '3 - 2']) expect(spreadsheetSafeCell(t)).toBe(t);
    expect(isPlainNumber('-1,5')).toBe(false);
  });

  it('states the rule in one sentence for the export dialog', () => {
    expect(SPREADSHEET_SAFETY_NOTE).toMatch(/^[^.]*=, \+, -, @[^]*-3\.5[^]*\.$/);
  });
});

describe('formatTable with spreadsheetSafe', () => {
  const table: Table = {
    rowCount: 3,
    columns: [
      { name: '=name', type: 'categorical', role: 'feature', values: ['=1+1', '-3.5', null] },
      { name: 'x', type: 'continuous', role: 'feature', values: Float64Array.from([-3.5, -0.001, NaN]), decimals: 3 },
      { name: 'note', type: 'categorical', role: 'feature', values: ['=HYPERLINK("a","b")', '@x, y', 'plain'] },
    ],
  };

  it('escapes text cells and header names, then quotes as RFC 4180 wants; numbers stay numbers', () => {
    expect(formatTableForSpreadsheet(table)).toBe(["'=name,x,note", '\'=1+1,-3.5,"\'=HYPERLINK(""a"",""b"")"', '-3.5,-0.001,"\'@x, y"', ',,plain', ''].join('\n'));
    expect(formatTable(table, { spreadsheetSafe: true })).toBe(formatTableForSpreadsheet(table));
  });

  it('is off by default: formatTable writes the cells as they are', () => {
    expect(formatTable(table).split('\n')[1]).toBe('=1+1,-3.5,"=HYPERLINK(""a"",""b"")"');
  });

  it('changes nothing in a table without formula-like text (the fixtures)', () => {
    for (const name of ['fgl.csv', 'birthwt_missing.csv', 'wine.csv']) {
      const t = fixtureTable(name);
      expect(formatTableForSpreadsheet(t)).toBe(formatTable(t));
    }
    const negative = readTable('a,b\n-1.5,x\n2,y\n-3,z\n', 'n.csv');
    expect(formatTableForSpreadsheet(negative)).toBe('a,b\n-1.5,x\n2,y\n-3,z\n');
  });
});
