import type { ChipRecord, ExperimentRecord, IterationRecord, SampleRecord } from '../../core/experiment/records';
import type { ExperimentBundle } from '../../core/export';
import type { Progress } from '../lib/jobs';

/** The archive worker's interface (comlink). Long calls take a job id so `cancel(jobId)` can stop them. */
export interface ArchiveWorkerApi {
  /** Starts an export: writes the config, experiment.json, the projection model, the chips and real images. */
  beginExport(jobId: number, experiment: ExperimentRecord, chips: ChipRecord[], realImages: ChipRecord[]): Promise<ExportStatus>;
  /** Streams one iteration folder (its record may be absent for samples stored before it, e.g. user real images). */
  addIteration(jobId: number, iteration: number, record: IterationRecord | undefined, samples: SampleRecord[]): Promise<ExportStatus>;
  /** Writes history.json, report.html, README.md and manifest.json and returns the ZIP. */
  finishExport(jobId: number): Promise<Blob>;
  /** Reads and checks an archive; never throws for a bad archive (the outcome says why). */
  importArchive(jobId: number, archive: Blob, options: { maxTotalBytes: number }, onProgress?: (progress: Progress) => void): Promise<ImportOutcome>;
  cancel(jobId: number): void;
}

export interface ExportStatus {
  files: number;
  /** ZIP bytes produced so far. */
  bytes: number;
}

export type ImportOutcome = { ok: true; bundle: ExperimentBundle } | { ok: false; file: string | null; reason: string };
