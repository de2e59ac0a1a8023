import type { ExperimentRecord } from '../engine/experiment/records';
import { createArchiveClient, type ArchiveClient } from '../runtime/archiveClient';
import type { ExperimentDbApi } from './pipeline/dbStore';

type ArchiveProgress = (p: { label: string; done: number; total: number } | null) => void;

let client: ArchiveClient | null = null;
const archive = () => (client ??= createArchiveClient());

/** Streams the experiment from IndexedDB into the archive worker iteration by iteration, then downloads the ZIP. */
export async function exportExperimentZip(db: ExperimentDbApi, experiment: ExperimentRecord, onProgress: ArchiveProgress): Promise<void> {
  const numbers = await db.getIterationNumbers(experiment.id);
  const session = await archive().beginExport(
    { experiment, chips: await db.getChips(experiment.id), realImages: await db.getRealImages(experiment.id) },
    { iterationCount: numbers.length, onProgress: (p) => onProgress({ label: 'Exporting', done: p.done, total: p.total }) },
  );
  const records = new Map((await db.getIterations(experiment.id)).map((r) => [r.iteration, r]));
  onProgress({ label: 'Exporting', done: 0, total: numbers.length });
  for (const n of numbers) await session.addIteration(n, records.get(n), await db.getSamples(experiment.id, n));
  const blob = await session.finish();
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
export async function importExperimentZip(db: ExperimentDbApi, file: File, onProgress: ArchiveProgress): Promise<string> {
  const bundle = await archive().importArchive(file, { name: file.name, onProgress: (p) => onProgress({ label: 'Importing', done: p.done, total: p.total }) });
  const { id } = await db.importBundle(bundle);
  return id;
}
