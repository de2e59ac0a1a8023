import { DATASET_TYPES, type ExperimentConfig, type InitialDatasetType } from '../config/experimentConfig';
import { datasetDistributionFromConfig, parameterSpaceFromConfig } from '../config/space';
import type { ParamSetRecord } from '../experiment/records';
import { formatParamSetId, formatSampleId, type DatasetType } from '../experiment/sample';
import { sampleParameterSet } from '../../engine/space/sampling';
import type { ParameterSet } from '../../engine/space/space';
import { createRng } from '../../engine/random/rng';
import type { PositionRule } from '../voids/geometry';
import type { GenerationJob } from '../voids/metadata';
import { chooseBaseChip } from '../voids/sampleImage';

/**
 * Which parameter sets an iteration evaluates and which images it generates. Every choice is a pure
 * function of the config, the chip ids and the previous iteration's proposal, so an interrupted stage
 * is re-planned identically after a reload and only the missing images are made again.
 */
export interface IterationPlan {
  iteration: number;
  paramSets: ParamSetRecord[];
  jobs: GenerationJob[];
}

/**
 * Iteration 0 (seed 001): `real` (simulated target only; from the hidden real distribution), `close` and
 * `far` parameter sets drawn from their configured distributions, each with its replications.
 * Parameter-set ids run on across the experiment (ps_000, ps_001, …) so every set has one id.
 */
export function planIterationZero(config: ExperimentConfig, chipIds: readonly string[], simulatedReal: boolean): IterationPlan {
  const space = parameterSpaceFromConfig(config);
  const rng = createRng(config.random_seed).fork('iteration-0');
  const paramSets: ParamSetRecord[] = [];
  const replications: Record<string, number> = {};
  for (const dataset of DATASET_TYPES) {
    if (dataset === 'real' && !simulatedReal) continue;
    const distribution = datasetDistributionFromConfig(config, dataset);
    const draws = rng.fork(dataset);
    for (let i = 0; i < config[dataset].param_sets; i++) {
      const param_set_id = formatParamSetId(paramSets.length);
      paramSets.push({ param_set_id, dataset_type: dataset, params: sampleParameterSet(space, distribution, draws) });
      replications[param_set_id] = config[dataset].replications;
    }
  }
  return { iteration: 0, paramSets, jobs: jobsFor(0, paramSets, (id) => replications[id], config, chipIds) };
}

/**
 * Iteration n ≥ 1: the previous iteration's recommended parameter sets, `replications_per_iteration`
 * images each.
 */
export function planIteration(
  iteration: number,
  recommended: ReadonlyArray<{ params: ParameterSet; acquisitionValue?: number | null }>,
  firstParamSetIndex: number,
  config: ExperimentConfig,
  chipIds: readonly string[],
): IterationPlan {
  if (iteration < 1) throw new Error(`planIteration: iteration ${iteration}; iteration 0 is planned by planIterationZero`);
  const paramSets: ParamSetRecord[] = recommended.map((r, i) => ({
    param_set_id: formatParamSetId(firstParamSetIndex + i),
    dataset_type: 'synthetic',
    params: { ...r.params },
    ...(r.acquisitionValue !== undefined && r.acquisitionValue !== null ? { acquisitionValue: r.acquisitionValue } : {}),
  }));
  return { iteration, paramSets, jobs: jobsFor(iteration, paramSets, () => config.replications_per_iteration, config, chipIds) };
}

/**
 * The images of stored parameter sets (a resumed stage rebuilds its jobs from what was committed): the
 * configured replications of real/close/far sets at iteration 0, `replications_per_iteration` after.
 */
export function jobsForParamSets(iteration: number, paramSets: readonly ParamSetRecord[], config: ExperimentConfig, chipIds: readonly string[]): GenerationJob[] {
  const replications = (id: string) => {
    const type = paramSets.find((p) => p.param_set_id === id)?.dataset_type;
    return type === 'real' || type === 'close' || type === 'far' ? config[type].replications : config.replications_per_iteration;
  };
  return jobsFor(iteration, paramSets, replications, config, chipIds);
}

function jobsFor(
  iteration: number,
  paramSets: readonly ParamSetRecord[],
  replicationsOf: (paramSetId: string) => number,
  config: ExperimentConfig,
  chipIds: readonly string[],
): GenerationJob[] {
  const counters = new Map<DatasetType, number>();
  const jobs: GenerationJob[] = [];
  for (const set of paramSets) {
    for (let r = 0; r < replicationsOf(set.param_set_id); r++) {
      const index = counters.get(set.dataset_type) ?? 0;
      counters.set(set.dataset_type, index + 1);
      jobs.push({
        sample_id: formatSampleId(iteration, set.dataset_type, index),
        iteration,
        dataset_type: set.dataset_type,
        param_set_id: set.param_set_id,
        replication_seed: r,
        base_image_id: chooseBaseChip(chipIds, config.random_seed, set.param_set_id, r),
        params: set.params,
        position_rule: config.position_rule as PositionRule,
      });
    }
  }
  return jobs;
}

/** The jobs whose samples are not stored yet (resume after a reload: nothing lost, nothing twice). */
export function missingJobs(jobs: readonly GenerationJob[], storedSampleIds: ReadonlySet<string>): GenerationJob[] {
  return jobs.filter((j) => !storedSampleIds.has(j.sample_id));
}

/** Number of parameter sets planned so far: the next set's index. */
export function nextParamSetIndex(iterations: ReadonlyArray<{ paramSets: readonly ParamSetRecord[] }>): number {
  return iterations.reduce((n, it) => n + it.paramSets.length, 0);
}

export type { InitialDatasetType };
