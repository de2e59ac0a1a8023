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
 * The real row each generated row starts from: `rowsPerClass` rows of each class when given (with a
 * class column), else `rows` rows cycling through all of train.
 */
export function sourceRows(train: Table, options: { rows?: number; rowsPerClass?: number; classColumn?: string | null }, rng: Rng): number[] {
  if (options.rowsPerClass !== undefined && options.classColumn) {
    const out: number[] = [];
    for (const rows of classRows(train, options.classColumn).values()) out.push(...cycleRows(rows, options.rowsPerClass, rng));
    return out;
  }
  return cycleRows(Array.from({ length: train.rowCount }, (_, i) => i), options.rows ?? train.rowCount, rng);
}
