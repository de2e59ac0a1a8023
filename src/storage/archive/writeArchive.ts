import { configToYaml } from '../../engine/config/yaml';
import type { ChipRecord, ExperimentRecord, IterationRecord } from '../../engine/experiment/records';
import type { ArchiveFile, ArchiveSample, MapPoint } from './bundle';
import { historyJson } from './history';
import {
  chipPath,
  CONFIG_PATH,
  domainFilePath,
  experimentJsonPath,
  historyPath,
  imageExtension,
  iterationDir,
  iterationFilePath,
  MANIFEST_PATH,
  projectionModelPath,
  README_PATH,
  realImagePath,
  recipePath,
  REPORT_PATH,
  sampleImageName,
  tablePath,
} from './layout';
import { ARCHIVE_FORMAT_VERSION, ARCHIVE_TOOL, type ArchiveCounts, type ArchiveManifest, type ManifestFile } from './manifest';
import { encodeNpy } from './npy';
import { archiveReadme } from './readme';
import { reportHtml } from './report';
import { toTaggedJson } from './taggedJson';
import { utf8Encode } from './utf8';

/**
 * The archive's files, built in the order they stream into the ZIP: experimentFiles first, then
 * iterationFiles per iteration, then closingFiles (history, report, README) and the manifest last
 * (a domain's own files, domainFiles, follow experimentFiles).
 * Every byte is a function of the records alone (no clock, canonical orders: chips by id, samples by
 * sample_id), so exporting the same experiment twice, or an imported copy of it, gives the same files.
 */

/** Chip entry of experiment.json: the id, the file under data/base_chips, the size. */
export interface ArchiveChipEntry {
  id: string;
  file: string;
  width: number;
  height: number;
}

/** experiment.json: the record without its projection (that is pca_model.json), chips, real images and tables. */
export interface ExperimentJson {
  experiment: Omit<ExperimentRecord, 'projection'>;
  chips: ArchiveChipEntry[];
  real_images: ArchiveChipEntry[];
  /** The real tables under data/tables; only written when there are some (an image domain's archive is as before). */
  tables?: ArchiveChipEntry[];
}

/** What README.md and report.html list beyond the iteration folders. */
export interface ArchiveExtent {
  /** Paths of the real tables (data/tables/…). */
  tables?: readonly string[];
  /** Paths of the domain's own files (domain/…). */
  domainFiles?: readonly string[];
}

/** samples.json row: this tool's per-sample fields, kept out of the metadata record that the first user's scripts read. */
export interface SampleExtras {
  sample_id: string;
  /** Relative to the iteration folder, e.g. images/iter0_real_000.png (image domains only). */
  image?: string;
  width?: number;
  height?: number;
  nearest_real_distance?: number;
  geometry?: ArchiveSample['geometry'];
}

const compareCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const text = (path: string, content: string): ArchiveFile => ({ path, bytes: utf8Encode(content) });

export function sortChips(chips: readonly ChipRecord[]): ChipRecord[] {
  return [...chips].sort((a, b) => compareCodeUnits(a.id, b.id));
}

function checkOwner(experiment: ExperimentRecord, records: readonly ChipRecord[], what: string): void {
  for (const r of records) {
    if (r.experimentId !== experiment.id) throw new Error(`${what} ${r.id} belongs to experiment ${r.experimentId}, not ${experiment.id}`);
  }
}

const entryOf = (path: (id: string) => string) => (c: ChipRecord): ArchiveChipEntry => ({ id: c.id, file: path(c.id).split('/').pop()!, width: c.width, height: c.height });

