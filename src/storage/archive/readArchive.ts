import { parseExperimentConfig, type ConfigSection } from '../../engine/config/experimentConfig';
import { parseConfigYaml } from '../../engine/config/yaml';

/** The config section of a domain (its own YAML keys), by domain id; storage does not know the domains. */
export type ConfigSectionOf = (domainId: string) => ConfigSection | undefined;
import { domainIdOf, type ChipRecord, type ExperimentRecord, type IterationRecord } from '../../engine/experiment/records';
import type { SampleMetadata } from '../../engine/experiment/sample';
import type { ProjectionModel } from '../../engine/projection';
import type { ArchiveContents, ArchiveSample } from './bundle';
import { ArchiveError } from './errors';
import type { HistoryFile } from './history';
import {
  chipPath,
  CONFIG_PATH,
  experimentDir,
  experimentJsonPath,
  historyPath,
  iterationDir,
  iterationFilePath,
  iterationOfPath,
  isDomainFilePath,
  MANIFEST_PATH,
  projectionModelPath,
  README_PATH,
  realImagePath,
  recipePath,
  REPORT_PATH,
  tablePath,
} from './layout';
import type { ArchiveManifest } from './manifest';
import { decodeNpy, NpyFormatError, type NpyArray } from './npy';
import { fromTaggedJson } from './taggedJson';
import { utf8Decode } from './utf8';
import type { ExperimentJson, SampleExtras } from './writeArchive';

/**
 * Rebuilds an experiment from an archive's files (already checked against the manifest and inflated),
 * checking that they fit together: every iteration folder has its five files, the .npy shapes match
 * metadata.json, every listed image and table is there, the YAML config agrees with experiment.json,
 * and the counts match the manifest. Anything off throws an ArchiveError naming the file. The domain's
 * own files (domain/…) were checked against the manifest like every file and are not read.
 */

/** The metadata keys every sample has, whatever its domain (a domain's own keys follow them). */
const METADATA_KEYS = ['sample_id', 'iteration', 'dataset_type', 'param_set_id', 'replication_seed', 'params', 'timestamp'] as const;

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Deep equality of plain data, ignoring key order and undefined-valued keys. */
export function samePlainData(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => samePlainData(v, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && samePlainData(a[k], b[k]));
  }
  return false;
}

class ArchiveReader {
  readonly used = new Set<string>([MANIFEST_PATH]);
  constructor(private readonly files: ReadonlyMap<string, Uint8Array>) {}

  has(path: string): boolean {
    return this.files.has(path);
  }

  bytes(path: string, why = 'is missing'): Uint8Array {
    const bytes = this.files.get(path);
    if (!bytes) throw new ArchiveError(path, why);
    this.used.add(path);
    return bytes;
  }

  text(path: string): string {
    try {
      return utf8Decode(this.bytes(path));
    } catch (e) {
      if (e instanceof ArchiveError) throw e;
      throw new ArchiveError(path, 'is not valid UTF-8 text');
    }
  }

  json<T>(path: string): T {
    const content = this.text(path);
    try {
      return fromTaggedJson<T>(content);
    } catch (e) {
      throw new ArchiveError(path, `is not valid JSON (${(e as Error).message})`);
    }
  }

  npy(path: string): NpyArray {
    try {
      return decodeNpy(this.bytes(path), path);
    } catch (e) {
      if (e instanceof NpyFormatError) throw new ArchiveError(path, `is not a valid .npy file: ${e.reason}`);
      throw e;
    }
  }
}

function expectShape(path: string, array: NpyArray, rows: number, descr: NpyArray['descr'], cols?: number): number {
  if (array.descr !== descr) throw new ArchiveError(path, `has dtype ${array.descr}, expected ${descr}`);
  if (array.shape.length !== 2) throw new ArchiveError(path, `has ${array.shape.length} axes, expected 2 (rows, columns)`);
  const [n, d] = array.shape;
  if (n !== rows) throw new ArchiveError(path, `has ${n} rows but metadata.json lists ${rows} samples`);
  if (cols !== undefined && d !== cols) throw new ArchiveError(path, `has ${d} columns, expected ${cols}`);
  return d;
}

