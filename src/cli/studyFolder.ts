import { randomBytes } from 'node:crypto';
import { StudyInputError } from '../engine/studyInputError';
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { IterationRecord } from '../engine/experiment/records';
import { bundleFromFiles } from '../runtime/archive/importBundle';
import {
  ArchiveError,
  closingFiles,
  experimentFiles,
  formatBytes,
  iterationFiles,
  MANIFEST_PATH,
  manifestFile,
  MAX_MANIFEST_BYTES,
  validateManifest,
  type ArchiveFile,
  type ArchiveManifest,
  type ArchiveSample,
  type ExperimentBundle,
  type MapPoint,
} from '../storage/archive';
import { holdsStudyLock, resolveStudyFolder } from './studyLock';

/**
 * A study on disk: a folder that is exactly the unzipped export archive (manifest.json, README, report,
 * config, data/...). Zipping the folder gives an archive the page imports; unzipping a page export gives
 * a folder this reads. Reading checks the folder as an import checks a ZIP — the manifest, then exactly
 * its files at exactly its sizes, then the archive reader's checks — and refuses a folder edited into an
 * inconsistent state with the reader's message naming the file; it never repairs one.
 *
 * Writing never changes a file of the study in place. The complete new folder is built beside it
 * (`<study>.tmp-<pid>-<random>`), every file and folder fsynced, then swapped in with two renames: the
 * old folder aside (`<study>.old-<pid>-<random>`), the new one into place; then the old one is removed.
 * (POSIX cannot rename over a non-empty folder, hence the aside step.) A process killed at any point
 * leaves one of:
 *   - the study as it was, maybe with a temp folder beside it (killed before the first rename);
 *   - no study folder, the old state aside and the complete new one in its temp folder (between the
 *     renames): the old state is put back — the command that was killed had reported nothing yet;
 *   - the complete new study, maybe with (part of) the old one aside (after the second rename).
 * Never a mix. The next write, and a read under the lock, first put an aside state back when the study
 * is missing and remove the leftovers; a read without the lock reads the aside state in that case. All
 * of this runs under the study lock (studyLock.ts), which is why leftovers are known to be dead.
 *
 * The manifest lists each file's size (a ZIP's directory holds their CRC-32s; a folder has none, so a
 * file edited at the same size is caught only by the archive reader's own checks).
 */

/** Points where a test stands in for a kill: a throw from a hook leaves everything as a kill would. */
export interface StudyWriteHooks {
  /** The temp folder is complete and synced; the study is untouched. */
  afterTemp?(): void | Promise<void>;
  /** The old study is aside; nothing is at the study's path. */
  afterAside?(): void | Promise<void>;
  /** The new study is in place; the old one is still aside. */
  afterSwap?(): void | Promise<void>;
}

export interface StudyFolderOptions {
  /** Where messages go (default: stderr). */
  log?: (message: string) => void;
}

/** What operating systems' file browsers drop into folders; skipped on reading, gone after a write. */
const SYSTEM_FILES = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini']);
/** Files written (or linked) at once. */
const PARALLEL_FILES = 16;
/** A read retried because a writer swapped the folder meanwhile (unlocked reads only). */
const READ_ATTEMPTS = 20;

const errorCode = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | null)?.code;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const stderr = (message: string) => void process.stderr.write(`${message}\n`);
const compareCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function exists(path: string): Promise<boolean> {
  try {
    await fs.lstat(path);
    return true;
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return false;
    throw e;
  }
}

/** A Node Buffer as a plain Uint8Array view (a Buffer's slice() shares memory; the archive reader copies with slice()). */
const plainBytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

// ---------------------------------------------------------------------------------------------------
// Files

/** The archive's files for these records, manifest last, in the order and with the bytes a page export has. */
export async function studyFiles(bundle: ExperimentBundle): Promise<ArchiveFile[]> {
  const { experiment } = bundle;
  const files = experimentFiles(experiment, bundle.chips, bundle.realImages);
  const records = new Map<number, IterationRecord>(bundle.iterations.map((r) => [r.iteration, r]));
  // Every iteration with a record or a sample: a sample never goes missing for want of its record.
  const numbers = [...new Set([...records.keys(), ...bundle.samples.map((s) => s.iteration)])].sort((a, b) => a - b);
  const points: MapPoint[] = [];
  for (const n of numbers) {
    const samples: ArchiveSample[] = [];
    for (const { png, ...rest } of bundle.samples.filter((s) => s.iteration === n)) {
      samples.push(png ? { ...rest, image: new Uint8Array(await png.arrayBuffer()) } : rest);
    }
    const iteration = iterationFiles(experiment, n, samples);
    files.push(...iteration.files);
    points.push(...iteration.points);
  }
  files.push(...closingFiles(experiment, [...records.values()], numbers, points, bundle.samples.length));
  const counts = { iterations: numbers.length, iteration_records: records.size, samples: bundle.samples.length, chips: bundle.chips.length, real_images: bundle.realImages.length };
  files.push(manifestFile(experiment, counts, files.map((f) => ({ path: f.path, bytes: f.bytes.length }))));
  return files;
}

