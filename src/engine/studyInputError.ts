/**
 * Bad input to a study (a parameter-space file, a vectors file, a samples table), located as precisely
 * as the reader can: the file, then the row, column or parameter, then what is wrong, e.g.
 * `samples.csv, row 4, column count: 3.5 is not an integer`. Rows are counted from 1 as a spreadsheet
 * shows them (in a CSV file the header, when there is one, is row 1); columns are named by their header
 * name. A caller that turns bad input into an exit code or a form message can rely on `file` and the
 * location fields without parsing `message`.
 */
export interface InputLocation {
  /** 1-based row of the file (CSV: the record number, header included; .npy and JSON: the vector number). */
  readonly row?: number;
  /** The column's header name (`count`, `sample_id`, `e3`). */
  readonly column?: string;
  /** A parameter of a space file, by name, or `#i` (1-based) before its name is known. */
  readonly parameter?: string;
}

export class StudyInputError extends Error {
  readonly file: string;
  readonly row?: number;
  readonly column?: string;
  readonly parameter?: string;
  /** The message without its location prefix. */
  readonly detail: string;

  constructor(file: string, detail: string, where: InputLocation = {}) {
    const parts = [file];
    if (where.row !== undefined) parts.push(`row ${where.row}`);
    if (where.column !== undefined) parts.push(`column ${where.column}`);
    if (where.parameter !== undefined) parts.push(`parameter ${where.parameter}`);
    super(`${parts.join(', ')}: ${detail}`);
    this.name = 'StudyInputError';
    this.file = file;
    if (where.row !== undefined) this.row = where.row;
    if (where.column !== undefined) this.column = where.column;
    if (where.parameter !== undefined) this.parameter = where.parameter;
    this.detail = detail;
  }
}
