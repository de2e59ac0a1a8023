import { tabularConfig, type TabularConfig } from '../domains/tabular/domain';
import { GENERATOR_NAMES } from '../domains/tabular/generators/names';
import type { CalibrationStop } from '../domains/tabular/loop/calibrationSession';
import type { Failure } from '../domains/tabular/loop/diagnose';
import type { Evaluation } from '../domains/tabular/loop/evaluation';
import type { LookData } from '../domains/tabular/views/lookData';
import type { CalibrationFacts, CalibrationReport, CalibrationSettings, CalibrationSpec, TableChoices, TableReview, TableSource } from '../domains/tabular/workbench';
import { EXPERIMENT_SCHEMA_VERSION, type ChipRecord, type ExperimentRecord, type IterationRecord } from '../engine/experiment/records';
import type { ParameterSet } from '../engine/space/space';
import type { Progress } from '../engine/progress';
import type { CalibrationHandle, TabularCallOptions, TabularEngine } from '../runtime/tabularClient';
import { processLocks, type RunLocks } from './experimentService';

/**
 * Table calibrations in the page (the tabular domain): an experiment whose input is the real table as
 * dropped, whose config holds how it is read, its constraints and the run's settings, and whose
 * iterations are its evaluations — iteration k is evaluation k, committed with the experiment record in
 * one transaction as soon as it is measured, its `detail` the evaluation. Evaluations are deterministic
 * for the config and the history before them, so a run stopped or reloaded at any point resumes with the
 * evaluations an uninterrupted run makes. The measuring happens in a TabularEngine (the tabular worker
 * in the page, a TabularWorkbench in Node); one tab at a time runs an experiment (its run lock).
 */

export interface TabularStore {
  createExperiment(record: ExperimentRecord, chips: ChipRecord[], realImages: ChipRecord[], tables: ChipRecord[]): Promise<void>;
  getExperiment(id: string): Promise<ExperimentRecord | undefined>;
  putExperiment(record: ExperimentRecord): Promise<void>;
  getIterations(id: string): Promise<IterationRecord[]>;
  commitStage(input: { experiment: ExperimentRecord; iteration: IterationRecord }): Promise<void>;
  getTables(id: string): Promise<ChipRecord[]>;
}

export interface TabularServiceDeps {
  store: TabularStore;
  engine: TabularEngine;
  /** Default: locks within this process only. */
  locks?: RunLocks;
  isCancellation?(error: unknown): boolean;
  now?: () => string;
  newId?: () => string;
}

/** What the user chose for a new calibration. */
export interface NewTableCalibration extends CalibrationSettings {
  name: string;
  source: TableSource;
  choices: TableChoices;
  /** The constraints YAML (empty: none). */
  constraints: string;
}

export type TabularRunOutcome =
  | { kind: 'finished'; stopped: CalibrationStop }
  | { kind: 'stopped' }
  /** Another tab (or process) runs this experiment. */
  | { kind: 'locked' }
  | { kind: 'failed'; message: string };

export interface TabularRunOptions {
  signal?: AbortSignal;
  /** How long to wait for the run lock (a reloading page may still hold it). */
  lockWaitMs?: number;
  /** At most this many new evaluations, then the run stops as if the user had (Step: 1). Default: until the strategy stops. */
  limit?: number;
  /** After each committed evaluation. */
  onEvaluation?(evaluation: Evaluation, isBest: boolean, experiment: ExperimentRecord): void;
  /** After each training pass of an evaluation whose generator trains (the VAE). */
  onTraining?(epoch: number, epochs: number): void;
  onStart?(experiment: ExperimentRecord): void;
}

/** The file name the constraints are known by in messages and the report. */
export const CONSTRAINTS_FILE = 'constraints.yaml';

/** Bad constraints of a new calibration: the message names the file, the constraint and the breaking row, as the checker wrote it. */
export class ConstraintsProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConstraintsProblem';
  }
}

/** The evaluations stored with an experiment, in order. */
export function evaluationsOf(iterations: readonly IterationRecord[]): Evaluation[] {
  return iterations
    .filter((i) => i.detail !== undefined)
    .sort((a, b) => a.iteration - b.iteration)
    .map((i) => i.detail as Evaluation);
}

