import { create } from 'zustand';
import { evaluationsOf } from '../app/tabularService';
import { formatConstraints } from '../domains/tabular/constraints/formatConstraints';
import { tableSizeProblem } from '../domains/tabular/csv/sizeLimit';
import { NO_CONSTRAINTS, type Constraints } from '../domains/tabular/constraints/types';
import type { TabularConfig } from '../domains/tabular/domain';
import type { ExampleTable } from '../domains/tabular/examples';
import type { Failure } from '../domains/tabular/loop/diagnose';
import type { Evaluation } from '../domains/tabular/loop/evaluation';
import { isBetter } from '../domains/tabular/loop/selection';
import type { ColumnRole, ColumnType } from '../domains/tabular/table';
import type { LookData } from '../domains/tabular/views/lookData';
import type { CalibrationFacts, CalibrationSettings, TableChoices, TableReview, TableSource } from '../domains/tabular/workbench';
import { GENERATOR_NAMES } from '../domains/tabular/generators/names';
import type { ExperimentRecord } from '../engine/experiment/records';
import type { ParameterSet } from '../engine/space/space';
import { useExperimentStore } from './experimentStore';
import { tabularService } from './wiring';

/**
 * Table calibrations in the page: a thin view over TabularService. Before an experiment exists it holds
 * the draft — the dropped table, the reading the user chose (types, roles), the constraints and the run's
 * settings — and re-reads the table in the worker at each change, so the review always shows what the
 * calibration will read. Once one is open it runs and stops it (the evaluations live in the experiment
 * store's iterations), and fetches the diagnosis and plots of the evaluation the user selects.
 */

export interface TabularDraftSettings extends CalibrationSettings {
  name: string;
}

export interface TabularMessage {
  kind: 'error' | 'notice';
  text: string;
}

export interface TabularState {
  source: TableSource | null;
  review: TableReview | null;
  choices: TableChoices;
  constraints: Constraints;
  constraintsProblem: string | null;
  settings: TabularDraftSettings;
  /** What is being done now ("Reading fgl.csv…"), or null. */
  busy: string | null;
  /** The stages of reading the dropped table, while it is read. */
  readProgress: { label: string; done: number; total: number } | null;
  /** Bad input of the draft (shown next to the drop zone). */
  inputError: string | null;
  message: TabularMessage | null;
  running: boolean;
  /** Evaluations of the running calibration so far, of its budget. */
  progress: { done: number; total: number } | null;
  /** The training passes of the evaluation under way, when its generator trains (the VAE). */
  training: { done: number; total: number } | null;
  facts: CalibrationFacts | null;
  /** The evaluation whose diagnosis and plots are shown. */
  selected: number | null;
  diagnosis: { experimentId: string; index: number; failures: Failure[] } | null;
  look: { experimentId: string; index: number; data: LookData } | null;
  lookBusy: boolean;

  loadFile(file: File): Promise<void>;
  loadExample(example: ExampleTable): Promise<void>;
  clearDraft(): void;
  setType(column: string, type: ColumnType): Promise<void>;
  setRole(column: string, role: ColumnRole): Promise<void>;
  setConstraints(constraints: Constraints): Promise<void>;
  setSettings(settings: Partial<TabularDraftSettings>): void;
  /** Creates the calibration from the draft and starts optimising it. */
  create(): Promise<ExperimentRecord | null>;
  optimize(options?: { resume?: boolean; limit?: number }): Promise<void>;
  stop(): void;
  /** Loads the facts (floors, rows) of the open calibration and selects its best evaluation. */
  openCurrent(): Promise<void>;
  select(index: number): Promise<void>;
  /** Evaluates a diagnosis's suggested settings as the next evaluation. */
  runSuggestion(params: ParameterSet, note: string): Promise<void>;
  syntheticCsv(index: number, rows: number, spreadsheetSafe: boolean): Promise<string | null>;
  report(): Promise<{ json: unknown; html: string } | null>;
  dismiss(): void;
}

/** How long a resumed run waits for the lock the reloading page may still hold. */
const RESUME_LOCK_WAIT_MS = 10_000;

let controller: AbortController | null = null;

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The reading stages (TabularWorkbench.review) in the progress bar's words. */
const READ_STAGES: Readonly<Record<string, string>> = { read: 'Reading the CSV', summarise: 'Summarising the columns', detect: 'Looking for columns that sum to a constant' };

const DEFAULT_SETTINGS: TabularDraftSettings = { name: '', gates: 'seed003_adjusted', strategy: 'bo', budget: 24, seed: 0, rows: null, holdoutShare: 0.2, generators: [...GENERATOR_NAMES] };

/** The open experiment when it is a table calibration. */
function currentCalibration(): ExperimentRecord | null {
  const current = useExperimentStore.getState().current;
  return current && current.domain === 'tabular' ? current : null;
}

