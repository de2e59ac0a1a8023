import type { AlignedTable } from './columns';
import { categoryFrequencies } from './frequencies';

/**
 * tv_complement_mean: the mean over categorical columns of 1 − ½ Σ_c |p_c − q_c|, with p and q the
 * category frequencies of train and synthetic (over all rows: a missing cell is a category of its own,
 * so a generator that drops or invents missing values pays for it). Null without categorical columns.
 */
export function tvComplementMean(train: AlignedTable, synthetic: AlignedTable): number | null {
  if (train.categorical.length === 0) return null;
  let total = 0;
  train.categorical.forEach((column, k) => {
    const p = categoryFrequencies(column.values);
    const q = categoryFrequencies(synthetic.categorical[k].values);
    total += 1 - totalVariation(p, q);
  });
  return total / train.categorical.length;
}

/** ½ Σ |p − q| over the union of two frequency tables. */
export function totalVariation(p: ReadonlyMap<string, number>, q: ReadonlyMap<string, number>): number {
  let sum = 0;
  for (const [key, f] of p) sum += Math.abs(f - (q.get(key) ?? 0));
  for (const [key, f] of q) if (!p.has(key)) sum += f;
  return sum / 2;
}
