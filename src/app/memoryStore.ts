import type { ChipRecord, ExperimentRecord, IterationRecord, SampleRecord } from '../engine/experiment/records';
import type { ExperimentBundle } from '../storage/archive/bundle';
import type { ExperimentStore } from './experimentService';
import type { PipelineStore } from './pipelineServices';

/**
 * The studio's stores held in memory: the pipeline's records (MemoryStore) and, with the experiment
 * list, everything ExperimentService needs (MemoryExperimentStore). Node's stores (tests, the command
 * line's study folder, which loads a folder into one of these and writes it back whole) and any page
 * that must not touch IndexedDB use them. Experiment and iteration records come out as copies, as from a
 * database; samples as shallow copies (their arrays and Blobs are shared, never changed in place).
 */

export class MemoryStore implements PipelineStore {
  experiments = new Map<string, ExperimentRecord>();
  iterations = new Map<string, IterationRecord>();
  samples = new Map<string, SampleRecord>();
  realImages: ChipRecord[] = [];
  /** Fails the next commitStage (tests simulate a crash mid-stage with it). */
  failNextCommit = false;

  async getIterations(id: string) {
    return [...this.iterations.values()].filter((i) => i.experimentId === id).sort((a, b) => a.iteration - b.iteration).map((i) => structuredClone(i));
  }
  async getSamples(id: string, iteration?: number) {
    return [...this.samples.values()].filter((s) => s.experimentId === id && (iteration === undefined || s.iteration === iteration)).map((s) => ({ ...s }));
  }
  async getSampleIds(id: string, iteration: number) {
    return [...this.samples.values()].filter((s) => s.experimentId === id && s.iteration === iteration).map((s) => s.sample_id);
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
  async getRealImages(id: string) {
    return this.realImages.filter((r) => r.experimentId === id);
  }
}

/** The memory store with the experiment list: what ExperimentService needs, in Node. */
export class MemoryExperimentStore extends MemoryStore implements ExperimentStore {
  chips: ChipRecord[] = [];
  tables: ChipRecord[] = [];

  async listExperiments() {
    return [...this.experiments.values()].sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0)).map((e) => structuredClone(e));
  }
  async getExperiment(id: string) {
    const found = this.experiments.get(id);
    return found && structuredClone(found);
  }
  async createExperiment(record: ExperimentRecord, chips: ChipRecord[], realImages: ChipRecord[] = [], tables: ChipRecord[] = []) {
    if (this.experiments.has(record.id)) throw new Error(`an experiment with id ${record.id} already exists`);
    this.experiments.set(record.id, structuredClone(record));
    this.chips.push(...chips);
    this.realImages.push(...realImages);
    this.tables.push(...tables);
  }
  async getTables(id: string) {
    return this.tables.filter((t) => t.experimentId === id);
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
    const copy: ExperimentRecord = { ...source, id: `${id}_copy`, name: newName, status: 'ready', projection: undefined, scoring: undefined, convergence: undefined, confirmation: undefined, hiddenRealParamSets: undefined };
    this.experiments.set(copy.id, copy);
    return structuredClone(copy);
  }
  async deleteExperiment(id: string) {
    this.experiments.delete(id);
    for (const key of [...this.iterations.keys()]) if (key.startsWith(`${id}/`)) this.iterations.delete(key);
    for (const key of [...this.samples.keys()]) if (key.startsWith(`${id}/`)) this.samples.delete(key);
    this.tables = this.tables.filter((t) => t.experimentId !== id);
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
    await this.createExperiment({ ...bundle.experiment, id }, bundle.chips.map(mine), bundle.realImages.map(mine), (bundle.tables ?? []).map(mine));
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
