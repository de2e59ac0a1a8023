import { create } from 'zustand';
import { EXPERIMENT_SCHEMA_VERSION, type ChipRecord, type ExperimentRecord, type IterationRecord, type SampleRecord } from '../core/experiment/records';
import type { NextStep } from '../core/pipeline/nextStep';
import { hashSeed } from '../engine/random/rng';
import { isCancelled } from '../runtime/lib/jobs';
import { useChipsStore } from './chipsStore';
import { useConfigStore } from './configStore';
import { useEmbedderStore } from './embedderStore';
import { experimentDb, runLock, type ExperimentDbApi } from './pipeline/dbStore';
import { PipelineRunner, type StageProgress } from './pipeline/runner';
import { createPipelineServices, pipelinePool } from './pipeline/runtime';
import { useRealImagesStore } from './realImagesStore';
import { exportExperimentZip, importExperimentZip } from './archiveActions';
import { keepUnchanged } from './keepUnchanged';

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

  init(): Promise<void>;
  newExperiment(): Promise<ExperimentRecord | null>;
  open(id: string): Promise<void>;
  rename(id: string, name: string): Promise<void>;
  duplicate(id: string): Promise<void>;
  remove(id: string): Promise<void>;
  runIterationZero(): Promise<void>;
  step(): Promise<void>;
  autoRun(): Promise<void>;
  stop(): void;
  exportZip(): Promise<void>;
  importZip(file: File): Promise<void>;
  dismissError(): void;
}

let controller: AbortController | null = null;
let releaseLock: (() => void) | null = null;
let initOnce: Promise<void> | null = null;
/** How long a resumed run waits for the run lock that the reloading page may still hold. */
const RESUME_LOCK_WAIT_MS = 10_000;

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

