import { fitPca, projectPca, type PcaModel } from '../../../engine/projection/pca';
import type { Matrix } from '../../../engine/linalg/matrix';
import { align, metricColumnsOf, type AlignedTable, type MetricColumns } from '../metrics/columns';
import { featurize, fitFeaturizer, type Featurizer } from '../metrics/featurize';
import { MISSING_KEY } from '../metrics/frequencies';
import type { Table } from '../table';

/**
 * The fixed 2-D map of a calibration's rows, fitted once and kept as plain data (structured-cloneable,
 * JSON-safe), so every later table — a synthetic table, any evaluation's — lands in the same
 * coordinates without a refit.
 *
 * A row becomes a vector as the kernel metrics featurise it (metrics/featurize.ts, docs/tabular.md):
 * numeric columns standardised by train's mean and population standard deviation (a constant column is
 * only centred: its scale is 1), categorical columns one-hot over train's present categories in sorted
 * order. Missing cells: a missing numeric cell is 0 after standardisation (train's mean); a missing
 * categorical cell — and a category train never shows — is all zeros in its one-hot block. PCA (the
 * engine's, sklearn's conventions) is fitted once on train and holdout together, the real rows.
 */
export interface RowMap {
  /** The columns mapped (all but `id` columns), numeric and categorical, by name. */
  readonly columns: MetricColumns;
  /** Train's mean of each numeric column. */
  readonly means: readonly number[];
  /** Train's population standard deviation of each numeric column (1 for a constant column). */
  readonly scales: readonly number[];
  /** Train's present categories of each categorical column, sorted: the one-hot blocks. */
  readonly categories: readonly (readonly string[])[];
  /**
   * The principal axes (at most 2), or null when the real rows do not vary at all. Fewer than 2 axes
   * when the rows span fewer directions (one numeric column, say): the missing axis is 0.
   */
  readonly pca: PcaModel | null;
  /** Rows the PCA was fitted on. */
  readonly fittedRows: { readonly train: number; readonly holdout: number };
}

/** Coordinates of a table's rows in the map, in row order. */
export interface RowCoordinates {
  readonly x: Float64Array;
  readonly y: Float64Array;
}

export function fitRowMap(train: Table, holdout: Table): RowMap {
  const columns = metricColumnsOf(train);
  const fitted = fitFeaturizer(align(columns, train, 'train'));
  const categories = fitted.levels.map((levels) => levels.filter((level) => level !== MISSING_KEY));
  const map: Omit<RowMap, 'pca'> = {
    columns,
    means: Array.from(fitted.means),
    scales: Array.from(fitted.scales),
    categories,
    fittedRows: { train: train.rowCount, holdout: holdout.rowCount },
  };
  const features = stack(featureMatrix(map, train, 'train'), featureMatrix(map, holdout, 'holdout'));
  return { ...map, pca: fitAxes(features) };
}

/** Places `table`'s rows in the fixed map (no refit). */
export function projectRows(map: RowMap, table: Table): RowCoordinates {
  const n = table.rowCount;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  if (!map.pca || n === 0) return { x, y };
  const projected = projectPca(map.pca, featureMatrix(map, table, 'mapped'));
  const k = projected.cols;
  for (let i = 0; i < n; i++) {
    x[i] = projected.data[i * k];
    if (k > 1) y[i] = projected.data[i * k + 1];
  }
  return { x, y };
}

/** "PC1 (41.2 % of variance)", "PC2 (17.9 % of variance)": the share of the real rows' variance along each axis. */
export function rowMapAxisLabels(map: RowMap): [string, string] {
  const ratio = map.pca?.explainedVarianceRatio ?? [];
  const label = (i: number) => (ratio[i] !== undefined && Number.isFinite(ratio[i]) ? `PC${i + 1} (${(ratio[i] * 100).toFixed(1)} % of variance)` : `PC${i + 1}`);
  return [label(0), label(1)];
}

function featurizer(map: Omit<RowMap, 'pca'>): Featurizer {
  const width = map.means.length + map.categories.reduce((sum, levels) => sum + levels.length, 0);
  return { means: Float64Array.from(map.means), scales: Float64Array.from(map.scales), levels: map.categories, width };
}

function featureMatrix(map: Omit<RowMap, 'pca'>, table: Table, role: string): Matrix<Float64Array> {
  const aligned: AlignedTable = align(map.columns, table, role);
  return featurize(featurizer(map), aligned);
}

function stack(a: Matrix<Float64Array>, b: Matrix<Float64Array>): Matrix<Float64Array> {
  const data = new Float64Array(a.data.length + b.data.length);
  data.set(a.data, 0);
  data.set(b.data, a.data.length);
  return { rows: a.rows + b.rows, cols: a.cols, data };
}

/**
 * PCA with 2 axes, or fewer when the rows allow fewer (fewer than 3 rows, fewer than 2 feature
 * columns, or rows that vary along one direction only); null when they do not vary at all.
 */
function fitAxes(features: Matrix<Float64Array>): PcaModel | null {
  for (let k = Math.min(2, features.rows - 1, features.cols); k >= 1; k--) {
    try {
      return fitPca(features, { components: k });
    } catch {
      // Rank-deficient rows: try one axis fewer.
    }
  }
  return null;
}
