import { describe, expect, it } from 'vitest';
import { formatFixed, formatTable } from '../../../src/domains/tabular/csv/writeTable';
import { readTable } from '../../../src/domains/tabular/csv/readTable';
import type { Table } from '../../../src/domains/tabular/table';
import { fixtureTable } from './fixtures';

describe('the synthetic table as CSV', () => {
  const table: Table = {
    rowCount: 3,
    columns: [
      { name: 'count', type: 'integer', role: 'feature', values: Float64Array.from([3, -0, NaN]), decimals: 0 },
      { name: 'x', type: 'continuous', role: 'feature', values: Float64Array.from([1.23456, 2, -0.00001]), decimals: 2 },
      { name: 'tiny', type: 'continuous', role: 'feature', values: Float64Array.from([1e-7, 123456789.5, NaN]), decimals: 1 },
      { name: 'kind, name', type: 'categorical', role: 'feature', values: ['a', null, 'say "hi"'] },
    ],
  };

  it('integers as whole numbers, other numbers with at most decimals + 1 places and no exponent, missing cells empty', () => {
    expect(formatTable(table)).toBe(['count,x,tiny,"kind, name"', '3,1.235,0,a', '0,2,123456789.5,', ',0,,"say ""hi"""', ''].join('\n'));
  });

  it('has the header and one line per row, no blank line, and reads back to the same columns and types', () => {
    const fgl = fixtureTable('birthwt_missing.csv', { types: { race: 'categorical' } });
    const text = formatTable(fgl);
    const lines = text.split('\n');
    expect(lines).toHaveLength(fgl.rowCount + 2);
    expect(lines[lines.length - 1]).toBe('');
    expect(lines.slice(0, -1).every((l) => l.length > 0)).toBe(true);
    const back = readTable(text, 'back.csv', { types: { race: 'categorical' } });
    expect(back.columns.map((c) => [c.name, c.type])).toEqual(fgl.columns.map((c) => [c.name, c.type]));
    expect(back.columns.map((c) => c.values)).toEqual(fgl.columns.map((c) => c.values));
  });

  it('formatFixed drops trailing zeros and writes -0 as 0', () => {
    expect(formatFixed(0.1 + 0.2, 3)).toBe('0.3');
    expect(formatFixed(-0.0004, 3)).toBe('0');
    expect(formatFixed(-1.5, 0)).toBe('-2');
    expect(formatFixed(2.5e-5, 6)).toBe('0.000025');
  });
});