/** The evaluations of the open calibration, from the experiment store. */
export function currentEvaluations(): Evaluation[] {
  return evaluationsOf(useExperimentStore.getState().iterations);
}

export const useTabularStore = create<TabularState>((set, get) => {
  /** Reads the draft's table again with its choices; bad input is shown by the drop zone and clears the review. */
  const reread = async (source: TableSource, choices: TableChoices) => {
    set({ busy: `Reading ${source.file}…`, inputError: null });
    try {
      const svc = await tabularService();
      const review = await svc.review(source, choices, {
        onProgress: (p) => set({ readProgress: { label: READ_STAGES[p.stage ?? 'read'] ?? 'Reading', done: p.done, total: p.total } }),
      });
      set({ source, choices, review });
      await checkConstraints();
    } catch (e) {
      set({ inputError: messageOf(e) });
    } finally {
      set({ busy: null, readProgress: null });
    }
  };

  const checkConstraints = async () => {
    const { source, choices, constraints } = get();
    if (!source) return;
    const svc = await tabularService();
    set({ constraintsProblem: await svc.constraintsProblem(source, choices, formatConstraints(constraints)) });
  };

  const loadSource = async (source: TableSource, roles: Readonly<Record<string, ColumnRole>>) => {
    controller?.abort();
    useExperimentStore.getState().startNew('tabular');
    set({ source: null, review: null, constraints: NO_CONSTRAINTS, constraintsProblem: null, message: null, settings: { ...get().settings, name: source.file.replace(/\.[^.]+$/, '') } });
    await reread(source, { types: {}, roles });
  };

  /** The ids of the open calibration's evaluation `index`, checked to exist. */
  const openEvaluation = (index: number) => {
    const experiment = currentCalibration();
    if (!experiment) return null;
    return currentEvaluations().some((e) => e.index === index) ? experiment : null;
  };

  const fail = (e: unknown) => set({ message: { kind: 'error', text: messageOf(e) } });

  return {
    source: null,
    review: null,
    choices: { types: {}, roles: {} },
    constraints: NO_CONSTRAINTS,
    constraintsProblem: null,
    settings: DEFAULT_SETTINGS,
    busy: null,
    readProgress: null,
    inputError: null,
    message: null,
    running: false,
    progress: null,
    training: null,
    facts: null,
    selected: null,
    diagnosis: null,
    look: null,
    lookBusy: false,

    async loadFile(file) {
      const tooLarge = tableSizeProblem(file.name, file.size);
      if (tooLarge) {
        set({ inputError: tooLarge });
        return;
      }
      await loadSource({ file: file.name, bytes: new Uint8Array(await file.arrayBuffer()) }, {});
    },

    async loadExample(example) {
      set({ busy: `Loading ${example.file}…`, inputError: null });
      try {
        const response = await fetch(`${import.meta.env.BASE_URL}examples/tables/${example.file}`);
        if (!response.ok) throw new Error(`${example.file}: the example could not be loaded (HTTP ${response.status})`);
        await loadSource({ file: example.file, bytes: new Uint8Array(await response.arrayBuffer()) }, example.roles);
      } catch (e) {
        set({ inputError: messageOf(e), busy: null });
      }
    },

    clearDraft: () => set({ source: null, review: null, constraints: NO_CONSTRAINTS, constraintsProblem: null, inputError: null }),

    async setType(column, type) {
      const { source, choices } = get();
      if (source) await reread(source, { ...choices, types: { ...choices.types, [column]: type } });
    },

    async setRole(column, role) {
      const { source, choices } = get();
      if (!source) return;
      // One target and one group at most: giving the role to a column takes it from the other.
      const roles = Object.fromEntries(Object.entries(choices.roles).filter(([name, r]) => name !== column && !(role !== 'feature' && role !== 'id' && r === role)));
      if (role !== 'feature') roles[column] = role;
      await reread(source, { ...choices, roles });
    },

    async setConstraints(constraints) {
      set({ constraints });
      await checkConstraints();
    },

    setSettings: (settings) => set({ settings: { ...get().settings, ...settings } }),

    async create() {
      const { source, choices, constraints, constraintsProblem, settings, review } = get();
      if (!source || !review || get().busy) return null;
      if (constraintsProblem) {
        set({ message: { kind: 'error', text: constraintsProblem } });
        return null;
      }
      set({ busy: 'Creating the calibration…', message: null });
      try {
        const svc = await tabularService();
        const experiment = await svc.create({
          name: settings.name.trim() || source.file,
          source,
          choices,
          constraints: formatConstraints(constraints),
          gates: settings.gates,
          strategy: settings.strategy,
          budget: settings.budget,
          seed: settings.seed,
          rows: settings.rows,
          holdoutShare: settings.holdoutShare,
          generators: settings.generators,
        });
        await useExperimentStore.getState().refresh();
        await useExperimentStore.getState().open(experiment.id);
        set({ source: null, review: null });
        void get().optimize();
        return experiment;
      } catch (e) {
        fail(e);
        return null;
      } finally {
        set({ busy: null });
      }
    },

    async optimize(options = {}) {
      const experiment = currentCalibration();
      if (!experiment || get().running) return;
      const svc = await tabularService();
      controller = new AbortController();
      const budget = (experiment.config as TabularConfig).budget;
      set({ running: true, message: options.resume ? { kind: 'notice', text: 'Resuming the calibration where it stopped.' } : null, progress: { done: currentEvaluations().length, total: budget } });
      try {
        const outcome = await svc.run(experiment.id, {
          signal: controller.signal,
          lockWaitMs: options.resume ? RESUME_LOCK_WAIT_MS : 0,
          ...(options.limit !== undefined ? { limit: options.limit } : {}),
          onStart: () => void useExperimentStore.getState().refresh(),
          onTraining: (done, total) => set({ training: { done, total } }),
          onEvaluation: (evaluation, isBest) => {
            set({ progress: { done: evaluation.index, total: budget }, training: null });
            void useExperimentStore.getState().refresh().then(() => {
              if (isBest || get().selected === null) void get().select(evaluation.index);
            });
          },
        });
        if (outcome.kind === 'locked') set({ message: { kind: 'notice', text: 'Another tab is running this calibration: it is shown here read-only until that tab stops.' } });
        else if (outcome.kind === 'failed') set({ message: { kind: 'error', text: `The evaluation failed: ${outcome.message}` } });
        else if (outcome.kind === 'stopped' && options.limit === undefined) set({ message: { kind: 'notice', text: 'Stopped. Optimize continues from the last evaluation.' } });
        else set({ message: null });
      } catch (e) {
        fail(e);
      } finally {
        controller = null;
        set({ running: false, progress: null, training: null });
        await useExperimentStore.getState().refresh();
      }
    },

    stop() {
      controller?.abort();
    },

    async openCurrent() {
      const experiment = currentCalibration();
      if (!experiment) return;
      try {
        const svc = await tabularService();
        const facts = await svc.facts(experiment.id);
        if (currentCalibration()?.id !== experiment.id) return;
        set({ facts, selected: null, diagnosis: null, look: null });
        const history = currentEvaluations();
        const best = history.reduce<Evaluation | null>((b, e) => (b === null || isBetter(e, b) ? e : b), null);
        if (best) await get().select(best.index);
      } catch (e) {
        fail(e);
      }
    },

    async select(index) {
      const experiment = openEvaluation(index);
      if (!experiment) return;
      set({ selected: index, lookBusy: true });
      try {
        const svc = await tabularService();
        const [failures, data] = await Promise.all([svc.diagnose(experiment.id, index), svc.look(experiment.id, index)]);
        if (get().selected !== index) return;
        set({ diagnosis: { experimentId: experiment.id, index, failures }, look: { experimentId: experiment.id, index, data } });
      } catch (e) {
        fail(e);
      } finally {
        if (get().selected === index) set({ lookBusy: false });
      }
    },

    async runSuggestion(params, note) {
      const experiment = currentCalibration();
      if (!experiment || get().running) return;
      set({ running: true, message: null });
      try {
        const svc = await tabularService();
        const outcome = await svc.runSettings(experiment.id, params, note, {
          onTraining: (done, total) => set({ training: { done, total } }),
          onEvaluation: (evaluation) => void useExperimentStore.getState().refresh().then(() => get().select(evaluation.index)),
        });
        if (outcome.kind === 'locked') set({ message: { kind: 'notice', text: 'Another tab is running this calibration; try again when it stops.' } });
        else if (outcome.kind === 'failed') set({ message: { kind: 'error', text: `The evaluation failed: ${outcome.message}` } });
      } catch (e) {
        fail(e);
      } finally {
        set({ running: false, training: null });
        await useExperimentStore.getState().refresh();
      }
    },

    async syntheticCsv(index, rows, spreadsheetSafe) {
      const experiment = openEvaluation(index);
      if (!experiment) return null;
      set({ busy: `Writing ${rows.toLocaleString('en')} synthetic rows…` });
      try {
        return await (await tabularService()).syntheticCsv(experiment.id, index, { rows, spreadsheetSafe });
      } catch (e) {
        fail(e);
        return null;
      } finally {
        set({ busy: null });
      }
    },

    async report() {
      const experiment = currentCalibration();
      if (!experiment) return null;
      try {
        return await (await tabularService()).report(experiment.id);
      } catch (e) {
        fail(e);
        return null;
      }
    },

    dismiss: () => set({ message: null, inputError: null }),
  };
});

