import { inferSpace, INFER_MARGIN } from '../../engine/space/inferSpace';
import type { ParameterSpace } from '../../engine/space/space';
import { StudyInputError } from '../../engine/studyInputError';
import { parseCsvRecords, parseNumberCell } from './csvText';

/** The samples table's own columns: not parameters. */
const NOT_PARAMETERS = new Set(['sample_id', 'param_set_id']);

/**
 * The space of an iteration-0 parameter file (a samples table, or any CSV with one parameter per
 * column), widened as `inferSpace` states. Every cell of a parameter column must be filled: the rows are
 * the parameters samples were made with.
 */
export function inferSpaceFromCsv(text: string, file: string, margin = INFER_MARGIN): ParameterSpace {
  const records = parseCsvRecords(text, file);
  const header = records[0].fields.map((h) => h.trim());
  if (records.length === 1) throw new StudyInputError(file, 'the file has a header but no rows');
  const columns = header.flatMap((name, j) => (NOT_PARAMETERS.has(name) ? [] : [{ name, j }]));
  if (columns.length === 0) throw new StudyInputError(file, 'the file has no parameter columns (only sample_id and param_set_id)', { row: 1 });
  for (const { name, j } of columns) if (name === '') throw new StudyInputError(file, `column ${j + 1} has an empty name`, { row: 1 });
  for (const { row, fields } of records.slice(1)) {
    if (fields.length !== header.length) throw new StudyInputError(file, `the row has ${fields.length} values but the header has ${header.length} columns`, { row });
  }
  return inferSpace(
    columns.map(({ name, j }) => {
      const cells = records.slice(1).map(({ row, fields }) => {
        const cell = fields[j].trim();
        if (cell === '') throw new StudyInputError(file, 'the value is empty: every sample needs every parameter', { row, column: name });
        return cell;
      });
      const numbers = cells.map(parseNumberCell);
      return { name, values: numbers.every((n) => n.ok) ? numbers.map((n) => (n as { value: number }).value) : cells };
    }),
    margin,
  );
}
