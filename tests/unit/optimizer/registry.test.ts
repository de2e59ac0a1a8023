import { afterEach, describe, expect, it } from 'vitest';
import {
  acquisitionNames,
  getAcquisition,
  initialDesign,
  PROPOSAL_STRATEGIES,
  proposeBatch,
  registerAcquisition,
  type ModelAcquisition,
  type ModelFreeAcquisition,
  type Observation,
  type ProposeBatchInput,
} from '../../../src/engine/optimizer';
import { experimentConfigSchema } from '../../../src/engine/config/experimentConfig';
import { decodeParameters, spaceLayout } from '../../../src/engine/optimizer/encoding';
import { createRng } from '../../../src/engine/random/rng';
import { assertInSpace, parameterSetKey } from '../../../src/engine/space/space';
import { voidSpace } from './voidSpace';

const rng = createRng(4);
const observations: Observation[] = initialDesign(voidSpace, 16, 3).map((params) => ({
  params,
  score: ((Number(params.base_size) - 20) / 35) ** 2 + ((Number(params.brightness_factor) - 0.6) / 0.5) ** 2 + 0.02 * rng.normal(),
}));
const input = (acquisition: string, extra: Partial<ProposeBatchInput> = {}): ProposeBatchInput => ({
  space: voidSpace,
  observations,
  iteration: 2,
  maxIterations: 10,
  acquisition,
  batchSize: 6,
  seed: 3,
  ...extra,
});

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

describe('acquisition registry', () => {
  it('holds every built-in strategy, under its own name, and the configuration offers exactly those', () => {
    expect(acquisitionNames().slice(0, PROPOSAL_STRATEGIES.length)).toEqual([...PROPOSAL_STRATEGIES]);
    for (const name of PROPOSAL_STRATEGIES) expect(getAcquisition(name).name).toBe(name);
    expect(PROPOSAL_STRATEGIES.filter((name) => !getAcquisition(name).needsModel)).toEqual(['random', 'sobol']);
    expect(experimentConfigSchema.shape.acquisition_function.unwrap().options).toEqual([...PROPOSAL_STRATEGIES]);
  });

  it('refuses a second registration of a name and an unknown name', () => {
    expect(() => registerAcquisition({ ...getAcquisition('ucb') })).toThrow(/already registered/);
    expect(() => proposeBatch(input('no-such-acquisition'))).toThrow(/unknown acquisition "no-such-acquisition"/);
  });

  it('a registered test-only acquisition (the posterior mean) is what proposeBatch maximises', () => {
    let calls = 0;
    // Pure exploitation: a(x) = −μ(x), ∇a = −∇μ.
    const posteriorMean: ModelAcquisition = {
      name: 'posterior-mean',
      needsModel: true,
      value: (_state, mean) => {
        calls++;
        return -mean;
      },
      valueAndGradient: (_state, mean, _variance, gradMean, _gradVariance, out) => {
        calls++;
        for (let c = 0; c < out.length; c++) out[c] = -gradMean[c];
        return -mean;
      },
    };
    cleanups.push(registerAcquisition(posteriorMean));

    // Without the noise probe: its re-evaluation of the best set is not the acquisition's choice
    // (noiseProbe.test.ts covers it).
    const out = proposeBatch(input('posterior-mean', { settings: { noiseProbe: false } }));
    expect(calls).toBeGreaterThan(1000); // every raw candidate, then the polish
    expect(out.diagnostics.strategy).toBe('posterior-mean');
    expect(out.diagnostics.beta).toBeNull(); // no exploration weight
    expect(out.next_params).toHaveLength(6);
    const seen = new Set(observations.map((o) => parameterSetKey(voidSpace, o.params)));
    for (const { params, acquisitionValue } of out.next_params) {
      expect(() => assertInSpace(voidSpace, params)).not.toThrow();
      expect(seen.has(parameterSetKey(voidSpace, params))).toBe(false);
      seen.add(parameterSetKey(voidSpace, params));
      expect(Number.isFinite(acquisitionValue)).toBe(true);
    }
    // A fantasy at the believed mean leaves μ unchanged, so every member scores −μ of the same model:
    // the first is the best.
    for (const p of out.next_params) expect(p.acquisitionValue!).toBeLessThanOrEqual(out.next_params[0].acquisitionValue! + 1e-9);
    expect(out.next_params).not.toEqual(proposeBatch(input('ucb')).next_params);

    // Too few observations for a model: the model-free fallback, as for the built-ins.
    const early = proposeBatch(input('posterior-mean', { observations: observations.slice(0, 1) }));
    expect(early.diagnostics.strategy).toBe('sobol');
  });

  it('a registered model-free acquisition proposes without a model', () => {
    const layout = spaceLayout(voidSpace);
    const centre: ModelFreeAcquisition = {
      name: 'centre',
      needsModel: false,
      propose: ({ layout: l, count, exclusion }) => {
        const x = Float64Array.from({ length: l.dimension }, () => 0.5);
        return count > 0 && !exclusion.has(x) ? [x] : [];
      },
    };
    cleanups.push(registerAcquisition(centre));
    const out = proposeBatch(input('centre', { observations: [] }));
    expect(out.diagnostics.strategy).toBe('centre');
    expect(out.next_params).toEqual([{ params: decodeParameters(layout, new Float64Array(layout.dimension).fill(0.5)), acquisitionValue: null, acquisition: 'centre' }]);
    expect(out.diagnostics.warnings.join(' ')).toMatch(/Only 1 of 6/);
  });

  it('an unregistered acquisition is gone', () => {
    const remove = registerAcquisition({ ...getAcquisition('ei'), name: 'ei-copy' } as ModelAcquisition);
    const copy = proposeBatch(input('ei-copy')).next_params;
    // Every member the copy chose is named after it (a re-evaluation, the noise probe, names none).
    expect(copy.map((p) => p.acquisition)).toEqual(copy.map((p) => (p.acquisitionValue === null ? undefined : 'ei-copy')));
    expect(copy.map(({ params, acquisitionValue }) => ({ params, acquisitionValue }))).toEqual(proposeBatch(input('ei')).next_params.map(({ params, acquisitionValue }) => ({ params, acquisitionValue })));
    remove();
    expect(() => proposeBatch(input('ei-copy'))).toThrow(/unknown acquisition/);
  });
});
