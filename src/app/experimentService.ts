import type { ExperimentConfig } from '../engine/config/experimentConfig';
import type { ChipRecord, ConfirmationPlanRecord, EmbedderDescription, ExperimentRecord, ExperimentTarget, IterationRecord, RecipeRecord, SampleRecord } from '../engine/experiment/records';
import { EXPERIMENT_SCHEMA_VERSION } from '../engine/experiment/records';
import { statusAfterError, statusAfterRun, type RunEnd } from '../engine/experiment/status';
import { confirmationSettings } from '../engine/pipeline/confirmationPlan';
import { nextStep, type NextStep } from '../engine/pipeline/nextStep';
import { MIN_REAL_SAMPLES } from '../engine/pipeline/realSet';
import type { StageProgress } from '../engine/pipeline/stages';
import { hashSeed } from '../engine/random/rng';
import { domainOf, type DomainRegistry } from './domains';
import { computeRecipe } from './experimentRecipe';
import { PipelineRunner, type RunOptions as StageOptions } from './pipelineRunner';
import type { PipelineServices, PipelineStore } from './pipelineServices';
import { runStore } from './runStore';
import type { ArchiveFile, ExperimentBundle } from '../storage/archive/bundle';
import { isWorkerLostError } from '../runtime/bridge/errors';
import { compareModelVariants, type CompareVariantsOptions, type ModelVariants } from './variantComparison';
import type { VariantComparisonRecord } from '../engine/experiment/variantComparisonRecord';


/**
 * The experiments of the studio, without React: create, open, run (iteration 0, Step, Auto-run), stop,
 * resume, rename, duplicate, delete and export, over a store (IndexedDB in the page, memory in Node), the
 * pipeline's services and the registered domains. One place derives an experiment's status and
 * validates its inputs; the page's state is a thin view over this.
 */

/** What the service needs of storage: the pipeline's records and the experiment list. */
export interface ExperimentStore extends PipelineStore {
  listExperiments(): Promise<ExperimentRecord[]>;
  getExperiment(id: string): Promise<ExperimentRecord | undefined>;
  createExperiment(record: ExperimentRecord, chips: ChipRecord[], realImages?: ChipRecord[]): Promise<void>;
  putExperiment(record: ExperimentRecord): Promise<void>;
  renameExperiment(id: string, name: string): Promise<ExperimentRecord>;
  duplicateExperimentConfig(id: string, newName: string): Promise<ExperimentRecord>;
  deleteExperiment(id: string): Promise<void>;
  getChips(id: string): Promise<ChipRecord[]>;
  /** The real table of a table calibration (input role 'table'); a store without tables leaves it out. */
  getTables?(id: string): Promise<ChipRecord[]>;
  getIterationNumbers(id: string): Promise<number[]>;
  /** Writes an imported experiment whole; a taken id gets a new one (an import never overwrites). */
  importBundle(bundle: ExperimentBundle): Promise<{ id: string; renamed: boolean }>;
}

/** One tab (or process) at a time runs an experiment: a release function, or null when it is held elsewhere. */
export interface RunLocks {
  acquire(experimentId: string, waitMs: number): Promise<(() => void) | null>;
}

/** Writes an experiment archive iteration by iteration (the archive worker in the page). */
export interface ArchiveWriter {
  addIteration(iteration: number, record: IterationRecord | undefined, samples: SampleRecord[]): Promise<unknown>;
  finish(): Promise<Blob>;
}

/** What an archive writer starts from besides the record, chips and real images. */
export interface ArchiveStart {
  /** The real tables (input role 'table'); empty for an image domain. */
  tables: ChipRecord[];
  /** The domain's own files by name, for the archive's domain/ folder (import ignores them). */
  domainFiles: ArchiveFile[];
}

export interface ExperimentServiceDeps {
  store: ExperimentStore;
  pipeline: PipelineServices;
  domains: DomainRegistry;
  /** Default: locks within this process only. */
  locks?: RunLocks;
  /** Readies what a run needs outside the store (the page: the experiment's embedder, its chips in the generator pool). */
  prepareRun?(experiment: ExperimentRecord): Promise<void>;
  /** Whether an error means the user cancelled (a worker's cancellation error, an AbortError). */
  isCancellation?(error: unknown): boolean;
  now?: () => string;
}

