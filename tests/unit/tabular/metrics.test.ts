import { describe, expect, it } from 'vitest';
import { parseConstraints } from '../../../src/domains/tabular/constraints/parseConstraints';
import { validateConstraints } from '../../../src/domains/tabular/constraints/validateConstraints';
import { align, metricColumnsOf } from '../../../src/domains/tabular/metrics/columns';
import { corrMae } from '../../../src/domains/tabular/metrics/correlation';
import { detectionAuc } from '../../../src/domains/tabular/metrics/detectionAuc';
import { featurize, fitFeaturizer } from '../../../src/domains/tabular/metrics/featurize';
import { METRIC_KEYS } from '../../../src/domains/tabular/metrics/keys';
import { ksPerColumn } from '../../../src/domains/tabular/metrics/ksColumns';
import { classBalanceRatio } from '../../../src/domains/tabular/metrics/physics';
import { rocAuc } from '../../../src/domains/tabular/metrics/statistics';
import { evaluateFloor, evaluateSynthetic, prepareReference } from '../../../src/domains/tabular/metrics/suite';
import { splitRows, splitTable } from '../../../src/domains/tabular/split';
import type { Column, Table } from '../../../src/domains/tabular/table';
import { createRng } from '../../../src/engine/random/rng';
import { fixtureTable, fixtureText, inputFailure } from './fixtures';

/** A table of n rows: x ~ N(shift, 1), y = x + N(0, 0.5²), a category from {a, b, c} (a twice as likely). */
function gaussianTable(n: number, seed: number, shift = 0): Table {
  const rng = createRng(seed);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const c: string[] = [];
  for (let i = 0; i < n; i++) {
    x[i] = rng.normal(shift, 1);
    y[i] = x[i] + rng.normal(0, 0.5);
    c.push(['a', 'a', 'b', 'c'][rng.int(0, 3)]);
  }
  const columns: Column[] = [
    { name: 'x', type: 'continuous', role: 'feature', values: x, decimals: 3 },
    { name: 'y', type: 'continuous', role: 'feature', values: y, decimals: 3 },
    { name: 'c', type: 'categorical', role: 'group', values: c },
  ];
  return { columns, rowCount: n };
}

/** `table` with one column's values replaced. */
function withValues(table: Table, name: string, values: Float64Array | string[]): Table {
  return { ...table, columns: table.columns.map((c) => (c.name === name ? ({ ...c, values } as Column) : c)) };
}

const train = gaussianTable(300, 1);
const holdout = gaussianTable(80, 2);
const reference = prepareReference(train, holdout, { seed: 5 });

describe('the suite: keys and applicability', () => {
  it('reports every key of docs/tabular.md, in its order', () => {
    const m = evaluateSynthetic(reference, gaussianTable(200, 3));
    expect(Object.keys(m)).toEqual([...METRIC_KEYS]);
  });

  it('marks undefined metrics null and not applicable (no constraints, no numeric target)', () => {
    const m = evaluateSynthetic(reference, gaussianTable(200, 3));
    for (const key of ['sum_error_max', 'negatives', 'constraint_violations', 'clip_rate', 'target_in_range'] as const) {
      expect(m[key]).toEqual({ value: null, applicable: false });
    }
    expect(m.class_balance_ratio.applicable).toBe(true);
    const noClass = prepareReference(train, holdout, { group: null });
    expect(evaluateSynthetic(noClass, gaussianTable(100, 4)).class_balance_ratio.applicable).toBe(false);
  });

  it('is reproducible from its seed', () => {
    const s = gaussianTable(150, 6);
    expect(evaluateSynthetic(reference, s)).toEqual(evaluateSynthetic(reference, s));
  });

  it('refuses a synthetic table lacking a column or holding the wrong kind of values, naming it', () => {
    const s = gaussianTable(50, 7);
    const missing = { ...s, columns: s.columns.slice(0, 2), file: 'synth.csv' };
    expect(inputFailure(() => evaluateSynthetic(reference, missing)).message).toBe('synth.csv, column c: the synthetic table lacks this column of the real table');
    const wrong = { ...s, columns: [s.columns[0], { name: 'y', type: 'categorical', role: 'feature', values: Array(50).fill('q') } as Column, s.columns[2]] };
    expect(inputFailure(() => evaluateSynthetic(reference, wrong)).column).toBe('y');
  });
});

