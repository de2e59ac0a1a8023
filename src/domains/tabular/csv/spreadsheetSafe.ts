import { readsAsFormula } from '../../../engine/spreadsheetText';

/**
 * CSV for spreadsheets, against formula injection (CSV injection): a spreadsheet runs a cell that begins
 * with `=`, `+`, `-` or `@` as a formula, and OWASP's CSV-injection guidance adds tab and carriage
 * return to those first characters. Such a text cell is written with a single quote in front, which
 * spreadsheets show as text. A plain number (`-3.5`, `+2`, `-1e-3`: the numerals docs/tabular.md reads)
 * is written unchanged — escaping it would turn the data into text — and so is every other cell.
 */
export const SPREADSHEET_SAFETY_NOTE =
  "Cells that begin with =, +, -, @, a tab or a carriage return are written with a single quote (') in front, so a spreadsheet shows them as text instead of running them as formulas; plain numbers such as -3.5 are written unchanged.";

export { FORMULA_TRIGGERS, isPlainNumber } from '../../../engine/spreadsheetText';

/** A cell's text made safe to open in a spreadsheet (before any CSV quoting). */
export function spreadsheetSafeCell(text: string): string {
  return readsAsFormula(text) ? `'${text}` : text;
}
