import { CONFIRMATION_DEFAULTS, CONFIRMATION_SAMPLES_RANGE, type ExperimentConfig } from '../config/experimentConfig';
import type { ConfirmationPlanRecord, ConfirmationTrigger, IterationRecord, ParamSetRecord } from '../experiment/records';
import { formatParamSetId } from '../experiment/sample';
import { hashSeed } from '../random/rng';
import { parameterSetKey, type ParameterSet, type ParameterSpace } from '../space/space';

/**
 * A confirmation is an iteration of its own: one parameter set — the optimizer's best so far — with m
 * fresh samples (dataset_type 'confirmation'), scored like any set and tested against the real set
 * (engine/trust/confirmation.ts). It runs through the same committed stages as a batch (planned, sampled,
 * analysed, proposed), so a Stop or a reload resumes it without losing or repeating a sample. It is not
 * a batch: the budget (max_iterations) and the plateau count batches only.
 */

export interface ConfirmationSettings {
  /** m, samples of the best set. */
  samples: number;
  /** α of the permutation test. */
  alpha: number;
  /** δ set in the config (kernel units), or null for the real-vs-real floor at (m, n). */
  delta: number | null;
}

/** The config's confirmation keys; a config stored before they existed reads as the defaults. */
export function confirmationSettings(config: ExperimentConfig): ConfirmationSettings {
  const given = config as Partial<ExperimentConfig>;
  const samples = given.confirmation_samples ?? CONFIRMATION_DEFAULTS.confirmation_samples;
  if (!Number.isInteger(samples) || samples < CONFIRMATION_SAMPLES_RANGE[0] || samples > CONFIRMATION_SAMPLES_RANGE[1]) {
    throw new Error(`confirmation_samples: ${samples} is not a whole number from ${CONFIRMATION_SAMPLES_RANGE[0]} to ${CONFIRMATION_SAMPLES_RANGE[1]}`);
  }
  return {
    samples,
    alpha: given.confirmation_alpha ?? CONFIRMATION_DEFAULTS.confirmation_alpha,
    delta: given.confirmation_delta ?? CONFIRMATION_DEFAULTS.confirmation_delta,
  };
}

export function isConfirmationIteration(iteration: Pick<IterationRecord, 'confirming'>): boolean {
  return iteration.confirming !== undefined;
}

/**
 * Optimizer batches run up to the latest iteration: its number less the confirmations among iterations
 * 1… (what max_iterations limits). Without confirmations, the latest iteration's number.
 */
export function batchesRun(iterations: ReadonlyArray<Pick<IterationRecord, 'iteration' | 'confirming'>>): number {
  const latest = iterations.reduce((n, it) => Math.max(n, it.iteration), 0);
  return latest - iterations.filter((it) => it.iteration >= 1 && isConfirmationIteration(it)).length;
}

/** The set a confirmation after this iteration tests: the optimizer's best (lowest posterior mean), or null before there is one. */
export function bestToConfirm(iteration: Pick<IterationRecord, 'proposal'> | undefined): ParameterSet | null {
  const best = iteration?.proposal?.current_best[0];
  return best ? { ...best.params } : null;
}

/**
 * Whether a confirmation has tested this parameter set before (threshold or user, any verdict). A recipe
 * confirmation tested a mixture, not its sets one by one: it does not count for them.
 */
export function wasConfirmed(iterations: readonly IterationRecord[], space: ParameterSpace, params: ParameterSet): boolean {
  const key = parameterSetKey(space, params);
  return iterations.some((it) => it.confirming && it.paramSets.some((set) => set.param_set_id === it.confirming!.param_set_id && parameterSetKey(space, set.params) === key));
}

/**
 * The replicate seed of a confirmation sample: a hash of the experiment seed, the iteration and the
 * sample's index in the iteration. Batches use 0…r−1; a confirmation must not: with the same parameters,
 * replicate 0…2 would repeat the very images that made the set look best, and the test would partly
 * re-use them.
 */
export function confirmationReplicateSeed(config: ExperimentConfig, iteration: number, replicate: number): number {
  return hashSeed(config.random_seed, 'confirmation-replicate', iteration, replicate);
}

/**
 * The seed of the confirmation test (permutations, bootstrap, floor splits, power simulations): one per
 * experiment, so δ — which depends only on the real set, m and this seed — is the same number in the
 * threshold rule and in every confirmation's statement.
 */
export function confirmationTestSeed(config: ExperimentConfig): number {
  return hashSeed(config.random_seed, 'confirmation-test');
}

/** The plan of a confirmation iteration: the one set it makes m samples of, and why. */
export function planConfirmation(
  iteration: number,
  params: ParameterSet,
  firstParamSetIndex: number,
  config: ExperimentConfig,
  trigger: ConfirmationTrigger,
): { paramSets: ParamSetRecord[]; confirming: ConfirmationPlanRecord } {
  if (iteration < 1) throw new Error(`planConfirmation: iteration ${iteration}; a confirmation follows an iteration with a best set`);
  const param_set_id = formatParamSetId(firstParamSetIndex);
  return {
    paramSets: [{ param_set_id, dataset_type: 'confirmation', params: { ...params } }],
    confirming: { trigger, param_set_id, samples: confirmationSettings(config).samples },
  };
}
