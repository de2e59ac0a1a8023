import { TabularInputError } from '../tabularInputError';
import { columnIndex, isNumeric, type Table } from '../table';
import { compare } from './expression';
import type { Constraints, InequalityOp, RuleOp } from './types';

/**
 * Constraints bound to a table's column positions, and the per-row checks every user of them shares
 * (validation of the real rows, the physics metrics, the projection). Rows are read as a Float64Array
 * over all columns (categorical columns NaN); a constraint whose cells are missing on a row is not
 * judged on that row.
 *
 * Float rounding: a non-strict comparison or a window holds within slack(x) = 1e-9 · max(1, |x|) of
 * its bound — sums of decimal fractions (13.64 + 4.49 + …) miss their exact decimal value by ~1e-14,
 * and no physical rule is meant at 1e-9 relative; strict comparisons (`<`, `>`) and derived rules are
 * exact, because on whole numbers a tie is a real answer; so is non-negativity (the negatives metric
 * counts every value below 0, and the projection clips to exactly 0).
 */
export interface CompiledConstraints {
  readonly constraints: Constraints;
  readonly sumGroups: ReadonlyArray<{ label: string; columns: Int32Array; low: number; high: number }>;
  readonly bounds: ReadonlyArray<{ label: string; column: number; low: number; high: number }>;
  readonly nonnegative: ReadonlyArray<{ label: string; column: number }>;
  readonly inequalities: ReadonlyArray<{ label: string; left: number; op: InequalityOp; right: number }>;
  readonly derived: ReadonlyArray<{ label: string; column: number; left: CompiledOperand; op: RuleOp; right: CompiledOperand }>;
  /** Number of columns of the table the rows come from. */
  readonly width: number;
}

export type CompiledOperand = { column: number } | { value: number };

export const RELATIVE_SLACK = 1e-9;

export function slack(...values: number[]): number {
  let m = 1;
  for (const v of values) m = Math.max(m, Math.abs(v));
  return RELATIVE_SLACK * m;
}

/** Binds constraints to `table`'s columns; a missing or non-numeric column is bad input naming both. */
export function compileConstraints(constraints: Constraints, table: Table, file: string): CompiledConstraints {
  const bind = (label: string, name: string): number => {
    const j = columnIndex(table, name);
    if (j < 0) throw new TabularInputError(file, `names the column ${JSON.stringify(name)}, which the table does not have`, { constraint: label });
    if (!isNumeric(table.columns[j])) throw new TabularInputError(file, `the column ${name} is ${table.columns[j].type}, and constraints apply to numeric columns`, { constraint: label });
    return j;
  };
  const bindOperand = (label: string, o: { column: string } | { value: number }): CompiledOperand => ('column' in o ? { column: bind(label, o.column) } : { value: o.value });
  return {
    constraints,
    width: table.columns.length,
    sumGroups: constraints.sumGroups.map((g) => ({ label: g.label, columns: Int32Array.from(g.columns.map((c) => bind(g.label, c))), low: g.low, high: g.high })),
    bounds: constraints.bounds.map((b) => ({ label: b.label, column: bind(b.label, b.column), low: b.low ?? -Infinity, high: b.high ?? Infinity })),
    nonnegative: constraints.nonnegative.map((b) => ({ label: b.label, column: bind(b.label, b.column) })),
    inequalities: constraints.inequalities.map((q) => ({ label: q.label, left: bind(q.label, q.left), op: q.op, right: bind(q.label, q.right) })),
    derived: constraints.derived.map((d) => ({ label: d.label, column: bind(d.label, d.column), left: bindOperand(d.label, d.left), op: d.op, right: bindOperand(d.label, d.right) })),
  };
}

/** Row i of a table over all its columns (numeric values; NaN for missing and categorical cells). */
export function numericRow(table: Table, i: number, out: Float64Array = new Float64Array(table.columns.length)): Float64Array {
  table.columns.forEach((c, j) => (out[j] = isNumeric(c) ? c.values[i] : NaN));
  return out;
}

