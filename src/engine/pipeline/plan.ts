import { DATASET_TYPES, type ExperimentConfig, type InitialDatasetType } from '../config/experimentConfig';
import { datasetDistributionFromConfig, parameterSpaceFromConfig } from '../config/space';
import type { SampleRequest } from '../domain';
import type { ParamSetRecord } from '../experiment/records';
import { formatParamSetId, formatSampleId, type DatasetType } from '../experiment/sample';
import { sampleParameterSet } from '../space/sampling';
import type { ParameterSet } from '../space/space';
import { createRng } from '../random/rng';
import { confirmationReplicateSeed, confirmationSettings } from './confirmationPlan';

/**
 * Which parameter sets an iteration evaluates and which samples it asks for. Every choice is a pure
 * function of the config and the previous iteration's proposal, so an interrupted stage is re-planned
 * identically after a reload and only the missing samples are made again.
 */
export interface IterationPlan {
  iteration: number;
  paramSets: ParamSetRecord[];
  requests: SampleRequest[];
}

/**
 * Iteration 0: `real` (simulated target only; from the hidden real distribution), `close` and `far`
 * parameter sets drawn from their configured distributions, each with its replications. Parameter-set
 * ids run on across the experiment (ps_000, ps_001, …) so every set has one id.
 */
export function planIterationZero(config: ExperimentConfig, simulatedReal: boolean): IterationPlan {
  const space = parameterSpaceFromConfig(config);
  const rng = createRng(config.random_seed).fork('iteration-0');
  const paramSets: ParamSetRecord[] = [];
  for (const dataset of DATASET_TYPES) {
    if (dataset === 'real' && !simulatedReal) continue;
    const distribution = datasetDistributionFromConfig(config, dataset);
    const draws = rng.fork(dataset);
    for (let i = 0; i < config[dataset].param_sets; i++) {
      paramSets.push({ param_set_id: formatParamSetId(paramSets.length), dataset_type: dataset, params: sampleParameterSet(space, distribution, draws) });
    }
  }
  return { iteration: 0, paramSets, requests: requestsForParamSets(0, paramSets, config) };
}

/** Iteration n ≥ 1: the previous iteration's recommended parameter sets, `replications_per_iteration` samples each. */
export function planIteration(
  iteration: number,
  recommended: ReadonlyArray<{ params: ParameterSet; acquisitionValue?: number | null }>,
  firstParamSetIndex: number,
  config: ExperimentConfig,
): IterationPlan {
  if (iteration < 1) throw new Error(`planIteration: iteration ${iteration}; iteration 0 is planned by planIterationZero`);
  const paramSets: ParamSetRecord[] = recommended.map((r, i) => ({
    param_set_id: formatParamSetId(firstParamSetIndex + i),
    dataset_type: 'synthetic',
    params: { ...r.params },
    ...(r.acquisitionValue !== undefined && r.acquisitionValue !== null ? { acquisitionValue: r.acquisitionValue } : {}),
  }));
  return { iteration, paramSets, requests: requestsForParamSets(iteration, paramSets, config) };
}

/**
 * How many replicates a parameter set gets: its iteration-0 dataset's replications, replications_per_iteration
 * for a batch's set, confirmation_samples for a confirmation.
 */
export function replicationsOf(dataset: DatasetType, config: ExperimentConfig): number {
  if (dataset === 'synthetic') return config.replications_per_iteration;
  if (dataset === 'confirmation') return confirmationSettings(config).samples;
  return config[dataset as InitialDatasetType].replications;
}

/**
 * The samples of stored parameter sets (a resumed stage rebuilds its requests from what was committed):
 * a set's own `samples` count when it has one, else its dataset type's. A confirmation sample's seed is
 * hashed from its running index in the iteration, so a recipe confirmation's sets never share one.
 */
export function requestsForParamSets(iteration: number, paramSets: readonly ParamSetRecord[], config: ExperimentConfig): SampleRequest[] {
  const counters = new Map<DatasetType, number>();
  const requests: SampleRequest[] = [];
  for (const set of paramSets) {
    const count = set.samples ?? replicationsOf(set.dataset_type, config);
    for (let r = 0; r < count; r++) {
      const index = counters.get(set.dataset_type) ?? 0;
      counters.set(set.dataset_type, index + 1);
      requests.push({
        sample_id: formatSampleId(iteration, set.dataset_type, index),
        iteration,
        dataset_type: set.dataset_type,
        param_set_id: set.param_set_id,
        replication_seed: set.dataset_type === 'confirmation' ? confirmationReplicateSeed(config, iteration, index) : r,
        params: set.params,
      });
    }
  }
  return requests;
}

/** The requests whose samples are not stored yet (resume after a reload: nothing lost, nothing twice). */
export function missingRequests<T extends { sample_id: string }>(requests: readonly T[], storedSampleIds: ReadonlySet<string>): T[] {
  return requests.filter((j) => !storedSampleIds.has(j.sample_id));
}

/** Number of parameter sets planned so far: the next set's index. */
export function nextParamSetIndex(iterations: ReadonlyArray<{ paramSets: readonly ParamSetRecord[] }>): number {
  return iterations.reduce((n, it) => n + it.paramSets.length, 0);
}
