import type { TabularMetrics } from './metrics/keys';

/**
 * The utility the optimizer maximises by default (docs/tabular.md): the mean of ks_complement_mean,
 * corr_similarity and, when the table has categorical columns, tv_complement_mean — each over those of
 * them that apply. Null when none applies. (`−mmd2` is the option.)
 */
export function utility(metrics: TabularMetrics): number | null {
  const parts = [metrics.ks_complement_mean, metrics.corr_similarity, metrics.tv_complement_mean].filter((m) => m.applicable && m.value !== null);
  if (parts.length === 0) return null;
  return parts.reduce((s, m) => s + (m.value as number), 0) / parts.length;
}
