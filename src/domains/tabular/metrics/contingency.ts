import type { AlignedTable } from './columns';
import { MISSING_KEY } from './frequencies';
import { presentRange } from '../table';

/** Equal-width bins per numeric column for contingency tables (docs/tabular.md). */
export const CONTINGENCY_BINS = 10;

/**
 * The interior bin edges of each numeric column, from train's present values: e_k = min + k·((max −
 * min)/10), k = 1..9. A value's bin is the number of edges ≤ it (0..9), so values below train's
 * minimum fall in the first bin and values above its maximum in the last; a constant column has one bin.
 */
export function contingencyEdges(train: AlignedTable): Float64Array[] {
  return train.numeric.map((column) => {
    const [min, max] = presentRange(column.values);
    const step = (max - min) / CONTINGENCY_BINS;
    if (!(step > 0)) return new Float64Array(0);
    return Float64Array.from({ length: CONTINGENCY_BINS - 1 }, (_, k) => min + (k + 1) * step);
  });
}

function binOf(edges: Float64Array, v: number): number {
  let b = 0;
  while (b < edges.length && edges[b] <= v) b++;
  return b;
}

/** Each metric column of a table as a category key per row: numeric columns binned, missing its own key. */
function categoryKeys(table: AlignedTable, edges: readonly Float64Array[]): string[][] {
  const numeric = table.numeric.map((column, k) => Array.from(column.values, (v) => (Number.isNaN(v) ? MISSING_KEY : String(binOf(edges[k], v)))));
  const categorical = table.categorical.map((column) => column.values.map((v) => v ?? MISSING_KEY));
  return [...numeric, ...categorical];
}

function jointFrequencies(a: string[], b: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < a.length; i++) {
    const key = `${a[i]}\u0001${b[i]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const [k, c] of counts) counts.set(k, c / a.length);
  return counts;
}

/**
 * contingency_similarity: the mean over all pairs of metric columns (numeric and categorical) of
 * 1 − ½ Σ |Δ| of their joint frequencies, numeric columns in 10 equal-width bins of train's range, a
 * missing cell a category of its own. Null with fewer than two columns.
 */
export function contingencySimilarity(train: AlignedTable, synthetic: AlignedTable): number | null {
  const edges = contingencyEdges(train);
  const kt = categoryKeys(train, edges);
  const ks = categoryKeys(synthetic, edges);
  const c = kt.length;
  if (c < 2) return null;
  let total = 0;
  let pairs = 0;
  for (let i = 0; i < c; i++) {
    for (let j = i + 1; j < c; j++) {
      const p = jointFrequencies(kt[i], kt[j]);
      const q = jointFrequencies(ks[i], ks[j]);
      let sum = 0;
      for (const [key, f] of p) sum += Math.abs(f - (q.get(key) ?? 0));
      for (const [key, f] of q) if (!p.has(key)) sum += f;
      total += 1 - sum / 2;
      pairs++;
    }
  }
  return total / pairs;
}
