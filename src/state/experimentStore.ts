import { create } from 'zustand';
import type { ExperimentService, RunOptions } from '../app/experimentService';
import { domainIdOf, type ExperimentRecord, type ExperimentTarget, type IterationRecord, type SampleRecord } from '../engine/experiment/records';
import type { NextStep } from '../engine/pipeline/nextStep';
import type { StageProgress } from '../engine/pipeline/stages';
import { useConfigStore } from './configStore';
import { activeDomainInputs } from './domainInputs';
import { useEmbedderStore } from './embedderStore';
import { experimentDb, runLockHeld, type ExperimentDbApi } from './dbStore';
import { createExperimentService } from './wiring';
import { exportExperimentZip, importExperimentZip } from './archiveActions';
import { isWorkerLostError } from '../runtime/bridge/errors';
import { keepUnchanged } from './keepUnchanged';
import { domainById, PAGE_DOMAIN } from '../domains/registry';
import { realDistributionCentre, selfCheckConfig } from '../engine/config/selfCheck';
import type { ExperimentConfig } from '../engine/config/experimentConfig';

export type RunState = 'idle' | 'running' | 'stopping';

export interface ExperimentState {
  ready: boolean;
  experiments: ExperimentRecord[];
  current: ExperimentRecord | null;
  iterations: IterationRecord[];
  samples: SampleRecord[];
  next: NextStep | null;
  run: RunState;
  auto: boolean;
  progress: StageProgress | null;
  error: string | null;
  notice: string | null;
  /** Another tab holds this experiment's run lock. */
  lockedElsewhere: boolean;
  storage: { usage: number; quota: number; persisted: boolean } | null;
  archive: { label: string; done: number; total: number } | null;
  /** The domain of the next new experiment while none is open (the page's choice of kind). */
  draftDomain: string;

  init(): Promise<void>;
  /** Closes the open experiment and shows the inputs of a new one of `domain`. */
  startNew(domain: string): void;
  /** Re-reads the open experiment and the list (after a change made outside a run: a study's ask or tell). */
  refresh(): Promise<void>;
  /** A new experiment of the page's inputs (the config panel's config and the chosen target unless overridden). */
  newExperiment(overrides?: { config?: ExperimentConfig; target?: ExperimentTarget['kind']; name?: string }): Promise<ExperimentRecord | null>;
  /**
   * Can this generator and embedding recover settings at all? A new experiment whose real set the
   * generator makes at one known setting (the open experiment's best, else the real distribution's
   * centre), calibrated for a few iterations: its parameter recovery is the answer.
   */
  selfCheck(): Promise<void>;
  open(id: string): Promise<void>;
  rename(id: string, name: string): Promise<void>;
  duplicate(id: string): Promise<void>;
  remove(id: string): Promise<void>;
  /** Runs the next stage: iteration 0 on a new experiment, a failed stage again, or the next iteration. */
  step(): Promise<void>;
  autoRun(): Promise<void>;
  /** Confirms the current best set now: m fresh samples tested against the real set. */
  confirm(): Promise<void>;
  /** Computes the distribution recipe from the stored embeddings (no generator runs) and stores it. */
  computeRecipe(): Promise<void>;
  /** Generates the stored recipe (its images per setting) and tests the mixture against the real set. */
  confirmRecipe(): Promise<void>;
  stop(): void;
  exportZip(): Promise<void>;
  importZip(file: File): Promise<void>;
  dismissError(): void;
}

let controller: AbortController | null = null;
let initOnce: Promise<void> | null = null;
/** How long a resumed run waits for the run lock that the reloading page may still hold. */
const RESUME_LOCK_WAIT_MS = 10_000;
/** How often a tab showing another tab's run re-reads it and checks whether that tab has let go. */
const OTHER_TAB_POLL_MS = 1_000;
let otherTabWatch: ReturnType<typeof setInterval> | null = null;
/** How long a reloaded page waits for the run lock its previous document held before calling it another tab's. */
const RELOAD_RELEASE_MS = 2_000;

