import { promises as fs } from 'node:fs';
import type { ExperimentStore } from '../app/experimentService';
import { MemoryExperimentStore } from '../app/memoryStore';
import type { ChipRecord, ExperimentRecord, IterationRecord, SampleRecord } from '../engine/experiment/records';
import type { ExperimentBundle } from '../storage/archive';
import { readStudyFolder, writeStudyFolder } from './studyFolder';

/**
 * ExperimentService's store over one study folder, for one command: the folder is read once when the
 * store opens, reads are served from memory, changes stay in memory, and flush() writes the whole
 * folder at once (all or nothing). A command that fails before flush leaves the study untouched.
 * Commands that change a study run as
 *   withStudyLock(folder, async () => { const store = await FolderStudyStore.open(folder); …; await store.flush(); })
 * so that the state read is still the study's when it is written back.
 */
export class FolderStudyStore implements ExperimentStore {
  private changed = false;

  private constructor(
    readonly folder: string,
    private readonly memory: MemoryExperimentStore,
  ) {}

  /** The study in the folder (see readStudyFolder for what is refused). */
  static async open(folder: string): Promise<FolderStudyStore> {
    const memory = new MemoryExperimentStore();
    await memory.importBundle(await readStudyFolder(folder));
    return new FolderStudyStore(folder, memory);
  }

  /** A store for a study not written yet (init): empty, and the folder must not exist. */
  static async create(folder: string): Promise<FolderStudyStore> {
    const taken = await fs.lstat(folder).then(
      () => true,
      (e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? false : Promise.reject(e)),
    );
    if (taken) throw new Error(`${folder} already exists; a new study needs a new folder`);
    return new FolderStudyStore(folder, new MemoryExperimentStore());
  }

  /** Whether anything changed since the folder was read or last written. */
  get hasChanges(): boolean {
    return this.changed;
  }

  /**
   * Writes the study folder when anything changed (must run inside withStudyLock). A study folder holds
   * one experiment: a store holding none or several cannot be written.
   */
  async flush(): Promise<void> {
    if (!this.changed) return;
    const experiments = await this.memory.listExperiments();
    if (experiments.length !== 1) {
      throw new Error(`${this.folder}: a study folder holds exactly one experiment, and this store holds ${experiments.length} (${experiments.map((e) => e.id).join(', ') || 'none'})`);
    }
    const [experiment] = experiments;
    const id = experiment.id;
    const bundle: ExperimentBundle = {
      experiment,
      iterations: await this.memory.getIterations(id),
      samples: await this.memory.getSamples(id),
      chips: await this.memory.getChips(id),
      realImages: await this.memory.getRealImages(id),
    };
    await writeStudyFolder(this.folder, bundle);
    this.changed = false;
  }

  private async change<T>(result: Promise<T>): Promise<T> {
    const value = await result;
    this.changed = true;
    return value;
  }

  // Reads, from memory.
  listExperiments(): Promise<ExperimentRecord[]> {
    return this.memory.listExperiments();
  }
  getExperiment(id: string): Promise<ExperimentRecord | undefined> {
    return this.memory.getExperiment(id);
  }
  getChips(id: string): Promise<ChipRecord[]> {
    return this.memory.getChips(id);
  }
  getIterationNumbers(id: string): Promise<number[]> {
    return this.memory.getIterationNumbers(id);
  }
  getIterations(id: string): Promise<IterationRecord[]> {
    return this.memory.getIterations(id);
  }
  getSamples(id: string, iteration?: number): Promise<SampleRecord[]> {
    return this.memory.getSamples(id, iteration);
  }
  getSampleIds(id: string, iteration: number): Promise<string[]> {
    return this.memory.getSampleIds(id, iteration);
  }
  getRealImages(id: string): Promise<ChipRecord[]> {
    return this.memory.getRealImages(id);
  }

  // Changes, to memory until flush().
  putSamples(samples: SampleRecord[]): Promise<void> {
    return this.change(this.memory.putSamples(samples));
  }
  commitStage(input: { experiment: ExperimentRecord; iteration: IterationRecord; samples?: SampleRecord[] }): Promise<void> {
    return this.change(this.memory.commitStage(input));
  }
  createExperiment(record: ExperimentRecord, chips: ChipRecord[], realImages?: ChipRecord[]): Promise<void> {
    return this.change(this.memory.createExperiment(record, chips, realImages));
  }
  putExperiment(record: ExperimentRecord): Promise<void> {
    return this.change(this.memory.putExperiment(record));
  }
  renameExperiment(id: string, name: string): Promise<ExperimentRecord> {
    return this.change(this.memory.renameExperiment(id, name));
  }
  duplicateExperimentConfig(id: string, newName: string): Promise<ExperimentRecord> {
    return this.change(this.memory.duplicateExperimentConfig(id, newName));
  }
  deleteExperiment(id: string): Promise<void> {
    return this.change(this.memory.deleteExperiment(id));
  }
  importBundle(bundle: ExperimentBundle): Promise<{ id: string; renamed: boolean }> {
    return this.change(this.memory.importBundle(bundle));
  }
}
