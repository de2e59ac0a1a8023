import Papa from 'papaparse';
import { TabularInputError } from '../tabularInputError';
import { COLUMN_ROLES, COLUMN_TYPES, type Column, type ColumnRole, type ColumnType, type Table } from '../table';
import { buildColumn } from './buildColumn';
import { checkTableShape } from './checkTableShape';
import { detectDelimiter, type Delimiter } from './delimiter';

export interface ReadTableOptions {
  /** Overrides of inferred column types, by header name. */
  types?: Readonly<Record<string, ColumnType>>;
  /** Column roles by header name (default `feature`); one `target` and one `group` at most. */
  roles?: Readonly<Record<string, ColumnRole>>;
  /** The field delimiter; detected when absent. */
  delimiter?: Delimiter;
}

/** U+FFFD, what a decoder puts in place of bytes that are not UTF-8. */
const REPLACEMENT = '\uFFFD';

/**
 * Reads a CSV table (docs/tabular.md) from its text: UTF-8 with or without a byte-order mark, `,`, `;` or
 * tab detected as the delimiter, RFC 4180 quoting, CRLF/LF/CR line ends. The first record is the
 * header. Cells are trimmed; empty cells and `NA`, `NaN`, `null` are missing and stay missing. Each
 * column's type is inferred (numeric when all present values are numbers, integer when all are whole,
 * else categorical) unless overridden; roles are given, never guessed.
 *
 * Blank lines are skipped — except inside a one-column table, where a blank line between rows is that
 * row's missing cell. Row numbers in messages and in `fileRows` are the file's record numbers (the header
 * is row 1 unless blank lines precede it).
 *
 * Throws TabularInputError naming `file` and the row or column for: an empty file, a header without data
 * rows, an unnamed or repeated header name, a row with more or fewer fields than the header, a broken
 * quoted field, text that was not UTF-8, a column with no value, an override the cells do not allow or
 * naming no column, and a table too small to calibrate (checkTableShape).
 */
export function readTable(text: string, file: string, options: ReadTableOptions = {}): Table {
  const body = (text.startsWith('\uFEFF') ? text.slice(1) : text).replace(/\r\n?/g, '\n');
  if (body.trim().length === 0) throw new TabularInputError(file, 'the file is empty');
  const delimiter = options.delimiter ?? detectDelimiter(body);
  const parsed = Papa.parse<string[]>(body, { delimiter, newline: '\n', quoteChar: '"', escapeChar: '"', header: false, skipEmptyLines: false });
  const quoteError = parsed.errors.find((e) => e.type === 'Quotes');
  if (quoteError) {
    throw new TabularInputError(file, `${quoteError.message.toLowerCase()} (a quoted field must end with a quote followed by the delimiter or the line's end)`, quoteError.row === undefined ? {} : { row: quoteError.row + 1 });
  }

  const records = parsed.data;
  const isBlank = (r: string[]) => r.length === 1 && r[0].trim() === '';
  let end = records.length;
  while (end > 0 && isBlank(records[end - 1])) end--;
  // Leading blank lines: the header is the first record with content.
  let start = 0;
  while (isBlank(records[start])) start++;
  const headerRow = start + 1;

  const header = records[start].map((h) => h.trim());
  header.forEach((name, j) => {
    if (name.length === 0) throw new TabularInputError(file, `column ${j + 1} has no name in the header`, { row: headerRow, column: `#${j + 1}` });
    if (name.includes(REPLACEMENT)) throw notUtf8(file, { row: headerRow, column: `#${j + 1}` });
    const first = header.indexOf(name);
    if (first !== j) throw new TabularInputError(file, `the header names two columns ${JSON.stringify(name)} (columns ${first + 1} and ${j + 1}); names must be unique`, { row: headerRow, column: name });
  });
  checkOverrides(options, header, file);

  const width = header.length;
  // Text decoded from bytes that were not UTF-8 holds U+FFFD; when the body has none, no cell can.
  const mayHaveReplacement = body.includes(REPLACEMENT);
  const cells: string[][] = header.map(() => []);
  const fileRows: number[] = [];
  for (let r = start + 1; r < end; r++) {
    const record = records[r];
    const row = r + 1;
    if (width > 1 && isBlank(record)) continue;
    if (record.length !== width) {
      throw new TabularInputError(file, `it has ${record.length} field${record.length === 1 ? '' : 's'}, the header has ${width} (delimiter ${JSON.stringify(delimiter)})`, { row });
    }
    for (let j = 0; j < width; j++) {
      const raw = record[j];
      // trim() only where there is something to trim: most cells of a large file have no spaces.
      const cell = raw.length > 0 && (raw.charCodeAt(0) <= 32 || raw.charCodeAt(raw.length - 1) <= 32) ? raw.trim() : raw;
      if (mayHaveReplacement && cell.includes(REPLACEMENT)) throw notUtf8(file, { row, column: header[j] });
      cells[j].push(cell);
    }
    fileRows.push(row);
  }
  if (fileRows.length === 0) throw new TabularInputError(file, 'the file has a header but no data rows');

  const rows = Int32Array.from(fileRows);
  const decimalComma = delimiter === ';';
  const columns: Column[] = header.map((name, j) =>
    buildColumn({ name, cells: cells[j], fileRows: rows }, { type: options.types?.[name], role: options.roles?.[name], decimalComma, file }),
  );
  const table: Table = { columns, rowCount: rows.length, fileRows: rows, file };
  checkTableShape(table, file);
  return table;
}

function notUtf8(file: string, where: { row: number; column: string }): TabularInputError {
  return new TabularInputError(file, 'the text holds U+FFFD, the mark of bytes that were not UTF-8: save the file as UTF-8', where);
}

function checkOverrides(options: ReadTableOptions, header: readonly string[], file: string): void {
  const known = new Set(header);
  for (const [name, type] of Object.entries(options.types ?? {})) {
    if (!known.has(name)) throw new TabularInputError(file, `a type override names this column, which the header does not have`, { column: name });
    if (!COLUMN_TYPES.includes(type)) throw new TabularInputError(file, `unknown column type ${JSON.stringify(type)} (one of ${COLUMN_TYPES.join(', ')})`, { column: name });
  }
  const seen = new Map<ColumnRole, string>();
  for (const [name, role] of Object.entries(options.roles ?? {})) {
    if (!known.has(name)) throw new TabularInputError(file, `a role names this column, which the header does not have`, { column: name });
    if (!COLUMN_ROLES.includes(role)) throw new TabularInputError(file, `unknown column role ${JSON.stringify(role)} (one of ${COLUMN_ROLES.join(', ')})`, { column: name });
    if ((role === 'target' || role === 'group') && seen.has(role)) {
      throw new TabularInputError(file, `two columns have the role ${role} (${seen.get(role)} and ${name}); a table has one at most`, { column: name });
    }
    seen.set(role, name);
  }
}
