import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { breaksAny, compileConstraints, numericRow } from '../../../src/domains/tabular/constraints/compile';
import { parseConstraints } from '../../../src/domains/tabular/constraints/parseConstraints';
import { validateConstraints } from '../../../src/domains/tabular/constraints/validateConstraints';
import { vae, type VaeSettings } from '../../../src/domains/tabular/generators/vae';
import { encodeTrain, fitEncoding } from '../../../src/domains/tabular/generators/vaeEncoding';
import { evaluateSynthetic, prepareReference } from '../../../src/domains/tabular/metrics/suite';
import { splitRows, splitTable } from '../../../src/domains/tabular/split';
import { isNumeric, presentRange, type Table } from '../../../src/domains/tabular/table';
import { categoricalColumn, fixtureTable, fixtureText, numericColumn } from './fixtures';

const fgl = fixtureTable('fgl.csv', { roles: { type: 'group' } });
const fglConstraints = validateConstraints(parseConstraints(fixtureText('fgl_constraints.yaml'), 'c.yaml'), fgl, 'c.yaml').constraints;
const birthwt = fixtureTable('birthwt.csv', { types: { race: 'categorical' }, roles: { bwt: 'target' } });
const birthwtConstraints = validateConstraints(parseConstraints(fixtureText('birthwt_constraints.yaml'), 'c.yaml'), birthwt, 'c.yaml').constraints;
/** Few passes: the tests check the contract, not the fit (bench:tabular measures that). */
const quick: VaeSettings = { epochs: 8, latentSize: 4, klWeight: 1, learningRate: 0.01 };

function classCounts(t: Table, column: string): number[] {
  const m = new Map<string, number>();
  for (const v of categoricalColumn(t, column).values) m.set(String(v), (m.get(String(v)) ?? 0) + 1);
  return [...m.values()];
}

describe('tabular VAE: encoding', () => {
  it('quantile-normalises numeric columns, one-hots categoricals, flags missing numeric cells, one-hots the class as the condition', () => {
    const withMissing = fixtureTable('birthwt_missing.csv', { types: { race: 'categorical' } });
    const encoding = fitEncoding(withMissing, null);
    const race = encoding.categorical.find((c) => withMissing.columns[c.column].name === 'race');
    expect(new Set(race?.levels)).toEqual(new Set(['1', '2', '3', null])); // a missing race is its own level
    const age = encoding.numeric.find((c) => withMissing.columns[c.column].name === 'age');
    expect(age?.missingDim).toBeGreaterThanOrEqual(encoding.missingStart);
    const encoded = encodeTrain(encoding, withMissing);
    const k = encoding.numeric.indexOf(age!);
    const ageValues = numericColumn(withMissing, 'age').values;
    const scores: number[] = [];
    for (let i = 0; i < withMissing.rowCount; i++) {
      const missing = Number.isNaN(ageValues[i]);
      expect(encoded.input[i * encoded.stride + age!.missingDim]).toBe(missing ? 1 : 0);
      expect(encoded.mask[i * encoding.numeric.length + k]).toBe(missing ? 0 : 1);
      if (!missing) scores.push(encoded.input[i * encoded.stride + k]);
    }
    // Normal scores of ranks: mean 0, the order of the values kept.
    expect(Math.abs(scores.reduce((a, b) => a + b, 0) / scores.length)).toBeLessThan(0.02);
    const glass = fitEncoding(fgl, 'type');
    const glassRows = encodeTrain(glass, fgl);
    expect(glassRows.stride).toBe(glass.width + 6);
    glass.classes.forEach(({ rows }, g) => {
      for (const i of rows) {
        const oneHot = Array.from(glassRows.input.subarray(i * glassRows.stride + glass.width, (i + 1) * glassRows.stride));
        expect(oneHot).toEqual(Array.from({ length: 6 }, (_, c) => (c === g ? 1 : 0)));
      }
    });
    expect(glass.classes.reduce((n, c) => n + c.rows.length, 0)).toBe(214);
  });
});

