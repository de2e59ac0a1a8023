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

/** ρ for every pair i < j of numeric columns, row-major over the upper triangle. */
export function correlationPairs(table: AlignedTable, method: 'pearson' | 'spearman' = 'pearson'): Float64Array {
  const cols = table.numeric;
  const out: number[] = [];
  for (let i = 0; i < cols.length; i++) for (let j = i + 1; j < cols.length; j++) out.push(pearsonPairwise(cols[i].values, cols[j].values, method === 'spearman'));
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
