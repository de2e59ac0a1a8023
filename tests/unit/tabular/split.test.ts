import { describe, expect, it } from 'vitest';
import { splitRows, splitTable } from '../../../src/domains/tabular/split';
import { categoricalColumn, fixtureTable, inputFailure } from './fixtures';

const fgl = fixtureTable('fgl.csv', { roles: { type: 'group' } });

function counts(values: ReadonlyArray<string | null>): Map<string | null, number> {
  const m = new Map<string | null, number>();
  values.forEach((v) => m.set(v, (m.get(v) ?? 0) + 1));
  return m;
}

describe('splitTable', () => {
  it('holds out round(0.2 n) rows by default; the parts cover the table without overlap, ascending', () => {
    const { train, holdout } = splitTable(fgl, { seed: 1 });
    expect(holdout.length).toBe(Math.round(214 * 0.2));
    expect(train.length + holdout.length).toBe(214);
    const all = new Set([...train, ...holdout]);
    expect(all.size).toBe(214);
    expect(Array.from(train)).toEqual(Array.from(train).sort((a, b) => a - b));
  });

  it('is reproducible from its seed and changes with it', () => {
    const a = splitTable(fgl, { seed: 7 });
    expect(splitTable(fgl, { seed: 7 })).toEqual(a);
    expect(Array.from(splitTable(fgl, { seed: 8 }).holdout)).not.toEqual(Array.from(a.holdout));
  });

  it('stratified by a class column, each class keeps its share (within one row) and stays in train', () => {
    const split = splitTable(fgl, { seed: 3, stratifyBy: 'type', holdoutShare: 0.25 });
    expect(split.holdout.length).toBe(Math.round(214 * 0.25));
    const { train, holdout } = splitRows(fgl, split);
    const whole = counts(categoricalColumn(fgl, 'type').values);
    const held = counts(categoricalColumn(holdout, 'type').values);
    const kept = counts(categoricalColumn(train, 'type').values);
    for (const [cls, n] of whole) {
      expect(Math.abs((held.get(cls) ?? 0) - n * 0.25)).toBeLessThanOrEqual(1);
      expect(kept.get(cls) ?? 0).toBeGreaterThanOrEqual(1);
    }
  });

  it('keeps a one-row class whole in train, and stratifies a many-valued numeric column by quintile', () => {
    const t = fixtureTable('birthwt.csv');
    const split = splitTable(t, { seed: 2, stratifyBy: 'bwt' });
    expect(split.holdout.length).toBe(Math.round(189 * 0.2));
    const tiny = splitTable(fixtureTable('fgl.csv'), { seed: 1, stratifyBy: 'type', holdoutShare: 0.5 });
    expect(tiny.holdout.length).toBe(107);
  });

  it('refuses a share outside (0, 1) and an unknown column, naming them', () => {
    expect(inputFailure(() => splitTable(fgl, { holdoutShare: 1 })).message).toContain('strictly between 0 and 1');
    expect(inputFailure(() => splitTable(fgl, { stratifyBy: 'nope' })).column).toBe('nope');
  });
});