/** Every file under root, as archive paths ("/"-separated) with their sizes; anything but files and folders is refused. */
async function listFiles(root: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const walk = async (dir: string, prefix: string): Promise<void> => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const rel = prefix + entry.name;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path, `${rel}/`);
      else if (entry.isFile()) {
        if (!SYSTEM_FILES.has(entry.name)) out.set(rel, (await fs.stat(path)).size);
      } else throw new ArchiveError(rel, 'is not a plain file (a link, a socket or a device): a study folder holds only files and folders');
    }
  };
  await walk(root, '');
  return out;
}

/** The study folder's files checked against its manifest, as an import checks a ZIP's directory. */
async function readVerifiedFiles(root: string): Promise<{ manifest: ArchiveManifest; files: Map<string, Uint8Array> }> {
  const present = await listFiles(root);
  const manifestSize = present.get(MANIFEST_PATH);
  if (manifestSize === undefined) throw new ArchiveError(MANIFEST_PATH, 'is missing: this folder is not a study (an unzipped Latent Calibration Studio export)');
  if (manifestSize > MAX_MANIFEST_BYTES) throw new ArchiveError(MANIFEST_PATH, `is ${formatBytes(manifestSize)}, over the ${formatBytes(MAX_MANIFEST_BYTES)} limit for a manifest`);
  let parsed: unknown;
  try {
    parsed = JSON.parse((await fs.readFile(join(root, MANIFEST_PATH))).toString('utf8'));
  } catch (e) {
    throw new ArchiveError(MANIFEST_PATH, `is not valid JSON (${(e as Error).message})`);
  }
  const manifest = validateManifest(parsed);
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const path of [...present.keys()].sort(compareCodeUnits)) {
    if (path !== MANIFEST_PATH && !listed.has(path)) throw new ArchiveError(path, 'is in the study folder but not listed in manifest.json');
  }
  const files = new Map<string, Uint8Array>();
  for (const { path, bytes } of manifest.files) {
    const size = present.get(path);
    if (size === undefined) throw new ArchiveError(path, 'is listed in manifest.json but missing from the study folder');
    if (size !== bytes) throw new ArchiveError(path, `is ${size} bytes but manifest.json says ${bytes}`);
    const content = plainBytes(await fs.readFile(join(root, path)));
    if (content.length !== bytes) throw new ArchiveError(path, `is ${content.length} bytes but manifest.json says ${bytes}`);
    files.set(path, content);
  }
  return { manifest, files };
}

// ---------------------------------------------------------------------------------------------------
// Leftovers of interrupted writes

