import { describe, expect, it } from 'vitest';
import { parseConstraints } from '../../../src/domains/tabular/constraints/parseConstraints';
import { validateConstraints } from '../../../src/domains/tabular/constraints/validateConstraints';
import { GATE_PRESETS, meets, type Gate } from '../../../src/domains/tabular/gates';
import { jitter } from '../../../src/domains/tabular/generators/jitter';
import { gaussianCopula } from '../../../src/domains/tabular/generators/gaussianCopula';
import { classQuotas } from '../../../src/domains/tabular/generators/sourceRows';
import type { Evaluation } from '../../../src/domains/tabular/loop/evaluation';
import { isBetter } from '../../../src/domains/tabular/loop/selection';
import { failureGroups } from '../../../src/domains/tabular/loop/failureTypes';
import { gateConstraint, gateValue, shortfall } from '../../../src/domains/tabular/loop/gateConstraints';
import { handRule } from '../../../src/domains/tabular/loop/handRules';
import { calibrateTable } from '../../../src/domains/tabular/loop/runCalibration';
import { canonicalSettings, defaultSettings, inactiveParameters, settingsContext, settingsSpace } from '../../../src/domains/tabular/loop/settingsSpace';
import { initialCount } from '../../../src/domains/tabular/loop/strategies';
import { assertInSpace } from '../../../src/engine/space/space';
import { categoricalColumn, fixtureTable, fixtureText } from './fixtures';

const fgl = fixtureTable('fgl.csv', { roles: { type: 'group' } });
const fglConstraints = validateConstraints(parseConstraints(fixtureText('fgl_constraints.yaml'), 'c.yaml'), fgl, 'c.yaml').constraints;
const glassContext = settingsContext(fgl, 'type');
const glassSpace = settingsSpace(glassContext);

function counts(values: ReadonlyArray<string | null>): number[] {
  const m = new Map<string | null, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m.values()];
}

describe('class balance: rows per class ∝ n_c^(1−α)', () => {
  it('keeps train shares at α = 0, equal counts at α = 1, the exact total always, and every class at α > 0', () => {
    expect(classQuotas([70, 20, 10], 100, 0)).toEqual([70, 20, 10]);
    expect(classQuotas([70, 20, 10], 99, 1)).toEqual([33, 33, 33]);
    const half = classQuotas([70, 20, 10], 100, 0.5);
    expect(half.reduce((a, b) => a + b, 0)).toBe(100);
    expect(half[0] / half[2]).toBeCloseTo(Math.sqrt(7), 0); // the ratio is (n_max/n_min)^(1−α)
    expect(classQuotas([1000, 1], 10, 0.01).every((c) => c >= 1)).toBe(true);
  });

  it('both generators share the rows out by it; 0 leaves their output as it was', () => {
    const equal = jitter(fgl, { k: 0.5 }, { seed: 1, rows: 300, classColumn: 'type', classBalance: 1 });
    expect(counts(categoricalColumn(equal.table, 'type').values)).toEqual([50, 50, 50, 50, 50, 50]);
    const copula = gaussianCopula(fgl, { shrinkage: 0.1, bandwidth: 0.1 }, { seed: 1, rows: 300, classColumn: 'type', classBalance: 1 });
    expect(counts(categoricalColumn(copula.table, 'type').values)).toEqual([50, 50, 50, 50, 50, 50]);
    expect(gaussianCopula(fgl, { shrinkage: 0.1, bandwidth: 0.1 }, { seed: 2, classColumn: 'type', classBalance: 0 })).toEqual(
      gaussianCopula(fgl, { shrinkage: 0.1, bandwidth: 0.1 }, { seed: 2, classColumn: 'type' }),
    );
  });
});

