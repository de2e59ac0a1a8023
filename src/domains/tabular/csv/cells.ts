/**
 * What a CSV cell means (docs/tabular.md): an empty cell and the tokens `NA`, `NaN` and `null` are missing
 * values; a number is a plain decimal numeral (optional sign, digits with one decimal mark, optional
 * exponent — no hexadecimal, `Infinity` or thousands separators, which `Number()` would accept or
 * misread). Surrounding spaces are ignored. In a `;`-separated file the decimal mark may be a comma,
 * as spreadsheets in many locales write it.
 */
export const MISSING_TOKENS: readonly string[] = ['', 'NA', 'NaN', 'null'];

const MISSING = new Set(MISSING_TOKENS);
const DECIMAL_POINT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const DECIMAL_COMMA = /^[+-]?(?:\d+(?:,\d*)?|,\d+)(?:[eE][+-]?\d+)?$/;

export function isMissingCell(trimmed: string): boolean {
  return MISSING.has(trimmed);
}

export interface NumberCell {
  value: number;
  /** Digits after the decimal mark, less the exponent (`1.25` → 2, `1.5e-3` → 4, `12e3` → 0). */
  decimals: number;
}

/** The number a trimmed cell holds, or null when it is not a plain finite decimal numeral. */
export function parseNumberCell(trimmed: string, decimalComma: boolean): NumberCell | null {
  let text = trimmed;
  if (!DECIMAL_POINT.test(text)) {
    if (!decimalComma || !DECIMAL_COMMA.test(text)) return null;
    text = text.replace(',', '.');
  }
  const value = Number(text);
  if (!Number.isFinite(value)) return null;
  const e = text.search(/[eE]/);
  const mantissa = e < 0 ? text : text.slice(0, e);
  const exponent = e < 0 ? 0 : Number(text.slice(e + 1));
  const point = mantissa.indexOf('.');
  const fraction = point < 0 ? 0 : mantissa.length - point - 1;
  return { value, decimals: Math.max(0, fraction - exponent) };
}
