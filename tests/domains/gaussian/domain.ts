import { defaultExperimentConfig, type ExperimentConfig } from '../../../src/engine/config/experimentConfig';
import { parameterSpaceFromConfig } from '../../../src/engine/config/space';
import type { Domain } from '../../../src/engine/domain';
import { createRng, hashSeed } from '../../../src/engine/random/rng';

/**
 * A test-only domain: each sample is one 3-D vector drawn from N(mean · 1, spread² · I), and the
 * parameters are that mean and spread. It proves the seam: it lives in this folder alone, and the
 * engine and the service run it end to end without knowing what it is.
 */
export const DIMENSION = 3;

function gaussianConfig(): ExperimentConfig {
  const base = defaultExperimentConfig();
  return {
    ...base,
    experiment_name: 'gaussian_test',
    real: { param_sets: 4, replications: 4, total_size: 16 },
    close: { param_sets: 4, replications: 4, total_size: 16 },
    far: { param_sets: 4, replications: 4, total_size: 16 },
    iteration_batch_size: 3,
    replications_per_iteration: 4,
    max_iterations: 4,
    param_bounds: { mean: [-2, 2], spread: [0.2, 2] },
    param_types: {},
    param_distributions: {
      real: { mean: { mean: 0.5, std: 0.02 }, spread: { mean: 0.6, std: 0.02 } },
      close: { mean: { mean: 0.2, std: 0.3 }, spread: { mean: 0.8, std: 0.2 } },
      far: { mean: { mean: -1.5, std: 0.3 }, spread: { mean: 1.6, std: 0.2 } },
    },
    // Run to the budget: an absolute threshold nothing reaches.
    convergence_rule: 'absolute',
    convergence_threshold: -10,
  };
}

export const gaussianDomain: Domain = {
  id: 'gaussian',
  label: '3-D Gaussian',
  observation: 'vector',
  inputs: [],
  defaultConfig: gaussianConfig,
  space: parameterSpaceFromConfig,
  job: (request) => ({ ...request, fields: {} }),
  generate(job) {
    const rng = createRng(hashSeed('gaussian', job.params.mean, job.params.spread, job.replication_seed, job.param_set_id));
    const mean = Number(job.params.mean);
    const spread = Number(job.params.spread);
    const vector = Float32Array.from({ length: DIMENSION }, () => rng.normal(mean, spread));
    return { vector, metadata: { draw: 'normal' } };
  },
};
