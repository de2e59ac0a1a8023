/**
 * The archive worker: owns fflate. Streams experiment exports into a ZIP and reads archives back,
 * checking every file before anything is handed to storage.
 */
import { ArchiveError } from '../storage/archive';
import { ExportJob } from './archive/exportJob';
import { bundleFromFiles } from './archive/importBundle';
import type { ArchiveWorkerApi, ImportOutcome } from './archive/protocol';
import { readArchiveFiles } from './archive/zipReader';
import { isAbortError } from './bridge/errors';
import { exposeWorker, runJob } from './bridge/workerJobs';

const exports = new Map<number, ExportJob>();

function exportJob(exportId: number): ExportJob {
  const job = exports.get(exportId);
  if (!job) throw new Error(`export ${exportId} was not started or has already finished`);
  return job;
}

const api: ArchiveWorkerApi = {
  async beginExport(exportId, { experiment, chips, realImages, tables, domainFiles }) {
    if (exports.has(exportId)) throw new Error(`export ${exportId} is already running`);
    const job = new ExportJob(experiment, chips, realImages, { tables, domainFiles });
    exports.set(exportId, job);
    return job.status();
  },

  addIteration: (exportId, iteration, record, samples, jobId) =>
    runJob(jobId, 'export', async (job) => {
      const exporting = exportJob(exportId);
      try {
        return await exporting.addIteration(iteration, record, samples, job.throwIfAborted);
      } catch (e) {
        // Half an iteration folder cannot be taken back: the export is over.
        api.dropExport(exportId);
        throw e;
      }
    }),

  async finishExport(exportId) {
    const job = exportJob(exportId);
    try {
      return job.finish();
    } finally {
      exports.delete(exportId);
    }
  },

  dropExport(exportId) {
    exports.get(exportId)?.terminate();
    exports.delete(exportId);
  },

  importArchive: (archive, options, jobId, onProgress) =>
    runJob(jobId, 'import', async (job): Promise<ImportOutcome> => {
      let lastReport = 0;
      try {
        const files = await readArchiveFiles(archive, {
          maxTotalBytes: options.maxTotalBytes,
          checkCancelled: job.throwIfAborted,
          onProgress: (done, total) => {
            // At most ~100 progress messages per import.
            if (onProgress && (done === total || done - lastReport >= total / 100)) {
              lastReport = done;
              onProgress({ done, total, stage: 'import' });
            }
          },
        });
        await job.checkpoint();
        return { ok: true, bundle: bundleFromFiles(files) };
      } catch (e) {
        if (e instanceof ArchiveError) return { ok: false, file: e.file, reason: e.reason };
        if (isAbortError(e)) throw e;
        return { ok: false, file: null, reason: `could not be read (${(e as Error).message})` };
      }
    }),
};

exposeWorker(api);
