import { describe, expect, it } from 'vitest';
import { breaksAny, compileConstraints, numericRow } from '../../../src/domains/tabular/constraints/compile';
import { parseConstraints } from '../../../src/domains/tabular/constraints/parseConstraints';
import { validateConstraints } from '../../../src/domains/tabular/constraints/validateConstraints';
import { evaluateGates } from '../../../src/domains/tabular/gates';
import { gaussianCopula } from '../../../src/domains/tabular/generators/gaussianCopula';
import { jitter, medianAbsoluteDeviation } from '../../../src/domains/tabular/generators/jitter';
import { normalQuantile } from '../../../src/domains/tabular/generators/normalQuantile';
import { evaluateSynthetic, prepareReference } from '../../../src/domains/tabular/metrics/suite';
import { splitRows, splitTable } from '../../../src/domains/tabular/split';
import { isNumeric, type Table } from '../../../src/domains/tabular/table';
import { categoricalColumn, fixtureTable, fixtureText, numericColumn } from './fixtures';

const fgl = fixtureTable('fgl.csv', { roles: { type: 'group' } });
const fglConstraints = validateConstraints(parseConstraints(fixtureText('fgl_constraints.yaml'), 'c.yaml'), fgl, 'c.yaml').constraints;
const birthwt = fixtureTable('birthwt.csv', { types: { race: 'categorical' }, roles: { bwt: 'target' } });
const birthwtConstraints = validateConstraints(parseConstraints(fixtureText('birthwt_constraints.yaml'), 'c.yaml'), birthwt, 'c.yaml').constraints;
const oxides = ['Na', 'Mg', 'Al', 'Si', 'K', 'Ca', 'Ba', 'Fe'];

function classCounts(t: Table, column: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of categoricalColumn(t, column).values) m.set(String(v), (m.get(String(v)) ?? 0) + 1);
  return m;
}

function allObey(t: Table, constraints: typeof fglConstraints): boolean {
  const c = compileConstraints(constraints, t, 'c');
  const row = new Float64Array(t.columns.length);
  for (let i = 0; i < t.rowCount; i++) if (breaksAny(c, numericRow(t, i, row))) return false;
  return true;
}

describe('normalQuantile', () => {
  it('inverts Φ to ~1e-13 across the range', () => {
    expect(Math.abs(normalQuantile(0.5))).toBeLessThan(1e-15);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 12);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 10);
    expect(normalQuantile(0)).toBe(-Infinity);
  });
});

describe('jitter', () => {
  it('is reproducible from its seed and makes the rows asked for', () => {
    const a = jitter(fgl, { k: 0.5 }, { seed: 1, rows: 500 });
    expect(a.table.rowCount).toBe(500);
    expect(jitter(fgl, { k: 0.5 }, { seed: 1, rows: 500 })).toEqual(a);
    expect(jitter(fgl, { k: 0.5 }, { seed: 2, rows: 500 }).table).not.toEqual(a.table);
  });

  it('adds N(0, (k·MAD)²) per column: the noise sd is k·MAD, and k = 0 copies real rows', () => {
    const copies = jitter(fgl, { k: 0 }, { seed: 3 });
    const ref = prepareReference(fgl, fgl, { seed: 3 });
    expect(evaluateSynthetic(ref, copies.table).dup_rate.value).toBe(1);
    // x = y = −2, −1, 0, 1, 2 repeated: MAD 1, population variance 2; the noise adds (k·scale)².
    const x = Float64Array.from({ length: 500 }, (_, i) => (i % 5) - 2);
    const five: Table = {
      rowCount: 500,
      columns: [
        { name: 'x', type: 'continuous', role: 'feature', values: x, decimals: 1 },
        { name: 'y', type: 'continuous', role: 'feature', values: x.slice(), decimals: 1 },
      ],
    };
    expect(medianAbsoluteDeviation(x)).toBe(1);
    const noisy = jitter(five, { k: 0.8, columnScales: { y: 2 } }, { seed: 4, rows: 20000 });
    for (const [name, noiseSd] of [['x', 0.8], ['y', 1.6]] as const) {
      const v = numericColumn(noisy.table, name).values;
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      const variance = v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1);
      expect(Math.abs(variance / (2 + noiseSd ** 2) - 1)).toBeLessThan(0.03);
    }
  });

  it('per class: every class kept with the rows asked for; the class column is never redrawn', () => {
    const g = jitter(fgl, { k: 0.5, perClassMad: true, flipProbability: 0.5 }, { seed: 5, rowsPerClass: 60, classColumn: 'type', constraints: fglConstraints });
    expect(g.table.rowCount).toBe(360);
    expect([...classCounts(g.table, 'type').values()]).toEqual([60, 60, 60, 60, 60, 60]);
  });

  it('projects onto the glass constraints: every oxide sum in its window, no negatives, clipped rows counted', () => {
    const g = jitter(fgl, { k: 1 }, { seed: 6, rows: 2000, constraints: fglConstraints });
    expect(allObey(g.table, fglConstraints)).toBe(true);
    for (const o of oxides) expect(Math.min(...numericColumn(g.table, o).values)).toBeGreaterThanOrEqual(0);
    expect(g.clipRate).toBeGreaterThan(0);
    expect(g.clipped.reduce((a, b) => a + b, 0)).toBe(Math.round(g.clipRate * 2000));
  });

  it('keeps integer columns integer and birthwt\'s derived rule low = (bwt < 2500) on every row', () => {
    const g = jitter(birthwt, { k: 1, flipProbability: 0.2 }, { seed: 7, rows: 1000, constraints: birthwtConstraints });
    for (const c of g.table.columns) if (c.type === 'integer' && isNumeric(c)) expect(c.values.every((v) => Number.isInteger(v))).toBe(true);
    const low = numericColumn(g.table, 'low').values;
    const bwt = numericColumn(g.table, 'bwt').values;
    for (let i = 0; i < 1000; i++) expect(low[i]).toBe(bwt[i] < 2500 ? 1 : 0);
  });

  it('keeps missing cells missing', () => {
    const withMissing = fixtureTable('birthwt_missing.csv', { types: { race: 'categorical' } });
    const g = jitter(withMissing, { k: 0.5 }, { seed: 8, rows: withMissing.rowCount * 3 });
    const share = (t: Table) => Array.from(numericColumn(t, 'age').values).filter(Number.isNaN).length / t.rowCount;
    expect(share(g.table)).toBeCloseTo(share(withMissing), 10);
  });

  it('on the glass table, per class, passes the seed003_adjusted gates with all six types', () => {
    const parts = splitRows(fgl, splitTable(fgl, { seed: 1, stratifyBy: 'type' }));
    const g = jitter(parts.train, { k: 0.5, perClassMad: true }, { seed: 9, rowsPerClass: 60, classColumn: 'type', constraints: fglConstraints });
    const ref = prepareReference(parts.train, parts.holdout, { constraints: fglConstraints, seed: 9 });
    const m = evaluateSynthetic(ref, g.table, { clipped: g.clipped });
    const gates = evaluateGates(m, 'seed003_adjusted');
    expect(gates.gates.filter((x) => x.pass === false)).toEqual([]);
    expect(gates.all_green).toBe(true);
    expect(classCounts(g.table, 'type').size).toBe(6);
  });
});

