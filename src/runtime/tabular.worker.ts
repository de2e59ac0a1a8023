/**
 * The tabular worker: a TabularWorkbench (src/domains/tabular/workbench.ts) off the main thread — the
 * table read and reviewed, constraints checked against its rows, and each evaluation of a calibration
 * (generate the synthetic table, project it onto the constraints, measure every metric) made here, so
 * the page stays responsive on a 100,000-row table. The workbench keeps the parsed table and the open
 * calibrations; a restarted worker is given them again by the client (`has` / `openCalibration`).
 */
import type { ParameterSet } from '../engine/space/space';
import type { CalibrationStop } from '../domains/tabular/loop/calibrationSession';
import type { Evaluation } from '../domains/tabular/loop/evaluation';
import { TabularWorkbench, trainingReporter, type CalibrationSpec, type StepOutcome, type TableChoices, type TableSource } from '../domains/tabular/workbench';
import type { ProgressCallback } from './bridge/protocol';
import { exposeWorker, runJob } from './bridge/workerJobs';

const workbench = new TabularWorkbench();

const api = {
  review: (source: TableSource, choices: TableChoices, jobId?: number, onProgress?: ProgressCallback) =>
    runJob(jobId, 'reading the table', () => workbench.review(source, choices, (p) => void onProgress?.(p))),
  constraintsProblem: (source: TableSource, choices: TableChoices, yaml: string, file: string) => workbench.constraintsProblem(source, choices, yaml, file),
  has: (key: string) => workbench.has(key),
  openCalibration: (key: string, spec: CalibrationSpec) => workbench.openCalibration(key, spec),
  facts: (key: string) => workbench.facts(key),
  next: (key: string, history: Evaluation[], jobId?: number, onProgress?: ProgressCallback) =>
    runJob(jobId, 'evaluation', (): StepOutcome => workbench.next(key, history, trainingReporter(onProgress))),
  evaluate: (key: string, history: Evaluation[], params: ParameterSet, note: string, jobId?: number, onProgress?: ProgressCallback) =>
    runJob(jobId, 'evaluation', (): StepOutcome => workbench.evaluate(key, history, params, note, trainingReporter(onProgress))),
  diagnose: (key: string, history: Evaluation[], index: number) => workbench.diagnose(key, history, index),
  look: (key: string, history: Evaluation[], index: number, jobId?: number) => runJob(jobId, 'plots', () => workbench.look(key, history, index)),
  syntheticCsv: (key: string, history: Evaluation[], index: number, options: { rows?: number; spreadsheetSafe?: boolean }, jobId?: number) =>
    runJob(jobId, 'the synthetic table', () => workbench.syntheticCsv(key, history, index, options)),
  report: (key: string, history: Evaluation[], stopped: CalibrationStop, name: string) => workbench.report(key, history, stopped, name),
};

export type TabularWorkerApi = typeof api;

exposeWorker(api);
