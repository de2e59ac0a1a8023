import { describe, expect, it } from 'vitest';
import { parseConstraints } from '../../../src/domains/tabular/constraints/parseConstraints';
import { validateConstraints } from '../../../src/domains/tabular/constraints/validateConstraints';
import { jitter } from '../../../src/domains/tabular/generators/jitter';
import { calibrateTable } from '../../../src/domains/tabular/loop/runCalibration';
import { pearsonPairwise } from '../../../src/domains/tabular/metrics/correlation';
import { splitRows, splitTable } from '../../../src/domains/tabular/split';
import { isNumeric, metricColumns, presentRange, presentValues, takeRows, type Column, type Table } from '../../../src/domains/tabular/table';
import { DCR_ROWS, ECDF_POINTS, MAP_ROWS, TOP_CATEGORIES, feasibleFront, fitRowMap, lookData, projectRows, type NumericMarginal, type TradeoffPoint } from '../../../src/domains/tabular/views';
import { categoricalColumn, fixtureTable, fixtureText, numericColumn } from './fixtures';

const fgl = fixtureTable('fgl.csv', { roles: { type: 'group' } });
const fglConstraints = validateConstraints(parseConstraints(fixtureText('fgl_constraints.yaml'), 'c.yaml'), fgl, 'c.yaml').constraints;
// Three evaluations; under the alloy team's adjusted gates some are all green, some not.
const run = calibrateTable({ real: fgl, constraints: fglConstraints, group: 'type', seed: 1, gates: 'seed003_adjusted', strategy: 'bo', budget: 3 });
const { train, holdout } = run.reference;
const synthetic = run.table.table;
const map = fitRowMap(train, holdout);
const look = lookData({ train, holdout, synthetic, evaluations: run.evaluations, map, bestIndex: run.best.index });

/** birthwt with missing cells in numeric columns and in `race`, read as categorical. */
const birthwt = fixtureTable('birthwt_missing.csv', { types: { race: 'categorical' } });
const birthwtParts = splitRows(birthwt, splitTable(birthwt, { seed: 2 }));

/** The row distance of docs/tabular.md, written out from its definition (the metric columns of `reference`). */
function bruteDistance(reference: Table, a: Table, i: number, b: Table, j: number): number {
  const columns = metricColumns(reference);
  let sum = 0;
  for (const column of columns) {
    const x = a.columns.find((c) => c.name === column.name)!.values[i];
    const y = b.columns.find((c) => c.name === column.name)!.values[j];
    const xMissing = x === null || (typeof x === 'number' && Number.isNaN(x));
    const yMissing = y === null || (typeof y === 'number' && Number.isNaN(y));
    if (xMissing || yMissing) sum += xMissing && yMissing ? 0 : 1;
    else if (isNumeric(column)) {
      const [min, max] = presentRange(column.values);
      sum += max > min ? Math.min(1, Math.abs((x as number) - (y as number)) / (max - min)) : x === y ? 0 : 1;
    } else sum += x === y ? 0 : 1;
  }
  return sum / columns.length;
}

