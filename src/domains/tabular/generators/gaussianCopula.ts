import { cholesky } from '../../../engine/linalg/cholesky';
import { quantileOfSorted } from '../../../engine/metrics/summary';
import { normalCdf } from '../../../engine/optimizer/acquisition/normal';
import { createRng, type Rng } from '../../../engine/random/rng';
import { pearsonPairwise } from '../metrics/correlation';
import { averageRanks, sampleStandardDeviation } from '../metrics/statistics';
import { isNumeric, type Column, type Table } from '../table';
import { finishTable, syntheticIds, type GeneratedTable, type GenerateOptions } from './generatedTable';
import { normalQuantile } from './normalQuantile';
import { classQuotas, classRows } from './sourceRows';

/** The Gaussian copula's settings (its part of the optimizer's parameter space). */
export interface CopulaSettings {
  /** Shrinkage λ ∈ [0, 1] of the normal scores' correlation toward the identity: R_λ = (1 − λ)R + λI. */
  shrinkage: number;
  /** Smoothing of the empirical marginals: Gaussian noise of this many of the column's sd (0 = none). */
  bandwidth: number;
}

/** One column's marginal within one class. */
type Marginal =
  | { kind: 'numeric'; sorted: Float64Array; missingShare: number; sd: number }
  | { kind: 'categorical'; levels: Array<string | null>; upper: Float64Array };

interface ClassModel {
  key: string;
  rows: number[];
  marginals: Marginal[];
}

/**
 * Gaussian copula. Each modelled column (all but the class column and id columns) gets an
 * empirical marginal; the dependence is the correlation of normal scores:
 *  - numeric: score Φ⁻¹((rank − ½)/n) of its present values (average ranks for ties); a value is
 *    generated as the linearly interpolated empirical quantile at Φ(z), plus N(0, (bandwidth·sd)²);
 *    missing with the column's missing share, independently of the rest;
 *  - categorical: frequency intervals (categories by descending frequency, missing a category): a cell's
 *    score is Φ⁻¹ of its interval's midpoint; a value is the category whose interval holds Φ(z);
 *  - R: Pearson correlation of the scores (pairwise complete; undefined pairs 0), shrunk by λ, its
 *    Cholesky factor (jittered if needed) turning N(0, I) draws into N(0, R_λ).
 * Class-conditional without one-hot (one-hot encoding of a high-cardinality group column is what made the alloy team's copula fail: 333 groups → 667 columns): with a
 * class column, every class has its own marginals and keeps its share of rows (or `rowsPerClass`), and
 * R is pooled over the within-class scores — sparse classes borrow the dependence from the others. A
 * class of one row reproduces that row's values up to the bandwidth noise. Integer columns are
 * rounded and the rows projected onto the constraints.
 */
export function gaussianCopula(train: Table, settings: CopulaSettings, options: GenerateOptions): GeneratedTable {
  const rng = createRng(options.seed).fork('gaussian-copula');
  const classColumn = options.classColumn ?? null;
  const modelled = train.columns.map((c, j) => ({ c, j })).filter(({ c }) => c.role !== 'id' && c.name !== classColumn);
  const groups = classColumn ? classRows(train, classColumn) : new Map([['', Array.from({ length: train.rowCount }, (_, i) => i)]]);
  const models: ClassModel[] = [...groups].map(([key, rows]) => ({ key, rows, marginals: modelled.map(({ c }) => marginalOf(c, rows)) }));

  // Normal scores of every train row (within its class), then their pooled correlation.
  const d = modelled.length;
  const scores = modelled.map(() => new Float64Array(train.rowCount).fill(NaN));
  for (const m of models) modelled.forEach(({ c }, k) => writeScores(c, m.rows, m.marginals[k], scores[k]));
  const lambda = Math.min(1, Math.max(0, settings.shrinkage));
  const R = new Float64Array(d * d);
  for (let a = 0; a < d; a++) {
    R[a * d + a] = 1;
    for (let b = 0; b < a; b++) {
      const r = pearsonPairwise(scores[a], scores[b]);
      R[a * d + b] = R[b * d + a] = (1 - lambda) * (Number.isNaN(r) ? 0 : r);
    }
  }
  const L = d > 0 ? cholesky(R, d).L : new Float64Array(0);

  const counts = rowsPerClass(models, train.rowCount, options);
  const n = counts.reduce((a, b) => a + b, 0);
  const cells: Array<Float64Array | Array<string | null>> = modelled.map(({ c }) => (isNumeric(c) ? new Float64Array(n) : new Array<string | null>(n)));
  const classValues: Array<number | string | null> = [];
  const classSource = classColumn ? train.columns.find((c) => c.name === classColumn) : undefined;
  const draw = rng.fork('draws');
  const eps = new Float64Array(d);
  let row = 0;
  models.forEach((m, g) => {
    for (let t = 0; t < counts[g]; t++, row++) {
      for (let k = 0; k < d; k++) eps[k] = draw.normal();
      for (let k = 0; k < d; k++) {
        let z = 0;
        for (let q = 0; q <= k; q++) z += L[k * d + q] * eps[q];
        const u = normalCdf(z);
        const marginal = m.marginals[k];
        if (marginal.kind === 'numeric') (cells[k] as Float64Array)[row] = numericValue(marginal, u, settings.bandwidth, draw);
        else (cells[k] as Array<string | null>)[row] = categoryAt(marginal, u);
      }
      if (classSource) classValues.push(classSource.values[m.rows[0]]);
    }
  });

  const columns = train.columns.map((column, j): Column => {
    if (column.role === 'id') return syntheticIds(column, n);
    if (column.name === classColumn) return isNumeric(column) ? { ...column, values: Float64Array.from(classValues as number[]) } : { ...column, values: classValues as Array<string | null> };
    const k = modelled.findIndex((x) => x.j === j);
    return isNumeric(column) ? { ...column, values: cells[k] as Float64Array } : { ...column, values: cells[k] as Array<string | null> };
  });
  return finishTable(columns, n, options.constraints);
}

