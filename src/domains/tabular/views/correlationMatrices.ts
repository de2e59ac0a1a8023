import type { AlignedTable } from '../metrics/columns';
import { correlationPairs, pearsonPairwise } from '../metrics/correlation';
import type { NumericColumn } from '../table';

/**
 * Pearson correlation matrices of the numeric columns (docs/tabular.md: per pair, the rows where both
 * columns are present), train's and the synthetic table's, and their difference synthetic − train —
 * the terms whose mean absolute value over i < j is corr_mae. null where ρ is undefined (fewer than two
 * rows, or a column constant on them); the difference is null where either is.
 */
export interface CorrelationMatrices {
  readonly columns: string[];
  readonly train: (number | null)[][];
  readonly synthetic: (number | null)[][];
  readonly difference: (number | null)[][];
}

export function correlationMatrices(train: AlignedTable, synthetic: AlignedTable): CorrelationMatrices {
  const t = pearsonMatrix(train.numeric, train.rowCount);
  const s = pearsonMatrix(synthetic.numeric, synthetic.rowCount);
  const difference = t.map((row, i) => row.map((r, j) => (r === null || s[i][j] === null ? null : (s[i][j] as number) - r)));
  return { columns: train.numeric.map((c) => c.name), train: t, synthetic: s, difference };
}

/**
 * The symmetric matrix of pearsonPairwise over every pair: the off-diagonal terms are correlationPairs'
 * (the metric's own numbers, with its fast path for columns without missing cells), the diagonal 1, or
 * null for a column with fewer than two distinct present values.
 */
export function pearsonMatrix(columns: readonly NumericColumn[], rowCount: number): (number | null)[][] {
  const p = columns.length;
  const pairs = correlationPairs({ rowCount, numeric: columns, categorical: [] });
  const value = (rho: number) => (Number.isNaN(rho) ? null : rho);
  const out = columns.map(() => new Array<number | null>(p).fill(null));
  let k = 0;
  for (let i = 0; i < p; i++) {
    out[i][i] = value(pearsonPairwise(columns[i].values, columns[i].values));
    for (let j = i + 1; j < p; j++, k++) {
      out[i][j] = value(pairs[k]);
      out[j][i] = out[i][j];
    }
  }
  return out;
}
