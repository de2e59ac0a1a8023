import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * One writer per study: every command that changes a study folder runs inside withStudyLock, so any
 * number of processes (a pool of workers each calling ask/tell) take turns and none loses, duplicates
 * or interleaves another's changes.
 *
 * The lock is a file created exclusively (open with 'wx': the file system decides who creates it
 * first) holding {pid, host, started, token}. It lives BESIDE the study, as `<study>.lock`, not inside
 * it: a write replaces the whole study folder by renaming a complete new one into place (see
 * studyFolder.ts), and a lock inside would be swapped away with the old folder — a waiting process could
 * then create a second lock in the new folder while the first holder is still finishing, or find no
 * folder at all between the two renames. Beside it, the lock outlives every state of the folder (it
 * even covers `init`, when there is no folder yet), and the folder stays exactly the unzipped export.
 *
 * A lock whose holder is gone is broken: one of a process on this host that is not running (signal 0
 * says ESRCH), and one that is empty or unreadable for longer than any live creator takes to write it
 * (its creator was killed between creating and writing it). Breaking is the one delicate step: two
 * waiters that both saw the stale lock must not both delete it, since the second would delete the
 * fresh lock the first has taken meanwhile. So breaking a given stale file is itself guarded by a
 * marker named after that file's identity (inode, mtime, content), created exclusively: its holder
 * checks that the lock is still that very file and only then deletes it; a late breaker finds a
 * different file and leaves it alone. A marker whose own creator died is broken the same way, one
 * level down. A holder on another host is never presumed dead: the wait ends in an error naming it.
 */

export interface StudyLockOptions {
  /** How long to wait for another holder (default 60 s). */
  timeoutMs?: number;
  /** Where messages go (default: stderr). */
  log?: (message: string) => void;
}

interface LockInfo {
  pid: number;
  host: string;
  started: string;
  token: string;
}

interface SeenLock {
  /** The file as it was read: inode, mtime and content — a new lock file never has the same. */
  identity: string;
  info: LockInfo | null;
  mtimeMs: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;
/** An unreadable lock older than this was left by a creator killed before it wrote the file. */
const UNREADABLE_GRACE_MS = 5_000;
const MAX_LOCK_BYTES = 4096;
/** Lock paths this process holds, with their tokens. */
const held = new Map<string, string>();

const errorCode = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | null)?.code;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const stderr = (message: string) => void process.stderr.write(`${message}\n`);
const seconds = (ms: number) => (ms < 10_000 ? (ms / 1000).toFixed(1) : String(Math.round(ms / 1000)));

/**
 * The study folder's absolute path with symbolic links resolved (the folder itself may be a link, even
 * a dangling one while a write swaps its target), so every spelling of one study names one lock and
 * the swap replaces the real folder, not a link to it. The parent folder must exist.
 */
export async function resolveStudyFolder(folder: string): Promise<string> {
  let path = resolve(folder);
  for (let hops = 0; ; hops++) {
    let target: string;
    try {
      target = await fs.readlink(path);
    } catch (e) {
      if (errorCode(e) === 'EINVAL' || errorCode(e) === 'ENOENT' || errorCode(e) === 'UNKNOWN') break; // not a link, or nothing there
      throw e;
    }
    if (hops >= 40) throw new Error(`${folder}: too many levels of symbolic links`);
    path = resolve(dirname(path), target);
  }
  let parent: string;
  try {
    parent = await fs.realpath(dirname(path));
  } catch (e) {
    if (errorCode(e) === 'ENOENT') throw new Error(`${folder}: the folder ${dirname(path)} does not exist`);
    throw e;
  }
  return join(parent, basename(path));
}

export const studyLockPath = (study: string): string => `${study}.lock`;

async function readLock(path: string): Promise<SeenLock | null> {
  let handle;
  try {
    handle = await fs.open(path, 'r');
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return null;
    throw e;
  }
  try {
    const stat = await handle.stat();
    const buffer = Buffer.alloc(MAX_LOCK_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, MAX_LOCK_BYTES, 0);
    const text = buffer.subarray(0, bytesRead).toString('utf8');
    let info: LockInfo | null = null;
    try {
      const v = JSON.parse(text) as Partial<LockInfo>;
      if (Number.isInteger(v.pid) && typeof v.host === 'string' && typeof v.started === 'string' && typeof v.token === 'string') info = v as LockInfo;
    } catch {
      info = null;
    }
    return { identity: `${stat.ino}:${stat.mtimeMs}:${text}`, info, mtimeMs: stat.mtimeMs };
  } finally {
    await handle.close();
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errorCode(e) !== 'ESRCH'; // EPERM: running, under another user
  }
}

