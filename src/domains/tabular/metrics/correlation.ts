import type { AlignedTable } from './columns';
import { averageRanks } from './statistics';

/**
 * Pearson's ρ of two columns over the rows where both are present (docs/tabular.md), as numpy's corrcoef
 * computes it on those rows: Σ(x−x̄)(y−ȳ) / √(Σ(x−x̄)² Σ(y−ȳ)²), clipped to [−1, 1]. NaN when fewer than
 * two rows remain or a column is constant on them.
 */
export function pearsonPairwise(x: Float64Array, y: Float64Array, ranks = false): number {
  const rows: number[] = [];
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i]) && !Number.isNaN(y[i])) rows.push(i);
  const n = rows.length;
  if (n < 2) return NaN;
  let a: Float64Array = Float64Array.from(rows, (i) => x[i]);
  let b: Float64Array = Float64Array.from(rows, (i) => y[i]);
  if (ranks) {
    a = averageRanks(a);
    b = averageRanks(b);
  }
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma;
    const db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  if (saa === 0 || sbb === 0) return NaN;
  return Math.min(1, Math.max(-1, sab / Math.sqrt(saa * sbb)));
}

/** A column without missing cells, centred once: its deviations from its mean and their sum of squares. */
interface Centred {
  deviations: Float64Array;
  sumOfSquares: number;
}

/** The deviations and Σ deviation² pearsonPairwise computes for a column on all its rows (the same operations in the same order). */
function centred(values: Float64Array): Centred {
  const n = values.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += values[i];
  m /= n;
  const deviations = new Float64Array(n);
  let sumOfSquares = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i] - m;
    deviations[i] = d;
    sumOfSquares += d * d;
  }
  return { deviations, sumOfSquares };
}

/**
 * ρ for every pair i < j of numeric columns, row-major over the upper triangle. Each equals
 * pearsonPairwise on the pair; a pair of columns without missing cells (whose rows are all the table's
 * rows) is computed from the columns centred (and, for Spearman, ranked) once, instead of once per pair —
 * the same numbers, in a fraction of the time on a large table.
 */
export function correlationPairs(table: AlignedTable, method: 'pearson' | 'spearman' = 'pearson'): Float64Array {
  const cols = table.numeric;
  const ranks = method === 'spearman';
  const whole = cols.map((c) => (table.rowCount >= 2 && !c.values.some(Number.isNaN) ? centred(ranks ? averageRanks(c.values) : c.values) : null));
  const out: number[] = [];
  for (let i = 0; i < cols.length; i++) {
    for (let j = i + 1; j < cols.length; j++) {
      const a = whole[i];
      const b = whole[j];
      if (!a || !b) {
        out.push(pearsonPairwise(cols[i].values, cols[j].values, ranks));
        continue;
      }
      if (a.sumOfSquares === 0 || b.sumOfSquares === 0) {
        out.push(NaN);
        continue;
      }
      let sab = 0;
      for (let k = 0; k < a.deviations.length; k++) sab += a.deviations[k] * b.deviations[k];
      out.push(Math.min(1, Math.max(-1, sab / Math.sqrt(a.sumOfSquares * b.sumOfSquares))));
    }
  }
  return Float64Array.from(out);
}

/**
 * corr_mae (the hospital team's "correlation delta"): the mean over numeric column pairs of |ρ_syn − ρ_train|.
 * A pair whose train ρ is undefined (a constant column) is left out; a synthetic ρ that is undefined
 * while train's is not (the generator made a column constant) counts as 0 — a collapse must not hide.
 * Null when no pair is left. `method: 'spearman'` gives the same on ranks (Spearman's ρ, per pair on
 * the rows both present).
 */
export function corrMae(train: AlignedTable, synthetic: AlignedTable, method: 'pearson' | 'spearman' = 'pearson'): number | null {
  const rt = correlationPairs(train, method);
  const rs = correlationPairs(synthetic, method);
  let sum = 0;
  let count = 0;
  for (let k = 0; k < rt.length; k++) {
    if (Number.isNaN(rt[k])) continue;
    sum += Math.abs((Number.isNaN(rs[k]) ? 0 : rs[k]) - rt[k]);
    count++;
  }
  return count > 0 ? sum / count : null;
}

/** corr_similarity = 1 − corr_mae / 2. */
export function corrSimilarity(mae: number | null): number | null {
  return mae === null ? null : 1 - mae / 2;
}
