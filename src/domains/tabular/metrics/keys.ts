/** The metric keys of the table of docs/tabular.md, in its order: report keys, gate names and the suite's output. */
export const METRIC_KEYS = [
  'ks_mean',
  'ks_complement_mean',
  'ks_median_p',
  'tv_complement_mean',
  'corr_mae',
  'corr_similarity',
  'contingency_similarity',
  'mmd2',
  'detection_auc',
  'sum_error_max',
  'negatives',
  'constraint_violations',
  'target_in_range',
  'class_balance_ratio',
  'clip_rate',
  'dup_rate',
  'near_dup_rate',
  'dcr_median',
  'dcr_baseline_protection',
  'dcr_overfitting_protection',
  'new_row_synthesis',
  'mia_auc',
] as const;

export type MetricKey = (typeof METRIC_KEYS)[number];

/**
 * One metric's result. A metric undefined for the table (no numeric target, no class column, nothing
 * declared to check, …) is `{value: null, applicable: false}` and never blocks all green (docs/tabular.md).
 * `class_balance_ratio` is Infinity when a class of train is absent (JSON writers must spell it out).
 * `spread` is mia_auc's: the standard deviation over its seeded draws.
 */
export interface MetricValue {
  value: number | null;
  applicable: boolean;
  spread?: number;
}

export type TabularMetrics = Record<MetricKey, MetricValue>;

export function metricValue(value: number | null): MetricValue {
  return value === null ? { value: null, applicable: false } : { value, applicable: true };
}
