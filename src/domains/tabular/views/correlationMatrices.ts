import type { AlignedTable } from '../metrics/columns';
import { pearsonPairwise } from '../metrics/correlation';
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
  const t = pearsonMatrix(train.numeric);
  const s = pearsonMatrix(synthetic.numeric);
  const difference = t.map((row, i) => row.map((r, j) => (r === null || s[i][j] === null ? null : (s[i][j] as number) - r)));
  return { columns: train.numeric.map((c) => c.name), train: t, synthetic: s, difference };
}

/**
 * The symmetric matrix of pearsonPairwise over every pair (the diagonal 1, or null for a column with
 * fewer than two distinct present values). A pair of columns without missing cells takes a fast path:
 * each column is centred once and ρ = Σ aᵢbᵢ / √(Σ aᵢ² Σ bᵢ²) over the centred values — the same sums in
 * the same order as pearsonPairwise on all rows, so the same numbers; a pair with missing cells goes
 * through pearsonPairwise itself.
 */
export function pearsonMatrix(columns: readonly NumericColumn[]): (number | null)[][] {
  const p = columns.length;
  const complete = columns.map((c) => !c.values.some((v) => Number.isNaN(v)));
  const centred = columns.map((c, j) => (complete[j] ? centre(c.values) : null));
  const squares = centred.map((a) => (a ? sumOfProducts(a, a) : NaN));
  const out = Array.from({ length: p }, () => new Array<number | null>(p).fill(null));
  for (let i = 0; i < p; i++) {
    for (let j = i; j < p; j++) {
      const a = centred[i];
      const b = centred[j];
      let rho: number;
      if (a && b) {
        const n = a.length;
        rho = n < 2 || squares[i] === 0 || squares[j] === 0 ? NaN : Math.min(1, Math.max(-1, sumOfProducts(a, b) / Math.sqrt(squares[i] * squares[j])));
      } else {
        rho = pearsonPairwise(columns[i].values, columns[j].values);
      }
      const value = Number.isNaN(rho) ? null : rho;
      out[i][j] = value;
      out[j][i] = value;
    }
  }
  return out;
}

function centre(values: Float64Array): Float64Array {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = values[i] - mean;
  return out;
}

function sumOfProducts(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
