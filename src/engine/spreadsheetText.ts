/**
 * Formula injection (CSV injection): a spreadsheet runs a cell that begins with `=`, `+`, `-` or `@` as
 * a formula, and OWASP's CSV-injection guidance adds tab and carriage return to those first
 * characters. A plain number (`-3.5`, `+2`, `-1e-3`) is data, not a formula. The rule lives here once:
 * the tabular writer escapes such cells (domains/tabular/csv/spreadsheetSafe.ts) and a parameter space
 * refuses such names and choices (space/spaceFile.ts), so the CSVs written from them are safe as they are.
 */

/** The first characters that make a spreadsheet read a cell as a formula. */
export const FORMULA_TRIGGERS: readonly string[] = ['=', '+', '-', '@', '\t', '\r'];

/** A plain decimal numeral, as the CSV readers read numbers (with a decimal point). */
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Whether a cell's text is a plain number (data even when it begins with a sign). */
export function isPlainNumber(text: string): boolean {
  return PLAIN_NUMBER.test(text);
}

/** Whether a spreadsheet would run this text, as a cell, as a formula. */
export function readsAsFormula(text: string): boolean {
  return text.length > 0 && FORMULA_TRIGGERS.includes(text[0]) && !isPlainNumber(text);
}
