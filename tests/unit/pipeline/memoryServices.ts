/**
 * The pipeline's services implemented directly on core (no workers, no IndexedDB): the same decisions and
 * the same science as the app, runnable in Node. Images are painted on small rendered chips and embedded
 * with the image-statistics embedder.
 */
import { imageStatisticsEmbedding } from '../../../src/embedders/imageStatistics';
import { l2Normalize } from '../../../src/embedders/pooling';
import { createScoringContext, scoreIteration, scoreParameterSet, scoringConfigFromIteration0 } from '../../../src/engine/metrics';
import { proposeBatch } from '../../../src/engine/optimizer';
import { fitProjection, projectEmbeddings } from '../../../src/engine/projection';
import type { PipelineServices } from '../../../src/app/pipelineServices';
import type { MemoryStore } from '../../../src/app/memoryStore';
import { renderChip } from '../../../scripts/lib/demoChip';
import { createUmapEngine as createUmap } from '../../../src/runtime/analyze/umapEngine';

// The stores moved to the app (the command line's study folder uses them too); tests import them from here.
export { MemoryExperimentStore, MemoryStore } from '../../../src/app/memoryStore';

export function memoryServices(store: MemoryStore, chipSize = 96): PipelineServices & { generated: number } {
  const chips = new Map<string, Uint8ClampedArray<ArrayBuffer>>();
  const chipPixels = (id: string) => {
    let px = chips.get(id);
    if (!px) {
      const grey = renderChip({ id, width: chipSize, height: chipSize, seed: id.length + id.charCodeAt(id.length - 5) });
      px = new Uint8ClampedArray(chipSize * chipSize * 4);
      grey.forEach((g, i) => px!.set([g, g, g, 255], i * 4));
      chips.set(id, px);
    }
    return px;
  };
  const services: PipelineServices & { generated: number } = {
    generated: 0,
    store,
    async generate(experiment, domain, jobs, call) {
      const generate = domain.generate;
      if (!generate) throw new Error(`${domain.id} has no generator`);
      return jobs.map((job) => {
        if (call?.signal?.aborted) throw Object.assign(new Error('generation cancelled'), { name: 'CancelledError' });
        services.generated++;
        const out = generate(job, { config: experiment.config, input: (id) => ({ width: chipSize, height: chipSize, pixels: chipPixels(id) }) });
        return { ...out, metadata: { ...out.metadata, timestamp: '2026-01-01T00:00:00.000Z' }, ...(out.image ? { png: new Blob([out.image.pixels.slice(0, 16)]) } : {}) };
      });
    },
    async decodeImage() {
      throw new Error('not used');
    },
    async encodePng(image) {
      return new Blob([image.pixels.slice(0, 16)]);
    },
    async embed(images) {
      const items = images.map((im) => {
        const raw = imageStatisticsEmbedding(im);
        return { raw, embedding: l2Normalize(raw) };
      });
      return { items };
    },
    analysis: {
      async fitIterationZero(embeddings, realCount, options) {
        return { projection: fitProjection(embeddings, options.projection.kind === 'umap' ? { ...options.projection, createUmap } : options.projection), scoring: scoringConfigFromIteration0(embeddings, realCount, { seed: options.seed, repeats: 50 }) };
      },
      async project(model, embeddings) {
        return projectEmbeddings(model, embeddings, { createUmap });
      },
      async scoreParameterSets(real, sets, scoring) {
        const context = createScoringContext(scoring);
        return sets.map((s) => scoreParameterSet(real, s, context));
      },
      async scoreIteration(real, synthetic, scoring) {
        return scoreIteration(real, synthetic, createScoringContext(scoring));
      },
    },
    async propose(input) {
      return proposeBatch({ ...input, settings: { ...input.settings, rawSamples: 256, polishStarts: 2, fitStarts: 2, localSamples: 64 } });
    },
    now: () => '2026-01-01T00:00:00.000Z',
  };
  return services;
}