describe('the generator-settings space', () => {
  it('holds the generator and each generator\'s settings the table allows; the defaults are a point of it', () => {
    const vae = ['vae_epochs', 'vae_latent_size', 'vae_kl_weight', 'vae_learning_rate'];
    expect(glassSpace.parameters.map((p) => p.name)).toEqual(['generator', 'class_balance', 'jitter_k', 'jitter_per_class_mad', 'copula_shrinkage', 'copula_bandwidth', ...vae]);
    const wine = fixtureTable('wine.csv');
    expect(settingsSpace(settingsContext(wine, null)).parameters.map((p) => p.name)).toEqual(['generator', 'jitter_k', 'jitter_flip_probability', 'copula_shrinkage', 'copula_bandwidth', ...vae]);
    expect(() => assertInSpace(glassSpace, defaultSettings(glassContext))).not.toThrow();
    expect(defaultSettings(glassContext)).toMatchObject({ generator: 'jitter', jitter_k: 0.5, jitter_per_class_mad: 'yes', class_balance: 1 });
  });

  it('puts the settings a generator does not read at their defaults (one point per table a set makes)', () => {
    const vae = ['vae_epochs', 'vae_latent_size', 'vae_kl_weight', 'vae_learning_rate'];
    expect(inactiveParameters(glassSpace, 'jitter')).toEqual(['copula_shrinkage', 'copula_bandwidth', ...vae]);
    expect(inactiveParameters(glassSpace, 'gaussian_copula')).toEqual(['jitter_k', 'jitter_per_class_mad', ...vae]);
    const defaults = defaultSettings(glassContext);
    const set = { generator: 'gaussian_copula', class_balance: 0.3, jitter_k: 2, jitter_per_class_mad: 'no', copula_shrinkage: 0.4, copula_bandwidth: 0.2, vae_epochs: 70, vae_latent_size: 3, vae_kl_weight: 2, vae_learning_rate: 0.01 };
    expect(canonicalSettings(glassSpace, set, defaults)).toEqual({ ...set, jitter_k: 0.5, jitter_per_class_mad: 'yes', vae_epochs: 40, vae_latent_size: 8, vae_kl_weight: 1, vae_learning_rate: 0.005 });
  });

  it('bo starts with a quarter of its budget (2 to 8) of defaults and Sobol points', () => {
    expect([1, 6, 24, 100].map(initialCount)).toEqual([2, 2, 6, 8]);
  });
});

describe('gates as constraints of the optimizer', () => {
  const cases: Array<[Gate, number[]]> = [
    [{ metric: 'mia_auc', op: '<=', threshold: 0.6 }, [0.3, 0.6, 0.61, 0.9]],
    [{ metric: 'ks_median_p', op: '>=', threshold: 0.001 }, [0, 1e-40, 1e-4, 0.001, 0.5, 1]],
    [{ metric: 'class_balance_ratio', op: '<=', threshold: 5 }, [1, 4.99, 5, 5.01, 1e9, Infinity]],
    [{ metric: 'target_in_range', op: '>=', threshold: 0.95 }, [0.9, 0.95, 1]],
    [{ metric: 'negatives', op: '=', threshold: 0 }, [0, 1, 12]],
  ];

  it('c ≤ 0 exactly when the gate passes, c finite for every value (Infinity and p = 0 included)', () => {
    for (const [gate, values] of cases) {
      for (const v of values) {
        const c = gateConstraint(gate, v);
        expect(Number.isFinite(c)).toBe(true);
        expect(c <= 0).toBe(meets(v, gate.op, gate.threshold));
      }
    }
  });

  it('p-values and ratios on a log scale, the others linear; gateValue inverts gateConstraint', () => {
    expect(gateConstraint({ metric: 'ks_median_p', op: '>=', threshold: 0.001 }, 1e-6)).toBeCloseTo(3, 12);
    expect(gateConstraint({ metric: 'class_balance_ratio', op: '<=', threshold: 5 }, 50)).toBeCloseTo(1, 12);
    expect(gateConstraint({ metric: 'mia_auc', op: '<=', threshold: 0.6 }, 0.7)).toBeCloseTo(0.1, 12);
    for (const [gate, values] of cases) {
      if (gate.op === '=') {
        expect(gateValue(gate, -1)).toBeNull();
        continue;
      }
      for (const v of values.filter((x) => x > 1e-30 && x < 1e6)) expect(gateValue(gate, gateConstraint(gate, v))).toBeCloseTo(v, 9);
    }
  });

  it('shortfall: 0 when passing, relative to the threshold otherwise (decades on the log metrics)', () => {
    expect(shortfall({ metric: 'mia_auc', op: '<=', threshold: 0.6 }, 0.5)).toBe(0);
    expect(shortfall({ metric: 'mia_auc', op: '<=', threshold: 0.6 }, 0.9)).toBeCloseTo(0.5, 12);
    expect(shortfall({ metric: 'ks_median_p', op: '>=', threshold: 0.001 }, 1e-5)).toBeCloseTo(2, 12);
  });
});

