import { presentRange } from '../table';
import type { AlignedTable } from './columns';

/**
 * The distance between rows of docs/tabular.md (SDMetrics' DCR distance): per numeric column |Δ| / (train's
 * range), capped at 1 (a column constant in train: 0 if equal, else 1); per categorical column 0 if
 * equal, else 1; missing against missing 0, missing against a value 1; the mean over the metric columns.
 * Rows are encoded once (numbers as they are, categories as integer codes shared by every table encoded
 * with the same space, missing as NaN / −1) and compared column by column.
 */
export interface DistanceSpace {
  readonly inverseRanges: Float64Array;
  readonly codes: ReadonlyArray<Map<string, number>>;
  readonly columns: number;
}

export interface EncodedRows {
  readonly count: number;
  readonly numericWidth: number;
  readonly categoricalWidth: number;
  /** count × numeric columns, row-major; NaN missing. */
  readonly numeric: Float64Array;
  /** count × categorical columns, row-major; −1 missing. */
  readonly categorical: Int32Array;
}

export function distanceSpace(train: AlignedTable): DistanceSpace {
  const inverseRanges = Float64Array.from(train.numeric, (column) => {
    const [min, max] = presentRange(column.values);
    return max > min ? 1 / (max - min) : Infinity;
  });
  const codes = train.categorical.map(() => new Map<string, number>());
  return { inverseRanges, codes, columns: train.numeric.length + train.categorical.length };
}

export function encodeRows(space: DistanceSpace, table: AlignedTable, rows?: ArrayLike<number>): EncodedRows {
  const ids = rows ?? Int32Array.from({ length: table.rowCount }, (_, i) => i);
  const p = table.numeric.length;
  const q = table.categorical.length;
  const numeric = new Float64Array(ids.length * p);
  const categorical = new Int32Array(ids.length * q);
  for (let k = 0; k < ids.length; k++) {
    const i = ids[k];
    for (let j = 0; j < p; j++) numeric[k * p + j] = table.numeric[j].values[i];
    for (let j = 0; j < q; j++) {
      const v = table.categorical[j].values[i];
      if (v === null) categorical[k * q + j] = -1;
      else {
        const map = space.codes[j] as Map<string, number>;
        let code = map.get(v);
        if (code === undefined) {
          code = map.size;
          map.set(v, code);
        }
        categorical[k * q + j] = code;
      }
    }
  }
  return { count: ids.length, numericWidth: p, categoricalWidth: q, numeric, categorical };
}

/** The encoded rows at `ids`, in that order. */
export function subsetRows(rows: EncodedRows, ids: ArrayLike<number>): EncodedRows {
  const p = rows.numericWidth;
  const q = rows.categoricalWidth;
  const numeric = new Float64Array(ids.length * p);
  const categorical = new Int32Array(ids.length * q);
  for (let k = 0; k < ids.length; k++) {
    const r = ids[k];
    numeric.set(rows.numeric.subarray(r * p, (r + 1) * p), k * p);
    categorical.set(rows.categorical.subarray(r * q, (r + 1) * q), k * q);
  }
  return { count: ids.length, numericWidth: p, categoricalWidth: q, numeric, categorical };
}

/**
 * distanceSum for two tables without a missing numeric cell: the same terms in the same order (x = y
 * adds nothing; a column constant in train has an inverse range of ∞, so any difference there adds 1),
 * without the missing-cell tests.
 */
function presentDistanceSum(space: DistanceSpace, A: EncodedRows, a: number, B: EncodedRows, b: number, bound: number): number {
  const p = space.inverseRanges.length;
  const q = space.codes.length;
  const inverse = space.inverseRanges;
  const x = A.numeric;
  const y = B.numeric;
  const ao = a * p;
  const bo = b * p;
  let s = 0;
  for (let j = 0; j < p; j++) {
    const d = x[ao + j] - y[bo + j];
    if (d !== 0) {
      const t = (d < 0 ? -d : d) * inverse[j];
      s += t < 1 ? t : 1;
      if (s >= bound) return s;
    }
  }
  for (let j = 0; j < q; j++) if (A.categorical[a * q + j] !== B.categorical[b * q + j]) s += 1;
  return s;
}

function hasMissingNumeric(rows: EncodedRows): boolean {
  for (let k = 0; k < rows.numeric.length; k++) if (Number.isNaN(rows.numeric[k])) return true;
  return false;
}

