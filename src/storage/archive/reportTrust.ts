import type { ExperimentRecord, IterationRecord } from '../../engine/experiment/records';
import { regionTable } from './regionTable';
import { escapeXml as esc, formatNumber } from './svgPlots';

/**
 * The report's sections on how far the answer can be trusted beyond the best point: the plausible
 * region of the latest proposal (which settings are consistent with the real data, and which
 * parameters the embeddings cannot pin down) and the distribution recipe (a mixture of settings, with
 * its confirmation once generated).
 */

const fmt = (v: unknown): string => (typeof v === 'number' ? formatNumber(v) : String(v));

const NOT_IDENTIFIABLE_HINT = 'no: its plausible interval covers most of its range (more real samples, a different embedding, or fix it)';

function table(caption: string, head: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const th = head.map((h) => `<th>${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table><caption>${esc(caption)}</caption><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** "parameter, best, plausible interval, identifiable?" from the latest proposal's region. */
export function regionSection(iterations: readonly IterationRecord[]): string {
  const region = regionTable(iterations);
  if (!region) return '<p>No plausible region yet: it comes with the optimizer\'s proposals once a model is fitted.</p>';
  const intro = `<p>Settings where the model gives P(score ≤ δ = ${esc(formatNumber(region.tolerance))}) above ½ (δ: the confirmation's tolerance), from the proposal after iteration ${region.iteration}: ${esc(formatNumber(100 * region.share))} % of the space.</p>`;
  if (region.statement) return `${intro}\n<p>${esc(region.statement)}</p>`;
  const rows = region.rows.map((r) => [
    r.parameter,
    r.best === null ? '–' : fmt(r.best),
    Array.isArray(r.interval) && typeof r.interval[0] === 'number' ? `${fmt(r.interval[0])} … ${fmt(r.interval[1])}` : `{${(r.interval as string[]).join(', ')}}`,
    r.identifiable ? 'yes' : NOT_IDENTIFIABLE_HINT,
  ]);
  return `${intro}\n${table('Plausible region', ['parameter', 'best', 'plausible interval', 'identifiable?'], rows)}`;
}

/** The recipe's settings, weights and counts, its MMD² beside the best single setting's and δ, and its confirmation. */
export function recipeSection(experiment: ExperimentRecord): string {
  const recipe = experiment.recipe;
  if (!recipe) return '<p>No distribution recipe computed.</p>';
  const names = [...new Set(recipe.sets.flatMap((s) => Object.keys(s.params)))];
  const rows = recipe.sets.map((s) => [s.param_set_id, ...names.map((n) => fmt(s.params[n] ?? '')), formatNumber(s.weight), String(s.count)]);
  const floor = recipe.floor.source === 'floor' ? `the real-vs-real floor at ${recipe.floor.m} synthetic vs ${recipe.floor.n} real` : 'set in the config';
  const scores =
    `<p>Recipe MMD² ${esc(formatNumber(recipe.mmd2))} (unbiased ${esc(formatNumber(recipe.mmd2Unbiased))}); ` +
    `best single setting ${esc(recipe.bestSingle.param_set_id)}: ${esc(formatNumber(recipe.bestSingle.mmd2))} (unbiased ${esc(formatNumber(recipe.bestSingle.mmd2Unbiased))}); ` +
    `δ = ${esc(formatNumber(recipe.floor.delta))} (${esc(floor)}). Weights over ${recipe.candidates} scored settings through iteration ${recipe.throughIteration}; the file is recipe.yaml.</p>`;
  const confirmation = recipe.confirmation
    ? `<p>Generated and tested (iteration ${recipe.confirmation.iteration}): ${esc(recipe.confirmation.statement)}</p>`
    : '<p>Not confirmed yet: a recipe is trusted once a generated batch of it passes the confirmation test.</p>';
  return `${table(`Distribution recipe (${recipe.total} images)`, ['set', ...names, 'weight', 'count'], rows)}\n${scores}\n${confirmation}`;
}