export const useExperimentStore = create<ExperimentState>((set, get) => {
  let db: ExperimentDbApi | null = null;
  const database = async () => (db ??= await experimentDb());

  const refreshList = async () => set({ experiments: await (await database()).listExperiments() });

  const refreshStorage = async () => {
    try {
      set({ storage: await (await database()).storageEstimate() });
    } catch {
      /* estimates are informational */
    }
  };

  /** Re-reads the current experiment's records (after a commit, or on open). */
  const reload = async (id: string) => {
    const store = await database();
    const [experiment, iterations, samples] = await Promise.all([store.getExperiment(id), store.getIterations(id), store.getSamples(id)]);
    if (!experiment) throw new Error(`experiment ${id} is not stored`);
    // The config panel shows the open experiment's config (a new experiment starts from it).
    const same = get().current?.id === id;
    if (!same) useConfigStore.setState({ config: experiment.config, importErrors: null });
    const runner = new PipelineRunner(createPipelineServices(store));
    const next = await runner.next(experiment, { continuePastConvergence: true });
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

  /** Takes this experiment's run lock (one tab at a time); false when another tab has it. */
  const takeLock = async (id: string, waitMs = 0) => {
    if (releaseLock) return true;
    const release = await runLock(id, waitMs);
    if (!release) {
      set({ lockedElsewhere: true });
      return false;
    }
    releaseLock = release;
    set({ lockedElsewhere: false });
    return true;
  };

  const dropLock = () => {
    releaseLock?.();
    releaseLock = null;
  };

  /** Runs `iterations` iterations (Infinity for auto-run) of the current experiment. */
  const drive = async (maxIterations: number, auto: boolean, resume = false) => {
    const experiment = get().current ?? (await get().newExperiment());
    if (!experiment || get().run !== 'idle') return;
    if (!(await takeLock(experiment.id, resume ? RESUME_LOCK_WAIT_MS : 0))) return;
    const store = await database();
    const runner = new PipelineRunner(createPipelineServices(store));
    controller = new AbortController();
    const signal = controller.signal;
    set({ run: 'running', auto, error: null, notice: resume ? 'Resuming the run where it stopped.' : null });
    let current: ExperimentRecord = experiment;
    try {
      await useEmbedderStore.getState().ensureEmbedder(current.embedder);
      await pipelinePool().setChips(await store.getChips(current.id));
      current = { ...current, status: 'running' };
      for (let done = 0; done < maxIterations; done++) {
        const next = await runner.next(current, { continuePastConvergence: !auto });
        if (next.kind === 'finished') {
          set({ notice: `Finished: ${next.reason}` });
          break;
        }
        current = await runner.runIteration(current, {
          continuePastConvergence: !auto,
          signal,
          onProgress: (progress) => set({ progress }),
          // Only stages that change what the page draws trigger a re-read (each one redraws every chart).
          onCommitted: (_e, iteration) => {
            if (iteration.stage === 'analysed' || iteration.stage === 'proposed') void reload(current.id);
          },
        });
      }
      const status = current.convergence?.converged ? (current.convergence.reason === 'budget' ? 'finished' : 'converged') : 'paused';
      current = { ...current, status };
      await store.updateExperiment(current);
    } catch (e) {
      const stopped = isCancelled(e);
      const full = (e as Error)?.name === 'StorageFullError';
      current = { ...current, status: stopped ? 'stopped' : full ? 'paused' : 'failed', statusDetail: stopped ? 'stopped by the user' : messageOf(e) };
      try {
        await store.updateExperiment(current);
      } catch {
        /* the original error is what the user needs */
      }
      set({ error: stopped ? null : full ? `Paused: ${messageOf(e)}` : messageOf(e), notice: stopped ? 'Stopped. Step or Auto-run continues from the last completed stage.' : null });
    } finally {
      controller = null;
      dropLock();
      set({ run: 'idle', auto: false, progress: null });
      await reload(current.id).catch(() => undefined);
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
        // A run that was going when the tab closed carries on where it stopped.
        if (latest.status === 'running') void drive(Infinity, true, true);
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

    init() {
      // Once per page: React's strict mode runs effects twice, and two resumes would race for the lock.
      initOnce ??= initialise();
      return initOnce;
    },

    async newExperiment() {
      const config = useConfigStore.getState().config;
      const chips = useChipsStore.getState().chips;
      const realImages = useRealImagesStore.getState();
      if (chips.length === 0) {
        set({ error: 'No base chips: add at least one base chip image.' });
        return null;
      }
      if (realImages.target === 'user' && realImages.images.length < 4) {
        set({ error: `Your real set has ${realImages.images.length} image(s): scoring and its noise floor need at least 4. Add more in “Real images”, or use the simulated target.` });
        return null;
      }
      const info = await useEmbedderStore.getState().ensureReady();
      const now = new Date().toISOString();
      const id = `exp_${now.replace(/[-:.TZ]/g, '').slice(0, 14)}_${(hashSeed(now, Math.random()) % 0xffff).toString(16).padStart(4, '0')}`;
      const experiment: ExperimentRecord = {
        id,
        name: `${config.experiment_name} · ${now.slice(0, 16).replace('T', ' ')}`,
        createdAt: now,
        updatedAt: now,
        config,
        target: realImages.target === 'user' ? { kind: 'user', imageCount: realImages.images.length } : { kind: 'simulated' },
        embedder: { id: info.id, label: info.name, dimension: info.embeddingDim, normalized: true, backend: info.backend ?? undefined },
        chipIds: chips.map((c) => c.id),
        status: 'ready',
        schemaVersion: EXPERIMENT_SCHEMA_VERSION,
      };
      const chipRecords: ChipRecord[] = chips.map((c) => ({ experimentId: id, id: c.id, bytes: c.bytes, width: c.width, height: c.height }));
      const realRecords: ChipRecord[] =
        realImages.target === 'user' ? realImages.images.map((r) => ({ experimentId: id, id: r.id, bytes: r.bytes, width: r.width, height: r.height })) : [];
      try {
        await (await database()).createExperiment(experiment, chipRecords, realRecords);
      } catch (e) {
        set({ error: messageOf(e) });
        return null;
      }
      await refreshList();
      await reload(id);
      return experiment;
    },

    async open(id) {
      if (get().run !== 'idle') return;
      try {
        await reload(id);
        set({ error: null, notice: null });
      } catch (e) {
        set({ error: messageOf(e) });
      }
    },

    async rename(id, name) {
      await (await database()).renameExperiment(id, name);
      await refreshList();
      if (get().current?.id === id) await reload(id);
    },

    async duplicate(id) {
      try {
        const copy = await (await database()).duplicateExperimentConfig(id, `${get().experiments.find((e) => e.id === id)?.name ?? id} (copy)`);
        await refreshList();
        await reload(copy.id);
      } catch (e) {
        set({ error: messageOf(e) });
      }
    },

    async remove(id) {
      if (get().run !== 'idle' && get().current?.id === id) return;
      await (await database()).deleteExperiment(id);
      await refreshList();
      if (get().current?.id === id) {
        const next = get().experiments[0];
        if (next) await reload(next.id);
        else set({ current: null, iterations: [], samples: [], next: null });
      }
      await refreshStorage();
    },

    runIterationZero: () => drive(1, false),
    step: () => drive(1, false),
    autoRun: () => drive(Infinity, true),

    stop() {
      if (get().run !== 'running') return;
      set({ run: 'stopping' });
      controller?.abort();
    },

    async exportZip() {
      const current = get().current;
      if (!current) return;
      try {
        await exportExperimentZip(await database(), current, (archive) => set({ archive }));
      } catch (e) {
        set({ error: messageOf(e) });
      } finally {
        set({ archive: null });
      }
    },

    async importZip(file) {
      try {
        const id = await importExperimentZip(await database(), file, (archive) => set({ archive }));
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

/** What a commit changes in an iteration record: its stage (each stage commits once) and its times. */
const iterationVersion = (it: IterationRecord) => `${it.iteration}|${it.stage}|${it.startedAt}|${it.finishedAt ?? ''}|${JSON.stringify(it.timings)}`;
/** What a commit changes in a sample record: its map position and nearest-real distance (analysis). */
const sampleVersion = (s: SampleRecord) => `${s.sample_id}|${s.projection2d?.join(',') ?? ''}|${s.nearestRealDistance ?? ''}|${s.png.size}`;