function readExperiment(reader: ArchiveReader, manifest: ArchiveManifest, configSectionOf: ConfigSectionOf): { experiment: ExperimentRecord; chips: ChipRecord[]; realImages: ChipRecord[]; tables: ChipRecord[] } {
  const path = experimentJsonPath(manifest.experiment_id);
  const parsed = reader.json<ExperimentJson>(path);
  if (!isRecord(parsed) || !isRecord(parsed.experiment) || !Array.isArray(parsed.chips) || !Array.isArray(parsed.real_images)) {
    throw new ArchiveError(path, 'must hold {"experiment": {...}, "chips": [...], "real_images": [...]}');
  }
  // "tables" came later: an archive without it has none.
  if (parsed.tables !== undefined && !Array.isArray(parsed.tables)) throw new ArchiveError(path, '"tables" must be a list');
  const record = parsed.experiment as Omit<ExperimentRecord, 'projection'>;
  if (record.id !== manifest.experiment_id) throw new ArchiveError(path, `is experiment ${JSON.stringify(record.id)} but manifest.json says ${JSON.stringify(manifest.experiment_id)}`);
  if (record.schemaVersion !== manifest.schema_version) throw new ArchiveError(path, `has schema version ${record.schemaVersion} but manifest.json says ${manifest.schema_version}`);
  for (const key of ['name', 'createdAt', 'updatedAt', 'status'] as const) {
    if (typeof record[key] !== 'string') throw new ArchiveError(path, `experiment.${key} must be a string`);
  }
  if (!isRecord(record.config) || !isRecord(record.target) || !isRecord(record.embedder) || !Array.isArray(record.chipIds)) {
    throw new ArchiveError(path, 'experiment must have config, target, embedder and chipIds');
  }
  const section = configSectionOf(domainIdOf(record));
  const configResult = parseConfigYaml(reader.text(CONFIG_PATH), section);
  if (!configResult.ok) throw new ArchiveError(CONFIG_PATH, `is not a valid configuration: ${configResult.errors.join('; ')}`);
  // Both sides with their defaults filled: a key a later version added (with its default) is no edit.
  const recorded = parseExperimentConfig(record.config, section);
  if (!recorded.ok) throw new ArchiveError(path, `experiment.config is not a valid configuration: ${recorded.errors.join('; ')}`);
  if (!samePlainData(configResult.config, recorded.config)) throw new ArchiveError(CONFIG_PATH, 'does not match the configuration in experiment.json (was it edited?)');

  let projection: ProjectionModel | undefined;
  for (const kind of ['pca', 'umap'] as const) {
    const modelPath = projectionModelPath(record.id, kind);
    if (!reader.has(modelPath)) continue;
    if (projection) throw new ArchiveError(modelPath, 'is a second projection model (one map per experiment)');
    const model = reader.json<ProjectionModel>(modelPath);
    if (!isRecord(model) || model.kind !== kind) throw new ArchiveError(modelPath, `is not a ${kind.toUpperCase()} model (kind ${JSON.stringify((model as { kind?: unknown })?.kind)})`);
    projection = model;
  }
  const experiment: ExperimentRecord = projection ? { ...record, projection } : { ...record };
  readRecipe(reader, experiment);

  const readImages = (list: unknown[], key: 'chips' | 'real_images' | 'tables', where: (id: string) => string, what: string): ChipRecord[] =>
    list.map((entry, i) => {
      if (!isRecord(entry) || typeof entry.id !== 'string' || typeof entry.file !== 'string' || typeof entry.width !== 'number' || typeof entry.height !== 'number') {
        throw new ArchiveError(path, `${key}[${i}] must be {"id", "file", "width", "height"}`);
      }
      const file = where(entry.id);
      if (file.split('/').pop() !== entry.file) throw new ArchiveError(path, `${key}[${i}] names file ${JSON.stringify(entry.file)}, not where ${what} ${JSON.stringify(entry.id)} is stored`);
      const bytes = reader.bytes(file, `is listed in experiment.json as ${what} ${JSON.stringify(entry.id)} but missing`);
      return { experimentId: record.id, id: entry.id, bytes: bytes.slice().buffer, width: entry.width, height: entry.height };
    });
  const chips = readImages(parsed.chips, 'chips', chipPath, 'chip');
  const realImages = readImages(parsed.real_images, 'real_images', realImagePath, 'real image');
  const tables = readImages(parsed.tables ?? [], 'tables', tablePath, 'table');
  return { experiment, chips, realImages, tables };
}