/** config YAML, experiment.json, the projection model, recipe.yaml, the base chips, the user's real images and the real tables. */
export function experimentFiles(experiment: ExperimentRecord, chips: readonly ChipRecord[], realImages: readonly ChipRecord[] = [], tables: readonly ChipRecord[] = []): ArchiveFile[] {
  const sortedChips = sortChips(chips);
  const sortedReal = sortChips(realImages);
  const sortedTables = sortChips(tables);
  checkOwner(experiment, sortedChips, 'chip');
  checkOwner(experiment, sortedReal, 'real image');
  checkOwner(experiment, sortedTables, 'table');
  const { projection, ...record } = experiment;
  const experimentJson: ExperimentJson = { experiment: record, chips: sortedChips.map(entryOf(chipPath)), real_images: sortedReal.map(entryOf(realImagePath)) };
  if (sortedTables.length > 0) experimentJson.tables = sortedTables.map(entryOf(tablePath));
  const files: ArchiveFile[] = [
    text(CONFIG_PATH, configToYaml(experiment.config)),
    text(experimentJsonPath(experiment.id), toTaggedJson(experimentJson)),
  ];
  if (projection) files.push(text(projectionModelPath(experiment.id, projection.kind), toTaggedJson(projection)));
  if (experiment.recipe) files.push(text(recipePath(experiment.id), experiment.recipe.yaml));
  for (const chip of sortedChips) files.push({ path: chipPath(chip.id), bytes: new Uint8Array(chip.bytes) });
  for (const image of sortedReal) files.push({ path: realImagePath(image.id), bytes: new Uint8Array(image.bytes) });
  for (const table of sortedTables) files.push({ path: tablePath(table.id), bytes: new Uint8Array(table.bytes) });
  return files;
}

/**
 * A domain's own files (a table calibration's report, synthetic table, constraints), given by name,
 * placed under domain/ in name order so the same files always give the same archive. Import checks them
 * against the manifest like every file and then ignores them.
 */
export function domainFiles(extras: readonly ArchiveFile[]): ArchiveFile[] {
  const seen = new Set<string>();
  return [...extras]
    .sort((a, b) => compareCodeUnits(a.path, b.path))
    .map((f) => {
      const path = domainFilePath(f.path);
      if (seen.has(path)) throw new Error(`the domain gave the file ${f.path} twice`);
      seen.add(path);
      return { path, bytes: f.bytes };
    });
}

function stackRows(rows: readonly Float32Array[], dim: number, what: string): Float32Array {
  const out = new Float32Array(rows.length * dim);
  rows.forEach((row, i) => {
    if (row.length !== dim) throw new Error(`${what}: row ${i} has ${row.length} values, expected ${dim}`);
    out.set(row, i * dim);
  });
  return out;
}

/** An iteration folder's files (images, .npy, metadata.json, samples.json) and its points for the map. */
export function iterationFiles(experiment: ExperimentRecord, iteration: number, samples: readonly ArchiveSample[]): { files: ArchiveFile[]; points: MapPoint[] } {
  if (!Number.isInteger(iteration) || iteration < 0) throw new Error(`iteration ${iteration} is not a whole number ≥ 0`);
  const sorted = [...samples].sort((a, b) => compareCodeUnits(a.sample_id, b.sample_id));
  const seen = new Set<string>();
  for (const s of sorted) {
    if (s.experimentId !== experiment.id) throw new Error(`sample ${s.sample_id} belongs to experiment ${s.experimentId}, not ${experiment.id}`);
    if (s.iteration !== iteration) throw new Error(`sample ${s.sample_id} is from iteration ${s.iteration}, not ${iteration}`);
    if (seen.has(s.sample_id)) throw new Error(`sample ${s.sample_id} is given twice`);
    seen.add(s.sample_id);
  }
  const dir = iterationDir(experiment.id, iteration);
  const files: ArchiveFile[] = [];
  const extras: SampleExtras[] = [];
  for (const s of sorted) {
    const extra: SampleExtras = { sample_id: s.sample_id };
    if (s.image) {
      const image = sampleImageName(s.sample_id, imageExtension(s.image));
      files.push({ path: `${dir}/${image}`, bytes: s.image });
      Object.assign(extra, { image, width: s.width, height: s.height });
    }
    if (s.nearestRealDistance !== undefined) extra.nearest_real_distance = s.nearestRealDistance;
    if (s.geometry !== undefined) extra.geometry = s.geometry;
    extras.push(extra);
  }
  const dim = sorted.length > 0 ? sorted[0].embedding.length : experiment.embedder.dimension;
  const rawDim = sorted.length > 0 ? sorted[0].rawEmbedding.length : experiment.embedder.dimension;
  const xy = new Float64Array(sorted.length * 2).fill(NaN);
  const points: MapPoint[] = [];
  sorted.forEach((s, i) => {
    if (!s.projection2d) return;
    xy[2 * i] = s.projection2d[0];
    xy[2 * i + 1] = s.projection2d[1];
    points.push({ sample_id: s.sample_id, iteration, dataset_type: s.metadata.dataset_type, param_set_id: s.metadata.param_set_id, x: s.projection2d[0], y: s.projection2d[1] });
  });
  const id = experiment.id;
  files.push(
    { path: iterationFilePath(id, iteration, 'embeddings'), bytes: encodeNpy(stackRows(sorted.map((s) => s.embedding), dim, `iteration ${iteration} embeddings`), [sorted.length, dim]) },
    { path: iterationFilePath(id, iteration, 'rawEmbeddings'), bytes: encodeNpy(stackRows(sorted.map((s) => s.rawEmbedding), rawDim, `iteration ${iteration} raw embeddings`), [sorted.length, rawDim]) },
    { path: iterationFilePath(id, iteration, 'projection2d'), bytes: encodeNpy(xy, [sorted.length, 2]) },
    text(iterationFilePath(id, iteration, 'metadata'), toTaggedJson(sorted.map((s) => s.metadata))),
    text(iterationFilePath(id, iteration, 'samples'), toTaggedJson(extras)),
  );
  return { files, points };
}