/** Σ of a group's cells on a row (NaN when one is missing). */
export function groupSum(columns: Int32Array, row: Float64Array): number {
  let s = 0;
  for (let k = 0; k < columns.length; k++) s += row[columns[k]];
  return s;
}

/** How far a row's group sum lies outside [low, high]: 0 inside or within rounding, NaN when missing. */
export function sumExcess(group: { columns: Int32Array; low: number; high: number }, row: Float64Array): number {
  const s = groupSum(group.columns, row);
  if (Number.isNaN(s)) return NaN;
  if (s < group.low - slack(group.low)) return group.low - s;
  if (s > group.high + slack(group.high)) return s - group.high;
  return 0;
}

export function boundBroken(b: { column: number; low: number; high: number }, row: Float64Array): boolean {
  const v = row[b.column];
  return v < b.low - slack(b.low) || v > b.high + slack(b.high);
}

export function inequalityHolds(op: InequalityOp, a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return true;
  if (op === '<=') return a <= b + slack(a, b);
  if (op === '>=') return a + slack(a, b) >= b;
  return compare(a, op, b);
}

export function operandValue(o: CompiledOperand, row: Float64Array): number {
  return 'column' in o ? row[o.column] : o.value;
}

/** What a derived column must hold on a row: 1 or 0, or NaN when the rule cannot be judged. */
export function derivedValue(d: CompiledConstraints['derived'][number], row: Float64Array): number {
  const a = operandValue(d.left, row);
  const b = operandValue(d.right, row);
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  return compare(a, d.op, b) ? 1 : 0;
}

/** The first constraint a row breaks, with the cells that show it, or null when it breaks none. */
export function firstViolation(compiled: CompiledConstraints, row: Float64Array, names: readonly string[]): { label: string; detail: string } | null {
  const show = (j: number) => `${names[j]} = ${row[j]}`;
  for (const g of compiled.sumGroups) {
    const excess = sumExcess(g, row);
    if (excess > 0) return { label: g.label, detail: `its sum ${groupSum(g.columns, row)} lies outside [${g.low}, ${g.high}]` };
  }
  for (const b of compiled.bounds) if (boundBroken(b, row)) return { label: b.label, detail: `${show(b.column)} lies outside [${b.low}, ${b.high}]` };
  for (const b of compiled.nonnegative) if (row[b.column] < 0) return { label: b.label, detail: `${show(b.column)} is negative` };
  for (const q of compiled.inequalities) {
    if (!inequalityHolds(q.op, row[q.left], row[q.right])) return { label: q.label, detail: `${show(q.left)}, ${show(q.right)}` };
  }
  for (const d of compiled.derived) {
    const want = derivedValue(d, row);
    const have = row[d.column];
    if (!Number.isNaN(want) && !Number.isNaN(have) && have !== want) {
      const sides = [d.left, d.right].filter((o): o is { column: number } => 'column' in o).map((o) => show(o.column));
      return { label: d.label, detail: `${show(d.column)} but the rule gives ${want} (${sides.join(', ')})` };
    }
  }
  return null;
}

/** Whether a row breaks any constraint. */
export function breaksAny(compiled: CompiledConstraints, row: Float64Array): boolean {
  for (const g of compiled.sumGroups) if (sumExcess(g, row) > 0) return true;
  for (const b of compiled.bounds) if (boundBroken(b, row)) return true;
  for (const b of compiled.nonnegative) if (row[b.column] < 0) return true;
  for (const q of compiled.inequalities) if (!inequalityHolds(q.op, row[q.left], row[q.right])) return true;
  for (const d of compiled.derived) {
    const want = derivedValue(d, row);
    if (!Number.isNaN(want) && !Number.isNaN(row[d.column]) && row[d.column] !== want) return true;
  }
  return false;
}