describe('Gaussian copula', () => {
  const wine = fixtureTable('wine.csv', { roles: { target: 'target' } });

  it('is reproducible, keeps the marginals and the correlations of the wine table', () => {
    const g = gaussianCopula(wine, { shrinkage: 0, bandwidth: 0 }, { seed: 1, rows: 2000 });
    expect(gaussianCopula(wine, { shrinkage: 0, bandwidth: 0 }, { seed: 1, rows: 2000 })).toEqual(g);
    const ref = prepareReference(wine, wine, { seed: 1 });
    const m = evaluateSynthetic(ref, g.table);
    expect(m.ks_mean.value).toBeLessThan(0.06);
    expect(m.corr_mae.value).toBeLessThan(0.06);
    expect(m.tv_complement_mean.value).toBeGreaterThan(0.9);
  });

  it('shrinkage 1 removes the dependence', () => {
    const g = gaussianCopula(wine, { shrinkage: 1, bandwidth: 0 }, { seed: 2, rows: 2000 });
    const m = evaluateSynthetic(prepareReference(wine, wine, { seed: 2 }), g.table);
    expect(m.corr_mae.value).toBeGreaterThan(0.2);
  });

  it('class-conditional: every class kept with its share, each with its own marginals, no one-hot', () => {
    const g = gaussianCopula(wine, { shrinkage: 0.1, bandwidth: 0.05 }, { seed: 3, rows: 1780, classColumn: 'target' });
    const counts = classCounts(g.table, 'target');
    expect(Object.fromEntries(counts)).toEqual({ class_0: 590, class_1: 710, class_2: 480 });
    const meanOf = (t: Table, cls: string, col: string) => {
      const c = categoricalColumn(t, 'target').values;
      const v = numericColumn(t, col).values.filter((_, i) => c[i] === cls);
      return v.reduce((a, b) => a + b, 0) / v.length;
    };
    for (const cls of ['class_0', 'class_1', 'class_2']) expect(Math.abs(meanOf(g.table, cls, 'proline') - meanOf(wine, cls, 'proline'))).toBeLessThan(40);
  });

  it('keeps integers integer, categories from train, and projects onto constraints', () => {
    const g = gaussianCopula(birthwt, { shrinkage: 0.2, bandwidth: 0.1 }, { seed: 4, rows: 800, constraints: birthwtConstraints });
    for (const c of g.table.columns) if (c.type === 'integer' && isNumeric(c)) expect(c.values.every((v) => Number.isInteger(v))).toBe(true);
    expect(new Set(categoricalColumn(g.table, 'race').values)).toEqual(new Set(['1', '2', '3']));
    expect(allObey(g.table, birthwtConstraints)).toBe(true);
    const glass = gaussianCopula(fgl, { shrinkage: 0.1, bandwidth: 0.1 }, { seed: 5, rowsPerClass: 50, classColumn: 'type', constraints: fglConstraints });
    expect(allObey(glass.table, fglConstraints)).toBe(true);
    expect(classCounts(glass.table, 'type').size).toBe(6);
  });
});
