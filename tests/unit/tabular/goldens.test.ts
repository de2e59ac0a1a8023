import { afterAll, describe, expect, it } from 'vitest';
import { parseConstraints } from '../../../src/domains/tabular/constraints/parseConstraints';
import { validateConstraints } from '../../../src/domains/tabular/constraints/validateConstraints';
import type { Constraints } from '../../../src/domains/tabular/constraints/types';
import { align, metricColumnsOf, type AlignedTable } from '../../../src/domains/tabular/metrics/columns';
import { contingencySimilarity } from '../../../src/domains/tabular/metrics/contingency';
import { corrMae } from '../../../src/domains/tabular/metrics/correlation';
import { dcrBaselineProtectionWith, dcrMedian, dcrOverfittingProtectionWith, nearDupEpsilon, nearDupRate } from '../../../src/domains/tabular/metrics/dcr';
import { detectionAucWithFolds } from '../../../src/domains/tabular/metrics/detectionAuc';
import { dupRate, newRowSynthesis } from '../../../src/domains/tabular/metrics/duplicates';
import { featurize, fitFeaturizer } from '../../../src/domains/tabular/metrics/featurize';
import { ks2samp } from '../../../src/domains/tabular/metrics/ks2samp';
import { ksMean, ksMedianP, ksPerColumn } from '../../../src/domains/tabular/metrics/ksColumns';
import { kolmogorovSf } from '../../../src/domains/tabular/metrics/kolmogorov';
import { fitLogisticRegression } from '../../../src/domains/tabular/metrics/logisticRegression';
import { miaAucForDraw } from '../../../src/domains/tabular/metrics/miaAuc';
import { mmd2, tableBandwidth } from '../../../src/domains/tabular/metrics/mmd';
import { classBalanceRatio, constraintViolations, negatives, sumErrorMax, targetInRange } from '../../../src/domains/tabular/metrics/physics';
import { distanceSpace, encodeRows, nearestDistances, subsetRows } from '../../../src/domains/tabular/metrics/rowDistance';
import { smirnovSf } from '../../../src/domains/tabular/metrics/smirnov';
import { mean, sampleStandardDeviation } from '../../../src/domains/tabular/metrics/statistics';
import { evaluateFloor, evaluateSynthetic, prepareReference } from '../../../src/domains/tabular/metrics/suite';
import { tvComplementMean } from '../../../src/domains/tabular/metrics/tvComplement';
import { takeRows, type Table } from '../../../src/domains/tabular/table';
import type { Matrix } from '../../../src/engine/linalg/matrix';
import { fixtureTable, fixtureText } from './fixtures';

/**
 * The tabular metric suite against numpy / scipy / scikit-learn on the committed fixtures
 * (scripts/tabular_goldens.py, run with /usr/bin/python3; tests never run Python). The script draws the
 * split, the detection folds and subsamples, the uniform baseline rows and the membership draws with
 * numpy and stores them, so the functions that take explicit draws are compared exactly; the seeded
 * wrappers are tested for behaviour in metrics.test.ts.
 *
 * Tolerances, |ours − reference| ≤ bound (absolute; relative where marked), then the worst measured:
 *   KS statistic 1e-15 (the same divisions; 0); KS p-value rtol 1e-9 (scipy evaluates smirnov in
 *   double-double, we sum logarithms in double; 1e-14); kstwo.sf 1e-12 (1.7e-15); smirnov rtol 1e-10
 *   (8e-12);
 *   TV, contingency, correlations (Pearson, Spearman): 1e-12 (≤ 3.3e-16);
 *   bandwidth rtol 1e-12 (0), MMD² 1e-12 (1.5e-14);
 *   logistic coefficients and intercept 1e-9 (both Newton to convergence on a strictly convex problem;
 *   2.2e-14); detection AUC 1e-9 (2.2e-16);
 *   counts and shares (negatives, violations, dup, new-row, near-dup, target in range, class balance):
 *   exact or 1e-15 (0); ε, DCR median, both protections, membership AUCs: 1e-12 (≤ 1.1e-16).
 * Set TABULAR_GOLDEN_REPORT=1 to print the worst deviation per metric.
 */