/** history.json, report.html and README.md, once every iteration has streamed. */
export function closingFiles(
  experiment: ExperimentRecord,
  iterationRecords: readonly IterationRecord[],
  iterationNumbers: readonly number[],
  points: readonly MapPoint[],
  sampleCount: number,
  extent: ArchiveExtent = {},
): ArchiveFile[] {
  const records = [...iterationRecords].sort((a, b) => a.iteration - b.iteration);
  for (const r of records) {
    if (r.experimentId !== experiment.id) throw new Error(`iteration ${r.iteration} belongs to experiment ${r.experimentId}, not ${experiment.id}`);
  }
  const numbers = [...iterationNumbers].sort((a, b) => a - b);
  return [
    text(historyPath(experiment.id), historyJson(experiment.id, records)),
    text(REPORT_PATH, reportHtml({ experiment, iterations: records, points, sampleCount, domainFiles: extent.domainFiles })),
    text(README_PATH, archiveReadme(experiment, numbers, experiment.projection?.kind ?? null, extent)),
  ];
}

export function manifestFile(experiment: ExperimentRecord, counts: ArchiveCounts, files: readonly ManifestFile[]): ArchiveFile {
  // counts.tables only when there are tables: an archive without any is byte for byte as before tables.
  const { tables, ...imageCounts } = counts;
  const manifest: ArchiveManifest = {
    tool: ARCHIVE_TOOL,
    format_version: ARCHIVE_FORMAT_VERSION,
    schema_version: experiment.schemaVersion,
    experiment_id: experiment.id,
    experiment_name: experiment.name,
    updated_at: experiment.updatedAt,
    counts: tables ? { ...imageCounts, tables } : imageCounts,
    files: files.map((f) => ({ path: f.path, bytes: f.bytes })),
  };
  return text(MANIFEST_PATH, toTaggedJson(manifest));
}

/**
 * The entries' modification time: the experiment's updatedAt, written with its UTC fields as the ZIP's
 * (timezone-less, local) DOS date, so the bytes do not depend on the exporting machine's timezone.
 * Returns the fields for a Date built in local time; DOS times start in 1980.
 */
export function zipEntryTime(updatedAt: string): { year: number; month: number; day: number; hours: number; minutes: number; seconds: number } {
  const t = new Date(updatedAt);
  const valid = Number.isFinite(t.getTime()) && t.getUTCFullYear() >= 1980 && t.getUTCFullYear() <= 2099;
  const d = valid ? t : new Date(Date.UTC(1980, 0, 1));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth(), day: d.getUTCDate(), hours: d.getUTCHours(), minutes: d.getUTCMinutes(), seconds: d.getUTCSeconds() };
}
