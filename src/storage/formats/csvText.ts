import Papa from 'papaparse';
import { StudyInputError } from '../../engine/studyInputError';
import { utf8Decode, Utf8Error } from '../archive/utf8';

/** UTF-8 bytes of a study input as text, without a leading byte-order mark; malformed UTF-8 is refused. */
export function decodeInputText(bytes: Uint8Array, file: string): string {
  let text: string;
  try {
    text = utf8Decode(bytes);
  } catch (e) {
    if (e instanceof Utf8Error) throw new StudyInputError(file, `${e.message}: the file must be UTF-8 text`);
    throw e;
  }
  return stripBom(text);
}

export function stripBom(text: string): string {
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

export interface CsvRecord {
  /** 1-based record number in the file (the header, when there is one, is row 1). */
  readonly row: number;
  readonly fields: readonly string[];
}

/**
 * Splits CSV text (RFC 4180: comma-separated, double-quoted fields may hold commas, quotes as "" and
 * line breaks) into records. A byte-order mark is dropped; CRLF, LF and CR line ends are all accepted
 * (normalized to LF first, so a file mixing them still splits cleanly). Empty lines at the end of the
 * file are dropped; an empty line anywhere else is refused, since rows must align with another file's.
 * An unterminated or malformed quoted field is refused with its row.
 */
export function parseCsvRecords(text: string, file: string): CsvRecord[] {
  const body = stripBom(text).replace(/\r\n?/g, '\n');
  if (body.trim().length === 0) throw new StudyInputError(file, 'the file is empty');
  const result = Papa.parse<string[]>(body, { delimiter: ',', newline: '\n', quoteChar: '"', escapeChar: '"', header: false, skipEmptyLines: false });
  const quoteError = result.errors.find((e) => e.type === 'Quotes');
  if (quoteError) {
    const where = quoteError.row === undefined ? {} : { row: quoteError.row + 1 };
    throw new StudyInputError(file, `${quoteError.message.toLowerCase()} (a quoted field must end with a quote followed by a comma or the line's end)`, where);
  }
  const records = result.data;
  let end = records.length;
  while (end > 0 && records[end - 1].length === 1 && records[end - 1][0] === '') end--;
  const out: CsvRecord[] = [];
  for (let i = 0; i < end; i++) {
    const fields = records[i];
    if (fields.length === 1 && fields[0] === '') throw new StudyInputError(file, 'the row is empty', { row: i + 1 });
    out.push({ row: i + 1, fields });
  }
  return out;
}

/**
 * A CSV cell as a number with JavaScript's Number() semantics after trimming spaces (so `1e-3`, `+2`
 * and `0x10` are numbers), or why it is not one: empty, not a number at all, or not finite (`NaN`,
 * `Infinity`, or a literal too large for a double such as `1e400`).
 */
export function parseNumberCell(cell: string): { ok: true; value: number } | { ok: false; reason: string } {
  const text = cell.trim();
  if (text.length === 0) return { ok: false, reason: 'the value is empty' };
  const value = Number(text);
  if (Number.isNaN(value) && text !== 'NaN') return { ok: false, reason: `${JSON.stringify(text)} is not a number` };
  if (!Number.isFinite(value)) return { ok: false, reason: `${text} is not a finite number` };
  return { ok: true, value };
}

/** A JSON input's value, without a leading byte-order mark; an empty file or invalid JSON is refused naming the file. */
export function parseJsonText(text: string, file: string): unknown {
  const body = stripBom(text);
  if (body.trim().length === 0) throw new StudyInputError(file, 'the file is empty');
  try {
    return JSON.parse(body);
  } catch (e) {
    throw new StudyInputError(file, `not valid JSON: ${(e as Error).message}`);
  }
}
