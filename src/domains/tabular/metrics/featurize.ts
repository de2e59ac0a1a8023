import type { Matrix } from '../../../engine/linalg/matrix';
import type { AlignedTable } from './columns';
import { MISSING_KEY } from './frequencies';

/**
 * Rows as vectors for the kernel and the classifier (mmd2, detection_auc; docs/tabular.md): numeric columns
 * standardised by train's mean and standard deviation (population, divisor n, as sklearn's
 * StandardScaler; a constant column is only centred), a missing numeric cell at 0 (train's mean — a
 * featurisation, the table itself is not filled); categorical columns one-hot over train's categories
 * in sorted order, a missing cell its own category when train has missing cells, a category train
 * never shows all zeros (sklearn OneHotEncoder(handle_unknown='ignore')).
 */
export interface Featurizer {
  readonly means: Float64Array;
  readonly scales: Float64Array;
  readonly levels: readonly (readonly string[])[];
  readonly width: number;
}

export function fitFeaturizer(train: AlignedTable): Featurizer {
  const means = new Float64Array(train.numeric.length);
  const scales = new Float64Array(train.numeric.length);
  train.numeric.forEach((column, k) => {
    let n = 0;
    let s = 0;
    for (const v of column.values) {
      if (Number.isNaN(v)) continue;
      s += v;
      n++;
    }
    const m = s / n;
    let ss = 0;
    for (const v of column.values) if (!Number.isNaN(v)) ss += (v - m) ** 2;
    const sd = Math.sqrt(ss / n);
    means[k] = m;
    scales[k] = sd > 0 ? sd : 1;
  });
  const levels = train.categorical.map((column) => {
    const present = [...new Set(column.values.filter((v): v is string => v !== null))].sort();
    return column.values.includes(null) ? [...present, MISSING_KEY] : present;
  });
  return { means, scales, levels, width: means.length + levels.reduce((a, l) => a + l.length, 0) };
}

export function featurize(f: Featurizer, table: AlignedTable): Matrix<Float64Array> {
  const n = table.rowCount;
  const d = f.width;
  const data = new Float64Array(n * d);
  table.numeric.forEach((column, k) => {
    for (let i = 0; i < n; i++) {
      const v = column.values[i];
      data[i * d + k] = Number.isNaN(v) ? 0 : (v - f.means[k]) / f.scales[k];
    }
  });
  let offset = f.means.length;
  table.categorical.forEach((column, k) => {
    const index = new Map(f.levels[k].map((l, x) => [l, x]));
    for (let i = 0; i < n; i++) {
      const x = index.get(column.values[i] ?? MISSING_KEY);
      if (x !== undefined) data[i * d + offset + x] = 1;
    }
    offset += f.levels[k].length;
  });
  return { rows: n, cols: d, data };
}
