import type { ExperimentRecord, RecipeRecord } from '../engine/experiment/records';
import { confirmationDelta } from '../engine/pipeline/confirmationTest';
import { recipeCandidates } from '../engine/pipeline/recipeCandidates';
import { recipeRecordFrom } from '../engine/pipeline/recipeResult';
import { distributionRecipe } from '../engine/trust/recipe';
import { domainOf, type DomainRegistry } from './domains';
import { embeddingMatrix, realSetMatrix } from './matrices';
import type { AnalysisService, CallOptions, PipelineStore } from './pipelineServices';

/**
 * The distribution recipe of an experiment from what it stored: the scored sets' embeddings (settings
 * with the same parameters pooled), the real set and the fixed kernel, solved in the analysis service
 * (the analyze worker in the page; on this thread when the service has no `recipe`), with δ at the
 * confirmation's sizes beside it. Computes; storing is the caller's.
 */
export async function computeRecipe(
  deps: { store: PipelineStore; analysis: AnalysisService; domains: DomainRegistry },
  experiment: ExperimentRecord,
  options: { total: number; computedAt: string } & CallOptions,
): Promise<RecipeRecord> {
  const scoring = experiment.scoring;
  if (!scoring) throw new Error('the kernel is not fixed yet: run iteration 0 first');
  const [iterations, samples] = await Promise.all([deps.store.getIterations(experiment.id), deps.store.getSamples(experiment.id)]);
  const space = domainOf(deps.domains, experiment).space(experiment.config);
  const candidates = recipeCandidates(space, iterations, samples);
  if (candidates.length === 0) throw new Error('no parameter set is scored yet');
  const real = realSetMatrix(samples.filter((s) => s.iteration === 0));
  const input = { sets: candidates.map((c) => embeddingMatrix(c.vectors)), real, bandwidth: scoring.bandwidth };
  const recipe = deps.analysis.recipe ? await deps.analysis.recipe(input, { signal: options.signal, onProgress: options.onProgress }) : distributionRecipe(input.sets, input.real, input.bandwidth);
  const analysed = iterations.filter((it) => it.stage === 'analysed' || it.stage === 'proposed');
  return recipeRecordFrom({
    experimentId: experiment.id,
    candidates,
    recipe,
    total: options.total,
    floor: confirmationDelta(experiment.config, real, scoring.bandwidth),
    bandwidth: scoring.bandwidth,
    throughIteration: analysed.reduce((n, it) => Math.max(n, it.iteration), 0),
    computedAt: options.computedAt,
  });
}
