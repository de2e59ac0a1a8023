import { meets, type Gate } from '../gates';
import type { MetricKey } from '../metrics/keys';

/**
 * A gate as a constraint of the optimizer: a finite number c that is ≤ 0 exactly when the gate passes,
 * on a scale a GP can model.
 * - `<=` and `>=`: the signed distance past the threshold, c = g(v) − g(t) or g(t) − g(v);
 * - g is log10 for the metrics whose values span decades — ks_median_p (a p-value: 1e-12 and 1e-3 fail
 *   alike, but a linear scale would see only the passing end), floored at 1e-30, and class_balance_ratio
 *   (Infinity when a class is lost), capped at 1e6 — and the identity otherwise;
 * - `=` (the physics counts and sum_error_max, whose passing value 0 is also their least): c = −1 when
 *   the gate passes and +1 when it does not — a pass/fail label, which the GP turns into a probability.
 */
const LOG_SCALE: Partial<Record<MetricKey, { low: number; high: number }>> = {
  ks_median_p: { low: 1e-30, high: 1 },
  class_balance_ratio: { low: 1, high: 1e6 },
};

function scale(metric: MetricKey, v: number): number {
  const range = LOG_SCALE[metric];
  if (!range) return v;
  return Math.log10(Math.min(range.high, Math.max(range.low, v)));
}

function unscale(metric: MetricKey, s: number): number {
  return LOG_SCALE[metric] ? Math.pow(10, s) : s;
}

/** The constraint value of a gate at a metric value (NaN for NaN: the caller replaces it). */
export function gateConstraint(gate: Gate, value: number): number {
  if (Number.isNaN(value)) return NaN;
  if (gate.op === '=') return meets(value, gate.op, gate.threshold) ? -1 : 1;
  const d = scale(gate.metric, value) - scale(gate.metric, gate.threshold);
  return gate.op === '<=' ? d : -d;
}

/** The metric value at which a gate's constraint is c (the inverse of gateConstraint); null for `=` gates. */
export function gateValue(gate: Gate, c: number): number | null {
  if (gate.op === '=') return null;
  const t = scale(gate.metric, gate.threshold);
  return unscale(gate.metric, gate.op === '<=' ? t + c : t - c);
}

/**
 * How far a failing value misses its threshold, relative: |v − t| / |t| (|v − t| when t is 0), or the
 * decades it misses by on the log-scaled metrics; 1 for a failed `=` gate of threshold 0 that is off by
 * more than 1. Used to order failures and to size a rule's step; 0 when the gate passes.
 */
export function shortfall(gate: Gate, value: number): number {
  if (meets(value, gate.op, gate.threshold)) return 0;
  if (!Number.isFinite(value)) return Infinity;
  if (LOG_SCALE[gate.metric]) return Math.abs(gateConstraint(gate, value));
  const gap = Math.abs(value - gate.threshold);
  return gate.threshold === 0 ? Math.min(gap, 1) : gap / Math.abs(gate.threshold);
}
