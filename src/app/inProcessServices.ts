import { createScoringContext, scoreIteration, scoreParameterSet, scoringConfigFromIteration0 } from '../engine/metrics';
import { proposeBatch } from '../engine/optimizer';
import { fitProjection, projectEmbeddings } from '../engine/projection';
import { confirm } from '../engine/trust/confirmation';
import { distributionRecipe } from '../engine/trust/recipe';
import { createUmapEngine as createUmap } from '../runtime/analyze/umapEngine';
import type { AnalysisService, PipelineServices } from './pipelineServices';

/**
 * The analysis and the optimizer run on the calling thread, with the engine as it is: what the command
 * line uses in Node (the page runs the same functions in its analyze and optimize workers).
 */
export const inProcessAnalysis: AnalysisService = {
  async fitIterationZero(embeddings, realCount, options) {
    const projection = fitProjection(embeddings, options.projection.kind === 'umap' ? { ...options.projection, createUmap } : options.projection);
    return { projection, scoring: scoringConfigFromIteration0(embeddings, realCount, { seed: options.seed }) };
  },
  async project(model, embeddings) {
    return projectEmbeddings(model, embeddings, { createUmap });
  },
  async scoreParameterSets(real, sets, scoring) {
    const context = createScoringContext(scoring);
    return sets.map((set) => scoreParameterSet(real, set, context));
  },
  async scoreIteration(real, synthetic, scoring) {
    return scoreIteration(real, synthetic, createScoringContext(scoring));
  },
  async confirm(input) {
    return confirm(input);
  },
  async recipe(input) {
    return distributionRecipe(input.sets, input.real, input.bandwidth, input.options);
  },
};

export const inProcessPropose: PipelineServices['propose'] = async (input) => proposeBatch(input);
