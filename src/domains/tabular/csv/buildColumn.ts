import { TabularInputError } from '../tabularInputError';
import type { Column, ColumnRole, ColumnType } from '../table';
import { isMissingCell, numeralDecimals, numeralValue } from './cells';

export interface ColumnCells {
  readonly name: string;
  /** Trimmed cell texts, one per data row. */
  readonly cells: readonly string[];
  /** Each data row's record number in the file (header = 1). */
  readonly fileRows: Int32Array;
}

export interface ColumnChoice {
  /** An override of the inferred type. */
  type?: ColumnType;
  role?: ColumnRole;
  decimalComma: boolean;
  file: string;
}

/** A boolean column holds two distinct values at most. */
const BOOLEAN_LEVELS = 2;

/**
 * One typed column from its cells. Inference (docs/tabular.md): numeric when every present value is a number,
 * integer when every one is also whole, else categorical; a column with no present value at all is bad
 * input (nothing can be learned or generated from it). An override is honoured only when the cells
 * allow it: `integer` needs whole numbers, `continuous` numbers, `boolean` two distinct values at most;
 * `categorical` is always possible and keeps each cell's text as written.
 */
export function buildColumn({ name, cells, fileRows }: ColumnCells, choice: ColumnChoice): Column {
  const role = choice.role ?? 'feature';
  const n = cells.length;
  const values = new Float64Array(n);
  let present = 0;
  let numeric = true;
  let whole = true;
  let decimals = 0;
  let firstNonNumber = -1;
  let firstFraction = -1;
  for (let i = 0; i < n; i++) {
    const cell = cells[i];
    if (isMissingCell(cell)) {
      values[i] = NaN;
      continue;
    }
    present++;
    if (!numeric) continue;
    const places = numeralDecimals(cell, choice.decimalComma);
    const value = places < 0 ? NaN : numeralValue(cell, choice.decimalComma);
    if (!Number.isFinite(value)) {
      firstNonNumber = i;
      numeric = false;
      continue;
    }
    values[i] = value;
    if (places > decimals) decimals = places;
    if (whole && !Number.isInteger(value)) {
      whole = false;
      firstFraction = i;
    }
  }
  if (present === 0) {
    throw new TabularInputError(choice.file, `every value is missing (empty, NA, NaN or null): a column needs at least one value`, { column: name });
  }

  const type = choice.type ?? (numeric ? (whole ? 'integer' : 'continuous') : 'categorical');
  if (type === 'continuous' || type === 'integer') {
    if (!numeric) {
      throw new TabularInputError(choice.file, `${JSON.stringify(cells[firstNonNumber])} is not a number, so the column cannot be ${type}`, {
        row: fileRows[firstNonNumber],
        column: name,
      });
    }
    if (type === 'integer' && !whole) {
      throw new TabularInputError(choice.file, `${cells[firstFraction]} is not a whole number, so the column cannot be integer`, {
        row: fileRows[firstFraction],
        column: name,
      });
    }
    return { name, type, role, values, decimals: type === 'integer' ? 0 : decimals };
  }

  const texts = cells.map((cell) => (isMissingCell(cell) ? null : cell));
  if (type === 'boolean') {
    const levels = [...new Set(texts.filter((t): t is string => t !== null))];
    if (levels.length > BOOLEAN_LEVELS) {
      throw new TabularInputError(choice.file, `it has ${levels.length} distinct values (${levels.slice(0, 4).join(', ')}${levels.length > 4 ? ', …' : ''}), so it cannot be boolean (two at most)`, {
        column: name,
      });
    }
  }
  return { name, type, role, values: texts };
}