function bruteDcr(reference: Table, query: Table, i: number): number {
  let best = Infinity;
  for (let r = 0; r < reference.rowCount; r++) best = Math.min(best, bruteDistance(reference, query, i, reference, r));
  return best;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function numericMarginal(name: string): NumericMarginal {
  const m = look.marginals.find((x) => x.column === name);
  if (!m || m.kind !== 'numeric') throw new Error(`${name} has no numeric marginal`);
  return m;
}

describe('the fixed map of rows', () => {
  it('standardises by train, fits PCA on train and holdout together: their coordinates are centred, with the fitted variances', () => {
    expect(map.columns.numeric).toEqual(['RI', 'Na', 'Mg', 'Al', 'Si', 'K', 'Ca', 'Ba', 'Fe']);
    expect(map.categories).toEqual([[...new Set(categoricalColumn(train, 'type').values)].sort()]);
    const ri = presentValues(numericColumn(train, 'RI').values);
    expect(map.means[0]).toBeCloseTo(sum(Array.from(ri)) / ri.length, 12);
    expect(map.fittedRows).toEqual({ train: train.rowCount, holdout: holdout.rowCount });
    const a = projectRows(map, train);
    const b = projectRows(map, holdout);
    const xs = [...a.x, ...b.x];
    const ys = [...a.y, ...b.y];
    const n = xs.length;
    expect(Math.abs(sum(xs) / n)).toBeLessThan(1e-9);
    expect(Math.abs(sum(ys) / n)).toBeLessThan(1e-9);
    expect(sum(xs.map((v) => v * v)) / (n - 1)).toBeCloseTo(map.pca!.explainedVariance[0], 9);
    expect(sum(ys.map((v) => v * v)) / (n - 1)).toBeCloseTo(map.pca!.explainedVariance[1], 9);
    expect(sum(xs.map((v, i) => v * ys[i]))).toBeCloseTo(0, 6); // the axes are uncorrelated
  });

  it('is fixed: projecting train again, a copy of the map, or train\'s rows in another order gives the same coordinates', () => {
    const first = projectRows(map, train);
    expect(projectRows(map, train)).toEqual(first);
    const copy = structuredClone(map);
    expect(projectRows(copy, train)).toEqual(first);
    expect(projectRows(JSON.parse(JSON.stringify(map)), train)).toEqual(first);
    const reversed = Int32Array.from({ length: train.rowCount }, (_, i) => train.rowCount - 1 - i);
    const again = projectRows(map, takeRows(train, reversed));
    expect(Array.from(again.x)).toEqual(Array.from(reversed, (i) => first.x[i]));
    // Deterministic: fitting again on the same rows gives the same map.
    expect(fitRowMap(train, holdout)).toEqual(map);
  });

  it('maps a missing numeric cell to train\'s mean and a missing category to no category', () => {
    const m = fitRowMap(birthwtParts.train, birthwtParts.holdout);
    expect(m.categories[0]).toEqual(['1', '2', '3']); // race; its missing cells are no level of it
    const row = takeRows(birthwtParts.train, [0]);
    const withCells = (age: number, race: string | null): Table => ({
      ...row,
      columns: row.columns.map((c): Column => (c.name === 'age' ? ({ ...c, values: Float64Array.of(age) } as Column) : c.name === 'race' ? ({ ...c, values: [race] } as Column) : c)),
    });
    const ageMean = m.means[m.columns.numeric.indexOf('age')];
    expect(projectRows(m, withCells(NaN, '1'))).toEqual(projectRows(m, withCells(ageMean, '1')));
    expect(projectRows(m, withCells(30, null))).toEqual(projectRows(m, withCells(30, 'a race train never shows')));
    expect(projectRows(m, withCells(30, null)).x[0]).not.toBe(projectRows(m, withCells(30, '1')).x[0]);
  });
});

describe('marginals', () => {
  it('numeric: shared bins over the union range whose counts add up to each table\'s present values', () => {
    for (const m of look.marginals) {
      if (m.kind !== 'numeric') continue;
      expect(m.edges.length - 1).toBeLessThanOrEqual(30);
      for (const [key, table] of [['train', train], ['holdout', holdout], ['synthetic', synthetic]] as const) {
        const values = presentValues(numericColumn(table, m.column).values);
        expect(sum(m.counts[key])).toBe(values.length);
        expect(m.present[key]).toBe(values.length);
        const [low, high] = presentRange(values);
        expect(m.edges[0]).toBeLessThanOrEqual(low);
        expect(m.edges[m.edges.length - 1]).toBeGreaterThanOrEqual(high);
      }
    }
  });

  it('counts each value in the bin between its edges', () => {
    const m = numericMarginal('Mg');
    const values = presentValues(numericColumn(synthetic, 'Mg').values);
    const last = m.edges.length - 2;
    const expected = m.counts.synthetic.map((_, b) => Array.from(values).filter((v) => v >= m.edges[b] && (b === last ? v <= m.edges[b + 1] : v < m.edges[b + 1])).length);
    expect(m.counts.synthetic).toEqual(expected);
  });

  it('ECDF: exact for a few values, a grid of at most 200 exact points beyond; increasing, ending at 1', () => {
    const m = numericMarginal('RI');
    const trainRi = presentValues(numericColumn(train, 'RI').values);
    expect(trainRi.length).toBeLessThanOrEqual(ECDF_POINTS);
    expect(m.ecdf.train.exact).toBe(true);
    expect(m.ecdf.train.values).toEqual([...new Set(Array.from(trainRi).sort((a, b) => a - b))]);
    const thousand = jitter(train, { k: 0.5 }, { seed: 4, rows: 1000 }).table;
    const big = presentValues(numericColumn(thousand, 'RI').values);
    const wide = lookData({ train, holdout, synthetic: thousand, evaluations: run.evaluations, map, bestIndex: run.best.index });
    const grid = (wide.marginals[0] as NumericMarginal).ecdf.synthetic;
    expect(grid.exact).toBe(false);
    expect(grid.values.length).toBeLessThanOrEqual(ECDF_POINTS);
    for (const e of [m.ecdf.train, m.ecdf.holdout, grid]) {
      expect(e.shares[e.shares.length - 1]).toBe(1);
      for (let i = 1; i < e.values.length; i++) {
        expect(e.values[i]).toBeGreaterThan(e.values[i - 1]);
        expect(e.shares[i]).toBeGreaterThan(e.shares[i - 1]);
      }
    }
    // Each point is the exact share of values ≤ it.
    grid.values.forEach((v, i) => expect(grid.shares[i]).toBe(Array.from(big).filter((x) => x <= v).length / big.length));
  });

  it('categorical: train\'s categories by frequency, shares of each table summing to 1; "other" beyond the top 20, "missing" for missing cells', () => {
    const type = look.marginals.find((m) => m.column === 'type');
    if (type?.kind !== 'categorical') throw new Error('type is categorical');
    const trainTypes = categoricalColumn(train, 'type').values;
    const counts = type.categories.map((c) => trainTypes.filter((v) => v === c.label).length);
    expect([...counts].sort((a, b) => b - a)).toEqual(counts);
    expect(type.categories.every((c) => c.kind === 'value')).toBe(true);
    for (const key of ['train', 'holdout', 'synthetic'] as const) expect(sum(type.shares[key])).toBeCloseTo(1, 12);
    expect(type.shares.train).toEqual(counts.map((c) => c / train.rowCount));

    const ids = (n: number) => Array.from({ length: n }, (_, i) => `c${i % 25}`);
    const many = (n: number, missing: number): Table => ({ columns: [{ name: 'c', type: 'categorical', role: 'feature', values: [...ids(n), ...Array(missing).fill(null)] }], rowCount: n + missing });
    const tables = { train: many(100, 0), holdout: many(50, 0), synthetic: many(60, 3) };
    const small = lookData({ ...tables, evaluations: [], map: fitRowMap(tables.train, tables.holdout), bestIndex: 1 });
    const c = small.marginals[0];
    if (c.kind !== 'categorical') throw new Error('c is categorical');
    expect(c.categories).toHaveLength(TOP_CATEGORIES + 2);
    expect(c.categories.slice(-2)).toEqual([{ label: 'other', kind: 'other' }, { label: 'missing', kind: 'missing' }]);
    const named = new Set(c.categories.filter((k) => k.kind === 'value').map((k) => k.label));
    const others = ids(60).filter((v) => !named.has(v)).length;
    expect(others).toBeGreaterThan(0);
    expect(c.shares.synthetic.slice(-2)).toEqual([others / 63, 3 / 63]);
    for (const key of ['train', 'holdout', 'synthetic'] as const) expect(sum(c.shares[key])).toBeCloseTo(1, 12);
  });
});

describe('correlations', () => {
  it('train and synthetic Pearson matrices on the rows both present; the difference is synthetic − train', () => {
    const { columns, train: t, synthetic: s, difference } = look.correlations;
    expect(columns).toEqual(map.columns.numeric);
    for (let i = 0; i < columns.length; i++) {
      expect(t[i][i]).toBeCloseTo(1, 12);
      for (let j = 0; j < columns.length; j++) {
        expect(t[i][j]).toBe(t[j][i]);
        expect(t[i][j]).toBe(pearsonPairwise(numericColumn(train, columns[i]).values, numericColumn(train, columns[j]).values));
        expect(s[i][j]).toBe(pearsonPairwise(numericColumn(synthetic, columns[i]).values, numericColumn(synthetic, columns[j]).values));
        expect(difference[i][j]).toBe((s[i][j] as number) - (t[i][j] as number));
      }
    }
  });

  it('the mean |difference| over the pairs is the best evaluation\'s corr_mae', () => {
    const d = look.correlations.difference;
    const pairs: number[] = [];
    for (let i = 0; i < d.length; i++) for (let j = i + 1; j < d.length; j++) pairs.push(Math.abs(d[i][j] as number));
    expect(sum(pairs) / pairs.length).toBeCloseTo(run.best.metrics.corr_mae.value!, 12);
  });

  it('pairs with missing cells use the rows where both are present; a constant column has no ρ', () => {
    const l = lookData({ ...birthwtParts, synthetic: birthwtParts.holdout, evaluations: [], map: fitRowMap(birthwtParts.train, birthwtParts.holdout), bestIndex: 1 });
    const { columns, train: t } = l.correlations;
    const age = columns.indexOf('age');
    const bwt = columns.indexOf('bwt');
    expect(t[age][bwt]).toBe(pearsonPairwise(numericColumn(birthwtParts.train, 'age').values, numericColumn(birthwtParts.train, 'bwt').values));
    expect(Number.isFinite(t[age][bwt])).toBe(true);
    const constant: Table = { columns: [{ name: 'k', type: 'integer', role: 'feature', values: Float64Array.of(1, 1, 1), decimals: 0 }, { name: 'v', type: 'continuous', role: 'feature', values: Float64Array.of(1, 2, 4), decimals: 0 }], rowCount: 3 };
    const c = lookData({ train: constant, holdout: constant, synthetic: constant, evaluations: [], map: fitRowMap(constant, constant), bestIndex: 1 }).correlations;
    expect(c.train).toEqual([[null, null], [null, 1]]);
    expect(c.difference).toEqual([[null, null], [null, 0]]);
  });
});

describe('distance to closest record', () => {
  it('a holdout row\'s and a synthetic row\'s DCR to train are the distance of docs/tabular.md to the nearest train row', () => {
    const { dcr } = look;
    expect(dcr.sampled).toBe(false);
    expect(dcr.holdoutRows).toEqual(Array.from({ length: holdout.rowCount }, (_, i) => i));
    for (const i of [0, 7, holdout.rowCount - 1]) expect(dcr.holdoutToTrain[i]).toBeCloseTo(bruteDcr(train, holdout, i), 12);
    for (const i of [0, 100]) expect(dcr.syntheticToTrain[i]).toBeCloseTo(bruteDcr(train, synthetic, i), 12);
    // With missing cells (missing against missing 0, against a value 1) and a categorical column.
    const b = lookData({ ...birthwtParts, synthetic: birthwtParts.holdout, evaluations: [], map: fitRowMap(birthwtParts.train, birthwtParts.holdout), bestIndex: 1 });
    for (let i = 0; i < birthwtParts.holdout.rowCount; i += 5) expect(b.dcr.holdoutToTrain[i]).toBeCloseTo(bruteDcr(birthwtParts.train, birthwtParts.holdout, i), 12);
  });

  it('histograms over shared bins, the synthetic median is the best\'s dcr_median, and the attack\'s AUC is the best\'s mia_auc', () => {
    const { dcr } = look;
    expect(sum(dcr.counts.synthetic)).toBe(synthetic.rowCount);
    expect(sum(dcr.counts.holdout)).toBe(holdout.rowCount);
    expect(dcr.edges[0]).toBe(0);
    expect(dcr.edges[dcr.edges.length - 1]).toBe(Math.max(...dcr.syntheticToTrain, ...dcr.holdoutToTrain));
    expect(dcr.medians.synthetic).toBeCloseTo(run.best.metrics.dcr_median.value!, 12);
    expect(dcr.mia).toEqual({ value: run.best.metrics.mia_auc.value, spread: run.best.metrics.mia_auc.spread, evaluation: run.best.index });
    expect(lookData({ train, holdout, synthetic, evaluations: [], map, bestIndex: run.best.index }).dcr.mia).toBeNull();
  });
});

describe('utility against privacy', () => {
  it('every evaluation as a point, the front only all-green and non-dominated, every other all-green point dominated', () => {
    const { points, front, bestIndex } = look.utilityPrivacy;
    expect(bestIndex).toBe(run.best.index);
    expect(points.map((p) => p.index)).toEqual(run.evaluations.map((e) => e.index));
    expect(points.map((p) => [p.utility, p.mia_auc, p.dcr_median, p.all_green, p.generator])).toEqual(
      run.evaluations.map((e) => [e.utility, e.metrics.mia_auc.value, e.metrics.dcr_median.value, e.gates.all_green, e.generator]),
    );
    expect(points.some((p) => p.all_green) && points.some((p) => !p.all_green)).toBe(true);
    expect(front.length).toBeGreaterThan(0);
    const byIndex = new Map(points.map((p) => [p.index, p]));
    const onFront = front.map((i) => byIndex.get(i)!);
    const dominates = (a: TradeoffPoint, b: TradeoffPoint) => a.utility! >= b.utility! && a.mia_auc! <= b.mia_auc! && (a.utility! > b.utility! || a.mia_auc! < b.mia_auc!);
    const green = points.filter((p) => p.all_green);
    for (const p of onFront) {
      expect(p.all_green).toBe(true);
      expect(green.some((q) => dominates(q, p))).toBe(false);
    }
    for (const p of green) if (!front.includes(p.index)) expect(onFront.some((q) => dominates(q, p))).toBe(true);
    for (let k = 1; k < onFront.length; k++) expect(onFront[k].mia_auc!).toBeGreaterThanOrEqual(onFront[k - 1].mia_auc!);
  });

  it('the front of made-up points: dominated and failed points are off it', () => {
    const p = (index: number, utility: number | null, mia_auc: number | null, all_green = true): TradeoffPoint => ({ index, generator: 'jitter', utility, mia_auc, dcr_median: 0.1, all_green });
    const points = [p(1, 0.9, 0.6), p(2, 0.8, 0.5), p(3, 0.7, 0.55), p(4, 0.95, 0.4, false), p(5, 0.9, 0.6), p(6, null, 0.3), p(7, 0.85, 0.5)];
    expect(feasibleFront(points).map((q) => q.index)).toEqual([7, 1, 5]);
  });
});

describe('the map\'s points and large tables', () => {
  it('places every row of small tables, with the axes\' shares of variance in their labels', () => {
    expect(look.map.axisLabels[0]).toMatch(/^PC1 \(\d+\.\d % of variance\)$/);
    expect(look.map.axisLabels[1]).toBe(`PC2 (${(map.pca!.explainedVarianceRatio[1] * 100).toFixed(1)} % of variance)`);
    const { train: t, synthetic: s } = look.map.clouds;
    expect(t.used).toEqual({ rows: train.rowCount, of: train.rowCount });
    expect(t.x).toEqual(Array.from(projectRows(map, train).x));
    expect(s.y).toEqual(Array.from(projectRows(map, synthetic).y));
    const { x, y } = look.map.ranges;
    for (const c of [t, s, look.map.clouds.holdout]) for (let i = 0; i < c.x.length; i++) expect(c.x[i] >= x[0] && c.x[i] <= x[1] && c.y[i] >= y[0] && c.y[i] <= y[1]).toBe(true);
  });

  it('caps a large synthetic table at 2,000 seeded rows for the map and the distances, and says so', () => {
    const large = jitter(train, { k: 0.5 }, { seed: 9, rows: 5000, constraints: fglConstraints }).table;
    const input = { train, holdout, synthetic: large, evaluations: run.evaluations, map, bestIndex: run.best.index };
    const a = lookData(input);
    expect(a.dcr.sampled).toBe(true);
    expect(a.dcr.compared.synthetic).toEqual({ rows: DCR_ROWS, of: 5000 });
    expect(a.map.clouds.synthetic.used).toEqual({ rows: MAP_ROWS, of: 5000 });
    const rows = a.map.clouds.synthetic.rows;
    expect(new Set(rows).size).toBe(MAP_ROWS);
    expect([...rows].sort((u, v) => u - v)).toEqual(rows);
    const all = projectRows(map, large);
    expect(a.map.clouds.synthetic.x).toEqual(rows.map((r) => all.x[r]));
    for (const k of [0, 999]) expect(a.dcr.syntheticToTrain[k]).toBeCloseTo(bruteDcr(train, large, a.dcr.syntheticRows[k]), 12);
    // The marginals and correlations still read every row.
    expect(a.rows.synthetic).toBe(5000);
    expect(sum((a.marginals[0] as NumericMarginal).counts.synthetic)).toBe(5000);
    // Seeded: the same seed draws the same rows, another seed others.
    expect(lookData(input).map.clouds.synthetic.rows).toEqual(rows);
    expect(lookData({ ...input, seed: 1 }).map.clouds.synthetic.rows).not.toEqual(rows);
  });

  it('is plain data: a structured clone and a JSON round trip keep it', () => {
    expect(structuredClone(look)).toEqual(look);
    expect(JSON.parse(JSON.stringify(look))).toEqual(look);
  });
});
