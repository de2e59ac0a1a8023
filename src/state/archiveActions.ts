import type { ExperimentService } from '../app/experimentService';
import { CONSTRAINTS_FILE, type TabularService } from '../app/tabularService';
import type { TabularConfig } from '../domains/tabular/domain';
import { reportJson } from '../domains/tabular/loop/report';
import { domainIdOf, type ExperimentRecord } from '../engine/experiment/records';
import { createArchiveClient, type ArchiveClient } from '../runtime/archiveClient';
import { utf8Encode, type ArchiveFile } from '../storage/archive';
import { tabularService } from './wiring';

type ArchiveProgress = (p: { label: string; done: number; total: number } | null) => void;

let client: ArchiveClient | null = null;
const archive = () => (client ??= createArchiveClient());


/**
 * What a table calibration adds to its archive, to be opened without the app: the report as
 * `calibrate tabular` writes it (report.json, non-finite numbers as strings) and as a page
 * (report.html), the best evaluation's synthetic table as evaluated (synthetic.csv), and the constraints
 * (constraints.yaml, when there are any). Before the first evaluation there is no report or table.
 */
export async function tabularArchiveFiles(service: Pick<TabularService, 'history' | 'report' | 'syntheticCsv'>, experiment: ExperimentRecord): Promise<ArchiveFile[]> {
  const files: ArchiveFile[] = [];
  const constraints = (experiment.config as TabularConfig).constraints;
  if (constraints.trim() !== '') files.push({ path: CONSTRAINTS_FILE, bytes: utf8Encode(constraints) });
  if ((await service.history(experiment.id)).length === 0) return files;
  const report = await service.report(experiment.id);
  const csv = await service.syntheticCsv(experiment.id, report.json.best_evaluation, {});
  files.push(
    { path: 'report.json', bytes: utf8Encode(reportJson(report.json)) },
    { path: 'report.html', bytes: utf8Encode(report.html) },
    { path: 'synthetic.csv', bytes: utf8Encode(csv) },
  );
  return files;
}

/**
 * The files a domain adds to the shared archive (under domain/), by domain id; the export and import
 * themselves are the same for every domain. A domain without an entry adds none.
 */
const DOMAIN_ARCHIVE_FILES: Readonly<Partial<Record<string, (experiment: ExperimentRecord) => Promise<ArchiveFile[]>>>> = {
  tabular: async (experiment) => tabularArchiveFiles(await tabularService(), experiment),
};

/**
 * Streams the experiment from IndexedDB into the archive worker iteration by iteration, with its domain's
 * own files, then downloads the ZIP.
 */
export async function exportExperimentZip(service: ExperimentService, experiment: ExperimentRecord, onProgress: ArchiveProgress): Promise<void> {
  const filesOf = DOMAIN_ARCHIVE_FILES[domainIdOf(experiment)];
  if (filesOf) onProgress({ label: 'Writing the report', done: 0, total: 1 });
  const domainFiles = filesOf ? await filesOf(experiment) : [];
  const blob = await service.export(
    experiment.id,
    (e, chips, realImages, iterationCount, start) => {
      onProgress({ label: 'Exporting', done: 0, total: iterationCount });
      return archive().beginExport(
        { experiment: e, chips, realImages, tables: start.tables, domainFiles: start.domainFiles },
        { iterationCount, onProgress: (p) => onProgress({ label: 'Exporting', done: p.done, total: p.total }) },
      );
    },
    domainFiles,
  );
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${experiment.id}.zip`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Validates the whole archive in the worker first; only then writes it (one transaction). Returns the new id. */
export async function importExperimentZip(service: ExperimentService, file: File, onProgress: ArchiveProgress): Promise<string> {
  const bundle = await archive().importArchive(file, { name: file.name, onProgress: (p) => onProgress({ label: 'Importing', done: p.done, total: p.total }) });
  return (await service.import(bundle)).id;
}
