import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openChromium, type ChromiumSession } from '../helpers/chromium';

async function openHarness(page: Page) {
  await page.goto(`${inject('baseUrl')}/tests/browser/pages/storage.html`);
  await page.waitForFunction(() => (window as any).harnessReady === true);
}

let dbCounter = 0;
const freshDbName = () => `lcs-test-${Date.now()}-${dbCounter++}`;

describe('experiment storage in IndexedDB (real Chromium)', () => {
  let session: ChromiumSession;
  beforeAll(async () => {
    session = await openChromium();
    await openHarness(session.page);
  });
  afterAll(async () => {
    await session?.close();
  });

  it('keeps committed stages across a page reload and a browser restart on the same profile', async () => {
    const profileDir = mkdtempSync(join(tmpdir(), 'lcs-profile-'));
    let browser = await openChromium({ profileDir });
    try {
      await openHarness(browser.page);
      const before = await browser.page.evaluate(async () => {
        const w = window as any;
        const b = w.fixtureBundle();
        const db = await w.openExperimentDb();
        await db.createExperiment(b.experiment, b.chips);
        // iteration 0: planned → samples as they come → sampled; iteration 1: planned with its samples
        await db.commitStage({ experiment: b.experiment, iteration: { ...b.iterations[0], stage: 'planned' } });
        const it0 = w.samplesOf(b, 0);
        await db.putSamples(it0.slice(0, 3));
        await db.putSamples(it0.slice(3));
        await db.commitStage({ experiment: b.experiment, iteration: b.iterations[0] });
        await db.commitStage({ experiment: b.experiment, iteration: b.iterations[1], samples: w.samplesOf(b, 1) });
        db.close();
        return w.recordsDigest(b);
      });
      const read = () =>
        browser.page.evaluate(async () => {
          const w = window as any;
          const db = await w.openExperimentDb();
          const id = 'exp-fixture-001';
          const digest = await w.recordsDigest({
            experiment: await db.getExperiment(id),
            iterations: await db.getIterations(id),
            samples: await db.getSamples(id),
            chips: await db.getChips(id),
            realImages: await db.getRealImages(id),
          });
          const out = { digest, list: (await db.listExperiments()).map((e: any) => e.id), ids1: await db.getSampleIds(id, 1), numbers: await db.getIterationNumbers(id) };
          db.close();
          return out;
        });
      await browser.page.reload();
      await browser.page.waitForFunction(() => (window as any).harnessReady === true);
      const afterReload = await read();
      expect(afterReload.digest).toBe(before);
      expect(afterReload.list).toEqual(['exp-fixture-001']);
      expect(afterReload.ids1).toEqual(['iter1_synthetic_000', 'iter1_synthetic_001', 'iter1_synthetic_002', 'iter1_synthetic_003', 'iter1_synthetic_004', 'iter1_synthetic_005']);
      expect(afterReload.numbers).toEqual([0, 1]);

      await browser.close();
      browser = await openChromium({ profileDir });
      await openHarness(browser.page);
      expect((await read()).digest).toBe(before);
    } finally {
      await browser.close();
      rmSync(profileDir, { recursive: true, force: true });
    }
  });

  it('rolls a failed stage back whole: the previous stage stays exactly as it was', async () => {
    const result = await session.page.evaluate(async (name) => {
      const w = window as any;
      const b = w.fixtureBundle({ id: 'exp-abort' });
      const db = await w.openExperimentDb({ name });
      await db.createExperiment(b.experiment, b.chips);
      const it0 = w.samplesOf(b, 0);
      await db.commitStage({ experiment: b.experiment, iteration: { ...b.iterations[0], stage: 'sampled', scores: undefined }, samples: it0 });
      const read = async () => w.recordsDigest({ experiment: await db.getExperiment('exp-abort'), iterations: await db.getIterations('exp-abort'), samples: await db.getSamples('exp-abort') });
      const committed = await read();
      // The next stage changes the experiment, the iteration and every sample — and one sample cannot
      // be stored (a function is not structured-cloneable), which aborts the transaction midway.
      const changed = it0.map((s: any) => ({ ...s, nearestRealDistance: 99 }));
      changed[4] = { ...changed[4], geometry: { broken: () => 1 } };
      let error = '';
      try {
        await db.commitStage({ experiment: { ...b.experiment, status: 'running', name: 'changed' }, iteration: { ...b.iterations[0], stage: 'analysed' }, samples: changed });
      } catch (e) {
        error = (e as Error).name;
      }
      const after = await read();
      db.close();
      return { error, same: after === committed, stage: JSON.parse(after).iterations[0].stage };
    }, freshDbName());
    expect(result.error).toBe('DataCloneError');
    expect(result.stage).toBe('sampled');
    expect(result.same).toBe(true);
    // the aborted requests' rejections are handled, not left to surface as page errors
    expect(session.logs.filter((line) => /Uncaught|pageerror/.test(line))).toEqual([]);
  });

  it('stores a sample once however often it is put (resume after a reload re-puts samples)', async () => {
    const counts = await session.page.evaluate(async (name) => {
      const w = window as any;
      const b = w.fixtureBundle({ id: 'exp-twice' });
      const db = await w.openExperimentDb({ name });
      await db.createExperiment(b.experiment, b.chips);
      const it0 = w.samplesOf(b, 0);
      await db.putSamples(it0);
      await db.putSamples(it0.slice(2));
      await db.commitStage({ experiment: b.experiment, iteration: b.iterations[0], samples: it0 });
      await db.commitStage({ experiment: b.experiment, iteration: b.iterations[0], samples: it0 });
      const ids = await db.getSampleIds('exp-twice', 0);
      db.close();
      return { ...(await w.countRecords(name, 'exp-twice')), ids: ids.length };
    }, freshDbName());
    expect(counts).toEqual({ experiments: 1, iterations: 1, samples: 6, artifacts: 6, chips: 2, realImages: 0, ids: 6 });
  });

  it('deletes an experiment with everything of it and nothing of another', async () => {
    const result = await session.page.evaluate(async (name) => {
      const w = window as any;
      const db = await w.openExperimentDb({ name });
      for (const id of ['exp-keep', 'exp-delete']) {
        const b = w.fixtureBundle({ id, userTarget: true });
        await db.createExperiment(b.experiment, b.chips, b.realImages);
        for (const it of b.iterations) await db.commitStage({ experiment: b.experiment, iteration: it, samples: w.samplesOf(b, it.iteration) });
      }
      const before = await w.countRecords(name, 'exp-delete');
      await db.deleteExperiment('exp-delete');
      // samples put after a delete (another tab still running) are refused, not orphaned
      let orphan = '';
      try {
        await db.putSamples(w.samplesOf(w.fixtureBundle({ id: 'exp-delete' }), 0));
      } catch (e) {
        orphan = (e as Error).message;
      }
      const out = { before, deleted: await w.countRecords(name, 'exp-delete'), kept: await w.countRecords(name, 'exp-keep'), orphan, list: (await db.listExperiments()).map((e: any) => e.id) };
      db.close();
      return out;
    }, freshDbName());
    expect(result.before).toEqual({ experiments: 1, iterations: 2, samples: 12, artifacts: 12, chips: 2, realImages: 2 });
    expect(result.deleted).toEqual({ experiments: 0, iterations: 0, samples: 0, artifacts: 0, chips: 0, realImages: 0 });
    expect(result.kept).toEqual(result.before);
    expect(result.orphan).toMatch(/experiment exp-delete does not exist/);
    expect(result.list).toEqual(['exp-keep']);
  });

  it('renames, lists by last update, duplicates a config without results, and imports under a new id when the id is taken', async () => {
    const result = await session.page.evaluate(async (name) => {
      const w = window as any;
      const db = await w.openExperimentDb({ name });
      const b = w.fixtureBundle({ id: 'exp-a', userTarget: true });
      await db.createExperiment(b.experiment, b.chips, b.realImages);
      for (const it of b.iterations) await db.commitStage({ experiment: b.experiment, iteration: it, samples: w.samplesOf(b, it.iteration) });
      let duplicateId = '';
      try {
        await db.createExperiment(b.experiment, b.chips);
      } catch (e) {
        duplicateId = (e as Error).message;
      }
      await db.renameExperiment('exp-a', 'Renamed', '2026-02-01T00:00:00Z');
      const copy = await db.duplicateExperimentConfig('exp-a', 'Copy of A', { newId: 'exp-b', now: '2026-03-01T00:00:00Z' });
      const imported = await db.importBundle(b, { newId: 'exp-c' });
      const importedFresh = await db.importBundle(w.fixtureBundle({ id: 'exp-d' }));
      const out = {
        duplicateId,
        list: (await db.listExperiments()).map((e: any) => [e.id, e.name]),
        copy,
        copyCounts: await w.countRecords(name, 'exp-b'),
        imported,
        importedFresh,
        importedCounts: await w.countRecords(name, 'exp-c'),
        importedSampleOwner: (await db.getSamples('exp-c', 1))[0].experimentId,
        originalName: (await db.getExperiment('exp-a')).name,
      };
      db.close();
      return out;
    }, freshDbName());
    expect(result.duplicateId).toMatch(/an experiment with id exp-a already exists/);
    // by updatedAt, latest first; exp-c and exp-d carry the fixture's (equal) updatedAt, then id order reversed
    expect(result.list).toEqual([
      ['exp-b', 'Copy of A'],
      ['exp-a', 'Renamed'],
      ['exp-d', 'Fixture experiment'],
      ['exp-c', 'Fixture experiment (imported)'],
    ]);
    expect(result.copy).toMatchObject({ id: 'exp-b', status: 'ready', target: { kind: 'user', imageCount: 2 } });
    for (const dropped of ['projection', 'scoring', 'convergence', 'hiddenRealParamSets', 'statusDetail']) expect(result.copy).not.toHaveProperty(dropped);
    expect(result.copyCounts).toEqual({ experiments: 1, iterations: 0, samples: 0, artifacts: 0, chips: 2, realImages: 2 });
    expect(result.imported).toEqual({ id: 'exp-c', renamed: true });
    expect(result.importedFresh).toEqual({ id: 'exp-d', renamed: false });
    expect(result.importedCounts).toEqual({ experiments: 1, iterations: 2, samples: 12, artifacts: 12, chips: 2, realImages: 2 });
    expect(result.importedSampleOwner).toBe('exp-c');
    expect(result.originalName).toBe('Renamed');
  });

  it('migrates a version-1 database to the current version, keeping its data', async () => {
    const result = await session.page.evaluate(async (name) => {
      const w = window as any;
      const b = w.fixtureBundle({ id: 'exp-v1' });
      // a record from before updatedAt existed
      const legacy = { ...w.fixtureBundle({ id: 'exp-legacy' }).experiment, createdAt: '2025-12-31T00:00:00Z' };
      delete legacy.updatedAt;
      const withoutDomain = ({ domain: _domain, ...e }: any) => e;
      await w.createV1Database(name, { experiments: [withoutDomain(b.experiment), withoutDomain(legacy)], iterations: [b.iterations[0]], samples: w.samplesOf(b, 0), chips: b.chips });
      const infoV1 = await w.databaseInfo(name);
      const db = await w.openExperimentDb({ name });
      const out = {
        infoV1,
        info: await w.databaseInfo(name),
        list: (await db.listExperiments()).map((e: any) => [e.id, e.updatedAt]),
        domains: (await db.listExperiments()).map((e: any) => e.domain),
        digestKept: (await w.recordsDigest({ experiment: withoutDomain(await db.getExperiment('exp-v1')), iterations: await db.getIterations('exp-v1'), samples: await db.getSamples('exp-v1'), chips: await db.getChips('exp-v1') })) ===
          (await w.recordsDigest({ experiment: withoutDomain(b.experiment), iterations: [b.iterations[0]], samples: w.samplesOf(b, 0), chips: b.chips })),
      };
      db.close();
      return out;
    }, freshDbName());
    expect(result.infoV1.version).toBe(1);
    expect(result.infoV1.indexes.experiments).toEqual([]);
    expect(result.info.version).toBe(3);
    expect(result.info.stores.sort()).toEqual(['artifacts', 'experiments', 'inputs', 'iterations', 'samples']);
    expect(result.domains).toEqual(['voids', 'voids']);
    expect(result.info.indexes).toMatchObject({ experiments: ['byUpdatedAt'], samples: ['byIteration'] });
    expect(result.list).toEqual([
      ['exp-v1', '2026-01-02T11:45:30Z'],
      ['exp-legacy', '2025-12-31T00:00:00Z'],
    ]);
    expect(result.digestKept).toBe(true);
  });

  it('turns a quota refusal into StorageFullError and keeps the last stage intact', async () => {
    // Chromium's DevTools protocol lowers this origin's quota (Storage.overrideQuotaForOrigin), so the
    // refusal below is IndexedDB's own QuotaExceededError, not a simulation. A fresh browser: the
    // override must be in place before the origin first opens IndexedDB (the quota is read then).
    // navigator.storage.estimate() keeps reporting the real quota, so the message's figures are not
    // checked here, only its form.
    const fresh = await openChromium();
    const origin = new URL(inject('baseUrl')).origin;
    const cdp = await fresh.context.newCDPSession(fresh.page);
    try {
      await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 4 * 1024 * 1024 });
      await openHarness(fresh.page);
      const result = await fresh.page.evaluate(async () => {
        const w = window as any;
        const b = w.fixtureBundle({ id: 'exp-quota' });
        const db = await w.openExperimentDb();
        const read = async () =>
          w.recordsDigest({ experiment: await db.getExperiment('exp-quota'), iterations: await db.getIterations('exp-quota'), samples: await db.getSamples('exp-quota') });
        await db.createExperiment(b.experiment, b.chips);
        await db.commitStage({ experiment: b.experiment, iteration: b.iterations[0], samples: w.samplesOf(b, 0) });
        const committed = await read();
        // the next stage carries 6 × 2 MB of images: over the 4 MB quota
        const big = w.samplesOf(b, 1).map((s: any, i: number) => ({ ...s, png: new Blob([new Uint8Array(2 * 1024 * 1024).fill(i + 1)]) }));
        let error: { name: string; message: string; isStorageFull: boolean } | null = null;
        try {
          await db.commitStage({ experiment: { ...b.experiment, status: 'running' }, iteration: b.iterations[1], samples: big });
        } catch (e) {
          error = { name: (e as Error).name, message: (e as Error).message, isStorageFull: e instanceof w.StorageFullError };
        }
        // and a small write still works afterwards: nothing is wedged
        await db.putExperiment({ ...b.experiment, status: 'paused', statusDetail: 'storage is full' });
        const after = await read();
        const counts = await w.countRecords('latent-calibration-studio', 'exp-quota');
        db.close();
        return { error, committed, after, counts };
      });
      expect(result.error).toMatchObject({ name: 'StorageFullError', isStorageFull: true });
      expect(result.error?.message).toMatch(/^Storage is full: the browser refused to store more\. This site uses [\d.]+ (bytes|KB|MB|GB) of its [\d.]+ (bytes|KB|MB|GB) quota\. Nothing was written and what was already stored is intact\./);
      expect(result.counts).toEqual({ experiments: 1, iterations: 1, samples: 6, artifacts: 6, chips: 2, realImages: 0 });
      // only the status write differs from the committed stage
      const committed = JSON.parse(result.committed);
      const after = JSON.parse(result.after);
      expect(after.iterations).toEqual(committed.iterations);
      expect(after.samples).toEqual(committed.samples);
      expect(after.experiment).toEqual({ ...committed.experiment, status: 'paused', statusDetail: 'storage is full' });
    } finally {
      await cdp.detach().catch(() => undefined);
      await fresh.close();
    }
  });

  it('reports the storage estimate and answers a persistence request', async () => {
    const result = await session.page.evaluate(async () => {
      const w = window as any;
      return { estimate: await w.storageEstimate(), persisted: await w.requestPersistentStorage() };
    });
    expect(result.estimate.quota).toBeGreaterThan(0);
    expect(result.estimate.usage).toBeGreaterThanOrEqual(0);
    expect(typeof result.persisted).toBe('boolean');
  });
});

