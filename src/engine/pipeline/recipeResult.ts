import type { RecipeRecord } from '../experiment/recipeRecord';
import type { ConfirmationTolerance } from '../optimizer/convergence';
import { hashSeed } from '../random/rng';
import type { DistributionRecipe } from '../trust/recipe';
import { recipeCounts, recipeYaml } from '../trust/recipeOutput';
import type { RecipeCandidate } from './recipeCandidates';

/** What a recipe record is made of besides the solver's answer. */
export interface RecipeRecordInput {
  experimentId: string;
  /** The candidates the weights are for, aligned with `recipe.weights`. */
  candidates: readonly Pick<RecipeCandidate, 'param_set_id' | 'param_set_ids' | 'params' | 'vectors'>[];
  recipe: DistributionRecipe;
  /** Images to count for. */
  total: number;
  floor: ConfirmationTolerance;
  bandwidth: number;
  throughIteration: number;
  computedAt: string;
}

/** A positive whole number of images (what a requested total must be). */
export function checkRecipeTotal(total: number): number {
  if (!Number.isSafeInteger(total) || total < 1) throw new Error(`the recipe's total must be a whole number of images ≥ 1, got ${total}`);
  return total;
}

/** The stored recipe: the settings with a positive weight, their counts for `total`, the scores and the YAML. */
export function recipeRecordFrom(input: RecipeRecordInput): RecipeRecord {
  const { candidates, recipe } = input;
  const total = checkRecipeTotal(input.total);
  if (candidates.length !== recipe.weights.length) throw new Error(`recipeRecordFrom: ${candidates.length} candidates for ${recipe.weights.length} weights`);
  const counts = recipeCounts(recipe.weights, total);
  const best = candidates[recipe.bestSingle.index];
  const yaml = recipeYaml({
    sets: candidates.map((c) => ({ param_set_id: c.param_set_id, params: c.params })),
    recipe,
    total,
    bandwidth: input.bandwidth,
  });
  return {
    // Names this computation (a confirmation planned from it carries it): the experiment, the time and the weights.
    id: `recipe_${hashSeed(input.experimentId, input.computedAt, ...recipe.weights).toString(16).padStart(8, '0')}`,
    computedAt: input.computedAt,
    throughIteration: input.throughIteration,
    bandwidth: input.bandwidth,
    candidates: candidates.length,
    sets: candidates
      .map((c, j) => ({ c, j }))
      .filter(({ j }) => recipe.weights[j] > 0)
      .map(({ c, j }) => ({ param_set_id: c.param_set_id, param_set_ids: [...c.param_set_ids], params: { ...c.params }, samples: c.vectors.length, weight: recipe.weights[j], count: counts[j] })),
    total,
    mmd2: recipe.mmd2,
    mmd2Unbiased: recipe.mmd2Unbiased,
    bestSingle: { param_set_id: best.param_set_id, params: { ...best.params }, mmd2: recipe.bestSingle.mmd2, mmd2Unbiased: recipe.bestSingle.mmd2Unbiased },
    floor: { ...input.floor },
    gap: recipe.gap,
    yaml,
  };
}
