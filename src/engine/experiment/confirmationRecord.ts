import type { ParameterSet } from '../space/space';
import type { Confirmation, Verdict } from '../trust/confirmation';
import type { DetectableShift } from '../trust/detectableShift';
import type { FloorAtSizes } from '../trust/floorAtSizes';

/** Why a confirmation ran: the threshold rule believed the loop had converged, or the user asked. */
export type ConfirmationTrigger = 'threshold' | 'user';

/**
 * A confirmation iteration's plan, committed with it: which parameter set it confirms, why, and with
 * how many samples. Stored before any sample is made, so a reload resumes the same confirmation.
 */
export interface ConfirmationPlanRecord {
  trigger: ConfirmationTrigger;
  /** The confirmation's own parameter-set id (its samples carry it). */
  param_set_id: string;
  /** m, the samples of the best set it generates. */
  samples: number;
}

/**
 * The outcome of a confirmation as stored on its iteration and, the latest, on the experiment: the
 * two-sample test of m fresh samples of the best set against the n real ones (engine/trust/confirmation.ts)
 * with every number its statement rests on.
 */
export interface ConfirmationRecord {
  /** The iteration that ran it. */
  iteration: number;
  trigger: ConfirmationTrigger;
  param_set_id: string;
  params: ParameterSet;
  /** Synthetic (m) and real (n) sample counts. */
  m: number;
  n: number;
  /** Unbiased MMD² of the m samples against the n real ones (kernel units, the experiment's fixed bandwidth). */
  mmd2: number;
  /** Percentile bootstrap interval of the MMD² (level 0.9 by default). */
  interval: { low: number; high: number; level: number; resamples: number };
  /** Permutation p-value, (1 + b)/(1 + P). */
  p: number;
  permutations: number;
  alpha: number;
  /** The tolerance δ (kernel units) and where it came from. */
  delta: number;
  deltaSource: 'floor' | 'user';
  /** The real-vs-real floor behind δ (null when the config set δ). */
  floor: FloorAtSizes | null;
  verdict: Verdict;
  /** Starts with the verdict words and carries the numbers (engine/trust/confirmationStatement.ts). */
  statement: string;
  /** The smallest mean shift the test catches with 80 % power at these sizes (null when not computed). */
  detectableShift: DetectableShift | null;
  /** Seed of the test's permutations, bootstrap, floor splits and power simulations. */
  seed: number;
}

export function confirmationRecord(
  result: Confirmation,
  at: { iteration: number; trigger: ConfirmationTrigger; param_set_id: string; params: ParameterSet; seed: number },
): ConfirmationRecord {
  return {
    iteration: at.iteration,
    trigger: at.trigger,
    param_set_id: at.param_set_id,
    params: { ...at.params },
    m: result.sizes.synthetic,
    n: result.sizes.real,
    mmd2: result.mmd2,
    interval: { ...result.interval },
    p: result.pValue,
    permutations: result.permutations,
    alpha: result.alpha,
    delta: result.delta,
    deltaSource: result.deltaSource,
    floor: result.floor,
    verdict: result.verdict,
    statement: result.statement,
    detectableShift: result.detectable,
    seed: at.seed,
  };
}
