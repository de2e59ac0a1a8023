import { describe, expect, it } from 'vitest';
import { breaksAny, compileConstraints, numericRow } from '../../../src/domains/tabular/constraints/compile';
import { detectSumGroups } from '../../../src/domains/tabular/constraints/detectSumGroups';
import { parseConstraints } from '../../../src/domains/tabular/constraints/parseConstraints';
import { projectRow, projectTable } from '../../../src/domains/tabular/constraints/project';
import { validateConstraints } from '../../../src/domains/tabular/constraints/validateConstraints';
import { readTable } from '../../../src/domains/tabular/csv/readTable';
import { createRng } from '../../../src/engine/random/rng';
import { fixtureTable, inputFailure, numericColumn } from './fixtures';

const designExample = `
sum_groups: [{columns: [Na, Mg, Al, Si, K, Ca, Ba, Fe], low: 99.0, high: 100.1}]
bounds: {RI: {low: -7, high: 16}}
nonnegative: [Na, Mg, Al, Si, K, Ca, Ba, Fe]
inequalities: ["Mg <= Si"]
`;
const fgl = fixtureTable('fgl.csv', { roles: { type: 'group' } });
const birthwt = fixtureTable('birthwt.csv');
const oxides = ['Na', 'Mg', 'Al', 'Si', 'K', 'Ca', 'Ba', 'Fe'];

describe('parseConstraints', () => {
  it("reads the example of docs/tabular.md, with labels for messages", () => {
    const c = parseConstraints(`${designExample}derived: [{column: low, rule: "bwt < 2500"}]\n`, 'c.yaml');
    expect(c.sumGroups).toEqual([{ label: 'sum_groups[0]', columns: oxides, low: 99, high: 100.1 }]);
    expect(c.bounds).toEqual([{ label: 'bounds.RI', column: 'RI', low: -7, high: 16 }]);
    expect(c.nonnegative.map((n) => n.label)).toEqual(oxides.map((o) => `nonnegative.${o}`));
    expect(c.inequalities).toEqual([{ label: 'Mg <= Si', left: 'Mg', op: '<=', right: 'Si' }]);
    expect(c.derived).toEqual([{ label: 'derived.low', column: 'low', left: { column: 'bwt' }, op: '<', right: { value: 2500 }, rule: 'bwt < 2500' }]);
    expect(parseConstraints('', 'empty.yaml').sumGroups).toEqual([]);
  });

  it('takes column names verbatim around a spaced operator (dots, spaces, dashes)', () => {
    const c = parseConstraints('inequalities: ["Min.Price <= Max.Price", "low temp > a-b"]', 'c.yaml');
    expect(c.inequalities.map((q) => [q.left, q.op, q.right])).toEqual([
      ['Min.Price', '<=', 'Max.Price'],
      ['low temp', '>', 'a-b'],
    ]);
  });

  it('refuses a bad operator, a glued one, and malformed entries, naming the constraint', () => {
    const bad = inputFailure(() => parseConstraints('inequalities: ["YS =< UTS"]', 'c.yaml'));
    expect(bad.constraint).toBe('YS =< UTS');
    expect(bad.message).toBe('c.yaml, constraint YS =< UTS: bad operator "=<": use one of <=, >=, <, >');
    expect(inputFailure(() => parseConstraints('inequalities: ["YS<=UTS"]', 'c.yaml')).message).toContain('must have a space on each side');
    expect(inputFailure(() => parseConstraints('inequalities: ["YS == UTS"]', 'c.yaml')).message).toContain('bad operator "=="');
    expect(inputFailure(() => parseConstraints('sum_groups: [{columns: [a, b], low: 2, high: 1}]', 'c.yaml')).message).toBe('c.yaml, constraint sum_groups[0]: low 2 is above high 1');
    expect(inputFailure(() => parseConstraints('bounds: {RI: {low: x}}', 'c.yaml')).constraint).toBe('bounds.RI');
    expect(inputFailure(() => parseConstraints('limits: []', 'c.yaml')).message).toContain('unknown key "limits"');
    expect(inputFailure(() => parseConstraints('derived: [{column: low, rule: "bwt ~ 2"}]', 'c.yaml')).constraint).toBe('derived.low');
    expect(inputFailure(() => parseConstraints('sum_groups: [{columns: [a], low: 1, high: 2}]', 'c.yaml')).message).toContain('at least two columns');
    expect(inputFailure(() => parseConstraints('bounds: [1, 2', 'c.yaml')).message).toMatch(/^c\.yaml: line \d+/);
  });
});

