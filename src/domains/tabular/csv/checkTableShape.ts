import { TabularInputError } from '../tabularInputError';
import { metricColumns, type Table } from '../table';

/**
 * A table a calibration can work with: at least two data rows, and more rows than (non-id) columns — with
 * fewer, the correlation matrix is singular, every row is its own nearest neighbour's outlier and a
 * train/holdout split leaves nothing to compare.
 */
export function checkTableShape(table: Table, file: string): void {
  if (table.rowCount < 2) {
    throw new TabularInputError(file, `the table has ${table.rowCount === 0 ? 'no data rows' : 'a single data row'}: a calibration needs at least two (and more rows than columns)`);
  }
  const columns = metricColumns(table).length;
  if (columns >= table.rowCount) {
    throw new TabularInputError(file, `the table has ${columns} columns but only ${table.rowCount} rows: it needs more rows than columns for its correlations and distances to mean anything`);
  }
}