/** Why a lock seen on disk is stale (its holder is gone), or null while it may be held. */
function staleness(seen: SeenLock): string | null {
  if (seen.info) {
    return seen.info.host === hostname() && !isRunning(seen.info.pid) ? `a stale lock of process ${seen.info.pid} (not running)` : null;
  }
  const age = Date.now() - seen.mtimeMs;
  return age > UNREADABLE_GRACE_MS ? `an unreadable lock file, ${Math.round(age / 1000)} s old (its process was stopped while creating it)` : null;
}

async function createExclusive(path: string, info: LockInfo): Promise<boolean> {
  let handle;
  try {
    handle = await fs.open(path, 'wx');
  } catch (e) {
    if (errorCode(e) === 'EEXIST') return false;
    throw e;
  }
  try {
    await handle.writeFile(`${JSON.stringify(info)}\n`);
    await handle.sync();
    await handle.close();
    return true;
  } catch (e) {
    await handle.close().catch(() => undefined);
    await fs.unlink(path).catch(() => undefined);
    throw e;
  }
}

const newInfo = (): LockInfo => ({ pid: process.pid, host: hostname(), started: new Date().toISOString(), token: randomBytes(8).toString('hex') });

/** Deletes the lock file at `path` if it is still the stale file `seen`; true when this call deleted it. */
async function breakStale(path: string, seen: SeenLock): Promise<boolean> {
  const marker = `${path}.break-${createHash('sha1').update(seen.identity).digest('hex').slice(0, 16)}`;
  if (!(await createExclusive(marker, newInfo()))) {
    // Someone else is breaking this very file; if that breaker died, clear its marker for the next try.
    const other = await readLock(marker);
    if (other && staleness(other)) await breakStale(marker, other);
    return false;
  }
  try {
    const now = await readLock(path);
    if (!now || now.identity !== seen.identity) return false;
    await fs.unlink(path);
    return true;
  } finally {
    await fs.unlink(marker).catch(() => undefined);
  }
}

function holderText(seen: SeenLock | null): string {
  if (!seen?.info) return 'a process that has not finished writing the lock file';
  return `process ${seen.info.pid} on ${seen.info.host} (since ${seen.info.started})`;
}

async function acquire(study: string, options: StudyLockOptions): Promise<string> {
  const lock = studyLockPath(study);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const log = options.log ?? stderr;
  const info = newInfo();
  const deadline = Date.now() + timeoutMs;
  let delay = 5;
  for (;;) {
    if (await createExclusive(lock, info)) return info.token;
    const seen = await readLock(lock);
    if (seen === null) continue; // released between our attempt and the read: try again at once
    const stale = staleness(seen);
    if (stale && (await breakStale(lock, seen))) {
      log(`${lock}: broke ${stale}`);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new Error(`the study ${study} is locked by ${holderText(seen)}; gave up after ${seconds(timeoutMs)} s. If that process is gone, delete ${lock}.`);
    }
    // A small backoff with jitter, so that waiters spread out instead of polling in step.
    await sleep(Math.min(delay * (0.5 + Math.random()), Math.max(1, deadline - Date.now())));
    delay = Math.min(delay * 1.5, 200);
  }
}

async function release(study: string, token: string): Promise<void> {
  const lock = studyLockPath(study);
  held.delete(lock);
  const seen = await readLock(lock);
  // Only our own lock is deleted (were ours ever broken, the file there now is someone else's).
  if (seen?.info?.token === token) await fs.unlink(lock);
}

/**
 * Runs fn while this process holds the study's lock (see above), waiting for another holder up to the
 * timeout; the lock is released however fn ends. Processes killed while holding it leave a stale lock,
 * which the next command on the same host breaks with a message on stderr.
 */
export async function withStudyLock<T>(folder: string, fn: () => Promise<T>, options: StudyLockOptions = {}): Promise<T> {
  const study = await resolveStudyFolder(folder);
  const token = await acquire(study, options);
  held.set(studyLockPath(study), token);
  try {
    return await fn();
  } finally {
    await release(study, token);
  }
}

/** Whether this process holds the lock of the (resolved) study folder, and the lock file is still its own. */
export async function holdsStudyLock(study: string): Promise<boolean> {
  const token = held.get(studyLockPath(study));
  if (token === undefined) return false;
  return (await readLock(studyLockPath(study)))?.info?.token === token;
}
