import { stringify } from 'yaml';
import type { ParameterSet } from '../space/space';
import type { DistributionRecipe } from './recipe';

/**
 * Turning recipe weights into image counts and into a YAML file a generator can follow. Pure functions:
 * text in, text out.
 */

/**
 * Integer counts per set summing exactly to `total`, by largest-remainder (Hamilton) rounding: each set
 * gets ⌊w_j·total⌋, and the units left over go one each to the sets with the largest fractional parts
 * w_j·total − ⌊w_j·total⌋ (ties: larger weight first, then lower index). Every count is therefore the
 * floor or the ceiling of its exact share, |count_j − w_j·total| < 1, and a set with weight 0 gets 0.
 * A set with a small positive weight may get 0 images when its share is below the others' remainders.
 * `weights` must be finite, ≥ 0, and sum to 1 within 1e-9 (a recipe's weights do, to rounding).
 */
export function recipeCounts(weights: readonly number[], total: number): number[] {
  const fn = 'recipeCounts';
  if (!Array.isArray(weights) || weights.length === 0) throw new Error(`${fn}: argument \`weights\` is empty; needs one weight per set`);
  let sum = 0;
  weights.forEach((w, j) => {
    if (!(typeof w === 'number' && Number.isFinite(w) && w >= 0)) throw new Error(`${fn}: argument \`weights\` has ${w} at index ${j}; weights are finite and ≥ 0`);
    sum += w;
  });
  if (!(Math.abs(sum - 1) <= 1e-9)) throw new Error(`${fn}: argument \`weights\` sums to ${sum}, not 1`);
  if (!Number.isSafeInteger(total) || total < 0) throw new Error(`${fn}: argument \`total\` must be a non-negative integer, got ${total}`);

  const shares = weights.map((w) => (w / sum) * total);
  const counts = shares.map((s) => Math.floor(s));
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = weights
    .map((w, j) => j)
    .filter((j) => weights[j] > 0)
    .sort((p, q) => shares[q] - counts[q] - (shares[p] - counts[p]) || weights[q] - weights[p] || p - q);
  // `left` < the number of sets with a positive fractional part, except through rounding of the shares;
  // the loop hands out any excess in the same order.
  for (let i = 0; left > 0; i = (i + 1) % order.length, left--) counts[order[i]]++;
  return counts;
}

export interface RecipeSetInfo {
  /** The parameter set's id as the experiment records it (e.g. `ps_0007`). */
  readonly param_set_id: string;
  readonly params: ParameterSet;
}

export interface RecipeYamlInput {
  /** One per scored set, in the order the recipe was computed (aligned with `recipe.weights`). */
  readonly sets: readonly RecipeSetInfo[];
  readonly recipe: Pick<DistributionRecipe, 'weights' | 'mmd2' | 'mmd2Unbiased' | 'gap'> & { readonly bestSingle: { index: number; mmd2: number; mmd2Unbiased?: number } };
  /** Images to generate in all. */
  readonly total: number;
  /** The Gaussian kernel's σ the recipe used, written for the record. */
  readonly bandwidth?: number;
}

/**
 * One YAML scalar that YAML 1.2 readers (the `yaml` package) and YAML 1.1 readers (PyYAML, which a Python
 * user will reach for) read alike. Strings: the `yaml` package quotes them with the 1.1 rules, so ids like
 * `yes`, `on` or `1_000` stay strings. Numbers: the shortest round-trip decimal, with `.0` put before a
 * bare exponent (`1e-15` → `1.0e-15`), because YAML 1.1's float pattern needs a dot and PyYAML would
 * otherwise read the value as a string; non-finite values as `.nan`, `.inf`, `-.inf`.
 */
function scalar(value: string | number): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf';
    const text = String(value);
    return /^-?\d+e/.test(text) ? text.replace('e', '.0e') : text;
  }
  return stringify(value, { lineWidth: 0, version: '1.1' }).trimEnd();
}

/**
 * The recipe as YAML: the totals and scores, then the sets with a positive weight in input order, each
 * with param_set_id, parameters, weight and count (recipeCounts for `total`). Sets with weight 0 are
 * left out: the recipe draws nothing from them.
 */
export function recipeYaml(input: RecipeYamlInput): string {
  const fn = 'recipeYaml';
  const { sets, recipe, total } = input;
  if (sets.length !== recipe.weights.length) {
    throw new Error(`${fn}: argument \`sets\` has ${sets.length} entries but the recipe has ${recipe.weights.length} weights`);
  }
  const counts = recipeCounts(recipe.weights, total);
  const best = sets[recipe.bestSingle.index];
  const lines = [
    '# Distribution recipe: generate `count` images with each parameter set; the weights minimise the',
    '# MMD² (fixed Gaussian kernel) between the pooled mixture and the real set over the scored sets.',
    `total: ${scalar(total)}`,
  ];
  if (input.bandwidth !== undefined) lines.push(`bandwidth: ${scalar(input.bandwidth)}`);
  lines.push(`mmd2: ${scalar(recipe.mmd2)}`, `mmd2_unbiased: ${scalar(recipe.mmd2Unbiased)}`, `duality_gap: ${scalar(recipe.gap)}`);
  lines.push('best_single:', `  param_set_id: ${scalar(best.param_set_id)}`, `  mmd2: ${scalar(recipe.bestSingle.mmd2)}`);
  if (recipe.bestSingle.mmd2Unbiased !== undefined) lines.push(`  mmd2_unbiased: ${scalar(recipe.bestSingle.mmd2Unbiased)}`);
  lines.push('sets:');
  sets.forEach((set, j) => {
    if (!(recipe.weights[j] > 0)) return;
    lines.push(`  - param_set_id: ${scalar(set.param_set_id)}`);
    const names = Object.keys(set.params);
    if (names.length === 0) lines.push('    parameters: {}');
    else {
      lines.push('    parameters:');
      for (const name of names) lines.push(`      ${scalar(name)}: ${scalar(set.params[name])}`);
    }
    lines.push(`    weight: ${scalar(recipe.weights[j])}`, `    count: ${counts[j]}`);
  });
  return lines.join('\n') + '\n';
}