function marginalOf(column: Column, rows: number[]): Marginal {
  if (isNumeric(column)) {
    const present = rows.map((i) => column.values[i]).filter((v) => !Number.isNaN(v));
    return { kind: 'numeric', sorted: Float64Array.from(present).sort(), missingShare: 1 - present.length / rows.length, sd: sampleStandardDeviation(present) };
  }
  const counts = new Map<string | null, number>();
  for (const i of rows) counts.set(column.values[i], (counts.get(column.values[i]) ?? 0) + 1);
  const levels = [...counts.keys()].sort((a, b) => (counts.get(b) as number) - (counts.get(a) as number) || String(a).localeCompare(String(b)));
  let cumulative = 0;
  const upper = Float64Array.from(levels, (l) => (cumulative += (counts.get(l) as number) / rows.length));
  upper[upper.length - 1] = 1;
  return { kind: 'categorical', levels, upper };
}

function writeScores(column: Column, rows: number[], marginal: Marginal, out: Float64Array): void {
  if (marginal.kind === 'numeric') {
    const present = rows.filter((i) => !Number.isNaN((column.values as Float64Array)[i]));
    const ranks = averageRanks(present.map((i) => (column.values as Float64Array)[i]));
    present.forEach((i, k) => (out[i] = normalQuantile((ranks[k] - 0.5) / present.length)));
    return;
  }
  for (const i of rows) {
    const level = marginal.levels.indexOf(column.values[i] as string | null);
    const lower = level === 0 ? 0 : marginal.upper[level - 1];
    out[i] = normalQuantile((lower + marginal.upper[level]) / 2);
  }
}

function numericValue(m: Extract<Marginal, { kind: 'numeric' }>, u: number, bandwidth: number, rng: Rng): number {
  if (m.sorted.length === 0 || rng.next() < m.missingShare) return NaN;
  const x = quantileOfSorted(m.sorted, u);
  return bandwidth > 0 && m.sd > 0 ? x + rng.normal(0, bandwidth * m.sd) : x;
}

function categoryAt(m: Extract<Marginal, { kind: 'categorical' }>, u: number): string | null {
  let k = 0;
  while (k < m.upper.length - 1 && u >= m.upper[k]) k++;
  return m.levels[k];
}

/**
 * Rows per class: `rowsPerClass` each; else, with a class balance above 0, classQuotas' shares of
 * `rows`; else `rows` split by the classes' train shares (largest remainder).
 */
function rowsPerClass(models: ClassModel[], trainRows: number, options: GenerateOptions): number[] {
  if (options.rowsPerClass !== undefined && options.classColumn) return models.map(() => options.rowsPerClass as number);
  const total = options.rows ?? trainRows;
  if (options.classColumn && (options.classBalance ?? 0) > 0) return classQuotas(models.map((m) => m.rows.length), total, options.classBalance as number);
  const exact = models.map((m) => (m.rows.length * total) / trainRows);
  const counts = exact.map(Math.floor);
  const order = exact.map((_, g) => g).sort((a, b) => exact[b] - counts[b] - (exact[a] - counts[a]) || a - b);
  for (let left = total - counts.reduce((a, b) => a + b, 0), k = 0; left > 0; left--, k++) counts[order[k % order.length]]++;
  return counts;
}