/** recipe.yaml is there exactly when experiment.json has a recipe, and is that recipe's YAML (archives before recipes have neither). */
function readRecipe(reader: ArchiveReader, experiment: ExperimentRecord): void {
  const path = recipePath(experiment.id);
  const recipe = experiment.recipe;
  if (!recipe) {
    if (reader.has(path)) throw new ArchiveError(path, 'is a recipe, but experiment.json has none');
    return;
  }
  if (!isRecord(recipe) || typeof recipe.yaml !== 'string' || !Array.isArray(recipe.sets)) throw new ArchiveError(experimentJsonPath(experiment.id), 'experiment.recipe must have sets and its yaml');
  if (reader.text(path) !== recipe.yaml) throw new ArchiveError(path, 'does not match the recipe in experiment.json (was it edited?)');
}

function readHistory(reader: ArchiveReader, experimentId: string): IterationRecord[] {
  const path = historyPath(experimentId);
  const history = reader.json<HistoryFile>(path);
  if (!isRecord(history) || !Array.isArray(history.iterations)) throw new ArchiveError(path, 'must hold an "iterations" list');
  if (history.experiment_id !== experimentId) throw new ArchiveError(path, `is for experiment ${JSON.stringify(history.experiment_id)}, not ${JSON.stringify(experimentId)}`);
  const seen = new Set<number>();
  return history.iterations.map((it, i) => {
    if (!isRecord(it) || !Number.isInteger(it.iteration) || (it.iteration as number) < 0 || typeof it.stage !== 'string' || !Array.isArray(it.paramSets)) {
      throw new ArchiveError(path, `iterations[${i}] must have a whole-number iteration, a stage and paramSets`);
    }
    if (seen.has(it.iteration as number)) throw new ArchiveError(path, `lists iteration ${it.iteration} twice`);
    seen.add(it.iteration as number);
    return { experimentId, ...(it as Omit<IterationRecord, 'experimentId'>) };
  });
}

function readIteration(reader: ArchiveReader, experiment: ExperimentRecord, iteration: number): ArchiveSample[] {
  const id = experiment.id;
  const metadataPath = iterationFilePath(id, iteration, 'metadata');
  const samplesPath = iterationFilePath(id, iteration, 'samples');
  const metadata = reader.json<SampleMetadata[]>(metadataPath);
  const extras = reader.json<SampleExtras[]>(samplesPath);
  if (!Array.isArray(metadata)) throw new ArchiveError(metadataPath, 'must be a list of sample records');
  if (!Array.isArray(extras)) throw new ArchiveError(samplesPath, 'must be a list');
  if (extras.length !== metadata.length) throw new ArchiveError(samplesPath, `has ${extras.length} rows but metadata.json has ${metadata.length}`);
  const n = metadata.length;
  const embeddingsPath = iterationFilePath(id, iteration, 'embeddings');
  const rawPath = iterationFilePath(id, iteration, 'rawEmbeddings');
  const xyPath = iterationFilePath(id, iteration, 'projection2d');
  const embeddings = reader.npy(embeddingsPath);
  const raw = reader.npy(rawPath);
  const xy = reader.npy(xyPath);
  const d = expectShape(embeddingsPath, embeddings, n, '<f4');
  const rawD = expectShape(rawPath, raw, n, '<f4');
  expectShape(xyPath, xy, n, '<f8', 2);
  // Every metric is a sum over these values: one NaN or Infinity would poison them all.
  for (const [path, array, width] of [[embeddingsPath, embeddings, d], [rawPath, raw, rawD]] as const) {
    const bad = array.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      const row = Math.floor(bad / width);
      const sample = isRecord(metadata[row]) && typeof metadata[row].sample_id === 'string' ? ` (${metadata[row].sample_id})` : '';
      throw new ArchiveError(path, `row ${row + 1}${sample}, column e${bad % width}: ${array.data[bad]} is not a finite number`);
    }
  }
  const dir = iterationDir(id, iteration);
  return metadata.map((meta, i) => {
    if (!isRecord(meta)) throw new ArchiveError(metadataPath, `row ${i} is not an object`);
    const missing = METADATA_KEYS.filter((k) => !(k in meta));
    if (missing.length > 0) throw new ArchiveError(metadataPath, `row ${i} lacks ${missing.join(', ')} (the metadata keys of every sample)`);
    if (typeof meta.sample_id !== 'string' || meta.iteration !== iteration) throw new ArchiveError(metadataPath, `row ${i} (${JSON.stringify(meta.sample_id)}) is not a sample of iteration ${iteration}`);
    const extra = extras[i];
    if (!isRecord(extra) || extra.sample_id !== meta.sample_id) throw new ArchiveError(samplesPath, `row ${i} is not ${meta.sample_id} (rows must follow metadata.json)`);
    if (extra.image !== undefined && (typeof extra.image !== 'string' || typeof extra.width !== 'number' || typeof extra.height !== 'number')) throw new ArchiveError(samplesPath, `row ${i} has an image but not its width and height`);
    const image = typeof extra.image === 'string' ? reader.bytes(`${dir}/${extra.image}`, `is the image of ${meta.sample_id} in samples.json but missing`) : undefined;
    const x = xy.data[2 * i];
    const y = xy.data[2 * i + 1];
    const sample: ArchiveSample = {
      experimentId: id,
      sample_id: meta.sample_id,
      iteration,
      metadata: meta as ArchiveSample['metadata'],
      ...(image ? { image, width: extra.width as number, height: extra.height as number } : {}),
      embedding: Float32Array.from(embeddings.data.subarray(i * d, (i + 1) * d)),
      rawEmbedding: Float32Array.from(raw.data.subarray(i * rawD, (i + 1) * rawD)),
    };
    if (extra.geometry !== undefined) sample.geometry = extra.geometry;
    // NaN rows mark samples that were not projected yet (see layout.ts).
    if (!Number.isNaN(x) || !Number.isNaN(y)) sample.projection2d = [x, y];
    if (extra.nearest_real_distance !== undefined) sample.nearestRealDistance = extra.nearest_real_distance;
    return sample;
  });
}

