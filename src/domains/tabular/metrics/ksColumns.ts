import type { AlignedTable } from './columns';
import { ks2samp } from './ks2samp';
import { mean, median } from './statistics';
import { presentValues } from '../table';

export interface ColumnKs {
  column: string;
  statistic: number;
  pValue: number;
}

/**
 * ks_2samp of every numeric column, synthetic against train, on each side's present values (docs/tabular.md).
 * A column with no present synthetic value is as different as can be: D = 1, p = 0.
 */
export function ksPerColumn(train: AlignedTable, synthetic: AlignedTable): ColumnKs[] {
  return train.numeric.map((column, k) => {
    const a = presentValues(column.values);
    const b = presentValues(synthetic.numeric[k].values);
    if (b.length === 0) return { column: column.name, statistic: 1, pValue: 0 };
    const r = ks2samp(a, b);
    return { column: column.name, statistic: r.statistic, pValue: r.pValue };
  });
}

/** ks_mean: the mean KS statistic over numeric columns (null without numeric columns). */
export function ksMean(perColumn: readonly ColumnKs[]): number | null {
  return perColumn.length > 0 ? mean(perColumn.map((c) => c.statistic)) : null;
}

/** ks_complement_mean = 1 − ks_mean. */
export function ksComplementMean(perColumn: readonly ColumnKs[]): number | null {
  const m = ksMean(perColumn);
  return m === null ? null : 1 - m;
}

/** ks_median_p: the median p-value over numeric columns (numpy's median). */
export function ksMedianP(perColumn: readonly ColumnKs[]): number | null {
  return perColumn.length > 0 ? median(perColumn.map((c) => c.pValue)) : null;
}