/** What the user provides for a new experiment. */
export interface NewExperiment {
  domain: string;
  config: ExperimentConfig;
  target: ExperimentTarget['kind'];
  embedder: EmbedderDescription;
  /** The domain's inputs by InputSpec id (voids: chips, realImages), bytes as dropped. */
  inputs: Record<string, ReadonlyArray<Omit<ChipRecord, 'experimentId'>>>;
  name?: string;
}

export interface RunOptions {
  /** How many iterations to run; Infinity runs until convergence, the budget or Stop (auto-run). */
  iterations: number;
  signal?: AbortSignal;
  /** Wait this long for the run lock (after a reload the closing page may still hold it). */
  lockWaitMs?: number;
  onStart?(experiment: ExperimentRecord): void;
  onProgress?(progress: StageProgress): void;
  onCommitted?(experiment: ExperimentRecord, iteration: IterationRecord): void;
}

export type RunOutcome =
  | { kind: 'locked' }
  | { kind: 'done'; experiment: ExperimentRecord; notice: string | null }
  | { kind: 'stopped' | 'failed' | 'paused'; experiment: ExperimentRecord; message: string };

/** What the runner's calls take within one run. */
type RunnerOptions = StageOptions & { continuePastConvergence: boolean };

/** A run under the lock: the experiment as last committed, the runner's options, and the run's own runner. */
interface RunHandle {
  readonly current: ExperimentRecord;
  options(continuePastConvergence: boolean): RunnerOptions;
  readonly runner: PipelineRunner;
}

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

export class ExperimentService {
  private readonly runner: PipelineRunner;
  private readonly locks: RunLocks;
  private readonly now: () => string;

  constructor(private readonly deps: ExperimentServiceDeps) {
    this.runner = new PipelineRunner(deps.pipeline, deps.domains);
    this.locks = deps.locks ?? processLocks();
    this.now = deps.now ?? (() => new Date().toISOString());
  }

  list(): Promise<ExperimentRecord[]> {
    return this.deps.store.listExperiments();
  }

  async get(id: string): Promise<ExperimentRecord> {
    const experiment = await this.deps.store.getExperiment(id);
    if (!experiment) throw new Error(`experiment ${id} is not stored`);
    return experiment;
  }

  /**
   * The experiment with its records and what the pipeline does next. `known` is what the caller read of
   * this experiment last time: its samples of settled iterations are given back as they are instead of
   * being read again (see samplesSince), so a page that re-reads after every commit reads what changed,
   * not the whole history.
   */
  async open(
    id: string,
    known?: { iterations: readonly IterationRecord[]; samples: readonly SampleRecord[] },
  ): Promise<{ experiment: ExperimentRecord; iterations: IterationRecord[]; samples: SampleRecord[]; next: NextStep }> {
    const { store } = this.deps;
    // The iterations are read before the samples: an iteration that reads as analysed here has its
    // analysed samples in the read below, which is what samplesSince relies on next time.
    const [experiment, iterations] = await Promise.all([this.get(id), store.getIterations(id)]);
    const samples = known ? await this.samplesSince(id, known) : await store.getSamples(id);
    return { experiment, iterations, samples, next: nextStep(experiment, iterations, { continuePastConvergence: true }) };
  }

  /**
   * What `open` gives right after a run of this service committed `iteration` (with `experiment`, as
   * onCommitted hands them over), from the records the caller held before: the committed record replaces
   * its iteration's, and only the samples that can have changed are read (samplesSince). No iteration
   * record is read, as each carries its scores, proposal and plausible region: reading all of them after
   * every commit grew with the experiment. A commit writes one iteration record, so the others are
   * still the ones held.
   */
  async afterCommit(
    experiment: ExperimentRecord,
    iteration: IterationRecord,
    known: { iterations: readonly IterationRecord[]; samples: readonly SampleRecord[] },
  ): Promise<{ experiment: ExperimentRecord; iterations: IterationRecord[]; samples: SampleRecord[]; next: NextStep }> {
    const iterations = [...known.iterations.filter((it) => it.iteration !== iteration.iteration), iteration].sort((a, b) => a.iteration - b.iteration);
    const samples = await this.samplesSince(experiment.id, known);
    return { experiment, iterations, samples, next: nextStep(experiment, iterations, { continuePastConvergence: true }) };
  }