/** The experiment, its iteration records, samples (images as bytes) and chips, from verified files. */
export function readArchiveContents(manifest: ArchiveManifest, files: ReadonlyMap<string, Uint8Array>, configSectionOf: ConfigSectionOf = () => undefined): ArchiveContents {
  const reader = new ArchiveReader(files);
  const { experiment, chips, realImages, tables } = readExperiment(reader, manifest, configSectionOf);
  const iterations = readHistory(reader, experiment.id);
  const folders = new Set<number>();
  const prefix = `${experimentDir(experiment.id)}/`;
  for (const path of files.keys()) {
    const n = iterationOfPath(path, experiment.id);
    if (n !== null) folders.add(n);
    else if (path.startsWith(prefix) && path !== experimentJsonPath(experiment.id) && path !== historyPath(experiment.id) && path !== recipePath(experiment.id)) {
      throw new ArchiveError(path, 'is not part of the archive layout');
    }
  }
  const iterationNumbers = [...folders].sort((a, b) => a - b);
  const samples = iterationNumbers.flatMap((n) => readIteration(reader, experiment, n));
  const ids = new Set<string>();
  for (const s of samples) {
    if (ids.has(s.sample_id)) throw new ArchiveError(iterationFilePath(experiment.id, s.iteration, 'metadata'), `sample ${s.sample_id} appears in two iterations`);
    ids.add(s.sample_id);
  }
  reader.bytes(REPORT_PATH);
  reader.bytes(README_PATH);
  for (const path of files.keys()) {
    if (!reader.used.has(path) && !isDomainFilePath(path)) throw new ArchiveError(path, 'is not part of the archive layout');
  }
  const counts = { iterations: iterationNumbers.length, iteration_records: iterations.length, samples: samples.length, chips: chips.length, real_images: realImages.length, tables: tables.length };
  const stated = { ...manifest.counts, tables: manifest.counts.tables ?? 0 };
  for (const key of Object.keys(counts) as Array<keyof typeof counts>) {
    if (counts[key] !== stated[key]) throw new ArchiveError(MANIFEST_PATH, `counts.${key} is ${stated[key]} but the archive holds ${counts[key]}`);
  }
  iterations.sort((a, b) => a.iteration - b.iteration);
  return { experiment, iterations, samples, chips, realImages, tables };
}
