import { describe, expect, it } from 'vitest';
import { hostileCases, runHostileCampaign, campaignCounts } from '../../../bench/reliability/hostileInputs';
import { runCases } from '../../../bench/reliability/hostileCase';

/**
 * The hostile-input campaign's Node cases, one test each: the input is refused with a message that
 * names the file, key, row or parameter and the reason (the case's own pattern), and nothing else
 * changed (the store, the study folder byte for byte, the page's config, the loaded model's output).
 * The browser cases run in tests/browser/hostileInputs.test.ts.
 */
const cases = hostileCases();
const node = cases.filter((c) => !c.browser);

describe('hostile inputs: each refused by name, nothing changed', () => {
  it('covers every family of the issue, with unique ids, at least 40 cases', () => {
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(cases.map((c) => c.family))).toEqual(new Set(['zip', 'config', 'space', 'constraints', 'model', 'image', 'csv', 'embeddings', 'escaping']));
  });

  it.each(node.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const [result] = await runCases([c]);
    expect(result.error, c.description).toBeUndefined();
    expect(result.message, c.description).toMatch(c.expect);
    expect(result.changed, `${c.description}: ${result.detail ?? ''}`).toBe(false);
  });

  it('a case that accepts its input or changes the store counts as failed (the check can fail)', async () => {
    const [accepted] = await runCases([{ ...node[0], run: async () => ({ message: '(accepted)', changed: false }) }]);
    const changed = await runCases([{ ...node[0], run: async () => ({ message: 'Cannot import "x.zip": is not a ZIP archive (no end-of-central-directory record): it may be truncated. Nothing was imported.', changed: true }) }]);
    expect([accepted.named, accepted.passed]).toEqual([false, false]);
    expect(changed[0].passed).toBe(false);
    const counts = campaignCounts([accepted, ...changed]);
    expect(counts).toMatchObject({ tried: 2, passed: 0 });
  });

  it('runHostileCampaign without a browser lists the browser cases as not run', async () => {
    const browserOnly = cases.filter((c) => c.browser);
    expect(browserOnly.length).toBeGreaterThan(0);
    const results = await runCases(browserOnly);
    expect(results.every((r) => !r.ran && !r.passed)).toBe(true);
    expect(typeof runHostileCampaign).toBe('function');
  });
});
