import { EXPERIMENT_SCHEMA_VERSION } from '../../engine/experiment/records';
import { ArchiveError } from './errors';
import { MANIFEST_PATH } from './layout';
import type { ZipEntry } from './zipDirectory';

/**
 * manifest.json: what the archive is (tool, format and record schema versions), whose it is (the
 * experiment), what it holds (counts) and every other file with its exact size. Import trusts nothing
 * else before checking it: the ZIP directory must list exactly these files at exactly these sizes,
 * the total must be under the import cap, and inflation stops at the stated size of each file.
 *
 * Versions: a file or field added later is optional, and an archive without it reads as before
 * (archives from before tables have no counts.tables, no "tables" in experiment.json and no
 * data/tables/ or domain/ folder: they hold no tables). An older build refuses a newer archive's new
 * files by name ("is not part of the archive layout") rather than misreading them, so additions keep
 * format_version; it goes up only for a change an older build would misread. schema_version is the
 * experiment records' (EXPERIMENT_SCHEMA_VERSION), not the archive's.
 */

export const ARCHIVE_TOOL = 'latent-calibration-studio';
export const ARCHIVE_FORMAT_VERSION = 1;
/** Cap on manifest.json itself (a listing of ~100 000 files is far below it). */
export const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;
/** Default cap on the total unpacked size of an import. */
export const DEFAULT_MAX_IMPORT_BYTES = 2 * 1024 * 1024 * 1024;
/**
 * Cap on one entry's compression ratio (unpacked ÷ packed bytes). What this tool writes stays far
 * below it (PNGs and float embeddings barely shrink; JSON and YAML shrink 5–30×), while deflate can
 * reach ~1032×: a small entry that claims to unpack 200 times larger is a zip bomb, refused from the
 * directory before anything is inflated. Entries up to MIN_RATIO_CHECK_BYTES unpacked are not
 * judged (a tiny repetitive file may legitimately shrink a lot, and cannot hurt).
 */
export const MAX_COMPRESSION_RATIO = 200;
export const MIN_RATIO_CHECK_BYTES = 1024 * 1024;

export interface ManifestFile {
  path: string;
  bytes: number;
}

export interface ArchiveCounts {
  /** iteration_{n} folders. */
  iterations: number;
  /** Iteration records in history.json. */
  iteration_records: number;
  samples: number;
  chips: number;
  real_images: number;
  /** Real tables under data/tables (written only when there are some; absent reads as 0). */
  tables?: number;
}

