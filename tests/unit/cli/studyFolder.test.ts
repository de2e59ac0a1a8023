import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readStudyFolder, writeStudyFolder } from '../../../src/cli/studyFolder';
import { withStudyLock } from '../../../src/cli/studyLock';
import { ExportJob } from '../../../src/runtime/archive/exportJob';
import { bundleFromFiles } from '../../../src/runtime/archive/importBundle';
import { readArchiveFiles } from '../../../src/runtime/archive/zipReader';
import { ArchiveError, type ExperimentBundle } from '../../../src/storage/archive';
import { diffRecords } from '../../helpers/recordDiff';
import { canonical, fixtureBundle } from './studyFixture';

const WORKER = join(__dirname, 'studyWorker.ts');
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const quiet = { log: () => undefined };

let dir: string;
let study: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'study-folder-'));
  study = join(dir, 'study');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (bundle: ExperimentBundle, options: Parameters<typeof writeStudyFolder>[2] = quiet) => withStudyLock(study, () => writeStudyFolder(study, bundle, options));

async function expectSameRecords(actual: ExperimentBundle, expected: ExperimentBundle): Promise<void> {
  expect(await diffRecords(canonical(expected), canonical(actual))).toEqual([]);
}

/** Every file under a folder, by "/"-separated path. */
function filesOf(root: string): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(root, p).split('\\').join('/')] = new Uint8Array(readFileSync(p));
    }
  };
  walk(root);
  return out;
}

function unzipInto(zip: Uint8Array, root: string): void {
  for (const [path, bytes] of Object.entries(unzipSync(zip))) {
    if (path.endsWith('/')) continue;
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), bytes);
  }
}

/** A page export of the bundle: ExportJob and fflate's streaming Zip, as the archive worker runs them. */
async function pageExport(bundle: ExperimentBundle): Promise<Uint8Array> {
  const job = new ExportJob(bundle.experiment, bundle.chips, bundle.realImages);
  for (const record of bundle.iterations) {
    await job.addIteration(record.iteration, record, bundle.samples.filter((s) => s.iteration === record.iteration), () => undefined);
  }
  return new Uint8Array(await job.finish().arrayBuffer());
}

async function archiveError(promise: Promise<unknown>): Promise<ArchiveError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof ArchiveError) return e;
    throw e;
  }
  throw new Error('expected an ArchiveError');
}

const siblings = () => readdirSync(dir).sort();

