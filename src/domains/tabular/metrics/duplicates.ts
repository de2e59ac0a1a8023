import type { AlignedTable } from './columns';
import type { EncodedRows } from './rowDistance';

/** A row's exact identity across the metric columns (missing equals missing; 1 and 1.0 alike). */
function rowKey(table: AlignedTable, i: number): string {
  const parts: string[] = [];
  for (const c of table.numeric) parts.push(String(c.values[i]));
  for (const c of table.categorical) parts.push(c.values[i] === null ? '\u0000' : JSON.stringify(c.values[i]));
  return parts.join('\u0001');
}

/** dup_rate: the share of synthetic rows equal to some train row in every column. */
export function dupRate(train: AlignedTable, synthetic: AlignedTable): number {
  const keys = new Set<string>();
  for (let i = 0; i < train.rowCount; i++) keys.add(rowKey(train, i));
  let count = 0;
  for (let i = 0; i < synthetic.rowCount; i++) if (keys.has(rowKey(synthetic, i))) count++;
  return synthetic.rowCount > 0 ? count / synthetic.rowCount : 0;
}

/** The numeric tolerance of new_row_synthesis: a value matches when |Δ| ≤ 0.01·|synthetic value| (SDMetrics). */
export const NEW_ROW_TOLERANCE = 0.01;

/**
 * new_row_synthesis: the share of synthetic rows matching no train row, where a row matches when every
 * numeric cell is within 1 % of the synthetic value (|Δ| ≤ 0.01·|v|) and every categorical cell is
 * equal (missing matches missing only). Rows are encoded in one distance space (equal codes, equal
 * categories).
 */
export function newRowSynthesis(train: EncodedRows, synthetic: EncodedRows): number {
  const p = train.numericWidth;
  const q = train.categoricalWidth;
  let fresh = 0;
  for (let i = 0; i < synthetic.count; i++) {
    let matched = false;
    for (let r = 0; r < train.count && !matched; r++) {
      let same = true;
      for (let j = 0; j < p && same; j++) {
        const v = synthetic.numeric[i * p + j];
        const t = train.numeric[r * p + j];
        const vm = Number.isNaN(v);
        const tm = Number.isNaN(t);
        same = vm || tm ? vm && tm : Math.abs(t - v) <= NEW_ROW_TOLERANCE * Math.abs(v);
      }
      for (let j = 0; j < q && same; j++) same = synthetic.categorical[i * q + j] === train.categorical[r * q + j];
      matched = same;
    }
    if (!matched) fresh++;
  }
  return synthetic.count > 0 ? fresh / synthetic.count : 0;
}
