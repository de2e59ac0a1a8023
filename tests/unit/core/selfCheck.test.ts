import { describe, expect, it } from 'vitest';
import { voidsDomain } from '../../../src/domains/voids/domain';
import { parseExperimentConfig } from '../../../src/engine/config/experimentConfig';
import { realDistributionCentre, selfCheckConfig, SELF_CHECK_ITERATIONS } from '../../../src/engine/config/selfCheck';
import { planIterationZero } from '../../../src/engine/pipeline/plan';

describe('a self-check: the generator makes the real set at one known setting', () => {
  const config = voidsDomain.defaultConfig();
  const space = voidsDomain.space(config);

  it('defaults to the real distribution\'s centre: the means (integers rounded) and the likeliest choice', () => {
    expect(realDistributionCentre(config, space)).toEqual({ void_shape: 'ellipse', void_count: 8, base_size: 20, brightness_factor: 0.6, size_std: 7, position_spread: 0.5 });
  });

  it('collapses the real distribution onto the setting: a valid config whose hidden real sets all equal it, with a short budget', () => {
    const setting = { void_shape: 'irregular', void_count: 12, base_size: 14.5, brightness_factor: 0.45, size_std: 3, position_spread: 0.3 };
    const check = selfCheckConfig(config, space, setting);
    const parsed = parseExperimentConfig(check, voidsDomain.configSection);
    expect(parsed.ok).toBe(true);
    expect(check.max_iterations).toBe(SELF_CHECK_ITERATIONS);
    expect(check.param_distributions.close).toEqual(config.param_distributions.close);
    const real = planIterationZero(check, true).paramSets.filter((p) => p.dataset_type === 'real');
    expect(real.length).toBe(config.real.param_sets);
    for (const p of real) expect(p.params).toEqual(setting);
  });
});
