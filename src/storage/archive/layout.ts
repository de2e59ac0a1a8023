/**
 * Where each file lives in an exported archive: the experiment folder layout of the first user's Python
 * pipeline, which their scripts read (see docs/decisions.md, 'Formats follow the first user's Python
 * pipeline'):
 *
 *   manifest.json                                   this tool's index (validated on import)
 *   README.md                                       the layout and a numpy snippet
 *   report.html                                     self-contained report with inline SVG plots
 *   configs/experiment_config.yaml                  the config, the pipeline's keys
 *   data/base_chips/{chip file}                     the base chips the run drew from
 *   data/real_images/{file}                         the user's own real images as dropped (user target)
 *   data/tables/{file}                              the real table as dropped (a table calibration's input)
 *   data/experiments/{id}/experiment.json           the experiment record (+ chip list)
 *   data/experiments/{id}/history.json              per iteration: observations, scores, proposal, convergence
 *   data/experiments/{id}/recipe.yaml               the distribution recipe, when one was computed
 *   data/experiments/{id}/iteration_{n}/images/{sample_id}.png
 *   data/experiments/{id}/iteration_{n}/embeddings.npy       float32 (n, d), rows in metadata.json order
 *   data/experiments/{id}/iteration_{n}/embeddings_raw.npy   float32 (n, d), before L2 normalisation
 *   data/experiments/{id}/iteration_{n}/pca_2d.npy           float64 (n, 2), NaN rows = not projected yet
 *   data/experiments/{id}/iteration_{n}/metadata.json        the pipeline's metadata records
 *   data/experiments/{id}/iteration_{n}/samples.json         this tool's per-sample extras, same order
 *   data/experiments/{id}/iteration_0/pca_model.json         the projection fitted at iteration 0
 *                                                            (umap_model.json for a UMAP map)
 *   domain/{file}                                   the experiment's domain's own files, to open directly
 *                                                   (a table calibration: its report, best synthetic
 *                                                   table and constraints); import reads none of them
 */

export const MANIFEST_PATH = 'manifest.json';
export const README_PATH = 'README.md';
export const REPORT_PATH = 'report.html';
export const CONFIG_PATH = 'configs/experiment_config.yaml';
export const CHIPS_DIR = 'data/base_chips';
export const REAL_IMAGES_DIR = 'data/real_images';
/** Beside the chips and real images: the other kind of input a domain can store (role 'table'). */
export const TABLES_DIR = 'data/tables';
/** One folder for whatever a domain adds for its readers; the archive's own files never live here. */
export const DOMAIN_DIR = 'domain';

/**
 * A record id or file name as one safe path segment: percent-encoding (encodeURIComponent) keeps
 * "/" and "\" out, and "." / ".." are spelled with %2E so no segment walks up the tree.
 */
export function encodeSegment(name: string): string {
  if (name.length === 0) throw new Error('an empty name cannot be a path segment');
  const encoded = encodeURIComponent(name).replace(/\*/g, '%2A');
  return encoded === '.' || encoded === '..' ? encoded.replace(/\./g, '%2E') : encoded;
}

export function experimentDir(experimentId: string): string {
  return `data/experiments/${encodeSegment(experimentId)}`;
}

export function experimentJsonPath(experimentId: string): string {
  return `${experimentDir(experimentId)}/experiment.json`;
}

export function historyPath(experimentId: string): string {
  return `${experimentDir(experimentId)}/history.json`;
}

/** The distribution recipe a generator follows (the YAML the experiment record's recipe holds). */
export function recipePath(experimentId: string): string {
  return `${experimentDir(experimentId)}/recipe.yaml`;
}

export function iterationDir(experimentId: string, iteration: number): string {
  return `${experimentDir(experimentId)}/iteration_${iteration}`;
}

export const ITERATION_FILES = {
  embeddings: 'embeddings.npy',
  rawEmbeddings: 'embeddings_raw.npy',
  projection2d: 'pca_2d.npy',
  metadata: 'metadata.json',
  samples: 'samples.json',
} as const;

export function iterationFilePath(experimentId: string, iteration: number, file: keyof typeof ITERATION_FILES): string {
  return `${iterationDir(experimentId, iteration)}/${ITERATION_FILES[file]}`;
}

/** pca_model.json (the pipeline's pca_model.pkl, as JSON) or umap_model.json, in iteration_0. */
export function projectionModelPath(experimentId: string, kind: 'pca' | 'umap'): string {
  return `${iterationDir(experimentId, 0)}/${kind}_model.json`;
}

/** images/{sample_id}.{ext}, relative to the iteration folder (samples.json stores it). */
export function sampleImageName(sampleId: string, extension: string): string {
  return `images/${encodeSegment(sampleId)}.${extension}`;
}

export function chipPath(fileName: string): string {
  return `${CHIPS_DIR}/${encodeSegment(fileName)}`;
}

export function realImagePath(fileName: string): string {
  return `${REAL_IMAGES_DIR}/${encodeSegment(fileName)}`;
}

export function tablePath(fileName: string): string {
  return `${TABLES_DIR}/${encodeSegment(fileName)}`;
}

/** A domain's own file, by its name (one segment: the folder stays flat). */
export function domainFilePath(name: string): string {
  return `${DOMAIN_DIR}/${encodeSegment(name)}`;
}

export function isDomainFilePath(path: string): boolean {
  return path.startsWith(`${DOMAIN_DIR}/`);
}

/** The image file extension from its first bytes; the archive names every image by what it is. */
export function imageExtension(bytes: Uint8Array): string {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (starts(0xff, 0xd8, 0xff)) return 'jpg';
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50) return 'webp';
  if (starts(0x42, 0x4d)) return 'bmp';
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return 'tif';
  return 'bin';
}

/** Entries that are already compressed are stored, everything else deflated. */
export function shouldDeflate(path: string): boolean {
  return !/\.(png|jpe?g|webp)$/i.test(path);
}

/** "…/iteration_12/…" → 12, else null. */
export function iterationOfPath(path: string, experimentId: string): number | null {
  const prefix = `${experimentDir(experimentId)}/iteration_`;
  if (!path.startsWith(prefix)) return null;
  const m = /^(\d+)\//.exec(path.slice(prefix.length));
  return m ? Number.parseInt(m[1], 10) : null;
}
