/**
 * A table as the tabular domain holds it: columns in file order, each typed. Missing cells stay missing
 * (NaN in a numeric column, null in a categorical one); nothing is ever filled silently.
 *
 * Types (docs/tabular.md): a column whose present values are all numbers is numeric — `integer` when every
 * value is whole (it stays integer in a synthetic table), else `continuous`; anything else is
 * `categorical`. `boolean` (two values at most) is only ever chosen by an override.
 * Roles say what a column is for: `feature` (the default), `target` (what a model would predict:
 * `target_in_range`, and the classes of `class_balance_ratio` when it is categorical), `group` (a class or
 * experiment column: stratifies the split, defines the classes) and `id` (a row label: left out of every
 * metric, since it is unique by construction).
 */
export type NumericType = 'continuous' | 'integer';
export type CategoricalType = 'categorical' | 'boolean';
export type ColumnType = NumericType | CategoricalType;
export type ColumnRole = 'feature' | 'target' | 'group' | 'id';

export const COLUMN_TYPES: readonly ColumnType[] = ['continuous', 'integer', 'categorical', 'boolean'];
export const COLUMN_ROLES: readonly ColumnRole[] = ['feature', 'target', 'group', 'id'];

export interface NumericColumn {
  readonly name: string;
  readonly type: NumericType;
  readonly role: ColumnRole;
  /** One value per row; NaN is a missing cell. */
  readonly values: Float64Array;
  /** The most decimal places a value of the source file was written with (output precision). */
  readonly decimals: number;
}

export interface CategoricalColumn {
  readonly name: string;
  readonly type: CategoricalType;
  readonly role: ColumnRole;
  /** One value per row; null is a missing cell. */
  readonly values: ReadonlyArray<string | null>;
}

export type Column = NumericColumn | CategoricalColumn;

export interface Table {
  readonly columns: readonly Column[];
  readonly rowCount: number;
  /**
   * For a table read from a file: each row's record number in that file (the header is row 1), so a
   * message can point at the row a user sees. Absent for generated tables.
   */
  readonly fileRows?: Int32Array;
  /** The file the table was read from, for messages. */
  readonly file?: string;
}

export function isNumeric(column: Column): column is NumericColumn {
  return column.type === 'continuous' || column.type === 'integer';
}

export function isCategorical(column: Column): column is CategoricalColumn {
  return column.type === 'categorical' || column.type === 'boolean';
}

export function columnIndex(table: Table, name: string): number {
  return table.columns.findIndex((c) => c.name === name);
}

export function findColumn(table: Table, name: string): Column | undefined {
  return table.columns.find((c) => c.name === name);
}

/** The row number to show a user for row index i (the file's record number when the table has one). */
export function displayRow(table: Table, i: number): number {
  return table.fileRows ? table.fileRows[i] : i + 1;
}

/** The columns every metric reads: all but `id` columns. */
export function metricColumns(table: Table): Column[] {
  return table.columns.filter((c) => c.role !== 'id');
}

/** The rows at `indices`, in that order (a new table; file rows follow when the source has them). */
export function takeRows(table: Table, indices: ArrayLike<number>): Table {
  const n = indices.length;
  const columns = table.columns.map((column): Column => {
    if (isNumeric(column)) {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = column.values[indices[i]];
      return { ...column, values };
    }
    const values = new Array<string | null>(n);
    for (let i = 0; i < n; i++) values[i] = column.values[indices[i]];
    return { ...column, values };
  });
  const out: { columns: Column[]; rowCount: number; fileRows?: Int32Array; file?: string } = { columns, rowCount: n };
  if (table.fileRows) {
    const fileRows = new Int32Array(n);
    for (let i = 0; i < n; i++) fileRows[i] = table.fileRows[indices[i]];
    out.fileRows = fileRows;
  }
  if (table.file !== undefined) out.file = table.file;
  return out;
}

/** [min, max] of the present values ([Infinity, −Infinity] when none is present). */
export function presentRange(values: ArrayLike<number>): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return [min, max];
}

/** Present values of a numeric column, in row order. */
export function presentValues(values: Float64Array): Float64Array {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) count++;
  if (count === values.length) return values;
  const out = new Float64Array(count);
  let o = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) out[o++] = values[i];
  return out;
}
