import type { ConfirmationTolerance } from '../optimizer/convergence';
import type { ParameterSet } from '../space/space';
import type { ConfirmationRecord } from './confirmationRecord';

/**
 * The distribution recipe as an experiment stores it (engine/trust/recipe.ts computes it): mixture
 * weights over the scored parameter settings whose pooled samples sit closest to the real set with the
 * fixed kernel, how many images of each make a requested total, its MMD² beside the best single set's
 * and the floor, the YAML a generator follows, and — once generated — its confirmation. Plain data.
 */

/** One setting of the recipe (weight > 0). */
export interface RecipeSetRecord {
  /** The setting's id: the first stored set with these parameters. */
  param_set_id: string;
  /** Every stored set with these parameters; their samples were pooled into one (the same distribution). */
  param_set_ids: string[];
  params: ParameterSet;
  /** Samples pooled for its kernel means. */
  samples: number;
  /** Mixture weight (the sets' weights sum to 1). */
  weight: number;
  /** Images of this setting for `total` (largest-remainder rounding; engine/trust/recipeOutput.ts). */
  count: number;
}

export interface RecipeRecord {
  /** Identifies this computation: a confirmation planned from it names it, so a later recipe does not claim it. */
  id: string;
  computedAt: string;
  /** The last iteration whose scored sets were candidates. */
  throughIteration: number;
  /** σ of the fixed Gaussian kernel (the experiment's, from iteration 0). */
  bandwidth: number;
  /** Distinct scored settings the weights were chosen over. */
  candidates: number;
  /** Settings with a positive weight, in candidate order (iteration, then set). */
  sets: RecipeSetRecord[];
  /** Images the counts are for (default: the confirmation's m). */
  total: number;
  /** The objective wᵀAw − 2wᵀb + c at the weights (biased toward mixing by the sets' self-pairs; see recipe.ts). */
  mmd2: number;
  /** The unbiased MMD² of the mixture at these weights (within-set self-pairs removed). */
  mmd2Unbiased: number;
  /** The best single setting by the same objective, and its unbiased MMD². */
  bestSingle: { param_set_id: string; params: ParameterSet; mmd2: number; mmd2Unbiased: number };
  /** δ at the confirmation's sizes (m vs n): what a generated recipe is tested against. */
  floor: ConfirmationTolerance;
  /** The solver's Frank–Wolfe duality gap: an upper bound on the objective's distance to its minimum. */
  gap: number;
  /** recipe.yaml: the settings, weights and counts for `total` (engine/trust/recipeOutput.ts). */
  yaml: string;
  /** The confirmation of this recipe by generating it (trigger 'recipe'), once run. */
  confirmation?: ConfirmationRecord;
}
