import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { domainRegistry } from '../../../src/app/domains';
import { ExperimentService, type RunOutcome } from '../../../src/app/experimentService';
import { MemoryExperimentStore } from '../../../src/app/memoryStore';
import { FolderStudyStore } from '../../../src/cli/folderStudyStore';
import { readStudyFolder, writeStudyFolder } from '../../../src/cli/studyFolder';
import { withStudyLock } from '../../../src/cli/studyLock';
import { DIMENSION, gaussianDomain } from '../../domains/gaussian/domain';
import { diffRecords } from '../../helpers/recordDiff';
import { memoryServices } from '../pipeline/memoryServices';
import { canonical, fixtureBundle } from './studyFixture';

const domains = domainRegistry([gaussianDomain]);
const embedder = { id: 'none', label: 'the vectors as generated', dimension: DIMENSION, normalized: false };
let clock = 0;
const now = () => new Date(Date.UTC(2026, 0, 1) + clock++ * 1000).toISOString();

/** The service over a study folder's store, with the in-process pipeline of the tests. */
function serviceOver(store: FolderStudyStore) {
  const pipeline = Object.assign(memoryServices(new MemoryExperimentStore()), { store });
  return new ExperimentService({ store, pipeline, domains, now });
}

function expectDone(outcome: RunOutcome) {
  if (outcome.kind !== 'done') throw new Error(`run ended ${outcome.kind}: ${'message' in outcome ? outcome.message : ''}`);
}

let dir: string;
let study: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'folder-store-'));
  study = join(dir, 'study');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const folderId = () => statSync(study).ino;

describe('FolderStudyStore (ExperimentService over one study folder)', () => {
  it('serves the folder from memory and writes nothing until flush', async () => {
    const bundle = fixtureBundle();
    await withStudyLock(study, () => writeStudyFolder(study, bundle));
    const before = folderId();
    await withStudyLock(study, async () => {
      const store = await FolderStudyStore.open(study);
      const [experiment] = await store.listExperiments();
      expect(experiment.id).toBe(bundle.experiment.id);
      expect(await store.getIterationNumbers(experiment.id)).toEqual([0, 1]);
      expect(await store.getSamples(experiment.id, 1)).toHaveLength(6);
      await store.flush(); // nothing changed: nothing written
      expect(folderId()).toBe(before);
      await store.renameExperiment(experiment.id, 'renamed');
      expect((await readStudyFolder(study)).experiment.name).toBe(bundle.experiment.name);
      expect(folderId()).toBe(before);
      await store.flush();
    });
    const back = await readStudyFolder(study);
    expect(back.experiment.name).toBe('renamed');
    expect(await diffRecords(canonical({ ...bundle, experiment: { ...bundle.experiment, name: 'renamed' } }), canonical(back))).toEqual([]);
  });

  it('creates a study, runs it a command at a time (each its own store over the folder), and resumes where the last left off', async () => {
    const id = await withStudyLock(study, async () => {
      const store = await FolderStudyStore.create(study);
      const service = serviceOver(store);
      const experiment = await service.create({ domain: 'gaussian', config: gaussianDomain.defaultConfig(), target: 'simulated', embedder, inputs: {} });
      expectDone(await service.run(experiment.id, { iterations: 1 }));
      await store.flush();
      return experiment.id;
    });
    for (let step = 1; step <= 2; step++) {
      await withStudyLock(study, async () => {
        const store = await FolderStudyStore.open(study);
        const service = serviceOver(store);
        expect((await service.open(id)).next).toEqual({ kind: 'stage', iteration: step, stage: 'plan' });
        expectDone(await service.run(id, { iterations: 1 }));
        await store.flush();
      });
    }
    const store = await FolderStudyStore.open(study);
    const opened = await serviceOver(store).open(id);
    expect(opened.iterations.map((i) => [i.iteration, i.stage])).toEqual([[0, 'proposed'], [1, 'proposed'], [2, 'proposed']]);
    expect(opened.samples.filter((s) => s.iteration === 2)).toHaveLength(12);
    expect(opened.experiment.projection?.kind).toBe('pca');
    await expect(FolderStudyStore.create(study)).rejects.toThrow(/already exists/);
  }, 120_000);

  it('writes one experiment per folder: none or two cannot be flushed', async () => {
    await withStudyLock(study, () => writeStudyFolder(study, fixtureBundle()));
    await withStudyLock(study, async () => {
      const store = await FolderStudyStore.open(study);
      const [experiment] = await store.listExperiments();
      await store.duplicateExperimentConfig(experiment.id, 'copy');
      await expect(store.flush()).rejects.toThrow(/holds exactly one experiment, and this store holds 2/);
      await store.deleteExperiment(experiment.id);
      await store.deleteExperiment(`${experiment.id}_copy`);
      await expect(store.flush()).rejects.toThrow(/holds exactly one experiment, and this store holds 0 \(none\)/);
    });
    expect((await readStudyFolder(study)).experiment.name).toBe(fixtureBundle().experiment.name);
  });
});
