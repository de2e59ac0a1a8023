import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runFaultCampaign, twinRun, type TwinRun } from '../../bench/reliability/faults';
import { modelCacheScenario } from '../../bench/reliability/modelCacheScenario';
import { storageFullScenario, twoTabScenario } from '../../bench/reliability/scenarios';

/**
 * The quick part of the reliability campaign (npm run bench:reliability runs the long one): the studio
 * in real Chromium, its run interrupted once in every stage and in the export (tab closed, page
 * reloaded, worker crashed), a second tab on the running experiment, and a real quota error; each ends
 * with exactly the records of an uninterrupted twin run. And the requests of a run with a catalog model,
 * downloaded once and then cached.
 */
describe('faults: kills, two tabs and a full disk, against an uninterrupted twin', () => {
  const downloads = mkdtempSync(join(tmpdir(), 'lcs-faults-'));
  let twin: TwinRun;
  beforeAll(async () => {
    twin = await twinRun(inject('baseUrl'), downloads);
  }, 300_000);
  afterAll(() => rmSync(downloads, { recursive: true, force: true }));

  it('a kill in each stage (generate, embed, score, store, propose, export) loses, duplicates and changes nothing', { timeout: 900_000 }, async () => {
    const campaign = await runFaultCampaign({ baseUrl: inject('baseUrl'), count: 6, seed: 20, downloads, twin });
    const summary = campaign.results.map((r) => ({ stage: r.point.stage, how: r.point.how, killedAt: r.killedAt, survived: r.survived, ...r.comparison, failures: r.failures, error: r.error }));
    expect(twin.stored.samples.length).toBe(50);
    for (const r of summary) expect(r, JSON.stringify(r)).toMatchObject({ survived: true, lost: 0, duplicated: 0, changed: 0, failures: [], error: null });
    expect(campaign.results.every((r) => r.injected)).toBe(true);
  });

  it('a second tab shows the running experiment read-only, and takes the run over when the first tab closes', { timeout: 600_000 }, async () => {
    const outcome = await twoTabScenario(inject('baseUrl'), twin);
    expect(outcome.message).toMatch(/^This experiment is running in another tab: here it is shown read-only/);
    expect(outcome).toMatchObject({ readOnlyShown: true, buttonsDisabled: true, followed: true, tookOver: true, survived: true });
  });

  it('a real quota error pauses the run with what to do, keeps what was stored, and the run finishes once space is freed', { timeout: 600_000 }, async () => {
    const outcome = await storageFullScenario(inject('baseUrl'), twin);
    expect(outcome.message).toMatch(/^Paused: Storage is full: .*Nothing was written and what was already stored is intact\. Export or delete experiments to free space, then resume\.$/);
    expect(outcome).toMatchObject({ paused: true, keptBefore: true, resumed: true, survived: true });
  });

  it('data stays in the tab: only the model download leaves the origin, and with the model cached nothing does', { timeout: 600_000 }, async () => {
    const outcome = await modelCacheScenario(inject('baseUrl'));
    expect(outcome.firstRunOutside).toEqual(['https://huggingface.co/onnx-community/dinov2-small/resolve/main/onnx/model_quantized.onnx']);
    expect(outcome.cachedRunOutside).toEqual([]);
  });
});
