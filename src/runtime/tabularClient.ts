/**
 * The main thread's handle on the tabular worker (tabular.worker.ts), over the worker bridge: the worker
 * starts on first use and stops after a while idle; its open calibrations are given back to a fresh one
 * from the handle's spec (the call reads `has` first), so a stopped worker costs a re-read, nothing
 * else. Long calls take an AbortSignal.
 */
import type { ParameterSet } from '../engine/space/space';
import type { CalibrationStop } from '../domains/tabular/loop/calibrationSession';
import type { Failure } from '../domains/tabular/loop/diagnose';
import type { Evaluation } from '../domains/tabular/loop/evaluation';
import type { LookData } from '../domains/tabular/views/lookData';
import type { CalibrationFacts, CalibrationReport, CalibrationSpec, StepOutcome, TableChoices, TableReview, TableSource } from '../domains/tabular/workbench';
import type { TabularWorkerApi } from './tabular.worker';
import type { ProgressCallback } from './bridge/protocol';
import { createWorkerBridge, type RemoteApi } from './bridge/workerBridge';
import { cancelledError, type Progress } from './lib/jobs';

/** A calibration the worker may have open: its key and how to give it the spec again. */
export interface CalibrationHandle {
  key: string;
  spec(): Promise<CalibrationSpec>;
}

export interface TabularCallOptions {
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

/** What the page's services ask of a table (the worker here; a TabularWorkbench in-process in Node). */
export interface TabularEngine {
  review(source: TableSource, choices: TableChoices, options?: TabularCallOptions): Promise<TableReview>;
  constraintsProblem(source: TableSource, choices: TableChoices, yaml: string, file: string): Promise<string | null>;
  /** Opens the calibration afresh (reads the table, checks the constraints, splits, fixes the floors). */
  open(run: CalibrationHandle): Promise<CalibrationFacts>;
  facts(run: CalibrationHandle): Promise<CalibrationFacts>;
  next(run: CalibrationHandle, history: readonly Evaluation[], options?: TabularCallOptions): Promise<StepOutcome>;
  evaluate(run: CalibrationHandle, history: readonly Evaluation[], params: ParameterSet, note: string, options?: TabularCallOptions): Promise<StepOutcome>;
  diagnose(run: CalibrationHandle, history: readonly Evaluation[], index: number): Promise<Failure[]>;
  look(run: CalibrationHandle, history: readonly Evaluation[], index: number, options?: TabularCallOptions): Promise<LookData>;
  syntheticCsv(run: CalibrationHandle, history: readonly Evaluation[], index: number, csv: { rows?: number; spreadsheetSafe?: boolean }, options?: TabularCallOptions): Promise<string>;
  report(run: CalibrationHandle, history: readonly Evaluation[], stopped: CalibrationStop, name: string): Promise<CalibrationReport>;
}

export interface TabularClient extends TabularEngine {
  dispose(): void;
}

const defaultWorker = () => new Worker(new URL('./tabular.worker.ts', import.meta.url), { type: 'module', name: 'tabular' });

export function createTabularClient(options: { createWorker?: () => Worker } = {}): TabularClient {
  const bridge = createWorkerBridge<TabularWorkerApi>({ name: 'tabular', createWorker: options.createWorker ?? defaultWorker, abortError: cancelledError });
  type Remote = RemoteApi<TabularWorkerApi>;
  const ensure = async (remote: Remote, run: CalibrationHandle) => {
    if (!(await remote.has(run.key))) await remote.openCalibration(run.key, await run.spec());
  };
  /** A call on an open calibration: reopened first when this worker does not have it. */
  const onOpen = <R>(run: CalibrationHandle, what: string, body: (remote: Remote, jobId: number, onProgress?: ProgressCallback) => Promise<R>, o: TabularCallOptions = {}) =>
    bridge.call(
      async (remote, job) => {
        await ensure(remote, run);
        return body(remote, job.id, job.onProgress);
      },
      { signal: o.signal, onProgress: o.onProgress, what },
    ) as Promise<R>;
  // Histories are copied (not transferred): the caller keeps them.
  const plain = (history: readonly Evaluation[]) => [...history];
  return {
    review: (source, choices, o = {}) => bridge.call((remote, job) => remote.review(source, choices, job.id, job.onProgress), { signal: o.signal, onProgress: o.onProgress, what: 'reading the table' }),
    constraintsProblem: (source, choices, yaml, file) => bridge.call((remote) => remote.constraintsProblem(source, choices, yaml, file)),
    open: async (run) => {
      const spec = await run.spec();
      return bridge.call((remote) => remote.openCalibration(run.key, spec), { what: 'opening the calibration' });
    },
    facts: (run) => onOpen(run, 'opening the calibration', (remote) => remote.facts(run.key)),
    next: (run, history, o) => onOpen<StepOutcome>(run, 'evaluation', (remote, id, progress) => remote.next(run.key, plain(history), id, progress), o),
    evaluate: (run, history, params, note, o) => onOpen<StepOutcome>(run, 'evaluation', (remote, id, progress) => remote.evaluate(run.key, plain(history), params, note, id, progress), o),
    diagnose: (run, history, index) => onOpen(run, 'diagnosis', (remote) => remote.diagnose(run.key, plain(history), index)),
    look: (run, history, index, o) => onOpen(run, 'plots', (remote, id) => remote.look(run.key, plain(history), index, id), o),
    syntheticCsv: (run, history, index, csv, o) => onOpen(run, 'the synthetic table', (remote, id) => remote.syntheticCsv(run.key, plain(history), index, csv, id), o),
    report: (run, history, stopped, name) => onOpen(run, 'report', (remote) => remote.report(run.key, plain(history), stopped, name)),
    dispose: () => bridge.terminate(),
  };
}