interface KsCase { n1: number; n2: number; seed1: number; seed2: number; shift: number; decimals: number; statistic: number; p: number }
interface CaseGolden {
  real: string;
  synthetic: string;
  categorical: string[];
  constraints: string | null;
  target: string | null;
  class_column: string | null;
  holdout: number[];
  train: number[];
  synthetic_metrics: Record<string, unknown> & {
    ks_columns: { column: string; statistic: number; p: number }[];
    detection: { real_rows: number[]; synthetic_rows: number[]; folds: number[] };
    detection_fold_aucs: number[];
    uniform_rows: { numeric: Record<string, number[]>; categorical: Record<string, string[]> };
    overfitting_subsample: number[];
    mia_members: number[][];
    mia_draws: number[];
  };
  floor_metrics: Record<string, number | string | null>;
  logistic: { coef: number[]; intercept: number };
}
interface Goldens {
  cases: Record<string, CaseGolden>;
  ks: { ks_2samp: KsCase[]; kstwo_sf: { n: number; x: number; sf: number }[]; smirnov: { n: number; x: number; sf: number }[] };
}

const goldens = JSON.parse(fixtureText('goldens.json')) as Goldens;
const worst = new Map<string, number>();

function close(what: string, actual: number | null, expected: number | string | null | undefined, atol: number, rtol = 0) {
  const e = expected === 'Infinity' ? Infinity : (expected as number | null | undefined);
  if (e === null || e === undefined) {
    expect(actual, what).toBeNull();
    return;
  }
  if (actual === null) throw new Error(`${what}: got null, reference ${e}`);
  if (e === Infinity) {
    expect(actual, what).toBe(Infinity);
    return;
  }
  const diff = Math.abs(actual - e);
  const key = what.split(' ')[0];
  worst.set(key, Math.max(worst.get(key) ?? 0, rtol > 0 ? diff / Math.max(Math.abs(e), 1e-300) : diff));
  if (!(diff <= atol + rtol * Math.abs(e))) throw new Error(`${what}: got ${actual}, reference ${e} (|Δ| = ${diff})`);
}

afterAll(() => {
  if (process.env.TABULAR_GOLDEN_REPORT) console.log([...worst].map(([k, v]) => `${k.padEnd(28)} ${v.toExponential(2)}`).join('\n'));
});

/** The script's Park–Miller samples (exact integer arithmetic in doubles on both sides). */
function parkMiller(n: number, seed: number, shift: number, decimals: number): Float64Array {
  const m = 2147483647;
  let state = seed;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let total = 0;
    for (let k = 0; k < 4; k++) {
      state = (state * 16807) % m;
      total += state;
    }
    out[i] = pythonRound(((total - 2 * m) / m) * 1.7 + shift, decimals);
  }
  return out;
}

/**
 * Python's round(x, d) for these values: both it and toFixed round the exact binary value to d decimals;
 * they differ only on exact binary ties (half-even against half-up), which these sums of 31-bit
 * integers scaled by 1.7 do not produce.
 */
function pythonRound(x: number, d: number): number {
  return Number(x.toFixed(d));
}

describe('Kolmogorov–Smirnov against scipy', () => {
  it('kstwo.sf on a grid through every method (1e-12)', () => {
    for (const g of goldens.ks.kstwo_sf) close(`kstwo.sf n=${g.n} x=${g.x}`, kolmogorovSf(g.n, g.x), g.sf, 1e-12);
  });

  it('smirnov (rtol 1e-10)', () => {
    for (const g of goldens.ks.smirnov) close(`smirnov n=${g.n} x=${g.x}`, smirnovSf(g.n, g.x), g.sf, 1e-300, 1e-10);
  });

  it('ks_2samp: exact and asymptotic, equal and unequal sizes, ties (D 1e-15, p rtol 1e-9)', () => {
    for (const c of goldens.ks.ks_2samp) {
      const a = parkMiller(c.n1, c.seed1, 0, c.decimals);
      const b = parkMiller(c.n2, c.seed2, c.shift, c.decimals);
      const r = ks2samp(a, b);
      close(`ks_statistic ${c.n1}/${c.n2}`, r.statistic, c.statistic, 1e-15);
      close(`ks_p ${c.n1}/${c.n2}`, r.pValue, c.p, 1e-300, 1e-9);
      expect(r.method).toBe(Math.max(c.n1, c.n2) <= 10000 ? 'exact' : 'asymp');
    }
  });
});

