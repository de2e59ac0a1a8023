import { describe, expect, it } from 'vitest';
import { parseConstraints } from '../../../src/domains/tabular/constraints/parseConstraints';
import { validateConstraints } from '../../../src/domains/tabular/constraints/validateConstraints';
import { GATE_PRESETS } from '../../../src/domains/tabular/gates';
import { rootCause } from '../../../src/domains/tabular/loop/causes';
import { evaluateSettings, type Evaluation } from '../../../src/domains/tabular/loop/evaluation';
import { failureGroups } from '../../../src/domains/tabular/loop/failureTypes';
import { handRule } from '../../../src/domains/tabular/loop/handRules';
import { calibrationReport } from '../../../src/domains/tabular/loop/report';
import { calibrateTable } from '../../../src/domains/tabular/loop/runCalibration';
import {
  GENERATOR_NAMES,
  VAE_DEFAULTS,
  canonicalSettings,
  defaultSettings,
  describeSettings,
  reportSettings,
  searchedGenerators,
  settingsContext,
  settingsSpace,
} from '../../../src/domains/tabular/loop/settingsSpace';
import { generateWith } from '../../../src/domains/tabular/loop/generateWith';
import { createStrategy } from '../../../src/domains/tabular/loop/strategies';
import { evaluateFloor, prepareReference } from '../../../src/domains/tabular/metrics/suite';
import { splitRows, splitTable } from '../../../src/domains/tabular/split';
import { assertInSpace } from '../../../src/engine/space/space';
import { fixtureTable, fixtureText } from './fixtures';

const fgl = fixtureTable('fgl.csv', { roles: { type: 'group' } });
const fglConstraints = validateConstraints(parseConstraints(fixtureText('fgl_constraints.yaml'), 'c.yaml'), fgl, 'c.yaml').constraints;
const context = settingsContext(fgl, 'type');
const space = settingsSpace(context);
const quickVae = { ...defaultSettings(context), generator: 'vae', vae_epochs: 10, vae_latent_size: 4 };

describe('the VAE among the searched generators', () => {
  it('is the third generator; its four settings join the space, at defaults the optimizer can hold it to', () => {
    expect(GENERATOR_NAMES).toEqual(['jitter', 'gaussian_copula', 'vae']);
    expect(space.parameters.find((p) => p.name === 'generator')).toMatchObject({ choices: ['jitter', 'gaussian_copula', 'vae'] });
    expect(space.parameters.filter((p) => p.name.startsWith('vae_')).map((p) => [p.name, p.kind])).toEqual([
      ['vae_epochs', 'integer'],
      ['vae_latent_size', 'integer'],
      ['vae_kl_weight', 'continuous'],
      ['vae_learning_rate', 'continuous'],
    ]);
    expect(defaultSettings(context)).toMatchObject({ generator: 'jitter', ...VAE_DEFAULTS });
    expect(() => assertInSpace(space, quickVae)).not.toThrow();
    // A VAE set's jitter and copula settings are put at their defaults, and the VAE's when another generator is chosen.
    const odd = { ...quickVae, jitter_k: 3, copula_bandwidth: 0.9 };
    expect(canonicalSettings(space, odd, defaultSettings(context))).toEqual(quickVae);
    expect(reportSettings(quickVae)).toEqual({ epochs: 10, latent_size: 4, kl_weight: 1, learning_rate: 0.005, class_balance: 1 });
    expect(describeSettings(quickVae)).toBe('vae epochs=10 latent_size=4 kl_weight=1 learning_rate=0.005 class_balance=1');
  });

  it('a context can leave it out: the space then holds only the other generators and their settings', () => {
    const without = settingsContext(fgl, 'type', ['jitter', 'gaussian_copula']);
    expect(searchedGenerators(without)).toEqual(['jitter', 'gaussian_copula']);
    expect(settingsSpace(without).parameters.map((p) => p.name)).toEqual(['generator', 'class_balance', 'jitter_k', 'jitter_per_class_mad', 'copula_shrinkage', 'copula_bandwidth']);
    expect(searchedGenerators(settingsContext(fgl, 'type'))).toEqual(GENERATOR_NAMES);
    const vaeOnly = settingsContext(fgl, 'type', ['vae']);
    expect(defaultSettings(vaeOnly)).toEqual({ generator: 'vae', class_balance: 1, ...VAE_DEFAULTS });
  });

  it('generateWith trains it with the set\'s settings, reproducibly, and passes the progress callback on', () => {
    const passes: number[] = [];
    const request = { rows: 120, seed: 4, constraints: fglConstraints };
    const a = generateWith(fgl, quickVae, context, { ...request, onProgress: (epoch) => passes.push(epoch) });
    expect(passes).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(a.table.rowCount).toBe(120);
    expect(generateWith(fgl, quickVae, context, request)).toEqual(a);
  });
});

