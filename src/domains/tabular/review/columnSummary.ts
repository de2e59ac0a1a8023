import { parseNumberCell } from '../csv/cells';
import { isNumeric, type CategoricalColumn, type ColumnRole, type ColumnType, type NumericColumn, type Table } from '../table';

/** Equal-width bins of a numeric column's histogram. */
export const HISTOGRAM_BINS = 12;
/** Categories a categorical column's histogram names; the rest are counted together as "other". */
export const TOP_CATEGORIES = 8;

/** 12 equal-width bins over [low, high] (the present values' min and max); bin k is [low + k·w, low + (k+1)·w), the last one closed. */
export interface NumericHistogram {
  kind: 'numeric';
  low: number;
  high: number;
  counts: number[];
}

/** The most frequent categories, most frequent first (ties in order of first appearance), and the count of all other present cells. */
export interface CategoricalHistogram {
  kind: 'categorical';
  top: Array<{ value: string; count: number }>;
  other: number;
}

/**
 * What the column review shows of one column. Plain data (numbers, strings, arrays), so a worker can
 * post it to the page as it is.
 */
export interface ColumnSummary {
  name: string;
  type: ColumnType;
  role: ColumnRole;
  numeric: boolean;
  /** Present cells (not missing: docs/tabular.md's empty, NA, NaN, null). */
  present: number;
  missing: number;
  /** missing / rows (0 for a table without rows). */
  missingShare: number;
  /** The present values' range; null for a categorical column. */
  min: number | null;
  max: number | null;
  /** Decimal places the source file used (numeric columns), for showing the range; null for a categorical column. */
  decimals: number | null;
  /** Distinct present values. */
  distinct: number;
  /**
   * The types the column's cells allow, in COLUMN_TYPES order (what readTable accepts as an override):
   * `continuous` when every present cell is a number, `integer` when every one is also whole,
   * `categorical` always, `boolean` with two distinct values at most. The current type is always one.
   */
  types: ColumnType[];
  histogram: NumericHistogram | CategoricalHistogram;
}

/** One summary per column of the table, in its order (two passes over a numeric column and a hash of its values; one over a categorical column). */
export function summarizeColumns(table: Table): ColumnSummary[] {
  return table.columns.map((column) => (isNumeric(column) ? summarizeNumeric(column, table.rowCount) : summarizeCategorical(column, table.rowCount)));
}

function summarizeNumeric(column: NumericColumn, rows: number): ColumnSummary {
  const values = column.values;
  let present = 0;
  let min = Infinity;
  let max = -Infinity;
  let whole = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    present++;
    if (v < min) min = v;
    if (v > max) max = v;
    if (whole && !Number.isInteger(v)) whole = false;
  }
  const distinct = distinctNumbers(values, present);
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  if (present > 0) {
    // A constant column (max = min) puts every value in the first bin.
    const scale = max > min ? HISTOGRAM_BINS / (max - min) : 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (Number.isNaN(v)) continue;
      counts[Math.min(HISTOGRAM_BINS - 1, Math.floor((v - min) * scale))]++;
    }
  }
  const missing = rows - present;
  const types: ColumnType[] = ['continuous'];
  if (whole) types.push('integer');
  types.push('categorical');
  if (distinct <= 2) types.push('boolean');
  return {
    name: column.name,
    type: column.type,
    role: column.role,
    numeric: true,
    present,
    missing,
    missingShare: rows > 0 ? missing / rows : 0,
    min: present > 0 ? min : null,
    max: present > 0 ? max : null,
    decimals: column.decimals,
    distinct,
    types,
    histogram: { kind: 'numeric', low: present > 0 ? min : 0, high: present > 0 ? max : 0, counts },
  };
}

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

/**
 * Distinct present values (0 and −0 alike, as a Set counts them), with an open-addressing hash table over
 * the doubles' bits: a Set of 100,000 doubles or a sort of them costs several times more, and the review
 * summarises every column of a table that may hold a few million cells.
 */
function distinctNumbers(values: Float64Array, present: number): number {
  let capacity = 16;
  while (capacity < 2 * present) capacity *= 2;
  const mask = capacity - 1;
  const keys = new Float64Array(capacity);
  const used = new Uint8Array(capacity);
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] === 0 ? 0 : values[i];
    if (Number.isNaN(v)) continue;
    bits[0] = v;
    let h = Math.imul(words[0] ^ Math.imul(words[1], 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 15;
    let k = h & mask;
    while (used[k] && keys[k] !== v) k = (k + 1) & mask;
    if (!used[k]) {
      used[k] = 1;
      keys[k] = v;
      count++;
    }
  }
  return count;
}

function summarizeCategorical(column: CategoricalColumn, rows: number): ColumnSummary {
  const counts = new Map<string, number>();
  let present = 0;
  for (const v of column.values) {
    if (v === null) continue;
    present++;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  // Map iteration is in first-appearance order and the sort is stable, so ties keep that order.
  const ranked = [...counts].sort((a, b) => b[1] - a[1]);
  const top = ranked.slice(0, TOP_CATEGORIES).map(([value, count]) => ({ value, count }));
  const other = present - top.reduce((s, t) => s + t.count, 0);
  // A category column may hold numbers written as text (an override to categorical): offer the numeric
  // types back when every distinct value reads as a number (decimal point or comma; readTable decides).
  let numeric = counts.size > 0;
  let whole = true;
  for (const value of counts.keys()) {
    const parsed = parseNumberCell(value, true);
    if (parsed === null) {
      numeric = false;
      break;
    }
    if (!Number.isInteger(parsed.value)) whole = false;
  }
  const types: ColumnType[] = [];
  if (numeric) types.push('continuous');
  if (numeric && whole) types.push('integer');
  types.push('categorical');
  if (counts.size <= 2) types.push('boolean');
  const missing = rows - present;
  return {
    name: column.name,
    type: column.type,
    role: column.role,
    numeric: false,
    present,
    missing,
    missingShare: rows > 0 ? missing / rows : 0,
    min: null,
    max: null,
    decimals: null,
    distinct: counts.size,
    types,
    histogram: { kind: 'categorical', top, other },
  };
}
