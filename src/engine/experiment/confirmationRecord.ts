import type { ParameterSet } from '../space/space';
import type { Confirmation, Verdict } from '../trust/confirmation';
import type { DetectableShift } from '../trust/detectableShift';
import type { FloorAtSizes } from '../trust/floorAtSizes';

/**
 * Why a confirmation ran: the threshold rule believed the loop had converged, the user asked, or the user
 * confirmed the distribution recipe by generating it (a mixture of sets, not one best set).
 */
export type ConfirmationTrigger = 'threshold' | 'user' | 'recipe';

/** The param_set_id a recipe confirmation's plan and record carry: it tests a mixture, not one set. */
export const RECIPE_CONFIRMATION_ID = 'recipe';

/** One set of a recipe confirmation: its own id in the confirmation iteration, the recipe's set it draws, how many samples. */
export interface RecipeConfirmationSet {
  /** The set's id in the confirmation iteration (its samples carry it). */
  param_set_id: string;
  /** The recipe's set it reproduces (RecipeSetRecord.param_set_id). */
  source_param_set_id: string;
  params: ParameterSet;
  /** Samples of this set among the m. */
  count: number;
}

/**
 * A confirmation iteration's plan, committed with it: which parameter set it confirms, why, and with
 * how many samples. Stored before any sample is made, so a reload resumes the same confirmation.
 */
export interface ConfirmationPlanRecord {
  trigger: ConfirmationTrigger;
  /** The confirmation's own parameter-set id (its samples carry it); RECIPE_CONFIRMATION_ID for a recipe. */
  param_set_id: string;
  /** m, the samples it generates (of the best set, or of the recipe's sets in all). */
  samples: number;
  /** A recipe confirmation: the recipe (RecipeRecord.id) and its sets with their counts, summing to m. */
  recipe?: { id: string; sets: RecipeConfirmationSet[] };
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
  /**
   * A recipe confirmation (trigger 'recipe'): the sets its m samples came from, with their counts;
   * param_set_id is then RECIPE_CONFIRMATION_ID and params is empty.
   */
  sets?: RecipeConfirmationSet[];
}

export function confirmationRecord(
  result: Confirmation,
  at: { iteration: number; trigger: ConfirmationTrigger; param_set_id: string; params: ParameterSet; seed: number; sets?: readonly RecipeConfirmationSet[] },
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
    ...(at.sets ? { sets: at.sets.map((set) => ({ ...set, params: { ...set.params } })) } : {}),
  };
}
