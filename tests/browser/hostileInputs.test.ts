import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hostileCases } from '../../bench/reliability/hostileInputs';
import { runCases } from '../../bench/reliability/hostileCase';
import { openChromium, type ChromiumSession } from '../helpers/chromium';

/**
 * The hostile-input campaign's browser cases (tests/unit/reliability runs the rest): a model whose
 * graph never finishes its test run, stopped by the embed worker's load time limit, with a message
 * naming the model and the limit, and the embedder usable as before once its model is loaded again;
 * a zip bomb refused by the archive worker with the IndexedDB database beside it unchanged.
 */
const cases = hostileCases().filter((c) => c.browser);

describe('hostile inputs in Chromium', () => {
  let session: ChromiumSession;
  beforeAll(async () => {
    session = await openChromium(); // each case opens its harness page
  });
  afterAll(async () => {
    await session?.close();
  });

  it('has browser cases', () => {
    expect(cases.map((c) => c.id)).toEqual(expect.arrayContaining(['model-loop-forever', 'zip-bomb-indexeddb']));
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const [result] = await runCases([c], { page: session.page, baseUrl: inject('baseUrl') });
    expect(result.error, c.description).toBeUndefined();
    expect(result.message, c.description).toMatch(c.expect);
    expect(result.changed, `${c.description}: ${result.detail ?? ''}`).toBe(false);
  });
});