export interface ArchiveManifest {
  tool: typeof ARCHIVE_TOOL;
  format_version: number;
  schema_version: number;
  experiment_id: string;
  experiment_name: string;
  /** The experiment record's updatedAt (never the export's clock, so re-exports are identical). */
  updated_at: string;
  counts: ArchiveCounts;
  /** Every file of the archive except manifest.json, in ZIP order. */
  files: ManifestFile[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** A path this tool could have written: relative, "/"-separated, no empty, "." or ".." segments. */
export function isSafeArchivePath(path: string): boolean {
  if (path.length === 0 || path.startsWith('/') || path.includes('\\') || /^[A-Za-z]:/.test(path)) return false;
  return path.split('/').every((s) => s.length > 0 && s !== '.' && s !== '..');
}

/** Checks a parsed manifest.json; throws an ArchiveError naming manifest.json and the problem. */
export function validateManifest(value: unknown): ArchiveManifest {
  const fail = (reason: string) => new ArchiveError(MANIFEST_PATH, reason);
  if (!isRecord(value)) throw fail('is not a JSON object');
  if (value.tool !== ARCHIVE_TOOL) {
    throw fail(
      value.tool === undefined
        ? `has no "tool" field: this ZIP was not exported by Latent Calibration Studio`
        : `names the tool ${JSON.stringify(value.tool)}, not "${ARCHIVE_TOOL}": this ZIP was made by another tool`,
    );
  }
  if (!isCount(value.format_version) || value.format_version < 1) throw fail('"format_version" must be a positive whole number');
  if (value.format_version > ARCHIVE_FORMAT_VERSION) {
    throw fail(`is archive format ${value.format_version}, newer than this version reads (up to ${ARCHIVE_FORMAT_VERSION}): update the app`);
  }
  if (!isCount(value.schema_version) || value.schema_version < 1) throw fail('"schema_version" must be a positive whole number');
  if (value.schema_version > EXPERIMENT_SCHEMA_VERSION) {
    throw fail(`holds experiment schema ${value.schema_version}, newer than this version reads (up to ${EXPERIMENT_SCHEMA_VERSION}): update the app`);
  }
  if (typeof value.experiment_id !== 'string' || value.experiment_id.length === 0) throw fail('"experiment_id" must be a non-empty string');
  if (typeof value.experiment_name !== 'string') throw fail('"experiment_name" must be a string');
  if (typeof value.updated_at !== 'string') throw fail('"updated_at" must be a string');
  const counts = value.counts;
  if (!isRecord(counts)) throw fail('"counts" must be an object');
  for (const key of ['iterations', 'iteration_records', 'samples', 'chips', 'real_images'] as const) {
    if (!isCount(counts[key])) throw fail(`"counts.${key}" must be a whole number ≥ 0`);
  }
  if (counts.tables !== undefined && !isCount(counts.tables)) throw fail('"counts.tables" must be a whole number ≥ 0');
  if (!Array.isArray(value.files)) throw fail('"files" must be a list');
  const seen = new Set<string>();
  value.files.forEach((f, i) => {
    if (!isRecord(f) || typeof f.path !== 'string' || !isCount(f.bytes)) throw fail(`files[${i}] must be {"path": string, "bytes": whole number}`);
    if (!isSafeArchivePath(f.path)) throw fail(`files[${i}] has an unsafe path ${JSON.stringify(f.path)}`);
    if (f.path === MANIFEST_PATH) throw fail('lists itself');
    if (seen.has(f.path)) throw fail(`lists ${f.path} twice`);
    seen.add(f.path);
  });
  return value as unknown as ArchiveManifest;
}

export interface DirectoryLimits {
  /** Cap on the total unpacked bytes (manifest included). */
  maxTotalBytes: number;
}

/**
 * Checks the ZIP's directory against the manifest before anything but the manifest is inflated:
 * the same set of files, each at the size the manifest states, no duplicates or unsafe names, and the
 * total within the cap. Returns the entries in manifest order.
 */
export function checkDirectory(entries: readonly ZipEntry[], manifest: ArchiveManifest, limits: DirectoryLimits): ZipEntry[] {
  const byName = new Map<string, ZipEntry>();
  for (const entry of entries) {
    if (entry.name.endsWith('/') && entry.uncompressedSize === 0) continue; // a folder entry some tools add
    if (byName.has(entry.name)) throw new ArchiveError(entry.name, 'appears twice in the ZIP');
    if (!isSafeArchivePath(entry.name)) throw new ArchiveError(entry.name, 'has an unsafe path (absolute, or with "..")');
    if (entry.uncompressedSize > MIN_RATIO_CHECK_BYTES && entry.uncompressedSize > MAX_COMPRESSION_RATIO * entry.compressedSize) {
      const ratio = Math.round(entry.uncompressedSize / Math.max(1, entry.compressedSize));
      throw new ArchiveError(
        entry.name,
        `would unpack ${formatBytes(entry.compressedSize)} to ${formatBytes(entry.uncompressedSize)} (${ratio}:1), past the ${MAX_COMPRESSION_RATIO}:1 limit on compression: refused as a zip bomb`,
      );
    }
    byName.set(entry.name, entry);
  }
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const name of byName.keys()) {
    if (name !== MANIFEST_PATH && !listed.has(name)) throw new ArchiveError(name, 'is in the ZIP but not listed in manifest.json');
  }
  let total = byName.get(MANIFEST_PATH)?.uncompressedSize ?? 0;
  const ordered: ZipEntry[] = [];
  for (const file of manifest.files) {
    const entry = byName.get(file.path);
    if (!entry) throw new ArchiveError(file.path, 'is listed in manifest.json but missing from the ZIP');
    if (entry.uncompressedSize !== file.bytes) {
      throw new ArchiveError(file.path, `the ZIP directory says it unpacks to ${entry.uncompressedSize} bytes but manifest.json says ${file.bytes}`);
    }
    total += file.bytes;
    ordered.push(entry);
  }
  if (total > limits.maxTotalBytes) {
    throw new ArchiveError(null, `would unpack to ${formatBytes(total)}, over the ${formatBytes(limits.maxTotalBytes)} import limit`);
  }
  return ordered;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}
