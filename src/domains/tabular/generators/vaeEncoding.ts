import { quantileOfSorted } from '../../../engine/metrics/summary';
import { normalCdf } from '../../../engine/optimizer/acquisition/normal';
import type { Rng } from '../../../engine/random/rng';
import { averageRanks } from '../metrics/statistics';
import { isNumeric, type Column, type Table } from '../table';
import { normalQuantile } from './normalQuantile';
import { classRows } from './sourceRows';

/**
 * The tabular VAE's view of a table: every modelled column (all but id columns and the class column)
 * as part of one vector of floats, and the class as a one-hot condition.
 *
 * Layout of a data vector (width = numeric + missing + Σ levels):
 *  - one normal score per numeric column that has present values — the quantile normalisation
 *    Φ⁻¹((rank − ½)/n) of its present values in train (average ranks for ties, as the Gaussian copula
 *    scores them), 0 for a missing cell; it is decoded by train's linearly interpolated empirical
 *    quantile at Φ(score), so a synthetic value always lies within train's [min, max] and an atom
 *    (a column mostly 0, say) keeps its mass;
 *  - one missing flag (1 = missing) per numeric column with missing cells in train;
 *  - one one-hot block per categorical column, over its train levels by descending frequency (a missing
 *    cell is the level null).
 * A numeric column without a present value in train is not modelled: it stays all missing.
 */
export interface VaeEncoding {
  /** Per numeric score dimension k: its column, train's sorted present values, its missing flag dimension (−1 when none). */
  numeric: Array<{ column: number; sorted: Float64Array; missingDim: number }>;
  /** Missing-flag dimensions start here (after the numeric scores). */
  missingStart: number;
  /** Per categorical column: its column, levels, and where its one-hot block starts. */
  categorical: Array<{ column: number; levels: Array<string | null>; offset: number }>;
  /** Dimensions of a data vector. */
  width: number;
  /** Numeric columns with no present value in train (generated all missing). */
  empty: number[];
  /** The class column's index (−1 without one). */
  classColumn: number;
  /** Its classes (classRows: train rows by class, in order of first appearance); the condition is a one-hot over them. */
  classes: Array<{ key: string; rows: number[] }>;
}

/**
 * Train as the encoder reads it: per row its data vector then its class one-hot (rows × (width +
 * classes), row-major; no one-hot without a class column), and per row a mask of its numeric scores
 * (rows × numeric, 1 = present).
 */
export interface EncodedTrain {
  input: Float32Array;
  mask: Float32Array;
  rows: number;
  /** width + classes. */
  stride: number;
}

export function fitEncoding(train: Table, classColumn: string | null): VaeEncoding {
  const numeric: VaeEncoding['numeric'] = [];
  const categorical: VaeEncoding['categorical'] = [];
  const empty: number[] = [];
  const withMissing: number[] = [];
  const classIndex = classColumn === null ? -1 : train.columns.findIndex((c) => c.name === classColumn);
  train.columns.forEach((column, j) => {
    if (column.role === 'id' || j === classIndex) return;
    if (isNumeric(column)) {
      const present = Array.from(column.values).filter((v) => !Number.isNaN(v));
      if (present.length === 0) {
        empty.push(j);
        return;
      }
      numeric.push({ column: j, sorted: Float64Array.from(present).sort(), missingDim: -1 });
      if (present.length < train.rowCount) withMissing.push(numeric.length - 1);
    }
  });
  const missingStart = numeric.length;
  withMissing.forEach((k, m) => (numeric[k].missingDim = missingStart + m));
  let offset = missingStart + withMissing.length;
  train.columns.forEach((column, j) => {
    if (column.role === 'id' || j === classIndex || isNumeric(column)) return;
    const counts = new Map<string | null, number>();
    for (const v of column.values) counts.set(v, (counts.get(v) ?? 0) + 1);
    const levels = [...counts.keys()].sort((a, b) => (counts.get(b) as number) - (counts.get(a) as number) || String(a).localeCompare(String(b)));
    categorical.push({ column: j, levels, offset });
    offset += levels.length;
  });
  const classes = classColumn === null ? [] : [...classRows(train, classColumn)].map(([key, rows]) => ({ key, rows }));
  return { numeric, missingStart, categorical, width: offset, empty, classColumn: classIndex, classes };
}

