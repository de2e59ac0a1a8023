import type { ChipRecord, ExperimentRecord, IterationRecord, SampleRecord } from '../../engine/experiment/records';
import type { ArchiveFile, ExperimentBundle } from '../../storage/archive';
import type { ProgressCallback } from '../bridge/protocol';

/**
 * The archive worker's interface (comlink). An export is a session of calls on one `exportId` (the
 * worker holds the ZIP in progress); the long calls also take the bridge's job id, which its
 * cancelJob stops.
 */
export interface ArchiveWorkerApi {
  /** Starts an export: writes the config, experiment.json, the projection model, the chips, real images and tables, and the domain's files. */
  beginExport(exportId: number, source: ExportContents): Promise<ExportStatus>;
  /**
   * Streams one iteration folder (its record may be absent for samples stored before it, e.g. user real
   * images). A failed or cancelled call ends the export.
   */
  addIteration(exportId: number, iteration: number, record: IterationRecord | undefined, samples: SampleRecord[], jobId?: number): Promise<ExportStatus>;
  /** Writes history.json, report.html, README.md and manifest.json and returns the ZIP. */
  finishExport(exportId: number): Promise<Blob>;
  /** Abandons an export (nothing happens if it has already ended). */
  dropExport(exportId: number): void;
  /** Reads and checks an archive; never throws for a bad archive (the outcome says why). */
  importArchive(archive: Blob, options: { maxTotalBytes: number }, jobId?: number, onProgress?: ProgressCallback): Promise<ImportOutcome>;
}

/** What an export starts from: everything of the experiment but its iterations. */
export interface ExportContents {
  experiment: ExperimentRecord;
  chips: ChipRecord[];
  realImages: ChipRecord[];
  tables: ChipRecord[];
  /** The domain's own files by name (written under domain/). */
  domainFiles: ArchiveFile[];
}

export interface ExportStatus {
  files: number;
  /** ZIP bytes produced so far. */
  bytes: number;
}

export type ImportOutcome = { ok: true; bundle: ExperimentBundle } | { ok: false; file: string | null; reason: string };
