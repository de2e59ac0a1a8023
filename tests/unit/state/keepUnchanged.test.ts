import { describe, expect, it } from 'vitest';
import { keepUnchanged } from '../../../src/state/keepUnchanged';

interface Rec {
  id: string;
  stage: string;
}
const version = (r: Rec) => `${r.id}|${r.stage}`;

describe('keepUnchanged (record identity across reloads)', () => {
  it('returns the previous array itself when every re-read record has the same version', () => {
    const previous = [{ id: 'a', stage: 'sampled' }, { id: 'b', stage: 'sampled' }];
    const reread = previous.map((r) => ({ ...r }));
    expect(keepUnchanged(previous, reread, version)).toBe(previous);
  });

  it('keeps the old objects of unchanged records and takes the changed and new ones', () => {
    const previous = [{ id: 'a', stage: 'sampled' }, { id: 'b', stage: 'sampled' }];
    const changed = { id: 'b', stage: 'analysed' };
    const added = { id: 'c', stage: 'planned' };
    const out = keepUnchanged(previous, [{ id: 'a', stage: 'sampled' }, changed, added], version);
    expect(out).not.toBe(previous);
    expect(out[0]).toBe(previous[0]);
    expect(out[1]).toBe(changed);
    expect(out[2]).toBe(added);
  });

  it('notices removed records and a new order', () => {
    const previous = [{ id: 'a', stage: 'x' }, { id: 'b', stage: 'x' }];
    expect(keepUnchanged(previous, [{ id: 'a', stage: 'x' }], version)).toEqual([previous[0]]);
    const swapped = keepUnchanged(previous, [{ id: 'b', stage: 'x' }, { id: 'a', stage: 'x' }], version);
    expect(swapped).not.toBe(previous);
    expect(swapped).toEqual([previous[1], previous[0]]);
    expect(swapped[0]).toBe(previous[1]);
  });
});
