/**
 * The main thread's handle on the archive worker (ZIP export and import; the worker owns fflate).
 *
 *   const archive = createArchiveClient();
 *   const session = await archive.beginExport({ experiment, chips, realImages }, { signal, onProgress, iterationCount });
 *   for (const n of iterationNumbers) await session.addIteration(n, recordOf(n), await samplesOf(n));
 *   const zip = await session.finish();                      // Blob, application/zip
 *
 *   const bundle = await archive.importArchive(file, { signal, onProgress });  // nothing is written
 *   // → { experiment, iterations, samples, chips, realImages }; ArchiveImportError names the file and the reason
 */
import * as Comlink from 'comlink';
import type { ChipRecord, ExperimentRecord, IterationRecord, SampleRecord } from '../core/experiment/records';
import { DEFAULT_MAX_IMPORT_BYTES, type ExperimentBundle } from '../core/export';
import type { ArchiveWorkerApi, ExportStatus } from './archive/protocol';
import { CancelledError, newJobId, type Progress } from './lib/jobs';

export type { ExperimentBundle, ExportStatus };

export interface ExportOptions {
  signal?: AbortSignal;
  /** done/total in iterations (total = iterationCount when given, else the iterations added so far). */
  onProgress?: (progress: Progress & { bytes: number }) => void;
  iterationCount?: number;
}

export interface ArchiveExportSession {
  /** Adds one iteration folder: its record (absent when only samples exist) and all its samples. */
  addIteration(iteration: number, record: IterationRecord | undefined, samples: SampleRecord[]): Promise<ExportStatus>;
  /** Writes the closing files and the manifest; returns the ZIP. */
  finish(): Promise<Blob>;
  /** Abandons the export (also what aborting the signal does). */
  cancel(): void;
}

export interface ImportOptions {
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  /** Cap on the total unpacked size; default 2 GiB. */
  maxTotalBytes?: number;
  /** Names the archive in messages; defaults to the File's name. */
  name?: string;
}

/** An archive that cannot be imported: `file` is the entry at fault (null: the ZIP as a whole). */
export class ArchiveImportError extends Error {
  constructor(
    readonly archiveName: string,
    readonly file: string | null,
    readonly reason: string,
  ) {
    super(`Cannot import "${archiveName}": ${file ? `${file}: ${reason}` : reason}. Nothing was imported.`);
    this.name = 'ArchiveImportError';
  }
}

export interface ExportSource {
  experiment: ExperimentRecord;
  chips: ChipRecord[];
  /** The user's own real images as dropped (user target); default none. */
  realImages?: ChipRecord[];
}

export interface ArchiveClient {
  beginExport(source: ExportSource, options?: ExportOptions): Promise<ArchiveExportSession>;
  /** Reads and checks a ZIP; resolves with the records, or rejects with ArchiveImportError / CancelledError. */
  importArchive(archive: Blob, options?: ImportOptions): Promise<ExperimentBundle>;
  terminate(): void;
}

export function createArchiveClient(): ArchiveClient {
  let worker: Worker | null = null;
  let api: Comlink.Remote<ArchiveWorkerApi> | null = null;
  const remote = () => {
    if (!api) {
      worker = new Worker(new URL('./archive.worker.ts', import.meta.url), { type: 'module', name: 'archive' });
      api = Comlink.wrap<ArchiveWorkerApi>(worker);
    }
    return api;
  };

  return {
    async beginExport({ experiment, chips, realImages = [] }, options = {}) {
      const jobId = newJobId();
      const worker = remote();
      const { signal, onProgress, iterationCount } = options;
      let added = 0;
      let cancelled = false;
      const cancel = () => {
        if (cancelled) return;
        cancelled = true;
        void worker.cancel(jobId);
      };
      const guard = () => {
        if (cancelled || signal?.aborted) {
          cancel();
          throw new CancelledError('export');
        }
      };
      signal?.addEventListener('abort', cancel, { once: true });
      guard();
      await worker.beginExport(jobId, experiment, chips, realImages);
      return {
        async addIteration(iteration, record, samples) {
          guard();
          const status = await worker.addIteration(jobId, iteration, record, samples);
          added++;
          onProgress?.({ done: added, total: Math.max(added, iterationCount ?? added), stage: 'export', bytes: status.bytes });
          return status;
        },
        async finish() {
          guard();
          try {
            return await worker.finishExport(jobId);
          } finally {
            signal?.removeEventListener('abort', cancel);
          }
        },
        cancel,
      };
    },

    async importArchive(archive, options = {}) {
      const jobId = newJobId();
      const worker = remote();
      const name = options.name ?? (archive as File).name ?? 'archive';
      const onAbort = () => void worker.cancel(jobId);
      if (options.signal?.aborted) throw new CancelledError('import');
      options.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const outcome = await worker.importArchive(
          jobId,
          archive,
          { maxTotalBytes: options.maxTotalBytes ?? DEFAULT_MAX_IMPORT_BYTES },
          options.onProgress ? Comlink.proxy(options.onProgress) : undefined,
        );
        if (!outcome.ok) throw new ArchiveImportError(name, outcome.file, outcome.reason);
        return outcome.bundle;
      } catch (e) {
        if (e instanceof Error && e.name === 'CancelledError') throw new CancelledError('import');
        throw e;
      } finally {
        options.signal?.removeEventListener('abort', onAbort);
      }
    },

    terminate() {
      worker?.terminate();
      worker = null;
      api = null;
    },
  };
}
