/**
 * The main thread's handle on the archive worker (ZIP export and import; the worker owns fflate).
 *
 *   const archive = createArchiveClient();
 *   const session = await archive.beginExport({ experiment, chips, realImages, tables, domainFiles }, { signal, onProgress, iterationCount });
 *   for (const n of iterationNumbers) await session.addIteration(n, recordOf(n), await samplesOf(n));
 *   const zip = await session.finish();                      // Blob, application/zip
 *
 *   const bundle = await archive.importArchive(file, { signal, onProgress });  // nothing is written
 *   // → { experiment, iterations, samples, chips, realImages, tables }; ArchiveImportError names the file and the reason
 */
import type { ChipRecord, ExperimentRecord, IterationRecord, SampleRecord } from '../engine/experiment/records';
import { DEFAULT_MAX_IMPORT_BYTES, type ArchiveFile, type ExperimentBundle } from '../storage/archive';
import type { ArchiveWorkerApi, ExportStatus } from './archive/protocol';
import { createWorkerBridge } from './bridge/workerBridge';
import { CancelledError, cancelledError, type Progress } from './lib/jobs';

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
  /** The real tables as dropped (input role 'table'); default none. */
  tables?: ChipRecord[];
  /** The domain's own files by name, written under domain/ and ignored on import; default none. */
  domainFiles?: ArchiveFile[];
}

export interface ArchiveClient {
  beginExport(source: ExportSource, options?: ExportOptions): Promise<ArchiveExportSession>;
  /** Reads and checks a ZIP; resolves with the records, or rejects with ArchiveImportError / CancelledError. */
  importArchive(archive: Blob, options?: ImportOptions): Promise<ExperimentBundle>;
  terminate(): void;
}

export function createArchiveClient(): ArchiveClient {
  // Nothing lives in the worker between calls except an export in progress, which holds it alive.
  const bridge = createWorkerBridge<ArchiveWorkerApi>({
    name: 'archive',
    createWorker: () => new Worker(new URL('./archive.worker.ts', import.meta.url), { type: 'module', name: 'archive' }),
    abortError: cancelledError,
  });
  let nextExportId = 1;

  return {
    async beginExport({ experiment, chips, realImages = [], tables = [], domainFiles = [] }, options = {}) {
      const { signal: outer, onProgress, iterationCount } = options;
      if (outer?.aborted) throw new CancelledError('export');
      const exportId = nextExportId++;
      // The session's own signal: cancel() and the caller's signal both stop a call in flight.
      const session = new AbortController();
      const signal = outer ? AbortSignal.any([outer, session.signal]) : session.signal;
      const release = bridge.keepAlive();
      let ended = false;
      const end = () => {
        if (ended) return false;
        ended = true;
        outer?.removeEventListener('abort', cancel);
        release();
        return true;
      };
      const cancel = () => {
        if (!end()) return;
        session.abort();
        void bridge.call((remote) => remote.dropExport(exportId)).catch(() => undefined);
      };
      outer?.addEventListener('abort', cancel, { once: true });
      const guard = () => {
        if (signal.aborted || ended) {
          cancel();
          throw new CancelledError('export');
        }
      };
      let added = 0;
      try {
        await bridge.call((remote) => remote.beginExport(exportId, { experiment, chips, realImages, tables, domainFiles }), { signal, what: 'export' });
      } catch (e) {
        cancel();
        throw e;
      }
      return {
        async addIteration(iteration, record, samples) {
          guard();
          let status: ExportStatus;
          try {
            status = await bridge.call((remote, job) => remote.addIteration(exportId, iteration, record, samples, job.id), { signal, what: 'export' });
          } catch (e) {
            cancel(); // the worker has dropped the export
            throw e;
          }
          added++;
          onProgress?.({ done: added, total: Math.max(added, iterationCount ?? added), stage: 'export', bytes: status.bytes });
          return status;
        },
        async finish() {
          guard();
          try {
            return await bridge.call((remote) => remote.finishExport(exportId), { signal, what: 'export' });
          } finally {
            end();
          }
        },
        cancel,
      };
    },

    async importArchive(archive, options = {}) {
      const name = options.name ?? (archive as File).name ?? 'archive';
      const outcome = await bridge.call(
        (remote, job) => remote.importArchive(archive, { maxTotalBytes: options.maxTotalBytes ?? DEFAULT_MAX_IMPORT_BYTES }, job.id, job.onProgress),
        { signal: options.signal, onProgress: options.onProgress, what: 'import' },
      );
      if (!outcome.ok) throw new ArchiveImportError(name, outcome.file, outcome.reason);
      return outcome.bundle;
    },

    terminate: () => bridge.terminate(),
  };
}