describe('run lock (Web Locks) across tabs of one browser', () => {
  it('lets one tab run an experiment; another tab is told it is taken until the first releases or closes', async () => {
    const session = await openChromium();
    try {
      const first = session.page;
      const second = await session.context.newPage();
      await openHarness(first);
      await openHarness(second);
      const acquire = (page: Page, id: string) =>
        page.evaluate(async (experimentId) => {
          const w = window as any;
          const lock = await w.acquireRunLock(experimentId);
          if (lock) w.heldLocks.set(experimentId, lock);
          return lock !== null;
        }, id);
      const release = (page: Page, id: string) => page.evaluate((experimentId) => (window as any).heldLocks.get(experimentId).release(), id);
      const held = (page: Page, id: string) => page.evaluate((experimentId) => (window as any).isRunLockHeld(experimentId), id);

      expect(await acquire(first, 'exp-1')).toBe(true);
      expect(await acquire(second, 'exp-1')).toBe(false);
      expect(await held(second, 'exp-1')).toBe(true);
      expect(await acquire(second, 'exp-2')).toBe(true); // other experiments are free
      expect(await acquire(first, 'exp-1')).toBe(false); // not re-entrant either
      await release(first, 'exp-1');
      expect(await acquire(second, 'exp-1')).toBe(true);
      // closing the holding tab frees the lock
      const third = await session.context.newPage();
      await openHarness(third);
      expect(await acquire(third, 'exp-2')).toBe(false);
      await second.close();
      await expect.poll(() => acquire(third, 'exp-2')).toBe(true);
    } finally {
      await session.close();
    }
  });
});
