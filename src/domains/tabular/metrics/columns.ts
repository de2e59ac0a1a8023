import { TabularInputError } from '../tabularInputError';
import { isCategorical, isNumeric, metricColumns, type CategoricalColumn, type Column, type NumericColumn, type Table } from '../table';

/**
 * The columns the metrics compare, fixed by the training table: every column but `id` ones, split into
 * numeric and categorical, in file order. Another table (synthetic, holdout) is read through it by
 * column name; it must have each of these columns with the same kind of values.
 */
export interface MetricColumns {
  readonly names: readonly string[];
  readonly numeric: readonly string[];
  readonly categorical: readonly string[];
}

export function metricColumnsOf(train: Table): MetricColumns {
  const columns = metricColumns(train);
  return {
    names: columns.map((c) => c.name),
    numeric: columns.filter(isNumeric).map((c) => c.name),
    categorical: columns.filter(isCategorical).map((c) => c.name),
  };
}

/** One table's columns in the order of `columns` (numeric, categorical), checked. */
export interface AlignedTable {
  readonly rowCount: number;
  readonly numeric: readonly NumericColumn[];
  readonly categorical: readonly CategoricalColumn[];
}

export function align(columns: MetricColumns, table: Table, role = 'synthetic'): AlignedTable {
  const byName = new Map<string, Column>(table.columns.map((c) => [c.name, c]));
  const file = table.file ?? `the ${role} table`;
  const get = (name: string, numeric: boolean): Column => {
    const c = byName.get(name);
    if (!c) throw new TabularInputError(file, `the ${role} table lacks this column of the real table`, { column: name });
    if (isNumeric(c) !== numeric) throw new TabularInputError(file, `the ${role} table holds ${c.type} values here, the real table ${numeric ? 'numbers' : 'categories'}`, { column: name });
    return c;
  };
  return {
    rowCount: table.rowCount,
    numeric: columns.numeric.map((n) => get(n, true) as NumericColumn),
    categorical: columns.categorical.map((n) => get(n, false) as CategoricalColumn),
  };
}
