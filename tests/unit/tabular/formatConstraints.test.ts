import { describe, expect, it } from 'vitest';
import { formatConstraints } from '../../../src/domains/tabular/constraints/formatConstraints';
import { parseConstraints } from '../../../src/domains/tabular/constraints/parseConstraints';
import { NO_CONSTRAINTS, type Constraints } from '../../../src/domains/tabular/constraints/types';
import { fixtureText } from './fixtures';

const roundTrip = (c: Constraints) => parseConstraints(formatConstraints(c), 'c.yaml');

describe('formatConstraints: the constraints YAML of docs/tabular.md', () => {
  it('reads back to the same constraints, labels included, on the fixtures', () => {
    for (const name of ['fgl_constraints.yaml', 'birthwt_constraints.yaml']) {
      const c = parseConstraints(fixtureText(name), name);
      expect(roundTrip(c)).toEqual(c);
    }
  });

  it("writes the document's layout: one entry a line, flow style, inequalities and rules quoted", () => {
    expect(formatConstraints(parseConstraints(fixtureText('fgl_constraints.yaml'), 'fgl.yaml'))).toBe(
      [
        'sum_groups:',
        '  - {columns: [Na, Mg, Al, Si, K, Ca, Ba, Fe], low: 99, high: 100.1}',
        'bounds:',
        '  RI: {low: -7, high: 16}',
        'nonnegative: [Na, Mg, Al, Si, K, Ca, Ba, Fe]',
        'inequalities: ["Mg <= Si"]',
        '',
      ].join('\n'),
    );
    expect(formatConstraints(parseConstraints(fixtureText('birthwt_constraints.yaml'), 'b.yaml'))).toBe('nonnegative: [age, lwt, bwt]\nderived:\n  - {column: low, rule: "bwt < 2500"}\n');
  });

  it('keeps awkward column names and numbers: quotes what a YAML 1.2 or 1.1 reader would not read as text', () => {
    const text = [
      'sum_groups: [{columns: ["007", "yes", "a, b", "x: y", "#c", "[z]", Min.Price, "null", "it\'s"], low: -0.5, high: 1e-7}]',
      'bounds: {"007": {low: 0.000001}, "No": {high: 12345678901234567890}, "a b": {low: -3, high: -3}}',
      'nonnegative: ["true", "on", "1e3"]',
      'inequalities: ["Min.Price  <=  Max.Price", "a-b > c+d"]',
      'derived: [{column: "off", rule: "x != -2.5e3"}, {column: y, rule: "Min.Price >= 007"}]',
    ].join('\n');
    const c = parseConstraints(text, 'odd.yaml');
    const written = formatConstraints(c);
    expect(parseConstraints(written, 'odd.yaml')).toEqual(c);
    expect(written).toContain('"yes"');
    expect(written).toContain('"on"');
    expect(written).toContain('"Min.Price  <=  Max.Price"'); // the label as written
  });

  it('rebuilds a label or rule that does not match its parts, and relabels by position', () => {
    const c: Constraints = {
      ...NO_CONSTRAINTS,
      sumGroups: [{ label: 'mine', columns: ['a', 'b'], low: 1, high: 2 }],
      inequalities: [{ label: '', left: 'a', op: '<', right: 'b' }],
      derived: [{ label: '', column: 'd', left: { column: 'a' }, op: '==', right: { value: 3 }, rule: '' }],
    };
    expect(roundTrip(c)).toEqual({
      ...c,
      sumGroups: [{ ...c.sumGroups[0], label: 'sum_groups[0]' }],
      inequalities: [{ ...c.inequalities[0], label: 'a < b' }],
      derived: [{ ...c.derived[0], label: 'derived.d', rule: 'a == 3' }],
    });
  });

  it('writes no constraints as an empty mapping, and refuses a number YAML cannot hold', () => {
    expect(formatConstraints(NO_CONSTRAINTS)).toBe('{}\n');
    expect(roundTrip(NO_CONSTRAINTS)).toEqual(NO_CONSTRAINTS);
    expect(() => formatConstraints({ ...NO_CONSTRAINTS, bounds: [{ label: 'bounds.x', column: 'x', low: -Infinity, high: 1 }] })).toThrow(/bounds\.x/);
  });
});