/** Why a calibration with this history stopped or would stop now (the report's `stopped`). */
export function stopReason(config: TabularConfig, history: readonly Evaluation[], finished: boolean): CalibrationStop {
  if (!finished) return 'user';
  if (history.length >= config.budget) return 'budget';
  return history.length > 0 && history[history.length - 1].gates.all_green ? 'all_green' : 'no_rule_left';
}

export class TabularService {
  private readonly locks: RunLocks;
  private readonly now: () => string;
  private readonly newId: () => string;
  /** Specs by experiment id (the table's bytes are read from the store once). */
  private readonly specs = new Map<string, Promise<CalibrationSpec>>();

  constructor(private readonly deps: TabularServiceDeps) {
    this.locks = deps.locks ?? processLocks();
    this.now = deps.now ?? (() => new Date().toISOString());
    this.newId = deps.newId ?? (() => crypto.randomUUID());
  }

  /** The table read with the user's choices: its columns, summaries and a sum group to offer. Throws on bad input, naming it. */
  review(source: TableSource, choices: TableChoices, options?: TabularCallOptions): Promise<TableReview> {
    return this.deps.engine.review(source, choices, options);
  }

  /** Why these constraints cannot be used with the table, or null. */
  constraintsProblem(source: TableSource, choices: TableChoices, yaml: string): Promise<string | null> {
    return this.deps.engine.constraintsProblem(source, choices, yaml, CONSTRAINTS_FILE);
  }

  /**
   * A new calibration: the table is read with the choices and the constraints checked against its rows
   * (bad input throws, naming the file, row, column or constraint, and nothing is stored), the split and
   * floors fixed, and the experiment stored with the table as dropped.
   */
  async create(input: NewTableCalibration): Promise<ExperimentRecord> {
    const review = await this.deps.engine.review(input.source, input.choices);
    const problem = await this.constraintsProblem(input.source, input.choices, input.constraints);
    if (problem) throw new ConstraintsProblem(problem);
    const id = this.newId();
    const spec = specOf(input);
    const facts = await this.deps.engine.open({ key: id, spec: async () => spec });
    const now = this.now();
    const config = tabularConfig({
      experiment_name: input.name,
      random_seed: input.seed,
      table_file: input.source.file,
      column_types: { ...input.choices.types },
      column_roles: { ...input.choices.roles },
      constraints: input.constraints,
      gates: input.gates,
      strategy: input.strategy,
      budget: input.budget,
      synthetic_rows: input.rows,
      holdout_share: input.holdoutShare,
      generators: [...input.generators],
      space: [...facts.space.parameters],
    });
    const record: ExperimentRecord = {
      id,
      name: input.name,
      domain: 'tabular',
      createdAt: now,
      updatedAt: now,
      config,
      target: { kind: 'user', imageCount: review.rowCount },
      embedder: { id: 'table-rows', label: 'table rows (standardised numbers, one-hot categories)', dimension: review.columns.length, normalized: false },
      chipIds: [input.source.file],
      status: 'ready',
      schemaVersion: EXPERIMENT_SCHEMA_VERSION,
    };
    const table: ChipRecord = { experimentId: id, id: input.source.file, bytes: copyBytes(input.source.bytes), width: review.columns.length, height: review.rowCount };
    await this.deps.store.createExperiment(record, [], [], [table]);
    this.specs.set(id, Promise.resolve(spec));
    return record;
  }

  private async experiment(id: string): Promise<ExperimentRecord> {
    const found = await this.deps.store.getExperiment(id);
    if (!found) throw new Error(`experiment ${id} does not exist (was it deleted?)`);
    if (found.domain !== 'tabular') throw new Error(`experiment ${found.name} is not a table calibration`);
    return found;
  }

  /** The handle the engine reopens a calibration from (the stored config and table). */
  handle(experiment: ExperimentRecord): CalibrationHandle {
    return {
      key: experiment.id,
      spec: () => {
        let spec = this.specs.get(experiment.id);
        if (!spec) {
          spec = this.loadSpec(experiment);
          spec.catch(() => this.specs.delete(experiment.id));
          this.specs.set(experiment.id, spec);
        }
        return spec;
      },
    };
  }

