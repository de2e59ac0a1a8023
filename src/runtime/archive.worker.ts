/**
 * The archive worker: owns fflate. Streams experiment exports into a ZIP and reads archives back,
 * checking every file before anything is handed to storage (issue 6, item 5).
 */
import * as Comlink from 'comlink';
import { ArchiveError } from '../core/export';
import { ExportJob } from './archive/exportJob';
import { bundleFromFiles } from './archive/importBundle';
import type { ArchiveWorkerApi, ImportOutcome } from './archive/protocol';
import { readArchiveFiles } from './archive/zipReader';
import { CancelledError, JobRegistry, yieldToEventLoop } from './lib/jobs';

const jobs = new JobRegistry();
const exports = new Map<number, ExportJob>();

function exportJob(jobId: number): ExportJob {
  jobs.check(jobId, 'export');
  const job = exports.get(jobId);
  if (!job) throw new Error(`export ${jobId} was not started or has already finished`);
  return job;
}

function dropExport(jobId: number): void {
  exports.get(jobId)?.terminate();
  exports.delete(jobId);
}

const api: ArchiveWorkerApi = {
  async beginExport(jobId, experiment, chips, realImages) {
    if (exports.has(jobId)) throw new Error(`export ${jobId} is already running`);
    const job = new ExportJob(experiment, chips, realImages);
    exports.set(jobId, job);
    return job.status();
  },

  async addIteration(jobId, iteration, record, samples) {
    const job = exportJob(jobId);
    try {
      return await job.addIteration(iteration, record, samples, () => jobs.check(jobId, 'export'));
    } catch (e) {
      dropExport(jobId);
      throw e;
    }
  },

  async finishExport(jobId) {
    const job = exportJob(jobId);
    try {
      return job.finish();
    } finally {
      exports.delete(jobId);
      jobs.finish(jobId);
    }
  },

  async importArchive(jobId, archive, options, onProgress): Promise<ImportOutcome> {
    let lastReport = 0;
    try {
      const files = await readArchiveFiles(archive, {
        maxTotalBytes: options.maxTotalBytes,
        checkCancelled: () => jobs.check(jobId, 'import'),
        onProgress: (done, total) => {
          // At most ~100 progress messages per import.
          if (onProgress && (done === total || done - lastReport >= total / 100)) {
            lastReport = done;
            onProgress({ done, total, stage: 'import' });
          }
        },
      });
      await yieldToEventLoop();
      jobs.check(jobId, 'import');
      return { ok: true, bundle: bundleFromFiles(files) };
    } catch (e) {
      if (e instanceof ArchiveError) return { ok: false, file: e.file, reason: e.reason };
      if (e instanceof CancelledError) throw e;
      return { ok: false, file: null, reason: `could not be read (${(e as Error).message})` };
    } finally {
      jobs.finish(jobId);
    }
  },

  cancel(jobId) {
    jobs.cancel(jobId);
    dropExport(jobId);
  },
};

Comlink.expose(api);