interface Leftovers {
  temps: string[];
  asides: string[];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function leftovers(study: string): Promise<Leftovers> {
  const pattern = new RegExp(`^${escapeRegExp(basename(study))}\\.(tmp|old)-\\d+-[0-9a-f]{8}$`);
  const out: Leftovers = { temps: [], asides: [] };
  for (const name of (await fs.readdir(dirname(study))).sort(compareCodeUnits)) {
    const m = pattern.exec(name);
    if (m) (m[1] === 'tmp' ? out.temps : out.asides).push(join(dirname(study), name));
  }
  return out;
}

/** fsync a folder, so the names in it (new files, renames) survive a power cut; a no-op where folders cannot be opened (Windows). */
async function syncFolder(path: string): Promise<void> {
  let handle;
  try {
    handle = await fs.open(path, 'r');
  } catch (e) {
    if (['EISDIR', 'EPERM', 'EACCES'].includes(errorCode(e) ?? '')) return;
    throw e;
  }
  try {
    await handle.sync();
  } catch (e) {
    if (!['EINVAL', 'EPERM', 'EBADF'].includes(errorCode(e) ?? '')) throw e;
  } finally {
    await handle.close();
  }
}

/**
 * After a write killed at any point (see the top of this file), under the lock: puts the old state back
 * when the study is missing and its old state is aside, and removes temp folders and old states.
 */
async function recoverStudyFolder(study: string, log: (message: string) => void): Promise<void> {
  const found = await leftovers(study);
  if (found.temps.length === 0 && found.asides.length === 0) return;
  if (!(await exists(study)) && found.asides.length > 0) {
    if (found.asides.length > 1) {
      throw new Error(`${study} is missing and several earlier states of it lie beside it (${found.asides.join(', ')}): keep the one you want as ${study} and delete the others`);
    }
    await fs.rename(found.asides[0], study);
    await syncFolder(dirname(study));
    log(`${study}: a write was interrupted; put back the study as it was before it (from ${basename(found.asides[0])})`);
    found.asides = [];
  }
  for (const path of [...found.temps, ...found.asides]) await fs.rm(path, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------------
// Reading

/** The folder's identity: a swap puts a different folder (inode) at the path, and a rename changes its ctime. */
async function identity(path: string): Promise<string | null> {
  try {
    const s = await fs.stat(path, { bigint: true });
    return `${s.dev}:${s.ino}:${s.ctimeNs}`;
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return null;
    throw e;
  }
}

/**
 * The study's records (images as Blobs), from a folder checked as an import checks a ZIP. Throws an
 * ArchiveError naming the file when the folder is not a consistent study. Under the lock, an interrupted
 * write is first undone; without it, a read that a concurrent write swapped the folder under is retried.
 */
export async function readStudyFolder(folder: string, options: StudyFolderOptions = {}): Promise<ExperimentBundle> {
  const study = await resolveStudyFolder(folder);
  if (await holdsStudyLock(study)) await recoverStudyFolder(study, options.log ?? stderr);
  for (let attempt = 1; ; attempt++) {
    let source = study;
    let before = await identity(study);
    if (before === null) {
      const { asides } = await leftovers(study);
      if (asides.length === 0) throw new StudyInputError(folder, 'there is no study folder there');
      if (attempt < READ_ATTEMPTS / 2) {
        await sleep(10 * attempt); // most likely a write between its two renames
        continue;
      }
      // A write was killed between its renames: the state aside is the study's last one.
      source = asides[asides.length - 1];
      before = await identity(source);
    }
    try {
      const bundle = bundleFromFiles(await readVerifiedFiles(source));
      if ((await identity(source)) === before) return bundle;
    } catch (e) {
      const changed = (await identity(source)) !== before;
      if (!changed || attempt >= READ_ATTEMPTS) throw e;
    }
    if (attempt >= READ_ATTEMPTS) throw new Error(`${folder}: the study kept changing while it was read (${READ_ATTEMPTS} tries)`);
  }
}

// ---------------------------------------------------------------------------------------------------
// Writing

/**
 * One file into the temp folder: a hard link to the study's current file when that holds the same
 * bytes (no file is ever changed in place, so sharing is safe, and a command rewrites only what it
 * changed), else written anew; either way synced.
 */
async function placeFile(target: string, bytes: Uint8Array, current: string): Promise<void> {
  try {
    const stat = await fs.stat(current);
    if (stat.isFile() && stat.size === bytes.length && Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).equals(await fs.readFile(current))) {
      await fs.link(current, target);
      const linked = await fs.open(target, 'r');
      try {
        await linked.sync();
      } finally {
        await linked.close();
      }
      return;
    }
  } catch (e) {
    if (await exists(target)) await fs.unlink(target);
    if (!['ENOENT', 'ENOTDIR', 'EXDEV', 'EPERM', 'EMLINK', 'ENOTSUP', 'EOPNOTSUPP'].includes(errorCode(e) ?? '')) throw e;
  }
  const handle = await fs.open(target, 'wx');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The folders above an archive path, outermost first: a/b/c.txt → a, a/b. */
function ancestors(path: string): string[] {
  const parts = path.split('/').slice(0, -1);
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}

/**
 * Replaces the study folder with these records, all or nothing (see the top of this file). Must run
 * inside withStudyLock on the same folder. `hooks` are for tests only.
 */
export async function writeStudyFolder(folder: string, bundle: ExperimentBundle, options: StudyFolderOptions & { hooks?: StudyWriteHooks } = {}): Promise<void> {
  const study = await resolveStudyFolder(folder);
  if (!(await holdsStudyLock(study))) throw new Error(`${folder}: a study folder is written only while holding its lock (withStudyLock)`);
  await recoverStudyFolder(study, options.log ?? stderr);
  const current = await fs.lstat(study).catch((e) => (errorCode(e) === 'ENOENT' ? null : Promise.reject(e)));
  if (current && !current.isDirectory()) throw new Error(`${folder}: is not a folder; a study is written only over a study folder`);
  const files = await studyFiles(bundle);
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const temp = `${study}.tmp-${tag}`;
  const aside = `${study}.old-${tag}`;
  let killed = false;
  const hook = async (fn: (() => void | Promise<void>) | undefined) => {
    try {
      await fn?.();
    } catch (e) {
      killed = true;
      throw e;
    }
  };
  try {
    await fs.mkdir(temp);
    const folders = [...new Set(files.flatMap((f) => ancestors(f.path)))].sort(compareCodeUnits);
    for (const d of folders) await fs.mkdir(join(temp, d), { recursive: true });
    for (let i = 0; i < files.length; i += PARALLEL_FILES) {
      await Promise.all(files.slice(i, i + PARALLEL_FILES).map((f) => placeFile(join(temp, f.path), f.bytes, join(study, f.path))));
    }
    // Deepest first: each folder's own entries are durable before the folder above is synced.
    for (const d of [...folders].reverse()) await syncFolder(join(temp, d));
    await syncFolder(temp);
    await hook(options.hooks?.afterTemp);
    const hadStudy = current !== null;
    if (hadStudy) await fs.rename(study, aside);
    await hook(options.hooks?.afterAside);
    await fs.rename(temp, study);
    await syncFolder(dirname(study));
    await hook(options.hooks?.afterSwap);
    if (hadStudy) await fs.rm(aside, { recursive: true, force: true });
  } catch (e) {
    // An ordinary failure (a full disk) is undone here; a hook's throw stands for a kill, which undoes nothing.
    if (!killed) await recoverStudyFolder(study, () => undefined).catch(() => undefined);
    throw e;
  }
}