describe('validateConstraints against the real rows', () => {
  it("accepts the glass constraints of docs/tabular.md and birthwt's derived rule", () => {
    expect(() => validateConstraints(parseConstraints(designExample, 'c.yaml'), fgl, 'c.yaml')).not.toThrow();
    expect(() => validateConstraints(parseConstraints('derived: [{column: low, rule: "bwt < 2500"}]', 'c.yaml'), birthwt, 'c.yaml')).not.toThrow();
  });

  it('refuses an unknown or categorical column, naming the constraint and the column', () => {
    const missing = inputFailure(() => validateConstraints(parseConstraints('inequalities: ["YS <= UTS"]', 'c.yaml'), fgl, 'c.yaml'));
    expect(missing.message).toBe('c.yaml, constraint YS <= UTS: names the column "YS", which the table does not have');
    expect(inputFailure(() => validateConstraints(parseConstraints('nonnegative: [type]', 'c.yaml'), fgl, 'c.yaml')).message).toContain('categorical');
  });

  it('refuses a sum window the real rows break, naming the first breaking row of the CSV', () => {
    const sums = Array.from({ length: fgl.rowCount }, (_, i) => oxides.reduce((s, o) => s + numericColumn(fgl, o).values[i], 0));
    const first = sums.findIndex((s) => s < 99.5);
    const e = inputFailure(() => validateConstraints(parseConstraints(`sum_groups: [{columns: [${oxides}], low: 99.5, high: 100.1}]`, 'c.yaml'), fgl, 'c.yaml'));
    expect(e.constraint).toBe('sum_groups[0]');
    expect(e.row).toBe(first + 2);
    expect(e.message).toContain(`row ${first + 2} of fgl.csv breaks it (its sum`);
  });

  it('refuses an inequality or a derived rule the data breaks, showing the cells', () => {
    const e = inputFailure(() => validateConstraints(parseConstraints('inequalities: ["Na <= Mg"]', 'c.yaml'), fgl, 'c.yaml'));
    expect(e.row).toBe(2);
    expect(e.message).toBe('c.yaml, constraint Na <= Mg: row 2 of fgl.csv breaks it (Na = 13.64, Mg = 4.49); the generator cannot be asked to obey a rule the data does not');
    const bwt = numericColumn(birthwt, 'bwt').values;
    const first = Array.from(bwt).findIndex((v) => v >= 2400 && v < 2500);
    const d = inputFailure(() => validateConstraints(parseConstraints('derived: [{column: low, rule: "bwt < 2400"}]', 'c.yaml'), birthwt, 'c.yaml'));
    expect(d.constraint).toBe('derived.low');
    expect(d.row).toBe(first + 2);
    const notFlag = inputFailure(() => validateConstraints(parseConstraints('derived: [{column: age, rule: "bwt < 2500"}]', 'c.yaml'), birthwt, 'c.yaml'));
    expect(notFlag.message).toContain('must hold 0 and 1');
  });

  it('accepts a window met only up to float rounding (sums of decimals)', () => {
    const t = readTable('a,b\n0.1,0.2\n0.2,0.1\n0.15,0.15\n', 'r.csv');
    expect(0.1 + 0.2).toBeGreaterThan(0.3);
    expect(() => validateConstraints(parseConstraints('sum_groups: [{columns: [a, b], low: 0.3, high: 0.3}]', 'c.yaml'), t, 'c.yaml')).not.toThrow();
  });
});

describe('detectSumGroups', () => {
  it("offers the glass table's eight oxides with the observed 99.02–100.10 window", () => {
    const offer = detectSumGroups(fgl);
    expect(offer?.columns).toEqual(oxides);
    expect(offer?.low).toBe(99.02);
    expect(offer?.high).toBe(100.1);
    expect(offer?.relativeWindow).toBeCloseTo(0.0108, 4);
  });

  it('offers nothing where no columns compensate each other', () => {
    expect(detectSumGroups(fixtureTable('wine.csv'))).toBeNull();
    expect(detectSumGroups(birthwt)).toBeNull();
  });

  it('finds the group among other non-negative columns', () => {
    const rng = createRng(4);
    const lines = ['a,b,c,noise'];
    for (let i = 0; i < 40; i++) {
      const a = rng.uniform(10, 40);
      const b = rng.uniform(10, 40);
      lines.push(`${a},${b},${100 - a - b + rng.uniform(-0.2, 0.2)},${rng.uniform(0, 50)}`);
    }
    expect(detectSumGroups(readTable(lines.join('\n'), 'g.csv'))?.columns).toEqual(['a', 'b', 'c']);
  });
});

describe('projection onto the constraints', () => {
  const compiled = validateConstraints(parseConstraints(`${designExample}`, 'c.yaml'), fgl, 'c.yaml');

  it('leaves every real row untouched (clip rate 0)', () => {
    expect(projectTable(compiled, fgl).clipRate).toBe(0);
  });

  it('clips negatives, renormalises the sum into its window and repairs the inequality', () => {
    const row = numericRow(fgl, 0);
    row[1] = -0.5; // Na
    row[4] += 5; // Si: the sum leaves the window
    row[2] = 80; // Mg above Si
    expect(projectRow(compiled, row)).toBe(true);
    expect(breaksAny(compiled, row)).toBe(false);
    expect(row[1]).toBe(0);
    const sum = oxides.reduce((s, _, k) => s + row[1 + k], 0);
    expect(sum).toBeGreaterThanOrEqual(99 - 1e-9);
    expect(sum).toBeLessThanOrEqual(100.1 + 1e-9);
  });

  it('makes jittered glass rows obey every constraint, counting the rows it changed', () => {
    const rng = createRng(11);
    const noisy = {
      ...fgl,
      columns: fgl.columns.map((c) => ('decimals' in c ? { ...c, values: c.values.map((v) => v + rng.normal(0, 0.3)) } : c)),
    };
    const projected = projectTable(compiled, noisy);
    expect(projected.clipRate).toBeGreaterThan(0.5);
    const row = new Float64Array(fgl.columns.length);
    for (let i = 0; i < fgl.rowCount; i++) expect(breaksAny(compiled, numericRow(projected.table, i, row))).toBe(false);
    // Unchanged rows are exactly the input rows.
    const untouched = projected.changed.findIndex((c) => c === 0);
    if (untouched >= 0) expect(numericRow(projected.table, untouched)).toEqual(numericRow(noisy, untouched));
  });

  it('sets a derived column from its rule', () => {
    const c = compileConstraints(parseConstraints('derived: [{column: low, rule: "bwt < 2500"}]', 'c.yaml'), birthwt, 'c.yaml');
    const row = numericRow(birthwt, 0);
    row[9] = 2000; // bwt, while low = 0
    expect(projectRow(c, row)).toBe(true);
    expect(row[0]).toBe(1);
  });
});