describe('the suite: a perfect, a copying and a shifted generator', () => {
  const fresh = evaluateSynthetic(reference, gaussianTable(300, 11));
  const copy = evaluateSynthetic(reference, train);
  const shifted = evaluateSynthetic(reference, gaussianTable(300, 12, 1.5));

  it('fidelity: fresh draws score near the ideal, the shifted table far from it', () => {
    expect(fresh.ks_mean.value).toBeLessThan(0.12);
    expect(fresh.corr_mae.value).toBeLessThan(0.1);
    expect(fresh.tv_complement_mean.value).toBeGreaterThan(0.9);
    expect(Math.abs(fresh.detection_auc.value as number - 0.5)).toBeLessThan(0.1);
    expect(shifted.ks_mean.value).toBeGreaterThan(0.4);
    expect(shifted.ks_median_p.value).toBeLessThan(1e-6);
    expect(shifted.detection_auc.value).toBeGreaterThan(0.8);
    expect(shifted.mmd2.value).toBeGreaterThan(10 * Math.abs(fresh.mmd2.value as number));
    expect(copy.ks_mean.value).toBe(0);
    expect(copy.ks_median_p.value).toBe(1);
    expect(copy.corr_mae.value).toBe(0);
    expect(copy.contingency_similarity.value).toBe(1);
  });

  it('privacy: copies of train are caught by every privacy metric, fresh draws are not', () => {
    expect(copy.dup_rate.value).toBe(1);
    expect(copy.new_row_synthesis.value).toBe(0);
    expect(copy.dcr_median.value).toBe(0);
    expect(copy.near_dup_rate.value).toBe(1);
    expect(copy.dcr_baseline_protection.value).toBe(0);
    // Train is subsampled to the holdout's size (80 of 300): only copies of those 80 rows are at 0, the
    // other copies are as far from the subsample as from the holdout.
    expect(copy.dcr_overfitting_protection.value).toBeLessThan(0.8);
    expect(copy.dcr_overfitting_protection.value).toBeLessThan((fresh.dcr_overfitting_protection.value as number) - 0.15);
    expect(copy.mia_auc.value).toBeGreaterThan(0.95);
    expect(fresh.dup_rate.value).toBe(0);
    expect(fresh.new_row_synthesis.value).toBeGreaterThan(0.95);
    expect(fresh.dcr_overfitting_protection.value).toBeGreaterThan(0.8);
    expect(Math.abs(fresh.mia_auc.value as number - 0.5)).toBeLessThan(0.1);
    expect(fresh.mia_auc.spread).toBeGreaterThan(0);
  });

  it('subsamples the synthetic rows of the distance metrics beyond maxPrivacyRows, staying close', () => {
    const capped = prepareReference(train, holdout, { seed: 5, maxPrivacyRows: 120 });
    const big = gaussianTable(600, 13);
    const a = evaluateSynthetic(capped, big);
    const b = evaluateSynthetic(reference, big);
    expect(a.dup_rate.value).toBe(b.dup_rate.value);
    expect(Math.abs((a.dcr_median.value as number) - (b.dcr_median.value as number))).toBeLessThan(0.02);
  });
});

describe('the floor: holdout in the synthetic table\'s place', () => {
  it('sits near the ideal for fresh rows, with dcr_overfitting_protection and mia_auc from the holdout halves', () => {
    const floor = evaluateFloor(reference);
    expect(Object.keys(floor)).toEqual([...METRIC_KEYS]);
    expect(floor.dup_rate.value).toBe(0);
    expect(floor.dcr_overfitting_protection.value).toBeGreaterThan(0.7);
    expect(Math.abs(floor.mia_auc.value as number - 0.5)).toBeLessThan(0.15);
    expect(floor.ks_median_p.value).toBeGreaterThan(0.05);
  });

  it('on the constrained glass table: no violation, nothing clipped, zero sum error', () => {
    const fgl = fixtureTable('fgl.csv', { roles: { type: 'group' } });
    const constraints = validateConstraints(parseConstraints(fixtureText('fgl_constraints.yaml'), 'fgl_constraints.yaml'), fgl, 'fgl_constraints.yaml').constraints;
    const parts = splitRows(fgl, splitTable(fgl, { seed: 1, stratifyBy: 'type' }));
    const ref = prepareReference(parts.train, parts.holdout, { constraints, seed: 1 });
    const floor = evaluateFloor(ref);
    expect(floor.sum_error_max.value).toBe(0);
    expect(floor.negatives.value).toBe(0);
    expect(floor.constraint_violations.value).toBe(0);
    expect(floor.clip_rate.value).toBe(0);
    const synthetic = fixtureTable('fgl_synthetic.csv');
    const m = evaluateSynthetic(ref, synthetic);
    expect(m.clip_rate.value).toBeGreaterThan(0.5);
    expect(evaluateSynthetic(ref, synthetic, { clipped: Array.from({ length: synthetic.rowCount }, (_, i) => i < 20) }).clip_rate.value).toBe(0.1);
  });
});

describe('metric conventions', () => {
  const cols = metricColumnsOf(train);
  const t = align(cols, train);

  it('a numeric column with no synthetic value: KS D = 1, p = 0', () => {
    const s = gaussianTable(40, 21);
    const empty = withValues(s, 'x', new Float64Array(40).fill(NaN));
    expect(ksPerColumn(t, align(cols, empty))[0]).toEqual({ column: 'x', statistic: 1, pValue: 0 });
  });

  it('a synthetic column made constant counts its correlations as 0; a constant train column is left out', () => {
    const s = gaussianTable(100, 22);
    const flat = withValues(s, 'x', new Float64Array(100).fill(1));
    const rho = corrMae(t, t);
    expect(rho).toBe(0);
    const trainRho = 0.894; // x and y: 1/√(1 + 0.25)
    expect(Math.abs((corrMae(t, align(cols, flat)) as number) - trainRho)).toBeLessThan(0.05);
    expect(corrMae(align(cols, flat), t)).toBeNull();
  });

  it('class_balance_ratio is Infinity when a class of train is absent', () => {
    const s = gaussianTable(60, 23);
    const noC = withValues(s, 'c', Array(60).fill('a'));
    expect(classBalanceRatio(train, noC, 'c')).toBe(Infinity);
  });

  it('detection_auc is reproducible per seed and near 0.5 between samples of one distribution', () => {
    const f = fitFeaturizer(t);
    const x = featurize(f, t);
    const y = featurize(f, align(cols, gaussianTable(300, 24)));
    expect(detectionAuc(x, y, 3)).toBe(detectionAuc(x, y, 3));
    expect(Math.abs(detectionAuc(x, y, 3) - 0.5)).toBeLessThan(0.1);
  });

  it('rocAuc counts ties as one half', () => {
    expect(rocAuc([1, 1], [1, 1])).toBe(0.5);
    expect(rocAuc([2, 3], [1, 0])).toBe(1);
    expect(rocAuc([1, 2], [1, 0])).toBe(0.875);
  });
});
