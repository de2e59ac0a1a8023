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
import { createStudyService } from './wiring';

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
  real: ResultFile;
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
        const real = readVectors(input.real.bytes, input.real.name);
        // Iteration 0 is read before anything is stored: a bad batch leaves no half-made study behind.
        const zero = input.iterationZero?.length ? readStudyResults(input.iterationZero, space) : null;
        const svc = await studies();
        const id = `study-${Date.now().toString(36)}`;
        const experiment = await svc.init(id, { space, real, name: input.name || 'study', batch: input.batch, replicates: input.replicates, initial: input.initial, seed: input.seed });
        const told = zero ? await svc.tell(id, zero.samples, zero.file) : null;
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
