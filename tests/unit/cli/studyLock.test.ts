import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withStudyLock } from '../../../src/cli/studyLock';

const WORKER = join(__dirname, 'lockWorker.ts');
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Child {
  process: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function start(...args: string[]): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  return { process: child, stdout: () => out, stderr: () => err, exited: new Promise((r) => child.on('exit', (code) => r(code))) };
}

async function until(what: string, test: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** A pid that is certainly not running: a child that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => child.on('exit', r));
  return child.pid!;
}

let dir: string;
let study: string;
const children: Child[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'study-lock-'));
  study = join(dir, 'study');
});

afterEach(() => {
  for (const c of children.splice(0)) if (c.process.exitCode === null) c.process.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** The log's lines as (start, end) pairs of one holder each: fails on any interleaving. */
function expectNoInterleaving(log: string, holders: number, rounds: number): void {
  const lines = log.trim().split('\n');
  expect(lines).toHaveLength(2 * holders * rounds);
  for (let i = 0; i < lines.length; i += 2) {
    const [kind, pid, round] = lines[i].split(' ');
    expect(kind, `line ${i}`).toBe('start');
    expect(lines[i + 1], `line ${i + 1}`).toBe(`end ${pid} ${round}`);
  }
}

describe('withStudyLock (the lock beside a study folder)', () => {
  it('lets one process of many in at a time: 6 processes appending inside the lock never interleave', async () => {
    const log = join(dir, 'log.txt');
    const workers = Array.from({ length: 6 }, () => start('rounds', study, log, '3', '15'));
    children.push(...workers);
    const codes = await Promise.all(workers.map((w) => w.exited));
    expect(codes, workers.map((w) => w.stderr()).join('\n')).toEqual([0, 0, 0, 0, 0, 0]);
    expectNoInterleaving(readFileSync(log, 'utf8'), 6, 3);
    expect(existsSync(`${study}.lock`)).toBe(false);
  });

  it('excludes concurrent holders within one process too, and releases when fn throws', async () => {
    const order: string[] = [];
    await Promise.all(
      [0, 1, 2, 3].map((i) =>
        withStudyLock(study, async () => {
          order.push(`start ${i}`);
          await sleep(5);
          order.push(`end ${i}`);
        }),
      ),
    );
    for (let i = 0; i < order.length; i += 2) expect(order[i + 1]).toBe(order[i].replace('start', 'end'));
    await expect(withStudyLock(study, async () => Promise.reject(new Error('the command failed')))).rejects.toThrow('the command failed');
    expect(existsSync(`${study}.lock`)).toBe(false);
  });

  it('holds the lock file beside the folder, with the holder named in it', async () => {
    await withStudyLock(`${study}/`, async () => {
      const info = JSON.parse(readFileSync(`${study}.lock`, 'utf8'));
      expect(info).toMatchObject({ pid: process.pid, host: hostname(), started: expect.any(String) });
      expect(existsSync(study)).toBe(false); // the study itself need not exist (init)
    });
  });

  it('breaks the stale lock of a process killed while holding it, with a message naming its pid', async () => {
    const holder = start('hold', study, '0');
    children.push(holder);
    await until('the child to hold the lock', () => holder.stdout().includes('held'));
    holder.process.kill('SIGKILL');
    await holder.exited;
    const pid = holder.process.pid!;
    expect(JSON.parse(readFileSync(`${study}.lock`, 'utf8')).pid).toBe(pid);
    const messages: string[] = [];
    const got = await withStudyLock(study, async () => 'in', { log: (m) => messages.push(m), timeoutMs: 5_000 });
    expect(got).toBe('in');
    expect(messages).toEqual([`${study}.lock: broke a stale lock of process ${pid} (not running)`]);
  });

  it('breaks a stale lock exactly once when 6 processes find it together, and they still never interleave', async () => {
    writeFileSync(`${study}.lock`, JSON.stringify({ pid: await deadPid(), host: hostname(), started: '2026-01-01T00:00:00Z', token: 'dead' }));
    const log = join(dir, 'log.txt');
    // All six start at the same moment (after the slowest has started up), so they find the stale lock together.
    const at = String(Date.now() + 4_000);
    const workers = Array.from({ length: 6 }, () => start('rounds', study, log, '2', '10', at));
    children.push(...workers);
    const codes = await Promise.all(workers.map((w) => w.exited));
    expect(codes, workers.map((w) => w.stderr()).join('\n')).toEqual([0, 0, 0, 0, 0, 0]);
    expectNoInterleaving(readFileSync(log, 'utf8'), 6, 2);
    const broke = workers.flatMap((w) => w.stderr().split('\n').filter((l) => l.includes('broke a stale lock of process')));
    expect(broke).toHaveLength(1);
  });

  it('breaks an unreadable lock file only once it is older than any creator takes to write it', async () => {
    writeFileSync(`${study}.lock`, '');
    await expect(withStudyLock(study, async () => 'in', { timeoutMs: 300, log: () => undefined })).rejects.toThrow(/has not finished writing the lock file/);
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${study}.lock`, old, old);
    const messages: string[] = [];
    expect(await withStudyLock(study, async () => 'in', { log: (m) => messages.push(m), timeoutMs: 2_000 })).toBe('in');
    expect(messages).toEqual([expect.stringMatching(/broke an unreadable lock file, 60 s old/)]);
  });

  it('waits for a live holder, and gives up after the timeout naming it', async () => {
    const log = join(dir, 'log.txt');
    const holder = start('hold', study, '1500', log);
    children.push(holder);
    await until('the child to hold the lock', () => holder.stdout().includes('held'));
    const pid = holder.process.pid!;
    await expect(withStudyLock(study, async () => 'in', { timeoutMs: 300 })).rejects.toThrow(
      new RegExp(`locked by process ${pid} on ${hostname()} \\(since .*\\); gave up after 0\\.3 s\\. If that process is gone, delete ${`${study}.lock`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
    const waited = await withStudyLock(study, async () => {
      writeFileSync(log, `${readFileSync(log, 'utf8')}parent\n`);
      return 'in';
    });
    expect(waited).toBe('in');
    expect(await holder.exited).toBe(0);
    expect(readFileSync(log, 'utf8')).toBe(`done ${pid}\nparent\n`);
  });

  it('never presumes a holder on another host dead', async () => {
    writeFileSync(`${study}.lock`, JSON.stringify({ pid: await deadPid(), host: `not-${hostname()}`, started: '2026-01-01T00:00:00Z', token: 'x' }));
    await expect(withStudyLock(study, async () => 'in', { timeoutMs: 200, log: () => undefined })).rejects.toThrow(`on not-${hostname()}`);
    expect(existsSync(`${study}.lock`)).toBe(true);
  });
});
