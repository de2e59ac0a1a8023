import { describe, expect, it } from 'vitest';
import { HISTOGRAM_BINS, TOP_CATEGORIES, summarizeColumns, type ColumnSummary } from '../../../src/domains/tabular/review/columnSummary';
import { readTable } from '../../../src/domains/tabular/csv/readTable';
import { isNumeric, type Column, type Table } from '../../../src/domains/tabular/table';
import { fixtureTable, fixtureText } from './fixtures';

const FIXTURES = ['fgl.csv', 'wine.csv', 'birthwt.csv', 'birthwt_missing.csv', 'breast_cancer.csv', 'fgl_synthetic.csv', 'birthwt_synthetic.csv'];

function histogramTotal(s: ColumnSummary): number {
  return s.histogram.kind === 'numeric' ? s.histogram.counts.reduce((a, b) => a + b, 0) : s.histogram.top.reduce((a, t) => a + t.count, 0) + s.histogram.other;
}

function presentOf(column: Column): Array<number | string> {
  return isNumeric(column) ? [...column.values].filter((v) => !Number.isNaN(v)) : column.values.filter((v): v is string => v !== null);
}

describe('summarizeColumns on the real fixtures', () => {
  it('counts add up: present + missing = rows, the histogram holds every present value, distinct and range as the column says', () => {
    for (const name of FIXTURES) {
      const table = fixtureTable(name);
      const summaries = summarizeColumns(table);
      expect(summaries.map((s) => s.name)).toEqual(table.columns.map((c) => c.name));
      summaries.forEach((s, j) => {
        const column = table.columns[j];
        const present = presentOf(column);
        expect(s.present + s.missing).toBe(table.rowCount);
        expect(s.present).toBe(present.length);
        expect(s.missingShare).toBeCloseTo(s.missing / table.rowCount, 15);
        expect(histogramTotal(s)).toBe(s.present);
        expect(s.distinct).toBe(new Set(present).size);
        expect(s.types).toContain(s.type);
        if (s.histogram.kind === 'numeric') {
          expect(s.numeric).toBe(true);
          expect(s.histogram.counts).toHaveLength(HISTOGRAM_BINS);
          expect(s.min).toBe(Math.min(...(present as number[])));
          expect(s.max).toBe(Math.max(...(present as number[])));
        } else {
          expect(s.numeric).toBe(false);
          expect([s.min, s.max]).toEqual([null, null]);
          expect(s.histogram.top.length).toBe(Math.min(TOP_CATEGORIES, s.distinct));
          const counts = s.histogram.top.map((t) => t.count);
          expect(counts).toEqual([...counts].sort((a, b) => b - a));
        }
      });
    }
  });

  it("birthwt_missing: 8 of 189 cells missing in age, lwt, race, ftv and bwt (as counted in the file's text), none elsewhere", () => {
    const text = fixtureText('birthwt_missing.csv');
    const [header, ...lines] = text.trim().split('\n');
    const names = header.split(',');
    const missingInText = names.map((_, j) => lines.filter((l) => ['', 'NA'].includes(l.split(',')[j])).length);
    const summaries = summarizeColumns(readTable(text, 'birthwt_missing.csv'));
    expect(summaries.map((s) => s.missing)).toEqual(missingInText);
    expect(Object.fromEntries(summaries.filter((s) => s.missing > 0).map((s) => [s.name, s.missingShare]))).toEqual({
      age: 8 / 189,
      lwt: 8 / 189,
      race: 8 / 189,
      ftv: 8 / 189,
      bwt: 8 / 189,
    });
    const low = summaries.find((s) => s.name === 'low')!;
    expect(low).toMatchObject({ type: 'integer', min: 0, max: 1, distinct: 2, types: ['continuous', 'integer', 'categorical', 'boolean'] });
    // A 0/1 column: every value in the first or the last of the 12 bins.
    expect(low.histogram.kind === 'numeric' && low.histogram.counts.slice(1, -1).every((c) => c === 0)).toBe(true);
  });

  it('fgl: the glass type has its six classes and no "other"; a fractional column is not offered as integer', () => {
    const summaries = summarizeColumns(fixtureTable('fgl.csv', { roles: { type: 'group' } }));
    const type = summaries.find((s) => s.name === 'type')!;
    expect(type).toMatchObject({ role: 'group', type: 'categorical', distinct: 6, types: ['categorical'] });
    expect(type.histogram).toMatchObject({ kind: 'categorical', other: 0 });
    expect(type.histogram.kind === 'categorical' && type.histogram.top[0]).toEqual({ value: 'WinNF', count: 76 });
    expect(summaries.find((s) => s.name === 'Na')!.types).toEqual(['continuous', 'categorical']);
  });

  it('a categorical column of numbers (an override) offers the numeric types back; more than 8 categories fold into "other"', () => {
    const birthwt = summarizeColumns(fixtureTable('birthwt.csv', { types: { race: 'categorical', age: 'categorical' } }));
    expect(birthwt.find((s) => s.name === 'race')!.types).toEqual(['continuous', 'integer', 'categorical']);
    const age = birthwt.find((s) => s.name === 'age')!;
    expect(age.distinct).toBeGreaterThan(TOP_CATEGORIES);
    expect(age.histogram.kind === 'categorical' && age.histogram.top).toHaveLength(TOP_CATEGORIES);
    expect(age.histogram.kind === 'categorical' && age.histogram.other).toBeGreaterThan(0);
  });

  it('bins: equal width over [min, max], the maximum in the last bin, a constant column in the first', () => {
    const table = readTable('x,c\n0,5\n1,5\n11.5,5\n12,5\n6,5\n', 'bins.csv');
    const [x, c] = summarizeColumns(table);
    expect(x.histogram).toEqual({ kind: 'numeric', low: 0, high: 12, counts: [1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 2] });
    expect(c.histogram).toEqual({ kind: 'numeric', low: 5, high: 5, counts: [5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] });
  });

  it('is plain data a worker can post (structuredClone keeps it equal)', () => {
    const summaries = summarizeColumns(fixtureTable('birthwt_missing.csv'));
    expect(structuredClone(summaries)).toEqual(summaries);
  });

  it('summarises 100,000 rows × 30 columns, every present value counted once in its histogram (its time: bench:tabular-page)', () => {
    const rows = 100_000;
    const columns: Column[] = Array.from({ length: 30 }, (_, j): Column => {
      if (j % 5 === 4) return { name: `c${j}`, type: 'categorical', role: 'feature', values: Array.from({ length: rows }, (_, i) => (i % 17 === 0 ? null : `level${(i * (j + 3)) % 40}`)) };
      return { name: `c${j}`, type: 'continuous', role: 'feature', decimals: 3, values: Float64Array.from({ length: rows }, (_, i) => (i % 23 === 0 ? NaN : Math.sin(i * (j + 1)) * 100)) };
    });
    const table: Table = { columns, rowCount: rows };
    const summaries = summarizeColumns(table);
    expect(summaries).toHaveLength(30);
    expect(summaries.every((s) => histogramTotal(s) === s.present)).toBe(true);
    expect(summaries[0].present).toBe(rows - Math.ceil(rows / 23));
  });
});