  private async loadSpec(experiment: ExperimentRecord): Promise<CalibrationSpec> {
    const [table] = await this.deps.store.getTables(experiment.id);
    if (!table) throw new Error(`the real table of ${experiment.name} is missing from storage`);
    const config = experiment.config as TabularConfig;
    return specOf({
      source: { file: table.id, bytes: new Uint8Array(table.bytes) },
      choices: { types: config.column_types, roles: config.column_roles },
      constraints: config.constraints,
      gates: config.gates,
      strategy: config.strategy,
      budget: config.budget,
      seed: config.random_seed,
      rows: config.synthetic_rows,
      holdoutShare: config.holdout_share,
      generators: config.generators ?? [...GENERATOR_NAMES],
    });
  }

  async history(id: string): Promise<Evaluation[]> {
    return evaluationsOf(await this.deps.store.getIterations(id));
  }

  async facts(id: string): Promise<CalibrationFacts> {
    return this.deps.engine.facts(this.handle(await this.experiment(id)));
  }

  /**
   * Runs the calibration until its strategy stops (the budget spent, or the rules loop done), the signal
   * aborts (status 'stopped', every evaluation before kept), or an evaluation fails (status 'failed' with
   * the reason; the evaluations before it kept). Resumes from the stored evaluations.
   */
  run(id: string, options: TabularRunOptions = {}): Promise<TabularRunOutcome> {
    return this.locked(id, options, async (experiment, handle) => {
      let current = experiment;
      let history = await this.history(id);
      const limit = options.limit ?? Infinity;
      for (let made = 0; ; made++) {
        if (options.signal?.aborted || made >= limit) return { current, outcome: { kind: 'stopped' } };
        const started = this.now();
        const t0 = performance.now();
        const step = await this.deps.engine.next(handle, history, engineOptions(options));
        if ('stopped' in step) {
          current = { ...current, status: 'finished', statusDetail: finishedDetail(step.stopped, history), updatedAt: this.now() };
          await this.deps.store.putExperiment(current);
          return { current, outcome: { kind: 'finished', stopped: step.stopped } };
        }
        current = await this.commit(current, step.evaluation, started, performance.now() - t0);
        history = [...history, step.evaluation];
        options.onEvaluation?.(step.evaluation, step.isBest, current);
      }
    });
  }

  /** Evaluates settings the user chose (a diagnosis's suggestion) as the next evaluation. */
  runSettings(id: string, params: ParameterSet, note: string, options: TabularRunOptions = {}): Promise<TabularRunOutcome> {
    return this.locked(id, options, async (experiment, handle) => {
      const history = await this.history(id);
      const started = this.now();
      const t0 = performance.now();
      const step = await this.deps.engine.evaluate(handle, history, params, note, engineOptions(options));
      if ('stopped' in step) throw new Error('the settings could not be evaluated');
      const committed = await this.commit(experiment, step.evaluation, started, performance.now() - t0);
      options.onEvaluation?.(step.evaluation, step.isBest, committed);
      const all = [...history, step.evaluation];
      const config = experiment.config as TabularConfig;
      const finished = experiment.status === 'finished' || all.length >= config.budget;
      const current: ExperimentRecord = { ...committed, status: finished ? 'finished' : 'stopped', statusDetail: finished ? finishedDetail(stopReason(config, all, true), all) : 'Stopped. Optimize continues from the last evaluation.', updatedAt: this.now() };
      await this.deps.store.putExperiment(current);
      return { current, outcome: finished ? { kind: 'finished', stopped: stopReason(config, all, true) } : { kind: 'stopped' } };
    });
  }

  private async commit(experiment: ExperimentRecord, evaluation: Evaluation, startedAt: string, ms: number): Promise<ExperimentRecord> {
    const now = this.now();
    const current: ExperimentRecord = { ...experiment, updatedAt: now };
    const iteration: IterationRecord = {
      experimentId: experiment.id,
      iteration: evaluation.index,
      stage: 'analysed',
      paramSets: [{ param_set_id: `evaluation_${evaluation.index}`, dataset_type: 'synthetic', params: evaluation.params, origin: 'proposed' }],
      timings: { score_ms: Math.round(ms) },
      startedAt,
      finishedAt: now,
      detail: evaluation,
    };
    await this.deps.store.commitStage({ experiment: current, iteration });
    return current;
  }