describe('tabular VAE on the glass table', () => {
  it('is reproducible from its seed, and another seed gives another table', () => {
    const a = vae(fgl, quick, { seed: 1, rows: 300, classColumn: 'type' });
    expect(a.table.rowCount).toBe(300);
    expect(vae(fgl, quick, { seed: 1, rows: 300, classColumn: 'type' })).toEqual(a);
    expect(vae(fgl, quick, { seed: 2, rows: 300, classColumn: 'type' }).table).not.toEqual(a.table);
  });

  it('per class: every class kept, with rowsPerClass rows each, train shares at balance 0 and equal counts at 1', () => {
    const perClass = vae(fgl, quick, { seed: 3, rowsPerClass: 40, classColumn: 'type' });
    expect(classCounts(perClass.table, 'type')).toEqual([40, 40, 40, 40, 40, 40]);
    const equal = vae(fgl, quick, { seed: 3, rows: 300, classColumn: 'type', classBalance: 1 });
    expect(classCounts(equal.table, 'type')).toEqual([50, 50, 50, 50, 50, 50]);
    const shares = vae(fgl, quick, { seed: 3, classColumn: 'type' });
    expect(classCounts(shares.table, 'type').sort((x, y) => x - y)).toEqual(classCounts(fgl, 'type').sort((x, y) => x - y));
  });

  it('decodes within train\'s range and projects onto the constraints, counting the clipped rows', () => {
    const g = vae(fgl, { ...quick, epochs: 20 }, { seed: 4, rows: 1000, classColumn: 'type', constraints: fglConstraints });
    const compiled = compileConstraints(fglConstraints, g.table, 'c');
    const row = new Float64Array(g.table.columns.length);
    for (let i = 0; i < g.table.rowCount; i++) expect(breaksAny(compiled, numericRow(g.table, i, row))).toBe(false);
    expect(g.clipped.reduce((a, b) => a + b, 0)).toBe(Math.round(g.clipRate * 1000));
    const unprojected = vae(fgl, { ...quick, epochs: 20 }, { seed: 4, rows: 1000, classColumn: 'type' });
    expect(unprojected.clipRate).toBe(0);
    for (const c of fgl.columns) {
      if (!isNumeric(c)) continue;
      const [low, high] = presentRange(c.values);
      const [synLow, synHigh] = presentRange(numericColumn(unprojected.table, c.name).values);
      expect(synLow).toBeGreaterThanOrEqual(low);
      expect(synHigh).toBeLessThanOrEqual(high);
    }
  });

  it('learns the table: trained on train, its marginals are far closer to train than an untrained decoder\'s', () => {
    const parts = splitRows(fgl, splitTable(fgl, { seed: 1, stratifyBy: 'type' }));
    const ref = prepareReference(parts.train, parts.holdout, { constraints: fglConstraints, seed: 1 });
    const ksOf = (epochs: number) => evaluateSynthetic(ref, vae(parts.train, { ...quick, epochs, latentSize: 8, learningRate: 0.005 }, { seed: 5, classColumn: 'type' }).table).ks_mean.value as number;
    const trained = ksOf(60);
    expect(trained).toBeLessThan(0.15);
    expect(trained).toBeLessThan(ksOf(0) / 2);
  });

  it('reports each training pass, and leaves no tensor behind — after many calls, and when a callback throws', () => {
    vae(fgl, quick, { seed: 6, classColumn: 'type' }); // the backend's first use
    const before = tf.memory().numTensors;
    const passes: Array<[number, number]> = [];
    vae(fgl, quick, { seed: 6, classColumn: 'type', onProgress: (epoch, epochs) => passes.push([epoch, epochs]) });
    expect(passes).toEqual(Array.from({ length: 8 }, (_, i) => [i + 1, 8]));
    for (let s = 0; s < 5; s++) vae(fgl, { ...quick, epochs: 2 }, { seed: s, rows: 100, classColumn: 'type', constraints: fglConstraints });
    expect(tf.memory().numTensors).toBe(before);
    const stop = () => {
      throw new Error('stopped');
    };
    expect(() => vae(fgl, quick, { seed: 7, classColumn: 'type', onProgress: stop })).toThrow('stopped');
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.getBackend()).toBe('cpu');
  });
});

describe('tabular VAE on birthwt', () => {
  it('keeps integer columns integer, categories from train, and the derived rule low = (bwt < 2500)', () => {
    const g = vae(birthwt, quick, { seed: 8, rows: 500, constraints: birthwtConstraints });
    for (const c of g.table.columns) if (c.type === 'integer' && isNumeric(c)) expect(c.values.every((v) => Number.isInteger(v))).toBe(true);
    expect(new Set(categoricalColumn(g.table, 'race').values)).toEqual(new Set(['1', '2', '3']));
    const low = numericColumn(g.table, 'low').values;
    const bwt = numericColumn(g.table, 'bwt').values;
    for (let i = 0; i < 500; i++) expect(low[i]).toBe(bwt[i] < 2500 ? 1 : 0);
  });

  it('keeps missing cells missing, at about train\'s rate', () => {
    const withMissing = fixtureTable('birthwt_missing.csv', { types: { race: 'categorical' } });
    const share = (t: Table) => Array.from(numericColumn(t, 'age').values).filter(Number.isNaN).length / t.rowCount;
    expect(share(withMissing)).toBeGreaterThan(0);
    const g = vae(withMissing, { ...quick, epochs: 40 }, { seed: 9, rows: withMissing.rowCount * 5 });
    expect(Math.abs(share(g.table) - share(withMissing))).toBeLessThan(0.05);
  });
});
