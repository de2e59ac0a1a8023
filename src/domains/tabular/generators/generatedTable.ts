import { compileConstraints } from '../constraints/compile';
import { projectTable } from '../constraints/project';
import { hasConstraints, type Constraints } from '../constraints/types';
import { isNumeric, type Column, type Table } from '../table';

/** What a generator returns: the table, and which rows the constraint projection changed (clip_rate). */
export interface GeneratedTable {
  table: Table;
  /** 1 for each row the projection changed. */
  clipped: Uint8Array;
  clipRate: number;
}

/** The options every generator shares. */
export interface GenerateOptions {
  /** Total rows (default: as many as train). Ignored when `rowsPerClass` is given. */
  rows?: number;
  /** Rows per class of `classColumn` (per-class generation, as the alloy team's pipeline does: every class kept, balanced). */
  rowsPerClass?: number;
  /** The class/group column: per-class generation and the class-conditional parts of a generator. */
  classColumn?: string | null;
  /**
   * With a class column and no `rowsPerClass`: how far the `rows` are shared out evenly between the
   * classes, α ∈ [0, 1] — class c gets rows ∝ n_c^(1−α) (classQuotas): 0 (the default) keeps train's
   * class shares, 1 gives every class the same count, and in between the largest-to-smallest ratio is
   * (n_max/n_min)^(1−α).
   */
  classBalance?: number;
  /** Constraints to project every generated row onto (validated against the real rows beforehand). */
  constraints?: Constraints;
  seed: number;
}

/**
 * The last steps every generator shares: integer columns rounded to whole numbers (they stay integer,
 * docs/tabular.md), the rows projected onto the constraints (counting the rows changed), and integer columns
 * rounded again where the projection moved them off whole numbers (a renormalised or repaired integer
 * cell; the metrics count any constraint this breaks).
 */
export function finishTable(columns: Column[], rowCount: number, constraints: Constraints | undefined): GeneratedTable {
  const rounded = columns.map((c) => (isNumeric(c) && c.type === 'integer' ? { ...c, values: c.values.map((v) => Math.round(v)) } : c));
  const table: Table = { columns: rounded, rowCount };
  if (!constraints || !hasConstraints(constraints)) return { table, clipped: new Uint8Array(rowCount), clipRate: 0 };
  const projected = projectTable(compileConstraints(constraints, table, 'constraints'), table);
  const columnsOut = projected.table.columns.map((c) => (isNumeric(c) && c.type === 'integer' ? { ...c, values: c.values.map((v) => Math.round(v)) } : c));
  return { table: { columns: columnsOut, rowCount }, clipped: projected.changed, clipRate: projected.clipRate };
}

/** A fresh id per generated row for `id` columns (real ids are never copied into a synthetic table). */
export function syntheticIds(column: Column, rowCount: number): Column {
  if (isNumeric(column)) return { ...column, values: Float64Array.from({ length: rowCount }, (_, i) => i + 1) };
  return { ...column, values: Array.from({ length: rowCount }, (_, i) => `synthetic-${i + 1}`) };
}