/** Σ over columns of the per-column distances between row a of A and row b of B, stopping once ≥ bound. */
function anyDistanceSum(space: DistanceSpace, A: EncodedRows, a: number, B: EncodedRows, b: number, bound: number): number {
  const p = space.inverseRanges.length;
  const q = space.codes.length;
  let s = 0;
  for (let j = 0; j < p; j++) {
    const x = A.numeric[a * p + j];
    const y = B.numeric[b * p + j];
    const xm = Number.isNaN(x);
    const ym = Number.isNaN(y);
    if (xm || ym) s += xm && ym ? 0 : 1;
    else if (x !== y) s += Math.min(1, Math.abs(x - y) * space.inverseRanges[j]);
    if (s >= bound) return s;
  }
  for (let j = 0; j < q; j++) if (A.categorical[a * q + j] !== B.categorical[b * q + j]) s += 1;
  return s;
}

/**
 * The relative slack of the search's triangle-inequality bound: the distance is a metric (a sum of
 * per-column metrics, each truncated at 1), but its floating-point sums may break the triangle
 * inequality by a few ulps, so a reference is skipped only when the bound exceeds the best distance by
 * more than this — no reference that could be the nearest is ever skipped.
 */
const BOUND_SLACK = 1e-9;

/** The reference row furthest from reference row `from` (a pivot at the edge of the rows spreads the distances to it most). */
function furthestRow(space: DistanceSpace, references: EncodedRows, from: number, distanceSum: typeof anyDistanceSum): number {
  let best = from;
  let far = -1;
  for (let r = 0; r < references.count; r++) {
    const d = distanceSum(space, references, r, references, from, Infinity);
    if (d > far) {
      far = d;
      best = r;
    }
  }
  return best;
}

/**
 * For each row of `queries`, the distance to its nearest row of `references` (with `excludeSelf`, the
 * two are one set and a row is not its own neighbour: leave-one-out). Exact, and every distance it
 * returns is summed as distanceSum sums it (column by column in the space's order), so the result does
 * not depend on the search; the search computes few of the |queries| × |references| distances in full.
 * The distance is a metric, so with two pivot rows a and b (a reference row at the edge of the
 * references, and the one furthest from it), d(q, r) ≥ |d(q, a) − d(r, a)| and ≥ |d(q, b) − d(r, b)|:
 *  - the references are visited in order of their distance to a, outward from the query's own, and the
 *    walk in one direction ends once |d(q, a) − d(r, a)| passes the best distance found so far;
 *  - a reference whose |d(q, b) − d(r, b)| passes it is skipped;
 *  - a sum is abandoned once it reaches the best distance (its terms are ≥ 0).
 * Visiting the near references first makes the best distance small early, and the bounds then skip most
 * of the others (on rows that lie near real rows; rows far from every reference, like uniform random
 * rows, gain little).
 */
export function nearestDistances(space: DistanceSpace, queries: EncodedRows, references: EncodedRows, excludeSelf = false): Float64Array {
  const out = new Float64Array(queries.count);
  const n = references.count;
  if (n === 0) return out.fill(Infinity);
  const distanceSum = hasMissingNumeric(queries) || hasMissingNumeric(references) ? anyDistanceSum : presentDistanceSum;
  const a = furthestRow(space, references, 0, distanceSum);
  const b = furthestRow(space, references, a, distanceSum);
  const toA = Float64Array.from({ length: n }, (_, r) => distanceSum(space, references, r, references, a, Infinity));
  const sorted = Int32Array.from({ length: n }, (_, r) => r).sort((x, y) => toA[x] - toA[y] || x - y);
  const sortedA = Float64Array.from(sorted, (r) => toA[r]);
  const sortedB = Float64Array.from(sorted, (r) => distanceSum(space, references, r, references, b, Infinity));
  const beyond = (bound: number, best: number) => bound > best * (1 + BOUND_SLACK) + BOUND_SLACK;
  for (let i = 0; i < queries.count; i++) {
    const qa = distanceSum(space, queries, i, references, a, Infinity);
    const qb = distanceSum(space, queries, i, references, b, Infinity);
    let best = Infinity;
    const visit = (k: number) => {
      if (beyond(Math.abs(qb - sortedB[k]), best)) return;
      const r = sorted[k];
      if (excludeSelf && r === i) return;
      const s = distanceSum(space, queries, i, references, r, best);
      if (s < best) best = s;
    };
    let right = lowerBound(sortedA, qa);
    let left = right - 1;
    while (best > 0 && (left >= 0 || right < n)) {
      if (right < n) {
        if (beyond(sortedA[right] - qa, best)) right = n;
        else visit(right++);
      }
      if (left >= 0 && best > 0) {
        if (beyond(qa - sortedA[left], best)) left = -1;
        else visit(left--);
      }
    }
    out[i] = best / space.columns;
  }
  return out;
}

/** The first index k of ascending `keys` with keys[k] ≥ v. */
function lowerBound(keys: Float64Array, v: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