async function lockFreeWithin(id: string, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (!(await runLockHeld(id))) return true;
    if (Date.now() >= end) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

export const useExperimentStore = create<ExperimentState>((set, get) => {
  let db: ExperimentDbApi | null = null;
  let service: ExperimentService | null = null;
  const database = async () => (db ??= await experimentDb());
  const experiments = async () => (service ??= createExperimentService(await database()));

  const refreshList = async () => set({ experiments: await (await experiments()).list() });

  const refreshStorage = async () => {
    try {
      set({ storage: await (await database()).storageEstimate() });
    } catch {
      /* estimates are informational */
    }
  };

  /** Re-reads the current experiment's records (after a run, or on open). */
  const reload = async (id: string) => {
    // Re-reading the open experiment reads only the samples that can have changed since those held here.
    const held = get();
    const known = held.current?.id === id ? { iterations: held.iterations, samples: held.samples } : undefined;
    await show(await (await experiments()).open(id, known));
  };

  /** After a stage of the open experiment's run committed: its records from the commit, and the samples that changed. */
  const reloadAfterCommit = async (committed: ExperimentRecord, iteration: IterationRecord) => {
    const held = get();
    if (held.current?.id !== committed.id) return reload(committed.id);
    const view = await (await experiments()).afterCommit(committed, iteration, { iterations: held.iterations, samples: held.samples });
    if (get().current?.id === committed.id) await show(view);
  };

  /** Shows an experiment's records. */
  const show = async ({ experiment, iterations, samples, next }: { experiment: ExperimentRecord; iterations: IterationRecord[]; samples: SampleRecord[]; next: NextStep }) => {
    const id = experiment.id;
    // The config panel shows the open experiment's config (a new experiment starts from it).
    const same = get().current?.id === id;
    if (!same) {
      useConfigStore.setState({ config: experiment.config, importErrors: null });
      // The input panels show the chips, target and real images stored with the experiment: they start
      // reading them before the experiment shows as open, so no panel shows another experiment's inputs.
      // (Only an experiment of the page's domain has inputs its panels can show; a study's are its files.)
      const inputs = activeDomainInputs();
      if (domainIdOf(experiment) === inputs.domainId) {
        const store = await database();
        const [chips, realImages] = await Promise.all([store.getChips(id), store.getRealImages(id)]);
        inputs.showExperiment(id, experiment.target.kind, { chips, realImages });
      }
    }
    // Records a commit did not touch keep their objects (and a list nothing changed in, the list): the
    // results view re-renders and the charts redraw only what changed, and the gallery's images keep
    // their Blobs (no new object URLs, no flicker).
    set({
      current: experiment,
      iterations: same ? keepUnchanged(get().iterations, iterations, iterationVersion) : iterations,
      samples: same ? keepUnchanged(get().samples, samples, sampleVersion) : samples,
      next,
    });
  };

  const stopWatchingOtherTab = () => {
    if (otherTabWatch !== null) clearInterval(otherTabWatch);
    otherTabWatch = null;
  };

  /**
   * While another tab runs the open experiment, this tab shows it read-only, re-read as that tab
   * commits; when that tab lets go of the run lock (it finished, stopped or closed), this one takes
   * over: a run left going (its tab closed mid-run) is resumed here.
   */
  const watchOtherTab = (id: string) => {
    stopWatchingOtherTab();
    set({ lockedElsewhere: true });
    let seen = get().current?.updatedAt;
    let busy = false;
    otherTabWatch = setInterval(() => {
      if (busy) return;
      if (get().current?.id !== id || get().run !== 'idle') return stopWatchingOtherTab();
      busy = true;
      void (async () => {
        if (await runLockHeld(id)) {
          const stored = await (await experiments()).get(id);
          if (stored.updatedAt !== seen) {
            seen = stored.updatedAt;
            await reload(id);
          }
          return;
        }
        stopWatchingOtherTab();
        await reload(id);
        set({ lockedElsewhere: false });
        if (get().current?.status === 'running') void drive(Infinity, true, true);
      })()
        .catch(() => undefined)
        .finally(() => (busy = false));
    }, OTHER_TAB_POLL_MS);
  };

  /** Runs `iterations` iterations (Infinity for auto-run) of the current experiment, or a confirmation of its best set. */
  const drive = async (iterations: number | 'confirm' | 'recipe', auto: boolean, resume = false) => {
    const experiment = get().current ?? (await get().newExperiment());
    if (!experiment || get().run !== 'idle') return;
    const svc = await experiments();
    controller = new AbortController();
    set({ run: 'running', auto, error: null, notice: resume ? 'Resuming the run where it stopped.' : null });
    try {
      const options: Omit<RunOptions, 'iterations'> = {
        signal: controller.signal,
        lockWaitMs: resume ? RESUME_LOCK_WAIT_MS : 0,
        onStart: (running) => set({ current: running, lockedElsewhere: false }),
        onProgress: (progress) => set({ progress }),
        // Only stages that change what the page draws trigger a re-read (each one redraws every chart).
        onCommitted: (committed, iteration) => {
          if (iteration.stage === 'analysed' || iteration.stage === 'proposed') void reloadAfterCommit(committed, iteration);
        },
      };
      const outcome =
        iterations === 'confirm'
          ? await svc.confirm(experiment.id, options)
          : iterations === 'recipe'
            ? await svc.confirmRecipe(experiment.id, options)
            : await svc.run(experiment.id, { ...options, iterations });
      if (outcome.kind === 'locked') {
        set({ notice: null });
        watchOtherTab(experiment.id);
      }
      else if (outcome.kind === 'done') set({ notice: outcome.notice });
      else if (outcome.kind === 'stopped') set({ notice: 'Stopped. Step or Auto-run continues from the last completed stage.' });
      // A failure is shown by the run panel from the stored status (which stage, why, Retry stage).
      else set({ error: outcome.kind === 'paused' ? `Paused: ${outcome.message}` : null, notice: null });
    } catch (e) {
      set({ error: messageOf(e), notice: null });
    } finally {
      controller = null;
      set({ run: 'idle', auto: false, progress: null });
      await reload(experiment.id).catch(() => undefined);
      await refreshList();
      await refreshStorage();
    }
  };

  /** Opens the newest experiment, and resumes its run if the tab closed while it ran. */
  const initialise = async () => {
    try {
      const store = await database();
      await store.requestPersistentStorage().catch(() => false);
      await refreshList();
      const latest = get().experiments[0];
      if (latest) {
        await reload(latest.id);
        // A run that was going when the tab closed carries on where it stopped (a domain the page
        // generates; a table calibration's own store resumes its run).
        // The lock still held after a moment is another tab's (a reloading page lets go of its own at once).
        if (latest.status === 'running' && domainById(domainIdOf(latest))?.generate) {
          if (await lockFreeWithin(latest.id, RELOAD_RELEASE_MS)) void drive(Infinity, true, true);
          else watchOtherTab(latest.id);
        }
      }
    } catch (e) {
      set({ error: messageOf(e) });
    } finally {
      set({ ready: true });
      await refreshStorage();
    }
  };

  return {
    ready: false,
    experiments: [],
    current: null,
    iterations: [],
    samples: [],
    next: null,
    run: 'idle',
    auto: false,
    progress: null,
    error: null,
    notice: null,
    lockedElsewhere: false,
    storage: null,
    archive: null,
    draftDomain: PAGE_DOMAIN,

    init() {
      // Once per page: React's strict mode runs effects twice, and two resumes would race for the lock.
      initOnce ??= initialise();
      return initOnce;
    },

    async newExperiment(overrides = {}) {
      const config = overrides.config ?? useConfigStore.getState().config;
      const domainInputs = activeDomainInputs();
      const pending = domainInputs.pending();
      const target = overrides.target ?? pending.target;
      const svc = await experiments();
      const input = { domain: domainInputs.domainId, config, target, inputs: pending.inputs, ...(overrides.name ? { name: overrides.name } : {}) };
      const problem = svc.inputProblem(input);
      if (problem) {
        set({ error: problem });
        return null;
      }
      const info = await useEmbedderStore.getState().ensureReady();
      try {
        const experiment = await svc.create({ ...input, embedder: { id: info.id, label: info.name, dimension: info.embeddingDim, normalized: true, backend: info.backend ?? undefined, ...(info.readout ? { readout: info.readout } : {}) } });
        await refreshList();
        await reload(experiment.id);
        return experiment;
      } catch (e) {
        set({ error: messageOf(e) });
        return null;
      }
    },

    startNew(domain) {
      if (get().run !== 'idle') return;
      set({ draftDomain: domain, current: null, iterations: [], samples: [], next: null, error: null, notice: null, lockedElsewhere: false });
    },

    async refresh() {
      await refreshList();
      const id = get().current?.id;
      if (id) await reload(id);
      await refreshStorage();
    },

    async open(id) {
      if (get().run !== 'idle') return;
      try {
        stopWatchingOtherTab();
        await reload(id);
        set({ error: null, notice: null, lockedElsewhere: false });
        if (await runLockHeld(id)) watchOtherTab(id);
      } catch (e) {
        set({ error: messageOf(e) });
      }
    },

    async rename(id, name) {
      await (await experiments()).rename(id, name);
      await refreshList();
      if (get().current?.id === id) await reload(id);
    },

    async duplicate(id) {
      try {
        const copy = await (await experiments()).duplicate(id);
        await refreshList();
        await reload(copy.id);
      } catch (e) {
        set({ error: messageOf(e) });
      }
    },

    async remove(id) {
      if (get().run !== 'idle' && get().current?.id === id) return;
      await (await experiments()).remove(id);
      await refreshList();
      if (get().current?.id === id) {
        const next = get().experiments[0];
        if (next) await reload(next.id);
        else set({ current: null, iterations: [], samples: [], next: null });
      }
      await refreshStorage();
    },

    step: () => drive(1, false),
    autoRun: () => drive(Infinity, true),
    confirm: () => drive('confirm', false),
    confirmRecipe: () => drive('recipe', false),

    async computeRecipe() {
      const current = get().current;
      if (!current || get().run !== 'idle') return;
      set({ run: 'running', error: null, notice: null, progress: { iteration: get().iterations.length, stage: 'score', done: 0, total: 1, startedAt: performance.now() } });
      try {
        const recipe = await (await experiments()).recipe(current.id);
        set({ notice: `Recipe computed: ${recipe.sets.length} setting${recipe.sets.length === 1 ? '' : 's'} of ${recipe.candidates}.` });
      } catch (e) {
        set({ error: messageOf(e) });
      } finally {
        set({ run: 'idle', progress: null });
        await reload(current.id).catch(() => undefined);
      }
    },

    async selfCheck() {
      if (get().run !== 'idle') return;
      const open = get().current;
      const config = open && domainIdOf(open) === activeDomainInputs().domainId ? open.config : useConfigStore.getState().config;
      const domain = domainById(activeDomainInputs().domainId);
      if (!domain) return;
      const space = domain.space(config);
      const best = open ? [...get().iterations].reverse().find((it) => it.proposal?.current_best.length)?.proposal?.current_best[0]?.params : undefined;
      const setting = best ?? realDistributionCentre(config, space);
      const experiment = await get().newExperiment({
        config: selfCheckConfig(config, space, setting),
        target: 'simulated',
        name: `Self-check${best ? ` at ${open!.name}'s best` : ' at the real distribution\'s centre'}`,
      });
      if (experiment) await drive(Infinity, true);
    },

    stop() {
      if (get().run !== 'running') return;
      set({ run: 'stopping' });
      controller?.abort();
    },

    async exportZip() {
      const current = get().current;
      if (!current) return;
      try {
        const service = await experiments();
        const write = () => exportExperimentZip(service, current, (archive) => set({ archive }));
        // A dead archive worker is restarted once (the export reads only what is stored, so it can start over).
        await write().catch((e: unknown) => (isWorkerLostError(e) ? write() : Promise.reject(e)));
      } catch (e) {
        set({ error: messageOf(e) });
      } finally {
        set({ archive: null });
      }
    },

    async importZip(file) {
      try {
        const id = await importExperimentZip(await experiments(), file, (archive) => set({ archive }));
        await refreshList();
        await reload(id);
        set({ notice: `Imported ${file.name}.`, error: null });
      } catch (e) {
        set({ error: `${file.name} was not imported: ${messageOf(e)}` });
      } finally {
        set({ archive: null });
        await refreshStorage();
      }
    },

    dismissError() {
      set({ error: null });
    },
  };
});


/** The store's state without the running stage's progress (for views that do not show it; use with useShallow). */
export function withoutProgress(state: ExperimentState): Omit<ExperimentState, 'progress'> {
  const { progress: _progress, ...rest } = state;
  return rest;
}

/**
 * What a commit changes in an iteration record: its stage (each stage commits once), its times, and its
 * sets' state (a study's tell scores sets and clears their pending mark without a new stage).
 */
const iterationVersion = (it: IterationRecord) =>
  `${it.iteration}|${it.stage}|${it.startedAt}|${it.finishedAt ?? ''}|${JSON.stringify(it.timings)}|${it.paramSets.map((p) => `${p.param_set_id}${p.pending ? 'p' : ''}${p.abandoned ? 'a' : ''}${p.score ? 's' : ''}`).join(',')}`;
/** What a commit changes in a sample record: its map position and nearest-real distance (analysis). */
const sampleVersion = (s: SampleRecord) => `${s.sample_id}|${s.projection2d?.join(',') ?? ''}|${s.nearestRealDistance ?? ''}|${s.png?.size ?? 0}`;

