import { create } from 'zustand';
import { readStudyResults, type ResultFile } from '../app/studyResults';
import type { AskedSet, StudyService, StudyStatus } from '../app/studyService';
import { importedDomain } from '../domains/imported/domain';
import type { ExperimentRecord } from '../engine/experiment/records';
import { parseSpaceEditFile, parseSpaceFile } from '../engine/space/spaceFile';
import type { ParameterSpace } from '../engine/space/space';
import { StudyInputError } from '../engine/studyInputError';
import { readVectors } from '../storage/formats/vectors';
import { experimentDb, runLock } from './dbStore';
import { useExperimentStore } from './experimentStore';
import { createStudyService, generatorPool } from './wiring';
import { useEmbedderStore } from './embedderStore';
import type { Matrix } from '../engine/linalg/matrix';
import type { EmbedderDescription } from '../engine/experiment/records';

/**
 * Ask/tell studies in the page: a thin view over StudyService on the page's IndexedDB. Every change runs
 * under the experiment's run lock (one tab at a time, as a run does) and then refreshes the experiment
 * store, whose records the results and the study panel draw.
 */

export interface NewStudy {
  name: string;
  /** The space file's text (YAML or JSON) and the name it is known by in messages. */
  spaceText: string;
  spaceFile: string;
  /** The real set: a vectors file, or images the page embeds with the model chosen in the model panel. */
  real: { vectors: ResultFile } | { images: readonly File[] };
  batch: number;
  replicates: number;
  initial: number;
  seed: number;
  /** The user's existing synthetic batch as iteration 0 (a samples table and its embeddings, or one JSON). */
  iterationZero?: readonly ResultFile[];
}

export interface StudyMessage {
  kind: 'error' | 'notice';
  text: string;
  warnings?: string[];
}

export interface StudyState {
  /** What the study is doing now ("Proposing…"), or null. */
  busy: string | null;
  message: StudyMessage | null;
  status: StudyStatus | null;
  /** The sets of the last ask, for the download that follows it. */
  lastAsked: AskedSet[];

  create(input: NewStudy): Promise<ExperimentRecord | null>;
  ask(n?: number): Promise<AskedSet[]>;
  tell(files: readonly ResultFile[]): Promise<boolean>;
  abandon(ids: readonly string[]): Promise<void>;
  editSpace(text: string, file?: string): Promise<boolean>;
  refreshStatus(): Promise<void>;
  dismiss(): void;
}

/** How long a change waits for the lock another tab's change may hold. */
const LOCK_WAIT_MS = 5_000;

let service: StudyService | null = null;
const studies = async () => (service ??= createStudyService(await experimentDb()));

/** The store's errors carry their own words (a StudyInputError names the file, row and column; a full disk says what to free). */
const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Real images embedded in the page with the model the model panel holds: the vectors are what the study
 * stores (the images are not kept), and the experiment names the model, since the client must embed its
 * samples with the same one. Decoding runs in the generator worker, embedding in the embed worker.
 */
async function embedRealImages(files: readonly File[], onBusy: (label: string) => void): Promise<{ real: Matrix<Float32Array>; embedder: EmbedderDescription }> {
  if (files.length < 2) throw new StudyInputError('real images', `${files.length} image given: the real set needs at least 2`);
  const info = await useEmbedderStore.getState().ensureReady();
  const vectors: Float32Array[] = [];
  for (const [i, file] of files.entries()) {
    onBusy(`Embedding the real images… ${i} / ${files.length}`);
    let image;
    try {
      image = await generatorPool().decodeToRgba(file.name, await file.arrayBuffer());
    } catch (e) {
      throw new StudyInputError(file.name, `not a readable image (${e instanceof Error ? e.message : String(e)})`);
    }
    const [pair] = (await useEmbedderStore.getState().embed([image])).items;
    vectors.push(pair.embedding);
  }
  const cols = vectors[0].length;
  const data = new Float32Array(vectors.length * cols);
  vectors.forEach((v, i) => data.set(v, i * cols));
  return {
    real: { rows: vectors.length, cols, data },
    embedder: { id: info.id, label: `${info.name} (real images embedded in the page: embed your samples with the same model)`, dimension: info.embeddingDim, normalized: true, ...(info.readout ? { readout: info.readout } : {}) },
  };
}

/** Files dropped in the page as bytes. */
export async function resultFiles(files: readonly File[]): Promise<ResultFile[]> {
  return Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
}

