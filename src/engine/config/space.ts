import type { ParameterDistribution, SpaceDistribution } from '../space/sampling';
import { defineSpace, type ParameterSpace, type ParameterSpec } from '../space/space';
import type { ExperimentConfig, InitialDatasetType } from './experimentConfig';

/** The parameter space a configuration describes, in its `param_bounds` order. */
export function parameterSpaceFromConfig(config: ExperimentConfig): ParameterSpace {
  const specs: ParameterSpec[] = Object.entries(config.param_bounds).map(([name, bounds]) => {
    if (typeof bounds[0] === 'string') return { kind: 'categorical', name, choices: bounds as string[] };
    const [low, high] = bounds as [number, number];
    return { kind: config.param_types[name] === 'integer' ? 'integer' : 'continuous', name, low, high };
  });
  return defineSpace(specs);
}

/** The sampling distribution of one iteration-0 dataset (real, close or far). */
export function datasetDistributionFromConfig(config: ExperimentConfig, dataset: InitialDatasetType): SpaceDistribution {
  const out: Record<string, ParameterDistribution> = {};
  for (const [name, d] of Object.entries(config.param_distributions[dataset])) {
    if ('mean' in d && 'std' in d && typeof d.mean === 'number' && typeof d.std === 'number') {
      out[name] = { kind: 'normal', mean: d.mean, std: d.std };
    } else {
      out[name] = { kind: 'categorical', probabilities: d as Record<string, number> };
    }
  }
  return out;
}
