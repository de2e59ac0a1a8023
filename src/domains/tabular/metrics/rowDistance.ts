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

/** Σ over columns of the per-column distances between row a of A and row b of B, stopping once ≥ bound. */
function distanceSum(space: DistanceSpace, A: EncodedRows, a: number, B: EncodedRows, b: number, bound: number): number {
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
 * For each row of `queries`, the distance to its nearest row of `references` (with `excludeSelf`, the
 * two are one set and a row is not its own neighbour: leave-one-out). Brute force with early stopping.
 */
export function nearestDistances(space: DistanceSpace, queries: EncodedRows, references: EncodedRows, excludeSelf = false): Float64Array {
  const out = new Float64Array(queries.count);
  for (let i = 0; i < queries.count; i++) {
    let best = Infinity;
    for (let r = 0; r < references.count; r++) {
      if (excludeSelf && r === i) continue;
      const s = distanceSum(space, queries, i, references, r, best);
      if (s < best) {
        best = s;
        if (best === 0) break;
      }
    }
    out[i] = best / space.columns;
  }
  return out;
}
