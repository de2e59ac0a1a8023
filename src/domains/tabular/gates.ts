import type { MetricKey, TabularMetrics } from './metrics/keys';

export type GateOp = '<=' | '>=' | '=';

export interface Gate {
  readonly metric: MetricKey;
  readonly op: GateOp;
  readonly threshold: number;
}

export interface GatePreset {
  readonly name: GatePresetName;
  readonly gates: readonly Gate[];
}

export const GATE_PRESET_NAMES = ['seed003_adjusted', 'seed003_original', 'all_green'] as const;
export type GatePresetName = (typeof GATE_PRESET_NAMES)[number];

/** The alloy team's physics gates, the same in its adjusted and original thresholds. */
const PHYSICS: readonly Gate[] = [
  { metric: 'sum_error_max', op: '=', threshold: 0 },
  { metric: 'negatives', op: '=', threshold: 0 },
  { metric: 'constraint_violations', op: '=', threshold: 0 },
  { metric: 'target_in_range', op: '>=', threshold: 0.95 },
];

/** The gate presets of docs/tabular.md, by name. */
export const GATE_PRESETS: Readonly<Record<GatePresetName, GatePreset>> = {
  seed003_adjusted: {
    name: 'seed003_adjusted',
    gates: [
      ...PHYSICS,
      { metric: 'ks_median_p', op: '>=', threshold: 0.001 },
      { metric: 'corr_mae', op: '<=', threshold: 0.2 },
      { metric: 'class_balance_ratio', op: '<=', threshold: 5.0 },
      { metric: 'near_dup_rate', op: '<=', threshold: 1.0 },
      { metric: 'clip_rate', op: '<=', threshold: 0.75 },
    ],
  },
  seed003_original: {
    name: 'seed003_original',
    gates: [
      ...PHYSICS,
      { metric: 'ks_median_p', op: '>=', threshold: 0.01 },
      { metric: 'corr_mae', op: '<=', threshold: 0.12 },
      { metric: 'class_balance_ratio', op: '<=', threshold: 2.5 },
      { metric: 'near_dup_rate', op: '<=', threshold: 0.03 },
      { metric: 'clip_rate', op: '<=', threshold: 0.05 },
    ],
  },
  all_green: {
    name: 'all_green',
    gates: [
      { metric: 'ks_mean', op: '<=', threshold: 0.1 },
      { metric: 'corr_mae', op: '<=', threshold: 0.1 },
      { metric: 'mia_auc', op: '<=', threshold: 0.6 },
      { metric: 'dup_rate', op: '<=', threshold: 0.05 },
    ],
  },
};

export interface GateResult {
  metric: MetricKey;
  op: GateOp;
  threshold: number;
  /** The metric's value; null when it does not apply to the table. */
  value: number | null;
  /** Whether the value meets the threshold; null when the metric does not apply (it does not block). */
  pass: boolean | null;
}

export interface GateEvaluation {
  gates: GateResult[];
  /** Every applicable gate passes (docs/tabular.md: non-applicable metrics do not block). */
  all_green: boolean;
}

/** Whether `value op threshold` holds; a NaN value never passes. `=` is exact: the gated counts and sum_error_max are exact zeros when met. */
export function meets(value: number, op: GateOp, threshold: number): boolean {
  if (Number.isNaN(value)) return false;
  if (op === '<=') return value <= threshold;
  if (op === '>=') return value >= threshold;
  return value === threshold;
}

/** Each gate of a preset (or of a list of gates: presets are editable) against the metrics. */
export function evaluateGates(metrics: TabularMetrics, preset: GatePreset | GatePresetName | readonly Gate[]): GateEvaluation {
  const gates = typeof preset === 'string' ? GATE_PRESETS[preset].gates : 'gates' in preset ? preset.gates : preset;
  const results = gates.map((g): GateResult => {
    const m = metrics[g.metric];
    if (!m || !m.applicable || m.value === null) return { metric: g.metric, op: g.op, threshold: g.threshold, value: null, pass: null };
    return { metric: g.metric, op: g.op, threshold: g.threshold, value: m.value, pass: meets(m.value, g.op, g.threshold) };
  });
  return { gates: results, all_green: results.every((r) => r.pass !== false) };
}