  /** Runs `body` under the experiment's run lock with status 'running', and records how it ended. */
  private async locked(id: string, options: TabularRunOptions, body: (experiment: ExperimentRecord, handle: CalibrationHandle) => Promise<{ current: ExperimentRecord; outcome: TabularRunOutcome }>): Promise<TabularRunOutcome> {
    const release = await this.locks.acquire(id, options.lockWaitMs ?? 0);
    if (!release) return { kind: 'locked' };
    let current = await this.experiment(id).catch((e: unknown) => {
      release();
      throw e;
    });
    try {
      current = { ...current, status: 'running', statusDetail: undefined, updatedAt: this.now() };
      await this.deps.store.putExperiment(current);
      options.onStart?.(current);
      const done = await body(current, this.handle(current));
      current = done.current;
      if (done.outcome.kind === 'stopped') {
        current = { ...current, status: 'stopped', statusDetail: 'Stopped. Optimize continues from the last evaluation.', updatedAt: this.now() };
        await this.deps.store.putExperiment(current);
      }
      return done.outcome;
    } catch (error) {
      const latest = (await this.deps.store.getExperiment(id)) ?? current;
      if (options.signal?.aborted || this.deps.isCancellation?.(error)) {
        await this.deps.store.putExperiment({ ...latest, status: 'stopped', statusDetail: 'Stopped. Optimize continues from the last evaluation.', updatedAt: this.now() });
        return { kind: 'stopped' };
      }
      const message = error instanceof Error ? error.message : String(error);
      await this.deps.store.putExperiment({ ...latest, status: 'failed', statusDetail: message, updatedAt: this.now() }).catch(() => undefined);
      return { kind: 'failed', message };
    } finally {
      release();
    }
  }

  async diagnose(id: string, index: number): Promise<Failure[]> {
    const experiment = await this.experiment(id);
    return this.deps.engine.diagnose(this.handle(experiment), await this.history(id), index);
  }

  async look(id: string, index: number, options?: TabularCallOptions): Promise<LookData> {
    const experiment = await this.experiment(id);
    return this.deps.engine.look(this.handle(experiment), await this.history(id), index, options);
  }

  async syntheticCsv(id: string, index: number, csv: { rows?: number; spreadsheetSafe?: boolean }, options?: TabularCallOptions): Promise<string> {
    const experiment = await this.experiment(id);
    return this.deps.engine.syntheticCsv(this.handle(experiment), await this.history(id), index, csv, options);
  }

  async report(id: string): Promise<CalibrationReport> {
    const experiment = await this.experiment(id);
    const history = await this.history(id);
    return this.deps.engine.report(this.handle(experiment), history, stopReason(experiment.config as TabularConfig, history, experiment.status === 'finished'), experiment.name);
  }
}

function specOf(input: Omit<NewTableCalibration, 'name'>): CalibrationSpec {
  return {
    source: input.source,
    choices: input.choices,
    constraints: input.constraints,
    constraintsFile: CONSTRAINTS_FILE,
    gates: input.gates,
    strategy: input.strategy,
    budget: input.budget,
    seed: input.seed,
    rows: input.rows,
    holdoutShare: input.holdoutShare,
    generators: [...input.generators],
  };
}

function finishedDetail(stopped: CalibrationStop, history: readonly Evaluation[]): string {
  const green = history.some((e) => e.gates.all_green);
  const why = stopped === 'budget' ? 'the budget is spent' : stopped === 'all_green' ? 'the rules loop stops at its first all-green table' : stopped === 'no_rule_left' ? 'no rule is left to try' : 'stopped';
  return `Finished: ${why}; ${green ? 'an all-green table was found' : 'no evaluation is all green'}.`;
}

function copyBytes(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer;
}

/** The engine call's options for a run: its signal, and a VAE's training passes (progress stage 'train') to onTraining. */
function engineOptions(options: TabularRunOptions): TabularCallOptions {
  const { signal, onTraining } = options;
  return { signal, ...(onTraining ? { onProgress: (p: Progress) => void (p.stage === 'train' && onTraining(p.done, p.total)) } : {}) };
}
