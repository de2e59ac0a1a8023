import { breaksAny, compileConstraints, numericRow, sumExcess, type CompiledConstraints } from '../constraints/compile';
import { projectRow } from '../constraints/project';
import { hasConstraints, type Constraints } from '../constraints/types';
import { findColumn, isNumeric, presentRange, presentValues, type Table } from '../table';

/**
 * The alloy team's physics and QC metrics (docs/tabular.md) on a table (synthetic, or holdout for the floor). Each is
 * null when the table declares nothing it could measure (no sum group, no non-negative column, no
 * constraint, no numeric target, no class column): reported as not applicable.
 */

function compiled(constraints: Constraints, table: Table): CompiledConstraints {
  return compileConstraints(constraints, table, table.file ?? 'the constraints');
}

/** sum_error_max: the largest distance of a row's group sum outside its window (0 inside or within rounding). */
export function sumErrorMax(constraints: Constraints, table: Table): number | null {
  if (constraints.sumGroups.length === 0) return null;
  const c = compiled(constraints, table);
  const row = new Float64Array(table.columns.length);
  let worst = 0;
  for (let i = 0; i < table.rowCount; i++) {
    numericRow(table, i, row);
    for (const g of c.sumGroups) {
      const e = sumExcess(g, row);
      if (e > worst) worst = e;
    }
  }
  return worst;
}

/** negatives: the count of values below 0 in the declared non-negative columns. */
export function negatives(constraints: Constraints, table: Table): number | null {
  if (constraints.nonnegative.length === 0) return null;
  let count = 0;
  for (const { column } of constraints.nonnegative) {
    const c = findColumn(table, column);
    if (c && isNumeric(c)) for (const v of c.values) if (v < 0) count++;
  }
  return count;
}

/** constraint_violations: the count of rows breaking any declared constraint. */
export function constraintViolations(constraints: Constraints, table: Table): number | null {
  if (!hasConstraints(constraints)) return null;
  const c = compiled(constraints, table);
  const row = new Float64Array(table.columns.length);
  let count = 0;
  for (let i = 0; i < table.rowCount; i++) if (breaksAny(c, numericRow(table, i, row))) count++;
  return count;
}

/**
 * clip_rate: the share of rows in which the constraint projection changed at least one value. A
 * generator that projects its own output passes what it changed (`changed`, one flag per row); without
 * it the projection is run here on the table as given.
 */
export function clipRate(constraints: Constraints, table: Table, changed?: ArrayLike<number | boolean>): number | null {
  if (!hasConstraints(constraints)) return null;
  if (table.rowCount === 0) return 0;
  let count = 0;
  if (changed) {
    for (let i = 0; i < changed.length; i++) if (changed[i]) count++;
    return count / changed.length;
  }
  const c = compiled(constraints, table);
  const row = new Float64Array(table.columns.length);
  for (let i = 0; i < table.rowCount; i++) if (projectRow(c, numericRow(table, i, row))) count++;
  return count / table.rowCount;
}

/**
 * target_in_range: the share of rows whose (numeric) target lies in train's [min, max], over the rows
 * whose target is present. Null when there is no numeric target.
 */
export function targetInRange(train: Table, table: Table, target: string | null): number | null {
  if (target === null) return null;
  const t = findColumn(train, target);
  const s = findColumn(table, target);
  if (!t || !isNumeric(t) || !s || !isNumeric(s)) return null;
  const [min, max] = presentRange(t.values);
  const present = presentValues(s.values);
  if (present.length === 0) return 0;
  let inside = 0;
  for (const v of present) if (v >= min && v <= max) inside++;
  return inside / present.length;
}

/**
 * class_balance_ratio: the largest over the smallest count of train's classes among the table's rows
 * (a class train has and the table lacks makes it Infinity). The class column is the group column,
 * else a categorical target; null without one.
 */
export function classBalanceRatio(train: Table, table: Table, classColumn: string | null): number | null {
  if (classColumn === null) return null;
  const t = findColumn(train, classColumn);
  const s = findColumn(table, classColumn);
  if (!t || !s) return null;
  const key = (v: number | string | null) => (v === null || (typeof v === 'number' && Number.isNaN(v)) ? null : String(v));
  const counts = new Map<string, number>();
  for (const v of t.values) {
    const k = key(v);
    if (k !== null) counts.set(k, 0);
  }
  for (const v of s.values) {
    const k = key(v);
    if (k !== null && counts.has(k)) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const values = [...counts.values()];
  if (values.length === 0) return null;
  const max = Math.max(...values);
  const min = Math.min(...values);
  return min === 0 ? Infinity : max / min;
}