describe('failure types and the hand rules', () => {
  const gates = (pairs: Array<[Gate, number]>) => pairs.map(([g, value]) => ({ ...g, value, pass: meets(value, g.op, g.threshold) }));

  it('groups failed gates by type in priority order (physics first), with the holdout floor', () => {
    const groups = failureGroups(
      gates([
        [{ metric: 'ks_mean', op: '<=', threshold: 0.1 }, 0.2],
        [{ metric: 'mia_auc', op: '<=', threshold: 0.6 }, 0.8],
        [{ metric: 'negatives', op: '=', threshold: 0 }, 3],
        [{ metric: 'dup_rate', op: '<=', threshold: 0.05 }, 0.01],
      ]),
      (m) => (m === 'mia_auc' ? 0.5 : null),
    );
    expect(groups.map((g) => g.type)).toEqual(['CONSTRAINT_VIOLATION', 'HIGH_KS', 'HIGH_MIA']);
    expect(groups[2].gates[0]).toMatchObject({ metric: 'mia_auc', value: 0.8, threshold: 0.6, floor: 0.5 });
  });

  const base = { ...defaultSettings(glassContext), class_balance: 0.2 };
  const group = (type: Parameters<typeof handRule>[0]['type'], shortfallValue = 0.3) => ({ type, gates: [{ metric: 'mia_auc' as const, op: '<=' as const, threshold: 0.6, value: 0.8, floor: 0.5, shortfall: shortfallValue }] });

  it('writes the users\' rules for jitter: more noise against MIA and duplicates, less against KS, correlation drift and the physics', () => {
    expect(handRule(group('HIGH_MIA'), base, glassContext)?.params.jitter_k).toBe(0.75);
    expect(handRule(group('HIGH_MIA', 2), base, glassContext)?.params.jitter_k).toBe(1); // a severe failure doubles the step
    expect(handRule(group('HIGH_KS'), base, glassContext)?.params.jitter_k).toBeCloseTo(0.3333, 4);
    expect(handRule(group('HIGH_CLIP_RATE'), base, glassContext)?.note).toBe('HIGH_CLIP_RATE: jitter_k 0.5 → 0.333');
    expect(handRule(group('CLASS_IMBALANCE'), base, glassContext)?.params.class_balance).toBe(1);
    // At a bound the rule switches generator (correlation drift) or gives way (null).
    expect(handRule(group('HIGH_CORR_DELTA'), { ...base, jitter_k: 0.05 }, glassContext)?.params.generator).toBe('gaussian_copula');
    expect(handRule(group('HIGH_KS'), { ...base, jitter_k: 0.05 }, glassContext)).toBeNull();
    expect(handRule(group('CLASS_IMBALANCE'), { ...base, class_balance: 1 }, glassContext)).toBeNull();
  });

  it('and for the copula: smoothing and shrinkage down against KS, bandwidth up against MIA, then a switch to jitter', () => {
    const copula = { ...base, generator: 'gaussian_copula', copula_bandwidth: 0.2, copula_shrinkage: 0.3 };
    expect(handRule(group('HIGH_MIA'), copula, glassContext)?.params.copula_bandwidth).toBeCloseTo(0.3, 12);
    expect(handRule(group('HIGH_KS'), copula, glassContext)?.params.copula_bandwidth).toBeCloseTo(0.1333, 4);
    expect(handRule(group('HIGH_KS'), { ...copula, copula_bandwidth: 0 }, glassContext)?.params.copula_shrinkage).toBeCloseTo(0.2, 12);
    expect(handRule(group('HIGH_KS'), { ...copula, copula_bandwidth: 0, copula_shrinkage: 0 }, glassContext)?.params.generator).toBe('jitter');
  });
});

describe('the selection rule', () => {
  const e = (index: number, allGreen: boolean, passed: number, utility: number | null, shortfall = 0) => ({ index, gates: { all_green: allGreen, gates: [] }, passed, utility, shortfall }) as unknown as Evaluation;
  it('all green first, then gates passed, then the total shortfall, then utility, then the earlier evaluation', () => {
    expect(isBetter(e(2, true, 4, 0.5), e(1, false, 4, 0.9))).toBe(true);
    expect(isBetter(e(2, false, 3, 0.5), e(1, false, 2, 0.9))).toBe(true);
    expect(isBetter(e(2, false, 3, 0.5, 0.1), e(1, false, 3, 0.9, 2))).toBe(true);
    expect(isBetter(e(2, true, 4, 0.9), e(1, true, 4, 0.8))).toBe(true);
    expect(isBetter(e(2, true, 4, 0.8), e(1, true, 4, 0.8))).toBe(false);
    expect(isBetter(e(2, true, 4, 0.1), e(1, true, 4, null))).toBe(true);
  });
});