function numbersOf(rows: number[]): Int32Array {
  return Int32Array.from(rows);
}

function pickMatrix(m: Matrix, rows: number[]): Matrix<Float64Array> {
  const d = m.cols;
  const data = new Float64Array(rows.length * d);
  rows.forEach((r, k) => data.set(m.data.subarray(r * d, (r + 1) * d), k * d));
  return { rows: rows.length, cols: d, data };
}

for (const [name, c] of Object.entries(goldens.cases)) {
  describe(`${name}: ${c.synthetic} against ${c.real}`, () => {
    const types = Object.fromEntries(c.categorical.map((col) => [col, 'categorical' as const]));
    const real = fixtureTable(c.real, { types });
    const synthetic: Table = fixtureTable(c.synthetic, { types });
    const train = takeRows(real, numbersOf(c.train));
    const holdout = takeRows(real, numbersOf(c.holdout));
    const columns = metricColumnsOf(train);
    const t: AlignedTable = align(columns, train);
    const s: AlignedTable = align(columns, synthetic);
    const h: AlignedTable = align(columns, holdout);
    const g = c.synthetic_metrics;
    const f = c.floor_metrics;
    const constraints: Constraints | null = c.constraints ? validateConstraints(parseConstraints(fixtureText(c.constraints), c.constraints), real, c.constraints).constraints : null;

    it('KS per column, ks_mean and ks_median_p', () => {
      const ks = ksPerColumn(t, s);
      ks.forEach((r, k) => {
        expect(r.column).toBe(g.ks_columns[k].column);
        close(`ks_statistic ${r.column}`, r.statistic, g.ks_columns[k].statistic, 1e-15);
        close(`ks_p ${r.column}`, r.pValue, g.ks_columns[k].p, 1e-300, 1e-9);
      });
      close('ks_mean', ksMean(ks), g.ks_mean as number, 1e-15);
      close('ks_median_p', ksMedianP(ks), g.ks_median_p as number, 1e-300, 1e-9);
    });

    it('tv_complement_mean, corr_mae (Pearson and Spearman), contingency_similarity', () => {
      close('tv_complement_mean', tvComplementMean(t, s), g.tv_complement_mean as number | null, 1e-12);
      close('corr_mae', corrMae(t, s), g.corr_mae as number, 1e-12);
      close('corr_mae_spearman', corrMae(t, s, 'spearman'), g.corr_mae_spearman as number, 1e-12);
      close('contingency_similarity', contingencySimilarity(t, s), g.contingency_similarity as number, 1e-12);
    });

    it('featurised rows: bandwidth, mmd2, the logistic model and detection_auc on the given folds', () => {
      const fz = fitFeaturizer(t);
      const xt = featurize(fz, t);
      const xs = featurize(fz, s);
      const sigma = tableBandwidth(xt);
      close('bandwidth', sigma, g.bandwidth as number, 0, 1e-12);
      close('mmd2', mmd2(xt, xs, sigma), g.mmd2 as number, 1e-12);
      const both = { rows: xt.rows + xs.rows, cols: xt.cols, data: new Float64Array([...xt.data, ...xs.data]) };
      const model = fitLogisticRegression(both, Array.from({ length: both.rows }, (_, i) => (i >= xt.rows ? 1 : 0)));
      expect(model.converged).toBe(true);
      model.weights.forEach((w, j) => close(`logistic_coefficient ${j}`, w, c.logistic.coef[j], 1e-9));
      close('logistic_intercept', model.intercept, c.logistic.intercept, 1e-9);
      const d = g.detection;
      close('detection_auc', detectionAucWithFolds(pickMatrix(xt, d.real_rows), pickMatrix(xs, d.synthetic_rows), d.folds), g.detection_auc as number, 1e-9);
    });

    it('physics: sum_error_max, negatives, constraint_violations, target_in_range, class_balance_ratio', () => {
      const none = { sumGroups: [], bounds: [], nonnegative: [], inequalities: [], derived: [] };
      const k = constraints ?? none;
      close('sum_error_max', sumErrorMax(k, synthetic), g.sum_error_max as number | undefined ?? null, 1e-12);
      close('negatives', negatives(k, synthetic), g.negatives as number | undefined ?? null, 0);
      close('constraint_violations', constraintViolations(k, synthetic), g.constraint_violations as number | undefined ?? null, 0);
      close('target_in_range', targetInRange(train, synthetic, c.target), g.target_in_range as number | undefined ?? null, 1e-15);
      close('class_balance_ratio', classBalanceRatio(train, synthetic, c.class_column), g.class_balance_ratio as number | string, 1e-12);
    });

    it('privacy: dup_rate, new_row_synthesis, ε, near_dup_rate, dcr_median, both protections, mia_auc', () => {
      const space = distanceSpace(t);
      const tr = encodeRows(space, t);
      const sr = encodeRows(space, s);
      const hr = encodeRows(space, h);
      close('dup_rate', dupRate(t, s), g.dup_rate as number, 1e-15);
      close('new_row_synthesis', newRowSynthesis(tr, sr), g.new_row_synthesis as number, 1e-15);
      const eps = nearDupEpsilon(space, tr);
      close('near_dup_epsilon', eps, g.near_dup_epsilon as number, 1e-12);
      const dcr = nearestDistances(space, sr, tr);
      close('near_dup_rate', nearDupRate(dcr, eps), g.near_dup_rate as number, 1e-15);
      close('dcr_median', dcrMedian(dcr), g.dcr_median as number, 1e-12);
      const u = g.uniform_rows;
      const uniform: AlignedTable = {
        rowCount: dcr.length,
        numeric: t.numeric.map((col) => ({ ...col, values: Float64Array.from(u.numeric[col.name]) })),
        categorical: t.categorical.map((col) => ({ ...col, values: u.categorical[col.name] })),
      };
      close('dcr_baseline_protection', dcrBaselineProtectionWith(space, tr, dcr, uniform), g.dcr_baseline_protection as number, 1e-12);
      close('dcr_overfitting_protection', dcrOverfittingProtectionWith(space, subsetRows(tr, g.overfitting_subsample), hr, sr), g.dcr_overfitting_protection as number, 1e-12);
      const draws = g.mia_members.map((members) => miaAucForDraw(space, subsetRows(tr, members), hr, sr));
      draws.forEach((a, k) => close('mia_draw', a, g.mia_draws[k], 1e-12));
      close('mia_auc', mean(draws), g.mia_auc as number, 1e-12);
      close('mia_spread', sampleStandardDeviation(draws), g.mia_spread as number, 1e-12);
    });

    it('the suite (prepareReference → evaluateSynthetic, evaluateFloor) gives the same deterministic metrics', () => {
      const reference = prepareReference(train, holdout, { constraints: constraints ?? undefined, target: c.target, group: c.class_column });
      const m = evaluateSynthetic(reference, synthetic);
      const floor = evaluateFloor(reference);
      for (const key of ['ks_mean', 'ks_median_p', 'tv_complement_mean', 'corr_mae', 'contingency_similarity', 'mmd2', 'sum_error_max', 'negatives', 'constraint_violations', 'target_in_range', 'class_balance_ratio', 'dup_rate', 'near_dup_rate', 'dcr_median', 'new_row_synthesis'] as const) {
        const want = g[key] === undefined ? null : (g[key] as number | string);
        close(`suite_${key}`, m[key].value, want, 1e-12, key === 'ks_median_p' ? 1e-9 : 0);
        expect(m[key].applicable).toBe(want !== null);
        const floorWant = f[key] === undefined ? null : f[key];
        if (key !== 'near_dup_rate') close(`floor_${key}`, floor[key].value, floorWant, 1e-12, key === 'ks_median_p' ? 1e-9 : 0);
      }
      close('suite_ks_complement_mean', m.ks_complement_mean.value, 1 - (g.ks_mean as number), 1e-15);
      close('suite_corr_similarity', m.corr_similarity.value, 1 - (g.corr_mae as number) / 2, 1e-12);
    });
  });
}
