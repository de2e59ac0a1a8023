import { compileConstraints, groupSum, numericRow, sumExcess, type CompiledConstraints } from '../constraints/compile';
import { writtenPlaces } from '../csv/writeTable';
import { projectTable } from '../constraints/project';
import { hasConstraints, type Constraints } from '../constraints/types';
import { isNumeric, type Column, type NumericColumn, type Table } from '../table';

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
 * docs/tabular.md), the rows projected onto the constraints (counting the rows changed), then every
 * numeric cell rounded to the places the CSV writes (writtenPlaces) so that the metrics measure the table
 * as written, and a sum group that rounding pushed out of its window brought back (roundAsWritten).
 */
export function finishTable(columns: Column[], rowCount: number, constraints: Constraints | undefined): GeneratedTable {
  const rounded = columns.map((c) => (isNumeric(c) && c.type === 'integer' ? { ...c, values: c.values.map((v) => Math.round(v)) } : c));
  const table: Table = { columns: rounded, rowCount };
  if (!constraints || !hasConstraints(constraints)) return { table: roundAsWritten(table, null), clipped: new Uint8Array(rowCount), clipRate: 0 };
  const compiled = compileConstraints(constraints, table, 'constraints');
  const projected = projectTable(compiled, table);
  return { table: roundAsWritten(projected.table, compiled), clipped: projected.changed, clipRate: projected.clipRate };
}

/**
 * The table rounded as the CSV writes it. Rounding each part of a sum group to its written unit u_j can
 * move the row sum by up to Σ u_j / 2 — out of a window the projection had reached (eight oxides at 0.001
 * move a sum by up to 0.004). Such a row's largest part takes the difference, in whole units of its own
 * written precision toward the inside of the window, so the written row obeys the group too. A part that
 * would turn negative is left as it is (the metrics count the violation).
 */
function roundAsWritten(table: Table, compiled: CompiledConstraints | null): Table {
  const columns = table.columns.map((c): Column => {
    if (!isNumeric(c)) return c;
    const places = writtenPlaces(c);
    return { ...c, values: c.values.map((v) => roundTo(v, places)) };
  });
  const out: Table = { ...table, columns };
  if (!compiled || compiled.sumGroups.length === 0) return out;
  const row = new Float64Array(columns.length);
  for (let i = 0; i < table.rowCount; i++) {
    numericRow(out, i, row);
    for (const g of compiled.sumGroups) {
      if (!(sumExcess(g, row) > 0)) continue;
      const sum = groupSum(g.columns, row);
      let largest = g.columns[0];
      for (const j of g.columns) if (row[j] > row[largest]) largest = j;
      const column = columns[largest] as NumericColumn;
      const scale = 10 ** writtenPlaces(column);
      const units = ((sum < g.low ? g.low : g.high) - sum) * scale;
      const steps = sum < g.low ? Math.ceil(units - 1e-6) : Math.floor(units + 1e-6);
      const value = roundTo(row[largest] + steps / scale, writtenPlaces(column));
      if (value < 0) continue;
      column.values[i] = value;
      row[largest] = value;
    }
  }
  return out;
}

/**
 * v rounded to `places` decimals, the double the CSV's text reads back as. Up to 9 places through
 * round(v·10^p)/10^p — exact there (v·10^p stays far below 2^53 for the values of a table), and it keeps a
 * value already written with fewer places bit for bit; beyond, through the text itself, since v·10^p
 * would lose the digits it rounds.
 */
function roundTo(v: number, places: number): number {
  if (!Number.isFinite(v)) return v;
  if (places <= 9) {
    const scale = 10 ** places;
    return Math.round(v * scale) / scale;
  }
  return Number(v.toFixed(Math.min(places, 100)));
}

/** A fresh id per generated row for `id` columns (real ids are never copied into a synthetic table). */
export function syntheticIds(column: Column, rowCount: number): Column {
  if (isNumeric(column)) return { ...column, values: Float64Array.from({ length: rowCount }, (_, i) => i + 1) };
  return { ...column, values: Array.from({ length: rowCount }, (_, i) => `synthetic-${i + 1}`) };
}
