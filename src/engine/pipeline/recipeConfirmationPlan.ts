import type { ExperimentConfig } from '../config/experimentConfig';
import { RECIPE_CONFIRMATION_ID, type RecipeConfirmationSet } from '../experiment/confirmationRecord';
import type { RecipeRecord } from '../experiment/recipeRecord';
import type { ConfirmationPlanRecord, ParamSetRecord } from '../experiment/records';
import { formatParamSetId } from '../experiment/sample';
import { recipeCounts } from '../trust/recipeOutput';
import { confirmationSettings } from './confirmationPlan';

/**
 * Confirming a recipe by generating it: an iteration of its own, like a best set's confirmation
 * (confirmationPlan.ts), whose m samples come from the recipe's settings in its proportions — each
 * setting a confirmation set of its own with its count (largest-remainder rounding of weight · m, so a
 * setting with a small weight may get none), all tested together against the real set.
 *
 * What the samples are to the optimizer: each setting's samples are fresh draws of that setting, so each
 * is scored on its own and joins the surrogate as one observation of that setting with its count as
 * replicates (observations.ts). They are not one observation of one set: the mixture has no point in the
 * parameter space.
 */
export function planRecipeConfirmation(
  iteration: number,
  recipe: Pick<RecipeRecord, 'id' | 'sets'>,
  firstParamSetIndex: number,
  config: ExperimentConfig,
): { paramSets: ParamSetRecord[]; confirming: ConfirmationPlanRecord } {
  if (iteration < 1) throw new Error(`planRecipeConfirmation: iteration ${iteration}; a recipe is confirmed after iteration 0`);
  if (recipe.sets.length === 0) throw new Error('planRecipeConfirmation: the recipe has no set with a positive weight');
  const m = confirmationSettings(config).samples;
  const total = recipe.sets.reduce((a, s) => a + s.weight, 0);
  const counts = recipeCounts(recipe.sets.map((s) => s.weight / total), m);
  const sets: RecipeConfirmationSet[] = [];
  recipe.sets.forEach((set, j) => {
    if (counts[j] === 0) return;
    sets.push({ param_set_id: formatParamSetId(firstParamSetIndex + sets.length), source_param_set_id: set.param_set_id, params: { ...set.params }, count: counts[j] });
  });
  return {
    paramSets: sets.map((s) => ({ param_set_id: s.param_set_id, dataset_type: 'confirmation', params: { ...s.params }, samples: s.count })),
    confirming: { trigger: 'recipe', param_set_id: RECIPE_CONFIRMATION_ID, samples: m, recipe: { id: recipe.id, sets } },
  };
}