  /**
   * The experiment's samples, reusing `known`'s where nothing can have changed. A sample record is
   * rewritten only by its own iteration's analysis (map position, nearest-real distance), so once
   * `known` saw an iteration analysed, its samples change only by new ones joining it (a study's late
   * tell): those iterations are reused when their stored ids are still the same, and every other
   * iteration is read. Reading all samples costs a main-thread task that grows with the experiment
   * (over 100 ms past 1,000 samples); this costs one key read per iteration and the new samples. In
   * the store's order (sample id by code units), as a full read gives them.
   */
  private async samplesSince(id: string, known: { iterations: readonly IterationRecord[]; samples: readonly SampleRecord[] }): Promise<SampleRecord[]> {
    const { store } = this.deps;
    const settled = new Set(known.iterations.filter((it) => it.stage === 'analysed' || it.stage === 'proposed').map((it) => it.iteration));
    const held = new Map<number, SampleRecord[]>();
    for (const s of known.samples) {
      if (!settled.has(s.iteration)) continue;
      const list = held.get(s.iteration);
      if (list) list.push(s);
      else held.set(s.iteration, [s]);
    }
    const parts = await Promise.all(
      (await store.getIterationNumbers(id)).map(async (n) => {
        const mine = held.get(n);
        if (mine && sameIds(await store.getSampleIds(id, n), mine)) return mine;
        return store.getSamples(id, n);
      }),
    );
    return parts.flat().sort((a, b) => (a.sample_id < b.sample_id ? -1 : a.sample_id > b.sample_id ? 1 : 0));
  }

  /** Why these inputs cannot start an experiment of the domain, or null. The one rule for every input. */
  inputProblem(input: Pick<NewExperiment, 'domain' | 'target' | 'inputs'>): string | null {
    const domain = this.deps.domains.get(input.domain);
    if (!domain) return `there is no domain "${input.domain}" (known: ${[...this.deps.domains.keys()].join(', ')})`;
    for (const spec of domain.inputs) {
      if (spec.when === 'user-target' && input.target !== 'user') continue;
      const count = input.inputs[spec.id]?.length ?? 0;
      const min = spec.when === 'user-target' ? Math.max(spec.min, MIN_REAL_SAMPLES) : spec.min;
      if (count < min) {
        return spec.when === 'user-target'
          ? `Your real set has ${count} sample(s): scoring and its noise floor need at least ${min}. Add more in “${spec.label}”, or use the simulated target.`
          : `${spec.label}: ${count} given, at least ${min} needed.`;
      }
    }
    return null;
  }

  async create(input: NewExperiment): Promise<ExperimentRecord> {
    const problem = this.inputProblem(input);
    if (problem) throw new InputError(problem);
    const domain = domainOf(this.deps.domains, { id: '(new)', domain: input.domain });
    const now = this.now();
    const id = `exp_${now.replace(/[-:.TZ]/g, '').slice(0, 14)}_${(hashSeed(now, Math.random()) % 0xffff).toString(16).padStart(4, '0')}`;
    const chips = (input.inputs.chips ?? []).map((c) => ({ ...c, experimentId: id }));
    const realImages = input.target === 'user' ? (input.inputs.realImages ?? []).map((c) => ({ ...c, experimentId: id })) : [];
    const experiment: ExperimentRecord = {
      id,
      name: input.name ?? `${input.config.experiment_name} · ${now.slice(0, 16).replace('T', ' ')}`,
      domain: domain.id,
      createdAt: now,
      updatedAt: now,
      config: input.config,
      target: input.target === 'user' ? { kind: 'user', imageCount: realImages.length } : { kind: 'simulated' },
      embedder: input.embedder,
      chipIds: chips.map((c) => c.id),
      status: 'ready',
      schemaVersion: EXPERIMENT_SCHEMA_VERSION,
    };
    await this.deps.store.createExperiment(experiment, chips, realImages);
    return experiment;
  }

