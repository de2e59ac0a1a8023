import { isNumeric, type Column, type NumericColumn, type Table } from '../table';
import { spreadsheetSafeCell } from './spreadsheetSafe';

export interface FormatTableOptions {
  /**
   * Escape text cells (header names and categories) against formula injection for opening in a
   * spreadsheet (spreadsheetSafe.ts: SPREADSHEET_SAFETY_NOTE). Off by default: the plain CSV reads back
   * to the same table, and the escaped one does not.
   */
  spreadsheetSafe?: boolean;
}

/**
 * A table as CSV text: the header, then one line per row, comma-separated, `\n` line ends and one
 * trailing newline (no blank line). Integer columns are written as whole numbers; other numbers with at
 * most `decimals + 1` decimal places (the most the source file used, plus one: a synthetic value may
 * sit between two written values), trailing zeros dropped and never in exponent form; missing cells
 * empty. A header name or category is quoted (RFC 4180, quotes doubled) when it holds a comma, a quote,
 * a line break or leading or trailing spaces — the reader would trim or split it otherwise. With
 * `spreadsheetSafe`, a text cell is escaped first (numbers are written as numbers either way).
 */
export function formatTable(table: Table, options: FormatTableOptions = {}): string {
  const text = options.spreadsheetSafe ? (t: string) => quoteCell(spreadsheetSafeCell(t)) : quoteCell;
  const lines = [table.columns.map((c) => text(c.name)).join(',')];
  for (let i = 0; i < table.rowCount; i++) lines.push(table.columns.map((c) => formatCell(c, i, text)).join(','));
  return `${lines.join('\n')}\n`;
}

/** formatTable with text cells escaped for a spreadsheet (see FormatTableOptions). */
export function formatTableForSpreadsheet(table: Table): string {
  return formatTable(table, { spreadsheetSafe: true });
}

function formatCell(column: Column, i: number, text: (t: string) => string): string {
  if (!isNumeric(column)) {
    const v = column.values[i];
    return v === null ? '' : text(v);
  }
  const v = column.values[i];
  if (Number.isNaN(v)) return '';
  return formatFixed(column.type === 'integer' ? Math.round(v) : v, writtenPlaces(column));
}

/**
 * The decimal places a numeric column is written with: none for an integer column, else the most the
 * source file used plus one (a synthetic value may sit between two written values).
 */
export function writtenPlaces(column: NumericColumn): number {
  return column.type === 'integer' ? 0 : column.decimals + 1;
}

/** v with at most `places` decimals, trailing zeros and a bare point dropped, "-0" as "0", no exponent. */
export function formatFixed(v: number, places: number): string {
  if (!Number.isFinite(v)) return String(v);
  let text = Math.abs(v) < 1e21 ? v.toFixed(Math.min(100, places)) : BigInt(Math.round(v)).toString();
  if (text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '');
  return /^-0*(\.0*)?$/.test(text) ? '0' : text;
}

function quoteCell(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
