import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openChromium, type ChromiumSession } from '../helpers/chromium';
import { parseV2Fixture, type V2Fixture, type V2Record } from '../helpers/v2Fixture';

// The database a version-2 release leaves on a user's disk (tests/fixtures/storage/README.md), loaded
// into Chromium with the raw IndexedDB API and opened with the app's current openExperimentDb: every
// record must come back exactly as it was stored.

const fixture: V2Fixture = parseV2Fixture(gunzipSync(readFileSync('tests/fixtures/storage/v2-database.json.gz')).toString('utf8'));

let dbCounter = 0;
const freshDbName = () => `lcs-migration-${Date.now()}-${dbCounter++}`;

describe('the version-2 fixture', () => {
  it('holds what a version-2 database can hold, made from a recorded commit', () => {
    expect(fixture.madeFrom.commit).toMatch(/^[0-9a-f]{40}$/);
    const { stores, summary } = fixture;
    expect(summary.records).toEqual(Object.fromEntries(Object.entries(stores).map(([name, records]) => [name, records.length])));
    const byId = new Map(summary.experiments.map((e) => [e.id, e]));
    const simulated = summary.experiments.find((e) => e.target === 'simulated' && e.iterations.some(([n, stage]) => n === 1 && stage === 'proposed'));
    expect(simulated?.iterations.slice(0, 2)).toEqual([
      [0, 'proposed'],
      [1, 'proposed'],
    ]);
    const user = summary.experiments.find((e) => e.target === 'user');
    expect(user?.realImages).toBeGreaterThan(0);
    expect(['sampled', 'analysed', 'proposed']).toContain(user?.iterations[0]?.[1]);
    // A record as the v1→v2 migration leaves it.
    expect(stores.experiments.some((e) => e.updatedAt === e.createdAt && byId.get(e.id as string)?.iterations.length)).toBe(true);

    const dimension = (s: V2Record) => (stores.experiments.find((e) => e.id === s.experimentId)!.embedder as { dimension: number }).dimension;
    for (const s of stores.samples) {
      expect(s.png).toBeInstanceOf(Blob);
      expect((s.png as Blob).type).toBe('image/png');
      expect(s.embedding).toBeInstanceOf(Float32Array);
      expect(s.rawEmbedding).toBeInstanceOf(Float32Array);
      expect((s.embedding as Float32Array).length).toBe(dimension(s));
      expect((s.rawEmbedding as Float32Array).length).toBe(dimension(s));
    }
    const analysed = stores.samples.filter((s) => s.projection2d !== undefined);
    expect(analysed.length).toBeGreaterThan(0);
    expect(analysed.some((s) => typeof s.nearestRealDistance === 'number')).toBe(true);
    expect(stores.samples.some((s) => s.projection2d === undefined)).toBe(true);
    for (const c of [...stores.chips, ...stores.realImages]) expect(c.bytes).toBeInstanceOf(ArrayBuffer);
    expect(stores.chips.length).toBeGreaterThan(0);
  });
});

describe('a version-2 database upgraded by the current code to its version (real Chromium)', () => {
  let session: ChromiumSession;
  beforeAll(async () => {
    session = await openChromium();
    await session.page.goto(`${inject('baseUrl')}/tests/browser/pages/migration.html`);
    await session.page.waitForFunction(() => (window as any).harnessReady === true);
  });
  afterAll(async () => {
    await session?.close();
  });

  it('the loader builds exactly the schema the app creates at version 2, holding every fixture record', async () => {
    const result = await session.page.evaluate(([name, reference]) => (window as any).loadAndInspect(name, reference), [freshDbName(), freshDbName()]);
    expect(result.shape.version).toBe(2);
    expect(result.shape).toEqual(result.reference);
    expect(Object.keys(result.shape.stores)).toEqual(['chips', 'experiments', 'iterations', 'realImages', 'samples']);
    expect(result.rawDifferences).toEqual([]);
  });

  it('keeps every record exactly: iterations deep-equal, embeddings element for element, PNG, chip and real-image bytes', async () => {
    const result = await session.page.evaluate((name) => (window as any).openAndCompare(name), freshDbName());
    expect(result.shape.version).toBe(result.dbVersion);
    expect(result.differences).toEqual([]);
    const { records } = fixture.summary;
    const embeddingValues = fixture.stores.samples.reduce((n, s) => n + (s.embedding as Float32Array).length + (s.rawEmbedding as Float32Array).length, 0);
    const imageBytes = [...fixture.stores.chips, ...fixture.stores.realImages].reduce((n, c) => n + (c.bytes as ArrayBuffer).byteLength, 0);
    expect(result.checked).toEqual({
      experiments: records.experiments,
      iterations: records.iterations,
      samples: records.samples,
      pngBlobs: records.samples,
      embeddingValues,
      chips: records.chips,
      realImages: records.realImages,
      imageBytes,
    });
    expect(session.logs.filter((line) => /Uncaught|pageerror|migration failed/.test(line))).toEqual([]);
  });

  it('the comparison names a changed PNG byte, embedding element, chip byte, iteration field and a lost real image', async () => {
    const result = await session.page.evaluate((name) => (window as any).tamperAndCompare(name), freshDbName());
    const [experimentId, iteration] = result.iteration;
    const [sampleOwner, sampleId] = result.sample;
    const [chipOwner, chipId] = result.chip;
    const [realOwner] = result.realImage;
    const mine = (owner: string) => (r: V2Record) => r.experimentId === owner;
    const sampleIndex = fixture.stores.samples.filter(mine(sampleOwner)).findIndex((s) => s.sample_id === sampleId);
    const chipIndex = fixture.stores.chips.filter(mine(chipOwner)).findIndex((c) => c.id === chipId);
    const iterationIndex = fixture.stores.iterations.filter(mine(experimentId)).findIndex((i) => i.iteration === iteration);
    const realCount = fixture.stores.realImages.filter(mine(realOwner)).length;
    const lines: string[] = result.differences;
    const has = (pattern: RegExp) => expect(lines.some((line) => pattern.test(line)), `${pattern} in\n${lines.join('\n')}`).toBe(true);
    has(new RegExp(`^${sampleOwner}\\.samples\\[${sampleIndex}\\]\\.png: byte 40 `));
    has(new RegExp(`^${sampleOwner}\\.samples\\[${sampleIndex}\\]\\.embedding\\[5\\]: `));
    has(new RegExp(`^${sampleOwner}\\.samples\\[${sampleIndex}\\]\\.rawEmbedding\\[0\\]: `));
    has(new RegExp(`^${chipOwner}\\.chips\\[${chipIndex}\\]\\.bytes: byte \\d+ `));
    has(new RegExp(`^${experimentId}\\.iterations\\[${iterationIndex}\\]\\.stage: "analysed", expected "proposed"`));
    has(new RegExp(`^${realOwner}\\.realImages: length ${realCount - 1}, expected ${realCount}`));
    expect(lines).toHaveLength(6);
  });
});
