import type { ParameterSet, ParameterSpace } from '../space/space';
import type { ExperimentConfig } from './experimentConfig';
import { datasetDistributionFromConfig } from './space';

/**
 * A self-check asks: can this generator and this embedding recover settings at all? The real set is
 * made by the generator itself at one known setting (a simulated target whose real distribution is that
 * point: std 0, probability 1), and a short calibration has to find it again; the recovery error per
 * parameter is the answer. A parameter the loop cannot recover from its own images will not be pinned
 * down by real images either.
 */
export const SELF_CHECK_ITERATIONS = 6;

/** The setting a self-check uses by default: each numeric parameter's real mean (clipped to its bounds), each categorical's likeliest choice. */
export function realDistributionCentre(config: ExperimentConfig, space: ParameterSpace): ParameterSet {
  const distribution = datasetDistributionFromConfig(config, 'real');
  const out: Record<string, number | string> = {};
  for (const p of space.parameters) {
    const d = distribution[p.name];
    if (p.kind === 'categorical') {
      out[p.name] = d?.kind === 'categorical' ? Object.entries(d.probabilities).sort((a, b) => b[1] - a[1])[0][0] : p.choices[0];
    } else {
      const mean = d?.kind === 'normal' ? d.mean : (p.low + p.high) / 2;
      const clipped = Math.min(p.high, Math.max(p.low, mean));
      out[p.name] = p.kind === 'integer' ? Math.round(clipped) : clipped;
    }
  }
  return out;
}

/** The config of a self-check of `setting`: the real distribution collapsed onto it, a short budget (never more than the experiment's own). */
export function selfCheckConfig(config: ExperimentConfig, space: ParameterSpace, setting: ParameterSet, iterations = Math.min(SELF_CHECK_ITERATIONS, config.max_iterations)): ExperimentConfig {
  const real: Record<string, Record<string, number>> = {};
  for (const p of space.parameters) {
    const v = setting[p.name];
    real[p.name] = p.kind === 'categorical' ? Object.fromEntries(p.choices.map((c) => [c, c === v ? 1 : 0])) : { mean: Number(v), std: 0 };
  }
  return {
    ...config,
    experiment_name: `self-check of ${config.experiment_name}`,
    max_iterations: iterations,
    param_distributions: { ...config.param_distributions, real },
  } as ExperimentConfig;
}
