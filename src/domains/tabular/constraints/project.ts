import { isNumeric, type Column, type Table } from '../table';
import { boundBroken, derivedValue, groupSum, inequalityHolds, numericRow, slack, sumExcess, type CompiledConstraints } from './compile';

/** Rounds of clip → renormalise → repair before giving up on a row (its violation is then counted). */
const MAX_ROUNDS = 50;

/**
 * Moves a row onto the declared constraints, in place; returns whether any value changed (clip_rate,
 * docs/tabular.md, counts the rows where it did). One round, repeated until a round changes nothing:
 *  1. bounds and non-negativity: clip each value into its interval;
 *  2. sum groups: a row sum outside [low, high] is scaled to the nearer end (every part multiplied by
 *     end/sum — renormalising keeps the composition's proportions and its zeros; an all-zero group is
 *     spread evenly);
 *  3. inequalities: a broken `A <= B` sets both to their midpoint (the nearest point that obeys, in the
 *     Euclidean sense); a strict one leaves a gap of slack(midpoint) between them;
 *  4. derived columns: set to 1 where their rule holds, else 0.
 * Each step acts only on a violation beyond float rounding, so a row that already obeys is untouched.
 * Steps can undo each other (a renormalised part may leave its bounds); the alternation converges in a
 * few rounds on consistent constraints, and a row still breaking after 50 is left as it is.
 */
export function projectRow(compiled: CompiledConstraints, row: Float64Array): boolean {
  const original = Float64Array.from(row);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let moved = false;
    for (const b of compiled.bounds) {
      if (boundBroken(b, row)) {
        row[b.column] = Math.min(b.high, Math.max(b.low, row[b.column]));
        moved = true;
      }
    }
    for (const b of compiled.nonnegative) {
      if (row[b.column] < 0) {
        row[b.column] = 0;
        moved = true;
      }
    }
    for (const g of compiled.sumGroups) {
      if (!(sumExcess(g, row) > 0)) continue;
      const s = groupSum(g.columns, row);
      const target = s < g.low ? g.low : g.high;
      if (s > 0) for (const j of g.columns) row[j] *= target / s;
      else for (const j of g.columns) row[j] = target / g.columns.length;
      moved = true;
    }
    for (const q of compiled.inequalities) {
      const a = row[q.left];
      const b = row[q.right];
      if (inequalityHolds(q.op, a, b)) continue;
      const mid = (a + b) / 2;
      const gap = q.op === '<' || q.op === '>' ? slack(mid) : 0;
      const lowSide = q.op === '<=' || q.op === '<' ? q.left : q.right;
      const highSide = lowSide === q.left ? q.right : q.left;
      row[lowSide] = mid - gap;
      row[highSide] = mid + gap;
      moved = true;
    }
    for (const d of compiled.derived) {
      const want = derivedValue(d, row);
      if (!Number.isNaN(want) && row[d.column] !== want) {
        row[d.column] = want;
        moved = true;
      }
    }
    if (!moved) break;
  }
  for (let j = 0; j < row.length; j++) if (!Object.is(row[j], original[j]) && !(Number.isNaN(row[j]) && Number.isNaN(original[j]))) return true;
  return false;
}

export interface ProjectedTable {
  table: Table;
  /** 1 for each row the projection changed. */
  changed: Uint8Array;
  /** Share of rows changed (clip_rate). */
  clipRate: number;
}

/** projectRow over every row of a table (a new table; the input is not modified). */
export function projectTable(compiled: CompiledConstraints, table: Table): ProjectedTable {
  const columns = table.columns.map((c): Column => (isNumeric(c) ? { ...c, values: Float64Array.from(c.values) } : c));
  const row = new Float64Array(columns.length);
  const changed = new Uint8Array(table.rowCount);
  let count = 0;
  const out: Table = { ...table, columns };
  for (let i = 0; i < table.rowCount; i++) {
    numericRow(out, i, row);
    if (projectRow(compiled, row)) {
      changed[i] = 1;
      count++;
      columns.forEach((c, j) => {
        if (isNumeric(c)) c.values[i] = row[j];
      });
    }
  }
  return { table: out, changed, clipRate: table.rowCount > 0 ? count / table.rowCount : 0 };
}