export const useStudyStore = create<StudyState>((set, get) => {
  const currentStudy = (): ExperimentRecord => {
    const current = useExperimentStore.getState().current;
    if (!current || current.domain !== importedDomain.id) throw new Error('no ask/tell study is open');
    return current;
  };

  /** Runs a change to the open study under its lock; on bad input the message names the file and nothing is stored. */
  const change = async <T>(label: string, fn: (svc: StudyService, id: string) => Promise<T>): Promise<T | null> => {
    if (get().busy) return null;
    set({ busy: label, message: null });
    try {
      const id = currentStudy().id;
      const release = await runLock(id, LOCK_WAIT_MS);
      if (!release) throw new Error('this study is being changed in another tab; try again when that tab is done');
      try {
        return await fn(await studies(), id);
      } finally {
        release();
      }
    } catch (e) {
      set({ message: { kind: 'error', text: messageOf(e) } });
      return null;
    } finally {
      set({ busy: null });
      await useExperimentStore.getState().refresh();
      await get().refreshStatus();
    }
  };

  return {
    busy: null,
    message: null,
    status: null,
    lastAsked: [],

    async create(input) {
      if (get().busy) return null;
      set({ busy: 'Creating the study…', message: null });
      try {
        const space = parseSpaceFile(input.spaceText, input.spaceFile);
        const { real, embedder } = 'vectors' in input.real ? { real: readVectors(input.real.vectors.bytes, input.real.vectors.name), embedder: undefined } : await embedRealImages(input.real.images, (busy) => set({ busy }));
        // Iteration 0 is read before anything is stored: a bad batch leaves no half-made study behind.
        const zero = input.iterationZero?.length ? readStudyResults(input.iterationZero, space) : null;
        const svc = await studies();
        const id = `study-${Date.now().toString(36)}`;
        const experiment = await svc.init(id, { space, real, name: input.name || 'study', batch: input.batch, replicates: input.replicates, initial: input.initial, seed: input.seed, ...(embedder ? { embedder } : {}) });
        let told = null;
        try {
          told = zero ? await svc.tell(id, zero.samples, zero.file) : null;
        } catch (e) {
          // The batch is checked against the study only once it exists (its dimension, its parameters):
          // a refused batch takes the new study with it, so a failed "Create study" leaves nothing behind.
          await (await experimentDb()).deleteExperiment(id);
          throw e;
        }
        await useExperimentStore.getState().refresh();
        await useExperimentStore.getState().open(id);
        await get().refreshStatus();
        const text = `Created ${experiment.name}: ${space.parameters.length} parameters, ${real.rows} real vectors of ${real.cols} values${told ? `, ${told.sets.length} sets of your batch as iteration 0` : ''}.`;
        set({ message: { kind: 'notice', text, ...(told?.warnings.length ? { warnings: told.warnings } : {}) } });
        return experiment;
      } catch (e) {
        set({ message: { kind: 'error', text: messageOf(e) } });
        return null;
      } finally {
        set({ busy: null });
      }
    },

    async ask(n) {
      const asked = await change('Proposing…', (svc, id) => svc.ask(id, n));
      if (asked) set({ lastAsked: asked, message: { kind: 'notice', text: `${asked.length} parameter set${asked.length === 1 ? '' : 's'} proposed and awaiting your results.` } });
      return asked ?? [];
    },

    async tell(files) {
      const result = await change('Scoring your results…', async (svc, id) => {
        const space = importedDomain.space(currentStudy().config);
        const { samples, file } = readStudyResults(files, space);
        return svc.tell(id, samples, file);
      });
      if (!result) return false;
      const attached = result.attached.length ? `, ${result.attached.length} attached (${result.attached.join(', ')})` : '';
      set({ message: { kind: 'notice', text: `Told ${result.sets.length} parameter set${result.sets.length === 1 ? '' : 's'}${attached}.`, ...(result.warnings.length ? { warnings: result.warnings } : {}) } });
      return true;
    },

    async abandon(ids) {
      const done = await change('Abandoning…', async (svc, id) => (await svc.abandon(id, ids), true));
      if (done) set({ message: { kind: 'notice', text: `Abandoned ${ids.join(', ')}.` } });
    },

    async editSpace(text, file = 'space (edited)') {
      const result = await change('Changing the space…', (svc, id) => {
        const edit = parseSpaceEditFile(text, file);
        return svc.space(id, edit.space, { values: edit.values, file });
      });
      if (!result) return false;
      const added = result.added.length ? `, added ${result.added.join(', ')}` : '';
      set({ message: { kind: 'notice', text: `Space updated${added}.`, ...(result.warnings.length ? { warnings: result.warnings } : {}) } });
      return true;
    },

    async refreshStatus() {
      const current = useExperimentStore.getState().current;
      if (!current || current.domain !== importedDomain.id) return set({ status: null });
      try {
        set({ status: await (await studies()).status(current.id) });
      } catch {
        set({ status: null });
      }
    },

    dismiss() {
      set({ message: null });
    },
  };
});

/** The space of a study, or why the text is not one (for the create form's live check). */
export function checkSpaceText(text: string, file: string): { space: ParameterSpace } | { error: string } {
  try {
    return { space: parseSpaceFile(text, file) };
  } catch (e) {
    return { error: e instanceof StudyInputError ? e.message : String(e) };
  }
}
