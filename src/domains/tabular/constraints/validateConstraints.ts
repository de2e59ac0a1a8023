import { TabularInputError } from '../tabularInputError';
import { displayRow, type Table } from '../table';
import { compileConstraints, firstViolation, numericRow, type CompiledConstraints } from './compile';
import type { Constraints } from './types';

/**
 * Binds constraints to the real table and checks that every real row obeys them (docs/tabular.md): a
 * constraint the real rows already break beyond float rounding is bad input naming the constraint and
 * the first breaking row — the generator cannot be asked to obey a rule the data does not. A derived
 * column must also hold only 0 and 1. `file` is the constraints file; the row is the real table's.
 */
export function validateConstraints(constraints: Constraints, real: Table, file: string): CompiledConstraints {
  const compiled = compileConstraints(constraints, real, file);
  const names = real.columns.map((c) => c.name);
  const data = real.file ?? 'the real table';
  for (const d of compiled.derived) {
    const column = real.columns[d.column];
    if (!('decimals' in column)) continue;
    const bad = column.values.findIndex((v) => !Number.isNaN(v) && v !== 0 && v !== 1);
    if (bad >= 0) {
      throw new TabularInputError(file, `the derived column ${column.name} must hold 0 and 1, but row ${displayRow(real, bad)} of ${data} holds ${column.values[bad]}`, { constraint: d.label, row: displayRow(real, bad) });
    }
  }
  const row = new Float64Array(real.columns.length);
  for (let i = 0; i < real.rowCount; i++) {
    numericRow(real, i, row);
    const broken = firstViolation(compiled, row, names);
    if (broken) {
      throw new TabularInputError(file, `row ${displayRow(real, i)} of ${data} breaks it (${broken.detail}); the generator cannot be asked to obey a rule the data does not`, {
        constraint: broken.label,
        row: displayRow(real, i),
      });
    }
  }
  return compiled;
}
