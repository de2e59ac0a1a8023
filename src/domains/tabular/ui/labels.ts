import type { Gate, GatePresetName } from '../gates';
import type { GeneratorName } from '../generators/names';
import type { StrategyName } from '../loop/strategies';
import type { MetricKey } from '../metrics/keys';

/** How the page names the gate presets (their keys are the command line's). */
export const PRESET_LABELS: Readonly<Record<GatePresetName, string>> = {
  seed003_adjusted: 'Alloy team, adjusted (seed003_adjusted)',
  seed003_original: 'Alloy team, original (seed003_original)',
  all_green: 'All green: KS, correlation, MIA, duplicates (all_green)',
};

/** How the page names the generators, with what each costs (their keys are the report's). */
export const GENERATOR_LABELS: Readonly<Record<GeneratorName, { name: string; note: string }>> = {
  jitter: { name: 'Jitter', note: 'real rows plus noise: fast, interpretable' },
  gaussian_copula: { name: 'Gaussian copula', note: 'marginals and rank correlations: fast' },
  vae: { name: 'VAE', note: 'a small neural network trained per evaluation: about 10× slower' },
};

export const STRATEGY_LABELS: Readonly<Record<StrategyName, string>> = {
  bo: 'Constrained Bayesian optimisation',
  rules: 'Rule-based retry loop (the users’ baseline)',
  random: 'Random search',
};

/** Short names of the metrics for table headers (the keys are the report's). */
export const METRIC_LABELS: Partial<Record<MetricKey, string>> = {
  sum_error_max: 'sum error',
  negatives: 'negatives',
  constraint_violations: 'violations',
  target_in_range: 'target in range',
  ks_median_p: 'KS median p',
  ks_mean: 'KS mean',
  corr_mae: 'corr Δ',
  class_balance_ratio: 'class ratio',
  near_dup_rate: 'near dups',
  clip_rate: 'clip rate',
  mia_auc: 'MIA AUC',
  dup_rate: 'dups',
};

const OP_TEXT = { '<=': '≤', '>=': '≥', '=': '=' } as const;

/** "corr_mae ≤ 0.2". */
export function describeGate(gate: Pick<Gate, 'metric' | 'op' | 'threshold'>): string {
  return `${gate.metric} ${OP_TEXT[gate.op]} ${gate.threshold}`;
}

export function gateOpText(op: Gate['op']): string {
  return OP_TEXT[op];
}

/** A metric value for a table cell: 3 significant digits, integers as they are, ∞ for Infinity. */
export function formatMetric(v: number | null): string {
  if (v === null || Number.isNaN(v)) return '—';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(2) : Number(v.toPrecision(3)).toString();
}