describe('the calibration loop on the glass table', () => {
  const input = { real: fgl, constraints: fglConstraints, group: 'type', seed: 3 } as const;

  it('rules: starts from the defaults, applies a rule per failed evaluation, stops at the first all-green table', () => {
    const r = calibrateTable({ ...input, gates: 'all_green', strategy: 'rules', budget: 5 });
    expect(r.evaluations[0]).toMatchObject({ origin: 'default', params: defaultSettings(glassContext) });
    for (const e of r.evaluations.slice(1)) expect(e).toMatchObject({ origin: 'rule', note: expect.stringMatching(/^[A-Z_]+: /) });
    const adjusted = calibrateTable({ ...input, gates: 'seed003_adjusted', strategy: 'rules', budget: 5 });
    expect(adjusted.evaluations).toHaveLength(1); // the users' defaults pass their own adjusted gates
    expect(adjusted).toMatchObject({ stopped: 'all_green', failures: [] });
  });

  it('bo: defaults, Sobol, then model proposals with their predictions; the same seed gives the same run', () => {
    const run = () => calibrateTable({ ...input, gates: 'all_green', strategy: 'bo', budget: 10 });
    const a = run();
    expect(a.evaluations.map((e) => e.origin)).toEqual(['default', 'initial', 'initial', ...Array(7).fill('model')]); // initialCount(10) = 3
    for (const e of a.evaluations.slice(3)) expect(e.predicted).toMatchObject({ utility: expect.any(Number), p_all_green: expect.any(Number) });
    expect(a.evaluations.some((e) => e.gates.all_green)).toBe(true);
    expect(a.best.gates.all_green).toBe(true);
    const b = run();
    expect(b.evaluations.map((e) => e.params)).toEqual(a.evaluations.map((e) => e.params));
    expect(b.table).toEqual(a.table);
  });

  it('diagnoses a failed winner: types, the cause in words, and a suggestion from the model with predicted values', () => {
    const r = calibrateTable({ ...input, gates: 'seed003_original', strategy: 'random', budget: 6 });
    expect(r.best.gates.all_green).toBe(false);
    expect(r.failures.length).toBeGreaterThan(0);
    for (const f of r.failures) {
      expect(f.gates.length).toBeGreaterThan(0);
      expect(f.cause).toContain(f.gates[0].metric);
      expect(f.suggestion).toMatch(/the model of 6 evaluations predicts/);
      expect(f.suggested?.predicted.gates.map((g) => g.metric)).toContain(f.gates[0].metric);
    }
    const once = calibrateTable({ ...input, gates: 'seed003_original', strategy: 'rules', budget: 1 });
    expect(once.failures[0].suggestion).toMatch(/^Rule of thumb \(1 evaluation, too few for a model\)/);
    expect(once.failures[0].suggested).toBeNull();
  });

  it('refuses a --target or --group column the table does not have, naming it', () => {
    expect(() => calibrateTable({ ...input, group: 'kind', gates: 'all_green', strategy: 'random', budget: 1 })).toThrow(/column kind: the group names this column/);
  });

  it('every strategy keeps to the budget, and the written table keeps every glass type and the constraints', () => {
    for (const strategy of ['bo', 'rules', 'random'] as const) {
      const r = calibrateTable({ ...input, gates: 'seed003_original', strategy, budget: 4 });
      expect(r.evaluations.length).toBeLessThanOrEqual(4);
      expect(r.table.table.rowCount).toBe(214);
    }
    const r = calibrateTable({ ...input, gates: 'seed003_adjusted', strategy: 'bo', budget: 3, rows: 600 });
    expect(r.rows).toEqual({ real: 214, train: 171, holdout: 43, synthetic: 600 });
    expect(r.best.metrics.constraint_violations.value).toBe(0);
    expect(new Set(categoricalColumn(r.table.table, 'type').values).size).toBe(6);
  });
});

describe('gate presets used by the loop', () => {
  it('are the presets of gates.ts', () => {
    expect(Object.keys(GATE_PRESETS)).toEqual(['seed003_adjusted', 'seed003_original', 'all_green']);
  });
});