  rename(id: string, name: string): Promise<ExperimentRecord> {
    return this.deps.store.renameExperiment(id, name);
  }

  async duplicate(id: string): Promise<ExperimentRecord> {
    const source = await this.get(id);
    return this.deps.store.duplicateExperimentConfig(id, `${source.name} (copy)`);
  }

  remove(id: string): Promise<void> {
    return this.deps.store.deleteExperiment(id);
  }

  /**
   * Runs iterations of an experiment, stage by stage, under its run lock. Every stage is committed as
   * it completes, so a Stop, a crash or a closed tab resumes at the first uncommitted stage. The
   * experiment's status afterwards says how the run ended, and why.
   */
  async run(id: string, options: RunOptions): Promise<RunOutcome> {
    const auto = !Number.isFinite(options.iterations);
    return this.underRunLock(id, options, async (run) => {
      for (let done = 0; done < options.iterations; done++) {
        const next = await run.runner.next(run.current, { continuePastConvergence: !auto });
        if (next.kind === 'finished') return `Finished: ${next.reason}`;
        await run.runner.runIteration(run.current, run.options(!auto));
      }
      return null;
    });
  }

  /**
   * Confirms the current best parameter set now (the user's request): finishes an iteration left
   * half-done, then runs a confirmation iteration — m fresh samples of the best set tested against the
   * real set (engine/pipeline/confirmationPlan.ts) — under the run lock, stage by stage like any
   * iteration. "indistinguishable" ends the experiment converged with its statement; otherwise its
   * samples join the model's data and the loop may go on. A confirmation already in progress is
   * finished, not started twice. The outcome's experiment carries the confirmation record.
   */
  async confirm(id: string, options: Omit<RunOptions, 'iterations'> = {}): Promise<RunOutcome> {
    const iterations = await this.deps.store.getIterations(id);
    if (!iterations.some((it) => (it.proposal?.current_best.length ?? 0) > 0)) {
      throw new InputError('There is no best parameter set to confirm yet: run iteration 0 first.');
    }
    return this.underRunLock(id, options, async (run) => {
      if (await this.finishUnfinished(id, run, (plan) => plan.trigger !== 'recipe')) return null;
      await run.runner.planConfirmation(run.current, run.options(true));
      await run.runner.runIteration(run.current, run.options(true));
      return null;
    });
  }

  /**
   * Computes the distribution recipe from the experiment's stored samples (app/experimentRecipe.ts: the
   * analyze worker in the page) and stores it on the experiment, replacing an earlier one: the settings
   * with their weights and counts for `total` images (default the confirmation's m), its MMD² beside the
   * best single setting's and δ, and recipe.yaml. Refused while a run holds the experiment (its next
   * commit would write over the recipe) and before iteration 0 is analysed.
   */
  async recipe(id: string, options: { total?: number; signal?: AbortSignal; lockWaitMs?: number } = {}): Promise<RecipeRecord> {
    const experiment = await this.get(id);
    if (!experiment.scoring) throw new InputError('There is no recipe yet: run iteration 0 first (it fixes the kernel the recipe is computed with).');
    const total = options.total ?? confirmationSettings(experiment.config).samples;
    if (!Number.isSafeInteger(total) || total < 1) throw new InputError(`The recipe's total must be a whole number of images, at least 1 (got ${total}).`);
    const release = await this.locks.acquire(id, options.lockWaitMs ?? 0);
    if (!release) throw new InputError('The experiment is running: stop it, or let it finish, before computing the recipe.');
    try {
      const { store, pipeline, domains } = this.deps;
      const record = await computeRecipe({ store, analysis: pipeline.analysis, domains }, experiment, { total, computedAt: this.now(), signal: options.signal });
      const current = await this.get(id);
      await store.putExperiment({ ...current, recipe: record, updatedAt: this.now() });
      return record;
    } finally {
      release();
    }
  }

