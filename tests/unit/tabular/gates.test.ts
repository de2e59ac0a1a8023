import { describe, expect, it } from 'vitest';
import { GATE_PRESETS, GATE_PRESET_NAMES, evaluateGates, meets } from '../../../src/domains/tabular/gates';
import { METRIC_KEYS, type MetricKey, type TabularMetrics } from '../../../src/domains/tabular/metrics/keys';
import { utility } from '../../../src/domains/tabular/utility';

function metrics(values: Partial<Record<MetricKey, number | null>>): TabularMetrics {
  return Object.fromEntries(
    METRIC_KEYS.map((k) => {
      const v = values[k];
      return [k, v === undefined || v === null ? { value: null, applicable: false } : { value: v, applicable: true }];
    }),
  ) as TabularMetrics;
}

const asText = (name: keyof typeof GATE_PRESETS) => GATE_PRESETS[name].gates.map((g) => `${g.metric} ${g.op} ${g.threshold}`);

describe('gate presets (docs/tabular.md, names as keys)', () => {
  it('has the three presets', () => {
    expect([...GATE_PRESET_NAMES]).toEqual(['seed003_adjusted', 'seed003_original', 'all_green']);
  });

  it('seed003_adjusted', () => {
    expect(asText('seed003_adjusted')).toEqual([
      'sum_error_max = 0', 'negatives = 0', 'constraint_violations = 0', 'target_in_range >= 0.95',
      'ks_median_p >= 0.001', 'corr_mae <= 0.2', 'class_balance_ratio <= 5', 'near_dup_rate <= 1', 'clip_rate <= 0.75',
    ]);
  });

  it('seed003_original: the same physics gates, stricter fidelity and privacy', () => {
    expect(asText('seed003_original')).toEqual([
      'sum_error_max = 0', 'negatives = 0', 'constraint_violations = 0', 'target_in_range >= 0.95',
      'ks_median_p >= 0.01', 'corr_mae <= 0.12', 'class_balance_ratio <= 2.5', 'near_dup_rate <= 0.03', 'clip_rate <= 0.05',
    ]);
  });

  it('all_green (the hospital team\'s thresholds)', () => {
    expect(asText('all_green')).toEqual(['ks_mean <= 0.1', 'corr_mae <= 0.1', 'mia_auc <= 0.6', 'dup_rate <= 0.05']);
  });
});

describe('evaluateGates', () => {
  it('returns metric, op, threshold, value and pass per gate, and all_green', () => {
    const r = evaluateGates(metrics({ ks_mean: 0.08, corr_mae: 0.1, mia_auc: 0.61, dup_rate: 0 }), 'all_green');
    expect(r.gates).toEqual([
      { metric: 'ks_mean', op: '<=', threshold: 0.1, value: 0.08, pass: true },
      { metric: 'corr_mae', op: '<=', threshold: 0.1, value: 0.1, pass: true },
      { metric: 'mia_auc', op: '<=', threshold: 0.6, value: 0.61, pass: false },
      { metric: 'dup_rate', op: '<=', threshold: 0.05, value: 0, pass: true },
    ]);
    expect(r.all_green).toBe(false);
  });

  it('a metric that does not apply does not block (value and pass null)', () => {
    const r = evaluateGates(
      metrics({ ks_median_p: 0.5, corr_mae: 0.05, class_balance_ratio: 2, near_dup_rate: 0.5, clip_rate: 0.3 }),
      GATE_PRESETS.seed003_adjusted,
    );
    expect(r.gates.filter((g) => g.pass === null).map((g) => g.metric)).toEqual(['sum_error_max', 'negatives', 'constraint_violations', 'target_in_range']);
    expect(r.gates.find((g) => g.metric === 'negatives')?.value).toBeNull();
    expect(r.all_green).toBe(true);
  });

  it('the physics gates are exact: one negative, one violation or any sum error fails', () => {
    const base = { ks_median_p: 0.5, corr_mae: 0.05, class_balance_ratio: 2, near_dup_rate: 0.5, clip_rate: 0.3, sum_error_max: 0, negatives: 0, constraint_violations: 0, target_in_range: 1 };
    expect(evaluateGates(metrics(base), 'seed003_adjusted').all_green).toBe(true);
    expect(evaluateGates(metrics({ ...base, negatives: 1 }), 'seed003_adjusted').all_green).toBe(false);
    expect(evaluateGates(metrics({ ...base, sum_error_max: 1e-6 }), 'seed003_adjusted').all_green).toBe(false);
    expect(evaluateGates(metrics({ ...base, class_balance_ratio: Infinity }), 'seed003_adjusted').all_green).toBe(false);
    expect(evaluateGates(metrics({ ...base, clip_rate: 0.3 }), 'seed003_original').all_green).toBe(false);
  });

  it('accepts an edited list of gates; NaN never passes', () => {
    const r = evaluateGates(metrics({ mmd2: NaN }), [{ metric: 'mmd2', op: '<=', threshold: 0.01 }]);
    expect(r.gates[0].pass).toBe(false);
    expect(meets(0.05, '>=', 0.05)).toBe(true);
  });
});

describe('utility (docs/tabular.md)', () => {
  it('is the mean of ks_complement_mean, corr_similarity and tv_complement_mean where they apply', () => {
    expect(utility(metrics({ ks_complement_mean: 0.9, corr_similarity: 0.95, tv_complement_mean: 0.85 }))).toBeCloseTo(0.9, 12);
    expect(utility(metrics({ ks_complement_mean: 0.9, corr_similarity: 0.96 }))).toBeCloseTo(0.93, 12);
    expect(utility(metrics({}))).toBeNull();
  });
});
