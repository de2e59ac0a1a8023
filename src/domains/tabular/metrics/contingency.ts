import type { AlignedTable } from './columns';
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

/**
 * Each metric column of a table as a category code per row: a numeric column's bin (0..9), its missing
 * cells code 10; a categorical column's values coded by `codes` (shared between the tables compared, so
 * equal categories have equal codes), missing its own code. Integer codes instead of text keys: a large
 * table's pairs are counted in arrays, not maps of strings.
 */
function categoryCodes(table: AlignedTable, edges: readonly Float64Array[], codes: Array<Map<string | null, number>>): Int32Array[] {
  const numeric = table.numeric.map((column, k) => Int32Array.from(column.values, (v) => (Number.isNaN(v) ? CONTINGENCY_BINS : binOf(edges[k], v))));
  const categorical = table.categorical.map((column, k) =>
    Int32Array.from(column.values, (v) => {
      let code = codes[k].get(v);
      if (code === undefined) {
        code = codes[k].size;
        codes[k].set(v, code);
      }
      return code;
    }),
  );
  return [...numeric, ...categorical];
}

/** Joint counts of two coded columns, by cell a·levelsB + b. */
function jointCounts(a: Int32Array, b: Int32Array, levelsB: number): Map<number, number> {
  const counts = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    const cell = a[i] * levelsB + b[i];
    counts.set(cell, (counts.get(cell) ?? 0) + 1);
  }
  return counts;
}

/** Σ over cells of |p/n − q/m| for joint counts p of n rows and q of m rows. */
function countDifference(p: Map<number, number>, n: number, q: Map<number, number>, m: number): number {
  let sum = 0;
  for (const [cell, c] of p) sum += Math.abs(c / n - (q.get(cell) ?? 0) / m);
  for (const [cell, c] of q) if (!p.has(cell)) sum += c / m;
  return sum;
}

/** Pairs with at most this many cells are counted in arrays (the usual case: 11 × 11 for two numeric columns). */
const DENSE_CELLS = 1 << 16;

/**
 * contingency_similarity: the mean over all pairs of metric columns (numeric and categorical) of
 * 1 − ½ Σ |Δ| of their joint frequencies, numeric columns in 10 equal-width bins of train's range, a
 * missing cell a category of its own. Null with fewer than two columns.
 */
export function contingencySimilarity(train: AlignedTable, synthetic: AlignedTable): number | null {
  const edges = contingencyEdges(train);
  const codes = train.categorical.map(() => new Map<string | null, number>());
  const kt = categoryCodes(train, edges, codes);
  const ks = categoryCodes(synthetic, edges, codes);
  const levels = [...train.numeric.map(() => CONTINGENCY_BINS + 1), ...codes.map((m) => Math.max(1, m.size))];
  const c = kt.length;
  if (c < 2) return null;
  let total = 0;
  let pairs = 0;
  for (let i = 0; i < c; i++) {
    for (let j = i + 1; j < c; j++) {
      const size = levels[i] * levels[j];
      let sum = 0;
      if (size <= DENSE_CELLS) {
        const p = new Float64Array(size);
        const q = new Float64Array(size);
        for (let r = 0; r < train.rowCount; r++) p[kt[i][r] * levels[j] + kt[j][r]]++;
        for (let r = 0; r < synthetic.rowCount; r++) q[ks[i][r] * levels[j] + ks[j][r]]++;
        for (let k = 0; k < size; k++) if (p[k] > 0 || q[k] > 0) sum += Math.abs(p[k] / train.rowCount - q[k] / synthetic.rowCount);
      } else sum = countDifference(jointCounts(kt[i], kt[j], levels[j]), train.rowCount, jointCounts(ks[i], ks[j], levels[j]), synthetic.rowCount);
      total += 1 - sum / 2;
      pairs++;
    }
  }
  return total / pairs;
}