/** Train's rows encoded (fitEncoding's layout, then the class one-hot). */
export function encodeTrain(encoding: VaeEncoding, train: Table): EncodedTrain {
  const n = train.rowCount;
  const width = encoding.width + encoding.classes.length;
  const numericCount = encoding.numeric.length;
  const data = new Float32Array(n * width);
  const mask = new Float32Array(n * numericCount);
  encoding.numeric.forEach(({ column, missingDim }, k) => {
    const values = (train.columns[column] as { values: Float64Array }).values;
    const present: number[] = [];
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(values[i])) {
        if (missingDim >= 0) data[i * width + missingDim] = 1;
      } else present.push(i);
    }
    const ranks = averageRanks(present.map((i) => values[i]));
    present.forEach((i, r) => {
      data[i * width + k] = normalQuantile((ranks[r] - 0.5) / present.length);
      mask[i * numericCount + k] = 1;
    });
  });
  for (const { column, levels, offset } of encoding.categorical) {
    const values = train.columns[column].values as ReadonlyArray<string | null>;
    for (let i = 0; i < n; i++) data[i * width + offset + levels.indexOf(values[i])] = 1;
  }
  encoding.classes.forEach(({ rows }, g) => {
    for (const i of rows) data[i * width + encoding.width + g] = 1;
  });
  return { input: data, mask, rows: n, stride: width };
}

/** What the decoder gives for a batch of rows: the data vector's raw outputs, and the numeric scores' sds. */
export interface DecodedBatch {
  /** rows × width: score means, missing-flag logits, categorical logits. */
  outputs: Float32Array;
  rows: number;
  /** One sd per numeric score (the decoder's learned noise). */
  sigma: Float32Array;
}

/**
 * Cells from the decoder's outputs, drawn as the VAE's likelihood says: a numeric cell is missing with
 * probability sigmoid(flag logit), else its score is N(mean, σ²) and its value train's quantile at
 * Φ(score); a categorical cell is drawn from the softmax of its block's logits. Writes row `start` on of
 * the numeric cells (Float64Array per numeric column) and categorical cells (array per column).
 */
export function drawCells(encoding: VaeEncoding, batch: DecodedBatch, start: number, numericOut: Float64Array[], categoricalOut: Array<Array<string | null>>, rng: Rng): void {
  const { outputs, rows, sigma } = batch;
  const width = encoding.width;
  for (let i = 0; i < rows; i++) {
    const row = i * width;
    encoding.numeric.forEach(({ sorted, missingDim }, k) => {
      if (missingDim >= 0 && rng.next() < 1 / (1 + Math.exp(-outputs[row + missingDim]))) {
        numericOut[k][start + i] = NaN;
        return;
      }
      const score = outputs[row + k] + sigma[k] * rng.normal();
      numericOut[k][start + i] = quantileOfSorted(sorted, normalCdf(score));
    });
    encoding.categorical.forEach(({ levels, offset }, c) => {
      let max = -Infinity;
      for (let l = 0; l < levels.length; l++) max = Math.max(max, outputs[row + offset + l]);
      let total = 0;
      for (let l = 0; l < levels.length; l++) total += Math.exp(outputs[row + offset + l] - max);
      let u = rng.next() * total;
      let l = 0;
      for (; l < levels.length - 1; l++) {
        u -= Math.exp(outputs[row + offset + l] - max);
        if (u < 0) break;
      }
      categoricalOut[c][start + i] = levels[l];
    });
  }
}

/** The columns of the generated table in train's order, from the drawn cells (id columns fresh, the class column's values given). */
export function columnsOf(
  train: Table,
  encoding: VaeEncoding,
  cells: { numeric: Float64Array[]; categorical: Array<Array<string | null>>; classValues: Array<string | number | null>; rows: number },
  freshIds: (column: Column) => Column,
): Column[] {
  const { numeric: numericOut, categorical: categoricalOut, classValues, rows: n } = cells;
  return train.columns.map((column, j): Column => {
    if (column.role === 'id') return freshIds(column);
    if (j === encoding.classColumn) {
      return isNumeric(column) ? { ...column, values: Float64Array.from(classValues as number[]) } : { ...column, values: classValues as Array<string | null> };
    }
    if (isNumeric(column)) {
      const k = encoding.numeric.findIndex((x) => x.column === j);
      return { ...column, values: k >= 0 ? numericOut[k] : new Float64Array(n).fill(NaN) };
    }
    const c = encoding.categorical.findIndex((x) => x.column === j);
    return { ...column, values: categoricalOut[c] };
  });
}