describe('a study folder is the unzipped export', () => {
  for (const userTarget of [false, true]) {
    it(`writes records and reads back the same records (PNGs, embeddings, chips, ${userTarget ? 'real images' : 'simulated target'})`, async () => {
      const bundle = fixtureBundle({ userTarget });
      await write(bundle);
      const back = await readStudyFolder(study);
      await expectSameRecords(back, bundle);
      expect(back.samples.every((s) => s.png instanceof Blob && s.png.type === 'image/png')).toBe(true);
      expect(back.realImages).toHaveLength(userTarget ? 2 : 0);
      expect(siblings()).toEqual(['study']);
    });
  }

  it('holds exactly the files of the page export, byte for byte, and zipped it imports as the page imports', async () => {
    const bundle = fixtureBundle({ userTarget: true });
    await write(bundle);
    const exported = unzipSync(await pageExport(bundle));
    const folder = filesOf(study);
    expect(Object.keys(folder).sort()).toEqual(Object.keys(exported).sort());
    for (const [path, bytes] of Object.entries(exported)) expect(Buffer.from(folder[path]).equals(Buffer.from(bytes)), path).toBe(true);

    const zipped = zipSync(folder);
    const imported = bundleFromFiles(await readArchiveFiles(new Blob([zipped as BlobPart]), { maxTotalBytes: 1 << 30 }));
    await expectSameRecords(imported, bundle);
  });

  it('reads a page export unzipped into a folder as the same records', async () => {
    const bundle = fixtureBundle();
    unzipInto(await pageExport(bundle), study);
    await expectSameRecords(await readStudyFolder(study), bundle);
  });

  it('refuses a folder edited into an inconsistent state, naming the file, and leaves it as it is', async () => {
    const bundle = fixtureBundle();
    await write(bundle);
    const pristine = filesOf(study);
    const image = Object.keys(pristine).find((p) => p.endsWith('.png') && p.includes('/images/'))!;
    const config = 'configs/experiment_config.yaml';
    const restore = () => {
      rmSync(study, { recursive: true, force: true });
      for (const [path, bytes] of Object.entries(pristine)) {
        mkdirSync(dirname(join(study, path)), { recursive: true });
        writeFileSync(join(study, path), bytes);
      }
    };
    const cases: Array<[string, () => void, RegExp]> = [
      ['a deleted image', () => rmSync(join(study, image)), new RegExp(`^${image}: is listed in manifest.json but missing from the study folder$`)],
      ['a stray file', () => writeFileSync(join(study, 'data/notes.txt'), 'mine'), /^data\/notes\.txt: is in the study folder but not listed in manifest\.json$/],
      ['a file edited to another size', () => writeFileSync(join(study, config), `${readFileSync(join(study, config), 'utf8')}# edited\n`), /^configs\/experiment_config\.yaml: is \d+ bytes but manifest\.json says \d+$/],
      [
        'a config edited, manifest size fixed up',
        () => {
          const yaml = readFileSync(join(study, config), 'utf8').replace(/batch_size: \d+/, 'batch_size: 3');
          writeFileSync(join(study, config), yaml);
          const manifest = JSON.parse(readFileSync(join(study, 'manifest.json'), 'utf8'));
          manifest.files.find((f: { path: string }) => f.path === config).bytes = Buffer.byteLength(yaml);
          writeFileSync(join(study, 'manifest.json'), JSON.stringify(manifest));
        },
        /^configs\/experiment_config\.yaml: does not match the configuration in experiment\.json/,
      ],
      ['no manifest', () => rmSync(join(study, 'manifest.json')), /^manifest\.json: is missing: this folder is not a study/],
    ];
    for (const [what, edit, message] of cases) {
      restore();
      edit();
      const edited = filesOf(study);
      expect((await archiveError(readStudyFolder(study))).message, what).toMatch(message);
      expect(Object.keys(filesOf(study)), what).toEqual(Object.keys(edited)); // nothing repaired or removed
    }
    restore();
    writeFileSync(join(study, '.DS_Store'), 'finder');
    await expectSameRecords(await readStudyFolder(study), bundle);
  });

  it('is written only under the lock', async () => {
    await expect(writeStudyFolder(study, fixtureBundle(), quiet)).rejects.toThrow(/only while holding its lock/);
    expect(existsSync(study)).toBe(false);
  });

  it('rewrites only what changed: unchanged files are linked from the study being replaced', async () => {
    const before = fixtureBundle();
    await write(before);
    const after = { ...before, experiment: { ...before.experiment, name: 'renamed' } };
    let shared: string[] = [];
    await write(after, {
      ...quiet,
      hooks: {
        afterSwap: () => {
          const old = siblings().find((n) => n.startsWith('study.old-'))!;
          shared = Object.keys(filesOf(study)).filter((p) => statSync(join(study, p)).ino === statSync(join(dir, old, p)).ino);
        },
      },
    });
    expect(shared).toContain('data/experiments/exp-fixture-001/iteration_1/embeddings.npy');
    expect(shared.filter((p) => p.endsWith('.png')).length).toBeGreaterThan(10);
    expect(shared).not.toContain('manifest.json'); // its experiment_name changed
    expect(shared).not.toContain('data/experiments/exp-fixture-001/experiment.json');
    await expectSameRecords(await readStudyFolder(study), after);
  });
});

