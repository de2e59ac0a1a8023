import type { ExperimentRecord } from '../engine/experiment/records';
import { createArchiveClient, type ArchiveClient } from '../runtime/archiveClient';
import type { ExperimentService } from '../app/experimentService';

type ArchiveProgress = (p: { label: string; done: number; total: number } | null) => void;

let client: ArchiveClient | null = null;
const archive = () => (client ??= createArchiveClient());

/** Streams the experiment from IndexedDB into the archive worker iteration by iteration, then downloads the ZIP. */
export async function exportExperimentZip(service: ExperimentService, experiment: ExperimentRecord, onProgress: ArchiveProgress): Promise<void> {
  const blob = await service.export(experiment.id, (e, chips, realImages, iterationCount) => {
    onProgress({ label: 'Exporting', done: 0, total: iterationCount });
    return archive().beginExport({ experiment: e, chips, realImages }, { iterationCount, onProgress: (p) => onProgress({ label: 'Exporting', done: p.done, total: p.total }) });
  });
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
