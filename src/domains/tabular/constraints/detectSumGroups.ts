import { isNumeric, presentRange, type NumericColumn, type Table } from '../table';
import { slack } from './compile';

export interface SumGroupOffer {
  columns: string[];
  /** The observed window of the row sums, rounded to the columns' decimals without cutting any row. */
  low: number;
  high: number;
  /** (max − min) / mean of the row sums. */
  relativeWindow: number;
  /** var(row sum) / Σ var(column): how much the columns compensate each other (0 = perfectly). */
  varianceRatio: number;
}

export interface DetectSumGroupsOptions {
  /** Largest (max − min)/mean of the row sums that counts as nearly constant (default 0.02). */
  maxRelativeWindow?: number;
  /** Largest var(sum)/Σ var that counts as compensating (default 0.05). */
  maxVarianceRatio?: number;
}

/** The most rows the column search reads (see detectSumGroups). */
const SEARCH_ROWS = 5_000;

/**
 * Finds a sum group to offer (offered when row sums are nearly constant):
 * among the non-negative numeric feature columns (compositions are non-negative; targets, groups and ids
 * are not parts of a whole), drop columns one at a time — each time the one whose removal makes the row
 * sums' coefficient of variation smallest — until the sums are nearly constant AND the columns
 * compensate each other (the sum varies far less than its parts would independently: var(Σ) ≤
 * 0.05 · Σ var), or fewer than two columns remain. The second test keeps two merely steady columns from
 * passing as a composition. Rows with a missing cell among the candidates are left out. On the glass
 * table the eight oxides pass with a window of 1.1 % and a variance ratio of 0.002.
 */
export function detectSumGroups(table: Table, options: DetectSumGroupsOptions = {}): SumGroupOffer | null {
  const maxWindow = options.maxRelativeWindow ?? 0.02;
  const maxRatio = options.maxVarianceRatio ?? 0.05;
  let candidates = table.columns.filter((c): c is NumericColumn => isNumeric(c) && c.role === 'feature' && c.values.every((v) => Number.isNaN(v) || v >= 0));
  const rows: number[] = [];
  for (let i = 0; i < table.rowCount; i++) if (candidates.every((c) => !Number.isNaN(c.values[i]))) rows.push(i);
  if (rows.length < 2) return null;

  // The search runs on at most SEARCH_ROWS evenly spaced rows (a composition is constant in every
  // row, so a few thousand show it as well as all), and its result is judged on every row: the offered
  // window must hold every real row.
  const step = Math.max(1, rows.length / SEARCH_ROWS);
  const searched = rows.length <= SEARCH_ROWS ? rows : Array.from({ length: SEARCH_ROWS }, (_, k) => rows[Math.floor(k * step)]);
  // Each column's variance over the rows, once: the parts' variances do not change as columns drop.
  const varianceOver = (over: number[]) => new Map(candidates.map((c) => [c, meanVar(Float64Array.from(over, (i) => c.values[i]))[1]]));
  const variances = varianceOver(searched);
  while (candidates.length >= 2) {
    const offer = judge(candidates, searched, variances);
    if (offer.relativeWindow <= maxWindow && offer.varianceRatio <= maxRatio) {
      if (searched === rows) return offer;
      const whole = judge(candidates, rows, varianceOver(rows));
      return whole.relativeWindow <= maxWindow && whole.varianceRatio <= maxRatio ? whole : null;
    }
    // The row sums without column k are the full sums minus column k: one pass per candidate, so a
    // search over k columns and n rows costs O(k² n), not O(k³ n).
    const total = rowSums(candidates, searched);
    const without = new Float64Array(searched.length);
    let best = -1;
    let bestCv = Infinity;
    for (let k = 0; k < candidates.length; k++) {
      const values = candidates[k].values;
      for (let r = 0; r < searched.length; r++) without[r] = total[r] - values[searched[r]];
      const cv = coefficientOfVariation(without);
      if (cv < bestCv) {
        bestCv = cv;
        best = k;
      }
    }
    candidates = candidates.filter((_, x) => x !== best);
  }
  return null;
}

function rowSums(columns: NumericColumn[], rows: number[]): Float64Array {
  const out = new Float64Array(rows.length);
  for (const c of columns) {
    const values = c.values;
    for (let r = 0; r < rows.length; r++) out[r] += values[rows[r]];
  }
  return out;
}

function meanVar(x: ArrayLike<number>): [number, number] {
  let m = 0;
  for (let i = 0; i < x.length; i++) m += x[i];
  m /= x.length;
  let v = 0;
  for (let i = 0; i < x.length; i++) v += (x[i] - m) ** 2;
  return [m, v / (x.length - 1)];
}

function coefficientOfVariation(x: Float64Array): number {
  const [m, v] = meanVar(x);
  return m > 0 ? Math.sqrt(v) / m : Infinity;
}

function judge(columns: NumericColumn[], rows: number[], variances: ReadonlyMap<NumericColumn, number>): SumGroupOffer {
  const sums = rowSums(columns, rows);
  const [mean, variance] = meanVar(sums);
  let partVariance = 0;
  for (const c of columns) partVariance += variances.get(c) ?? 0;
  const [min, max] = presentRange(sums);
  const decimals = Math.max(...columns.map((c) => c.decimals));
  const scale = 10 ** Math.min(decimals, 12);
  let low = Math.round(min * scale) / scale;
  let high = Math.round(max * scale) / scale;
  if (low > min + slack(min)) low = Math.floor(min * scale) / scale;
  if (high < max - slack(max)) high = Math.ceil(max * scale) / scale;
  return {
    columns: columns.map((c) => c.name),
    low,
    high,
    relativeWindow: mean > 0 ? (max - min) / mean : Infinity,
    varianceRatio: partVariance > 0 ? variance / partVariance : Infinity,
  };
}
