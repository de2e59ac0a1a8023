import type { GateResult } from '../gates';
import type { MetricKey } from '../metrics/keys';
import { shortfall } from './gateConstraints';

/**
 * The failure types of a failed evaluation: the users' own four (HIGH_KS, HIGH_CORR_DELTA, HIGH_MIA,
 * HIGH_DUP_RATE) and one per kind of physics gate (CONSTRAINT_VIOLATION, TARGET_OUT_OF_RANGE,
 * CLASS_IMBALANCE, HIGH_CLIP_RATE). Every metric maps to one type, so an edited preset's gate is
 * classified too. The list's order is the rules loop's priority: physics first, then the users' order.
 */
export const FAILURE_TYPES = ['CONSTRAINT_VIOLATION', 'CLASS_IMBALANCE', 'HIGH_KS', 'HIGH_CORR_DELTA', 'HIGH_MIA', 'HIGH_DUP_RATE', 'TARGET_OUT_OF_RANGE', 'HIGH_CLIP_RATE'] as const;
export type FailureType = (typeof FAILURE_TYPES)[number];

export const FAILURE_TYPE_OF: Readonly<Record<MetricKey, FailureType>> = {
  ks_mean: 'HIGH_KS',
  ks_complement_mean: 'HIGH_KS',
  ks_median_p: 'HIGH_KS',
  tv_complement_mean: 'HIGH_KS',
  contingency_similarity: 'HIGH_KS',
  mmd2: 'HIGH_KS',
  detection_auc: 'HIGH_KS',
  corr_mae: 'HIGH_CORR_DELTA',
  corr_similarity: 'HIGH_CORR_DELTA',
  sum_error_max: 'CONSTRAINT_VIOLATION',
  negatives: 'CONSTRAINT_VIOLATION',
  constraint_violations: 'CONSTRAINT_VIOLATION',
  target_in_range: 'TARGET_OUT_OF_RANGE',
  class_balance_ratio: 'CLASS_IMBALANCE',
  clip_rate: 'HIGH_CLIP_RATE',
  dup_rate: 'HIGH_DUP_RATE',
  near_dup_rate: 'HIGH_DUP_RATE',
  dcr_median: 'HIGH_MIA',
  dcr_baseline_protection: 'HIGH_MIA',
  dcr_overfitting_protection: 'HIGH_MIA',
  new_row_synthesis: 'HIGH_DUP_RATE',
  mia_auc: 'HIGH_MIA',
};

export interface FailedGate {
  metric: MetricKey;
  op: GateResult['op'];
  threshold: number;
  value: number;
  /** The holdout's value of the metric (what real data scores), or null. */
  floor: number | null;
  /** How far it misses, relative (gateConstraints.shortfall). */
  shortfall: number;
}

export interface FailureGroup {
  type: FailureType;
  gates: FailedGate[];
}

/** The failed gates grouped by failure type, in FAILURE_TYPES order (gates in preset order within one). */
export function failureGroups(gates: readonly GateResult[], floor: (metric: MetricKey) => number | null): FailureGroup[] {
  const groups = new Map<FailureType, FailedGate[]>();
  for (const g of gates) {
    if (g.pass !== false || g.value === null) continue;
    const type = FAILURE_TYPE_OF[g.metric];
    const failed: FailedGate = { metric: g.metric, op: g.op, threshold: g.threshold, value: g.value, floor: floor(g.metric), shortfall: shortfall(g, g.value) };
    groups.set(type, [...(groups.get(type) ?? []), failed]);
  }
  return FAILURE_TYPES.filter((t) => groups.has(t)).map((type) => ({ type, gates: groups.get(type) as FailedGate[] }));
}