  /**
   * Confirms the stored recipe by generating it: finishes an iteration left half-done, then runs a
   * confirmation iteration of m samples drawn from the recipe's settings in its proportions
   * (engine/pipeline/recipeConfirmationPlan.ts), tested against the real set like a best set's
   * confirmation, under the run lock, stage by stage (Stop and reload resume it). Its record is stored on
   * the iteration and on the recipe (`recipe.confirmation`); the loop's own state (convergence, the
   * experiment's best-set confirmation) stays as it was. Each setting's samples join the surrogate as an
   * observation of that setting. A recipe confirmation already in progress is finished, not started twice.
   */
  async confirmRecipe(id: string, options: Omit<RunOptions, 'iterations'> = {}): Promise<RunOutcome> {
    const experiment = await this.get(id);
    if (!experiment.recipe) throw new InputError('There is no recipe to confirm yet: compute the recipe first.');
    return this.underRunLock(id, options, async (run) => {
      if (await this.finishUnfinished(id, run, (plan) => plan.trigger === 'recipe')) return null;
      await run.runner.planRecipeConfirmation(run.current, run.options(true));
      await run.runner.runIteration(run.current, run.options(true));
      return null;
    });
  }

  /**
   * Runs an iteration left half-done to its end; whether it was a confirmation that `same` accepts (the
   * one the caller was asked to start, which is then finished rather than started twice).
   */
  private async finishUnfinished(
    id: string,
    run: RunHandle,
    same: (plan: ConfirmationPlanRecord) => boolean,
  ): Promise<boolean> {
    const next = await run.runner.next(run.current, { continuePastConvergence: true });
    if (next.kind !== 'stage' || next.stage === 'plan') return false;
    const unfinished = (await this.deps.store.getIterations(id)).find((it) => it.iteration === next.iteration);
    await run.runner.runIteration(run.current, run.options(true));
    return unfinished?.confirming !== undefined && same(unfinished.confirming);
  }

  /**
   * Runs `body` under the experiment's run lock: marks it running, readies the run, and afterwards
   * derives its status from how it ended (the one place a run's end becomes a status). `run.current` is
   * the experiment as last committed, so a Stop never writes back an older record over a stage's work.
   */
  private async underRunLock(
    id: string,
    options: Omit<RunOptions, 'iterations'>,
    body: (run: RunHandle) => Promise<string | null>,
  ): Promise<RunOutcome> {
    const release = await this.locks.acquire(id, options.lockWaitMs ?? 0);
    if (!release) return { kind: 'locked' };
    const { store } = this.deps;
    let current = await this.get(id);
    const run: RunHandle = {
      get current() {
        return current;
      },
      // The lock is held from here on: the run's runner keeps the iteration records it read current from
      // its own commits (runStore.ts).
      runner: new PipelineRunner({ ...this.deps.pipeline, store: runStore(this.deps.pipeline.store) }, this.deps.domains),
      options: (continuePastConvergence: boolean): RunnerOptions => ({
        continuePastConvergence,
        signal: options.signal,
        onProgress: options.onProgress,
        onCommitted: (experiment, iteration) => {
          current = experiment;
          options.onCommitted?.(experiment, iteration);
        },
      }),
    };
    try {
      current = { ...current, status: 'running', statusDetail: undefined };
      // Stored at once: a page closed mid-run finds it running and resumes it.
      await store.putExperiment(current);
      options.onStart?.(current);
      await this.deps.prepareRun?.(current);
      const notice = await this.restartingLostWorkerOnce(() => body(run), () => this.deps.prepareRun?.(current));
      current = { ...current, status: statusAfterRun(current.convergence), statusDetail: undefined, updatedAt: this.now() };
      await store.putExperiment(current);
      return { kind: 'done', experiment: current, notice };
    } catch (error) {
      const cancelled = options.signal?.aborted || this.deps.isCancellation?.(error) || (error as Error)?.name === 'AbortError';
      const end: RunEnd = cancelled ? 'cancelled' : (error as Error)?.name === 'StorageFullError' ? 'storage-full' : 'error';
      const message = error instanceof Error ? error.message : String(error);
      const next = await this.runner.next(current, { continuePastConvergence: true }).catch(() => null);
      const { status, statusDetail } = statusAfterError(end, message, next?.kind === 'stage' ? next : null);
      current = { ...current, status, statusDetail, updatedAt: this.now() };
      // The original error is what the user needs; a failed status write (a full disk) must not hide it.
      await store.putExperiment(current).catch(() => undefined);
      return { kind: end === 'cancelled' ? 'stopped' : end === 'storage-full' ? 'paused' : 'failed', experiment: current, message: statusDetail };
    } finally {
      release();
    }
  }

