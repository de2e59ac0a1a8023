/** Small statistics the tabular metrics share. */

/** numpy's median: the mean of the middle two of an even count; NaN for no values. */
export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = n >> 1;
  return n % 2 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2;
}

// The engine's: an empty list's mean is NaN (0 / 0), a single value's sd 0.
export { mean, standardDeviation as sampleStandardDeviation } from '../../../engine/metrics/summary';

/**
 * Area under the ROC curve of scores for positives against negatives, ties counted one half — the
 * Mann–Whitney U / (n₊ n₋), which is what sklearn's roc_auc_score computes (midranks of the pooled scores).
 */
export function rocAuc(positives: ArrayLike<number>, negatives: ArrayLike<number>): number {
  const np = positives.length;
  const nn = negatives.length;
  if (np === 0 || nn === 0) return NaN;
  const all = new Float64Array(np + nn);
  for (let i = 0; i < np; i++) all[i] = positives[i];
  for (let i = 0; i < nn; i++) all[np + i] = negatives[i];
  const order = Array.from({ length: all.length }, (_, i) => i).sort((a, b) => all[a] - all[b]);
  let rankSum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && all[order[end + 1]] === all[order[start]]) end++;
    const midrank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) if (order[k] < np) rankSum += midrank;
    start = end + 1;
  }
  return (rankSum - (np * (np + 1)) / 2) / (np * nn);
}

/** Ranks 1..n with ties given their average rank (scipy.stats.rankdata's 'average'). */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(n);
  for (let start = 0; start < n; ) {
    let end = start;
    while (end + 1 < n && values[order[end + 1]] === values[order[start]]) end++;
    const r = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k]] = r;
    start = end + 1;
  }
  return ranks;
}
