/**
 * What a CSV cell means (docs/tabular.md): an empty cell and the tokens `NA`, `NaN` and `null` are missing
 * values; a number is a plain decimal numeral (optional sign, digits with one decimal mark, optional
 * exponent — no hexadecimal, `Infinity` or thousands separators, which `Number()` would accept or
 * misread). Surrounding spaces are ignored. In a `;`-separated file the decimal mark may be a comma,
 * as spreadsheets in many locales write it.
 */
export const MISSING_TOKENS: readonly string[] = ['', 'NA', 'NaN', 'null'];

const MISSING = new Set(MISSING_TOKENS);

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
  const decimals = numeralDecimals(trimmed, decimalComma);
  if (decimals < 0) return null;
  const value = numeralValue(trimmed, decimalComma);
  return Number.isFinite(value) ? { value, decimals } : null;
}

/** The value of a cell numeralDecimals accepted (NaN or ±Infinity when it overflows). */
export function numeralValue(trimmed: string, decimalComma: boolean): number {
  return Number(decimalComma ? trimmed.replace(',', '.') : trimmed);
}

const PLUS = 43;
const MINUS = 45;
const POINT = 46;
const COMMA = 44;
const ZERO = 48;
const NINE = 57;

/**
 * The decimals of a plain decimal numeral (digits after the mark, less the exponent: `1.25` → 2,
 * `1.5e-3` → 4, `12e3` → 0), or −1 when the cell is not one: an optional sign, digits with at most one
 * decimal mark (`.`, or also `,` with `decimalComma`) and at least one digit, then an optional exponent
 * `e`/`E`, sign and digits. One pass over the characters, no allocation: a 100,000-row table has
 * millions of cells.
 */
export function numeralDecimals(text: string, decimalComma: boolean): number {
  const n = text.length;
  let i = 0;
  let c = text.charCodeAt(0);
  if (c === PLUS || c === MINUS) i++;
  let digits = 0;
  let fraction = 0;
  let marked = false;
  for (; i < n; i++) {
    c = text.charCodeAt(i);
    if (c >= ZERO && c <= NINE) {
      digits++;
      if (marked) fraction++;
    } else if (!marked && (c === POINT || (decimalComma && c === COMMA))) marked = true;
    else break;
  }
  if (digits === 0) return -1;
  if (i === n) return fraction;
  if (c !== 101 && c !== 69) return -1; // e, E
  i++;
  let sign = 1;
  c = text.charCodeAt(i);
  if (c === PLUS || c === MINUS) {
    if (c === MINUS) sign = -1;
    i++;
  }
  let exponent = 0;
  let exponentDigits = 0;
  for (; i < n; i++) {
    c = text.charCodeAt(i);
    if (c < ZERO || c > NINE) return -1;
    exponent = exponent * 10 + (c - ZERO);
    exponentDigits++;
  }
  if (exponentDigits === 0) return -1;
  return Math.max(0, fraction - sign * exponent);
}