  /**
   * Runs `body`; when a worker dies under it, readies the run again (a fresh worker has lost what the
   * old one held, e.g. the loaded model) and runs it once more from what is stored. Every stage resumes
   * from its committed records, so the second try repeats no committed work. A second loss fails the
   * stage with both reasons in words.
   */
  private async restartingLostWorkerOnce<T>(body: () => Promise<T>, prepare: () => Promise<void> | undefined): Promise<T> {
    try {
      return await body();
    } catch (error) {
      if (!isWorkerLostError(error)) throw error;
      await prepare();
      try {
        return await body();
      } catch (again) {
        if (!isWorkerLostError(again)) throw again;
        throw new Error(`${(again as Error).message.replace(/\.$/, '')}, twice: it was restarted once and stopped again.`);
      }
    }
  }

  /**
   * Embeds the experiment's real set (and iteration 0 when it exists) with two model variants and stores
   * their drift against its noise floor on the experiment (app/variantComparison.ts), under its run lock.
   */
  compareVariants(id: string, variants: ModelVariants, options: CompareVariantsOptions = {}): Promise<VariantComparisonRecord> {
    const { store, pipeline, domains } = this.deps;
    return compareModelVariants({ store, pipeline, domains, locks: this.locks, now: this.now }, id, variants, options);
  }

  /** Stores an experiment read from an archive, once its domain is known to this build. */
  async import(bundle: ExperimentBundle): Promise<ExperimentRecord> {
    domainOf(this.deps.domains, bundle.experiment);
    const { id } = await this.deps.store.importBundle(bundle);
    return this.get(id);
  }

  /**
   * Writes every iteration of the experiment, in order, through an archive writer, with its inputs
   * (chips, real images, tables) and `domainFiles`: what its domain adds for readers (the state layer
   * asks the domain's service for them; this service does not know any domain's files).
   */
  async export(
    id: string,
    begin: (experiment: ExperimentRecord, chips: ChipRecord[], realImages: ChipRecord[], iterationCount: number, start: ArchiveStart) => Promise<ArchiveWriter>,
    domainFiles: ArchiveFile[] = [],
  ): Promise<Blob> {
    const { store } = this.deps;
    const experiment = await this.get(id);
    const numbers = await store.getIterationNumbers(id);
    const tables = (await store.getTables?.(id)) ?? [];
    const writer = await begin(experiment, await store.getChips(id), await store.getRealImages(id), numbers.length, { tables, domainFiles });
    const records = new Map((await store.getIterations(id)).map((r) => [r.iteration, r]));
    for (const n of numbers) await writer.addIteration(n, records.get(n), await store.getSamples(id, n));
    return writer.finish();
  }
}

/** Run locks held in this process (Node, tests): a second run of the same experiment is refused. */
export function processLocks(): RunLocks {
  const held = new Set<string>();
  return {
    async acquire(id) {
      if (held.has(id)) return null;
      held.add(id);
      return () => held.delete(id);
    },
  };
}

/** Whether two lists hold the same sample ids (each id once per list). */
function sameIds(ids: readonly string[], samples: readonly SampleRecord[]): boolean {
  if (ids.length !== samples.length) return false;
  const have = new Set(samples.map((s) => s.sample_id));
  return ids.every((id) => have.has(id));
}