describe('a write interrupted at any point leaves the old study or the new one, never a mix', () => {
  const kill = () => {
    throw new Error('killed');
  };
  const old = fixtureBundle({ name: 'old', seed: 1 });
  const next = fixtureBundle({ name: 'new', seed: 2 });

  it('killed with the temp folder complete: the old study, and the next write clears the leftover', async () => {
    await write(old);
    await expect(write(next, { ...quiet, hooks: { afterTemp: kill } })).rejects.toThrow('killed');
    expect(siblings()).toEqual(['study', expect.stringMatching(/^study\.tmp-\d+-[0-9a-f]{8}$/)]);
    await expectSameRecords(await readStudyFolder(study), old);
    const third = fixtureBundle({ name: 'third', seed: 3 });
    await write(third);
    expect(siblings()).toEqual(['study']);
    await expectSameRecords(await readStudyFolder(study), third);
  });

  it('killed between the two renames: the old study, read from aside without the lock and put back under it', async () => {
    await write(old);
    await expect(write(next, { ...quiet, hooks: { afterAside: kill } })).rejects.toThrow('killed');
    expect(existsSync(study)).toBe(false);
    await expectSameRecords(await readStudyFolder(study), old);
    expect(existsSync(study)).toBe(false); // an unlocked read changes nothing
    const messages: string[] = [];
    await withStudyLock(study, async () => expectSameRecords(await readStudyFolder(study, { log: (m) => messages.push(m) }), old));
    expect(messages).toEqual([expect.stringMatching(/a write was interrupted; put back the study as it was before it/)]);
    expect(siblings()).toEqual(['study']);
  });

  it('killed after the swap: the new study, and the next write clears the old one', async () => {
    await write(old);
    await expect(write(next, { ...quiet, hooks: { afterSwap: kill } })).rejects.toThrow('killed');
    expect(siblings()).toEqual(['study', expect.stringMatching(/^study\.old-\d+-[0-9a-f]{8}$/)]);
    await expectSameRecords(await readStudyFolder(study), next);
    await write(old);
    expect(siblings()).toEqual(['study']);
  });

  it('killed before anything of a new study was in place (init): no study, and no leftovers after the next write', async () => {
    await expect(write(next, { ...quiet, hooks: { afterAside: kill } })).rejects.toThrow('killed');
    await expect(readStudyFolder(study)).rejects.toThrow(/there is no study folder there/);
    await write(old);
    expect(siblings()).toEqual(['study']);
  });

  it('a process SIGKILLed at random moments while rewriting leaves a whole state each time', async () => {
    await write(fixtureBundle({ name: 'state 0', seed: 0 }));
    const seen = new Set<string>();
    for (let round = 0; round < 4; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', WORKER, 'rewrite', study], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      const exited = new Promise((r) => child.on('exit', r));
      const deadline = Date.now() + 30_000;
      while (!out.includes('wrote') && Date.now() < deadline) await sleep(10);
      await sleep(Math.random() * 150);
      child.kill('SIGKILL');
      await exited;
      // Under the lock (the dead writer's lock is broken), the study reads whole, as one of the states written.
      const back = await withStudyLock(study, () => readStudyFolder(study, quiet), quiet);
      const n = Number(back.experiment.name.replace('state ', ''));
      await expectSameRecords(back, fixtureBundle({ name: `state ${n}`, seed: n }));
      seen.add(back.experiment.name);
      await write(fixtureBundle({ name: 'state 0', seed: 0 }));
      expect(siblings().filter((s) => s !== 'study.lock')).toEqual(['study']);
    }
    expect(seen.size).toBeGreaterThan(0);
  }, 120_000);
});

describe('many workers, one study', () => {
  it('5 processes each changing the study twice under the lock lose nothing, and unlocked reads meanwhile always see a whole study', async () => {
    await write(fixtureBundle({ name: 'study' }));
    const workers = ['a', 'b', 'c', 'd', 'e'].map((tag) => {
      const child = spawn(process.execPath, ['--import', 'tsx', WORKER, 'append', study, tag, '2'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      return { err: () => err, exited: new Promise<number | null>((r) => child.on('exit', r)) };
    });
    let done = false;
    const all = Promise.all(workers.map((w) => w.exited)).finally(() => (done = true));
    const names: string[] = [];
    while (!done) {
      names.push((await readStudyFolder(study)).experiment.name);
      await sleep(5);
    }
    expect(await all, workers.map((w) => w.err()).join('\n')).toEqual([0, 0, 0, 0, 0]);
    const final = (await readStudyFolder(study)).experiment.name.split(' ');
    expect(final[0]).toBe('study');
    expect(final.slice(1).sort()).toEqual(['a0', 'a1', 'b0', 'b1', 'c0', 'c1', 'd0', 'd1', 'e0', 'e1']);
    // Each read saw a state some worker wrote: a prefix of the final sequence of changes.
    for (const name of names) expect(final.join(' ').startsWith(name)).toBe(true);
    expect(siblings()).toEqual(['study']);
  }, 120_000);
});
