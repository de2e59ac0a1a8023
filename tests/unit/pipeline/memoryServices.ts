/**
 * The pipeline's services implemented directly on core (no workers, no IndexedDB): the same decisions and
 * the same science as the app, runnable in Node. Images are painted on small rendered chips and embedded
 * with the image-statistics embedder.
 */
import { imageStatisticsEmbedding } from '../../../src/embedders/imageStatistics';
import { l2Normalize } from '../../../src/embedders/pooling';
import type { ChipRecord, ExperimentRecord, IterationRecord, SampleRecord } from '../../../src/engine/experiment/records';
import { createScoringContext, scoreIteration, scoreParameterSet, scoringConfigFromIteration0 } from '../../../src/engine/metrics';
import { proposeBatch } from '../../../src/engine/optimizer';
import { fitProjection, projectEmbeddings } from '../../../src/engine/projection';
import type { ExperimentStore } from '../../../src/app/experimentService';
import type { ExperimentBundle } from '../../../src/storage/archive/bundle';
import type { PipelineServices, PipelineStore } from '../../../src/app/pipelineServices';
import { renderChip } from '../../../scripts/lib/demoChip';
import { createUmapEngine as createUmap } from '../../../src/runtime/analyze/umapEngine';

export class MemoryStore implements PipelineStore {
  experiments = new Map<string, ExperimentRecord>();
  iterations = new Map<string, IterationRecord>();
  samples = new Map<string, SampleRecord>();
  realImages: ChipRecord[] = [];
  /** Fails the next commitStage (to simulate a crash mid-stage). */
  failNextCommit = false;

  async getIterations(id: string) {
    return [...this.iterations.values()].filter((i) => i.experimentId === id).sort((a, b) => a.iteration - b.iteration).map((i) => structuredClone(i));
  }
  async getSamples(id: string, iteration?: number) {
    return [...this.samples.values()].filter((s) => s.experimentId === id && (iteration === undefined || s.iteration === iteration)).map((s) => ({ ...s }));
  }
  async getSampleIds(id: string, iteration: number) {
    return (await this.getSamples(id, iteration)).map((s) => s.sample_id);
  }
  async putSamples(samples: SampleRecord[]) {
    for (const s of samples) this.samples.set(`${s.experimentId}/${s.sample_id}`, { ...s });
  }
  async commitStage(input: { experiment: ExperimentRecord; iteration: IterationRecord; samples?: SampleRecord[] }) {
    if (this.failNextCommit) {
      this.failNextCommit = false;
      throw new Error('simulated crash before the commit');
    }
    this.experiments.set(input.experiment.id, structuredClone(input.experiment));
    this.iterations.set(`${input.iteration.experimentId}/${input.iteration.iteration}`, structuredClone(input.iteration));
    if (input.samples) await this.putSamples(input.samples);
  }
  async getRealImages() {
    return this.realImages;
  }
}

/** The memory store with the experiment list: what ExperimentService needs, in Node. */
export class MemoryExperimentStore extends MemoryStore implements ExperimentStore {
  chips: ChipRecord[] = [];

  async listExperiments() {
    return [...this.experiments.values()].sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0)).map((e) => structuredClone(e));
  }
  async getExperiment(id: string) {
    const found = this.experiments.get(id);
    return found && structuredClone(found);
  }
  async createExperiment(record: ExperimentRecord, chips: ChipRecord[], realImages: ChipRecord[] = []) {
    if (this.experiments.has(record.id)) throw new Error(`an experiment with id ${record.id} already exists`);
    this.experiments.set(record.id, structuredClone(record));
    this.chips.push(...chips);
    this.realImages.push(...realImages);
  }
  async putExperiment(record: ExperimentRecord) {
    this.experiments.set(record.id, structuredClone(record));
  }
  async renameExperiment(id: string, name: string) {
    const record = { ...(await this.mustGet(id)), name };
    this.experiments.set(id, record);
    return structuredClone(record);
  }
  async duplicateExperimentConfig(id: string, newName: string) {
    const source = await this.mustGet(id);
    const copy: ExperimentRecord = { ...source, id: `${id}_copy`, name: newName, status: 'ready', projection: undefined, scoring: undefined, convergence: undefined, hiddenRealParamSets: undefined };
    this.experiments.set(copy.id, copy);
    return structuredClone(copy);
  }
  async deleteExperiment(id: string) {
    this.experiments.delete(id);
    for (const key of [...this.iterations.keys()]) if (key.startsWith(`${id}/`)) this.iterations.delete(key);
    for (const key of [...this.samples.keys()]) if (key.startsWith(`${id}/`)) this.samples.delete(key);
  }
  async getChips(id: string) {
    return this.chips.filter((c) => c.experimentId === id);
  }
  async getIterationNumbers(id: string) {
    return (await this.getIterations(id)).map((i) => i.iteration);
  }
  async importBundle(bundle: ExperimentBundle) {
    const taken = this.experiments.has(bundle.experiment.id);
    const id = taken ? `${bundle.experiment.id}_imported` : bundle.experiment.id;
    const mine = <T extends { experimentId: string }>(r: T): T => ({ ...r, experimentId: id });
    await this.createExperiment({ ...bundle.experiment, id }, bundle.chips.map(mine), bundle.realImages.map(mine));
    for (const it of bundle.iterations) this.iterations.set(`${id}/${it.iteration}`, structuredClone(mine(it)));
    await this.putSamples(bundle.samples.map(mine));
    return { id, renamed: taken };
  }
  private async mustGet(id: string) {
    const found = this.experiments.get(id);
    if (!found) throw new Error(`experiment ${id} does not exist`);
    return found;
  }
}

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
      return images.map((im) => {
        const raw = imageStatisticsEmbedding(im);
        return { raw, embedding: l2Normalize(raw) };
      });
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
      return proposeBatch({ ...input, settings: { rawSamples: 256, polishStarts: 2, fitStarts: 2, localSamples: 64 } });
    },
    now: () => '2026-01-01T00:00:00.000Z',
  };
  return services;
}
