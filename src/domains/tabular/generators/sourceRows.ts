import type { Rng } from '../../../engine/random/rng';
import { columnIndex, type Table } from '../table';

/** Train rows grouped by a class column's value (missing its own class), classes in order of first appearance. */
export function classRows(table: Table, classColumn: string): Map<string, number[]> {
  const j = columnIndex(table, classColumn);
  if (j < 0) throw new Error(`classRows: no column ${classColumn}`);
  const values = table.columns[j].values;
  const groups = new Map<string, number[]>();
  for (let i = 0; i < table.rowCount; i++) {
    const v = values[i];
    const key = v === null || (typeof v === 'number' && Number.isNaN(v)) ? '\u0000missing' : String(v);
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  }
  return groups;
}

function shuffled(rows: readonly number[], rng: Rng): number[] {
  const out = rows.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** `count` rows cycling through `rows`, each pass in a fresh seeded order (every row used ⌊count/n⌋ or ⌈count/n⌉ times). */
export function cycleRows(rows: readonly number[], count: number, rng: Rng): number[] {
  const out: number[] = [];
  if (rows.length === 0) return out;
  while (out.length < count) out.push(...shuffled(rows, rng).slice(0, count - out.length));
  return out;
}

/**
 * Rows per class for `total` rows over classes of `sizes` train rows, with balance α ∈ [0, 1]: class c's
 * share is n_c^(1−α) / Σ n^(1−α) (α = 0: train's shares; α = 1: equal), rounded by the largest
 * remainder (ties: the earlier class) so that the counts add up to `total`. When α > 0 and there are at
 * least as many rows as classes, every class gets one row at least (taken from the largest count): a
 * balanced table that loses a class is not balanced.
 */
export function classQuotas(sizes: readonly number[], total: number, balance: number): number[] {
  const alpha = Math.min(1, Math.max(0, balance));
  const weights = sizes.map((n) => Math.pow(n, 1 - alpha));
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w * total) / sum);
  const counts = exact.map(Math.floor);
  const order = exact.map((_, g) => g).sort((a, b) => exact[b] - counts[b] - (exact[a] - counts[a]) || a - b);
  for (let left = total - counts.reduce((a, b) => a + b, 0), k = 0; left > 0; left--, k++) counts[order[k % order.length]]++;
  if (alpha > 0 && total >= sizes.length) {
    for (let g = 0; g < counts.length; g++) {
      if (counts[g] > 0) continue;
      const largest = counts.indexOf(Math.max(...counts));
      counts[largest]--;
      counts[g]++;
    }
  }
  return counts;
}

/**
 * The real row each generated row starts from: `rowsPerClass` rows of each class when given (with a
 * class column); else, with a class column and a class balance above 0, each class's classQuotas share
 * of `rows`, cycling through that class's rows; else `rows` rows cycling through all of train.
 */
export function sourceRows(train: Table, options: { rows?: number; rowsPerClass?: number; classColumn?: string | null; classBalance?: number }, rng: Rng): number[] {
  if (options.rowsPerClass !== undefined && options.classColumn) {
    const out: number[] = [];
    for (const rows of classRows(train, options.classColumn).values()) out.push(...cycleRows(rows, options.rowsPerClass, rng));
    return out;
  }
  const total = options.rows ?? train.rowCount;
  if (options.classColumn && (options.classBalance ?? 0) > 0) {
    const classes = [...classRows(train, options.classColumn).values()];
    const quotas = classQuotas(classes.map((rows) => rows.length), total, options.classBalance as number);
    const out: number[] = [];
    classes.forEach((rows, g) => out.push(...cycleRows(rows, quotas[g], rng)));
    return out;
  }
  return cycleRows(Array.from({ length: train.rowCount }, (_, i) => i), total, rng);
}