describe('the loop with the VAE', () => {
  const parts = splitRows(fgl, splitTable(fgl, { seed: 2, stratifyBy: 'type' }));
  const reference = prepareReference(parts.train, parts.holdout, { constraints: fglConstraints, group: 'type', seed: 2 });
  const floor = evaluateFloor(reference);
  const request = { reference, context: settingsContext(parts.train, 'type'), preset: GATE_PRESETS.all_green, rows: 214, seed: 2 };
  const failuresOf = (e: Evaluation) => failureGroups(e.gates.gates, (m) => floor[m].value);
  const evaluation = evaluateSettings(request, 1, { params: quickVae, origin: 'default', note: null }).evaluation;

  it('evaluates a VAE set and says in words why a gate failed, naming its settings', () => {
    expect(evaluation.generator).toBe('vae');
    const group = { type: 'HIGH_CORR_DELTA' as const, gates: [{ metric: 'corr_mae' as const, op: '<=' as const, threshold: 0.1, value: 0.2, floor: 0.05, shortfall: 1 }] };
    expect(rootCause(group, evaluation)).toMatch(/the VAE \(10 epochs, latent size 4, KL weight 1\) carries the dependence between columns only through its latent code/);
    for (const group of failuresOf(evaluation)) expect(rootCause(group, evaluation)).toContain(group.gates[0].metric);
  });

  it('the hand rules read the VAE\'s settings: more passes, a larger latent space, a heavier KL term, or a switch', () => {
    const group = (type: Parameters<typeof handRule>[0]['type'], shortfall = 0.3) => ({ type, gates: [{ metric: 'mia_auc' as const, op: '<=' as const, threshold: 0.6, value: 0.8, floor: 0.5, shortfall }] });
    const set = { ...quickVae, vae_epochs: 40, vae_latent_size: 8, vae_kl_weight: 1 };
    expect(handRule(group('HIGH_KS'), set, context)?.params.vae_epochs).toBe(60);
    expect(handRule(group('HIGH_KS', 2), { ...set, vae_epochs: 20 }, context)?.params.vae_epochs).toBe(40); // a severe failure doubles the step
    expect(handRule(group('HIGH_KS'), { ...set, vae_epochs: 60 }, context)?.params.generator).toBe('jitter'); // at the most passes: a switch
    expect(handRule(group('HIGH_CORR_DELTA'), set, context)?.params.vae_latent_size).toBe(12);
    expect(handRule(group('HIGH_MIA'), set, context)?.note).toBe('HIGH_MIA: vae_kl_weight 1 → 1.5');
    expect(handRule(group('HIGH_MIA'), { ...set, vae_kl_weight: 4 }, context)?.params.generator).toBe('gaussian_copula');
    expect(handRule(group('HIGH_MIA'), { ...set, vae_kl_weight: 4 }, settingsContext(fgl, 'type', ['jitter', 'vae']))).toBeNull();
    expect(handRule(group('TARGET_OUT_OF_RANGE'), set, context)?.params.generator).toBe('jitter');
    expect(handRule(group('CLASS_IMBALANCE'), { ...set, class_balance: 0.2 }, context)?.params.class_balance).toBe(1);
  });

  it('bo over a space without the VAE never proposes it; the rules loop never switches to it', () => {
    const without = settingsContext(parts.train, 'type', ['jitter', 'gaussian_copula']);
    const withoutSpace = settingsSpace(without);
    const defaults = defaultSettings(without);
    const strategy = createStrategy('bo', { space: withoutSpace, context: without, defaults, preset: GATE_PRESETS.all_green, budget: 6, seed: 2, failuresOf });
    const history: Evaluation[] = [];
    for (let i = 0; i < 6; i++) {
      const proposal = strategy.next(history);
      if (!proposal) break;
      history.push(evaluateSettings({ ...request, context: without }, i + 1, { ...proposal, params: canonicalSettings(withoutSpace, proposal.params, defaults) }).evaluation);
    }
    expect(history).toHaveLength(6);
    expect(history.every((e) => e.generator !== 'vae')).toBe(true);
    const rules = calibrateTable({ real: fgl, constraints: fglConstraints, group: 'type', seed: 3, gates: 'all_green', strategy: 'rules', budget: 6 });
    expect(rules.evaluations.every((e) => e.generator !== 'vae')).toBe(true);
  });

  it('the report lists the VAE among the generators searched', () => {
    const r = calibrateTable({ real: fgl, constraints: fglConstraints, group: 'type', seed: 3, gates: 'seed003_adjusted', strategy: 'rules', budget: 1 });
    const report = calibrationReport(r, { input: 'fgl.csv', constraints: null, target: null, group: 'type' });
    expect(report.generators_searched).toEqual(['jitter', 'gaussian_copula', 'vae']);
    expect(report.notes[0]).toMatch(/^Generators searched: jitter \(a train row plus noise\), the Gaussian copula and a tabular VAE/);
  });
});
