import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { detectSumGroups } from '../../../src/domains/tabular/constraints/detectSumGroups';
import { parseConstraints } from '../../../src/domains/tabular/constraints/parseConstraints';
import { NO_CONSTRAINTS, type Constraints } from '../../../src/domains/tabular/constraints/types';
import { isNumeric } from '../../../src/domains/tabular/table';
import { summarizeColumns } from '../../../src/domains/tabular/review/columnSummary';
import { ColumnReview } from '../../../src/domains/tabular/ui/ColumnReview';
import { addBound, addDerived, addInequality, addNonNegative, ConstraintsEditor, offerWindow, removeConstraint, type Edit } from '../../../src/domains/tabular/ui/ConstraintsEditor';
import { fixtureTable, fixtureText } from './fixtures';

const fgl = fixtureTable('fgl.csv', { roles: { type: 'group' } });
const columns = fgl.columns.map((c) => ({ name: c.name, numeric: isNumeric(c) }));
const fglConstraints = parseConstraints(fixtureText('fgl_constraints.yaml'), 'fgl_constraints.yaml');

function next(edit: Edit): Constraints {
  if (!edit?.ok) throw new Error(`expected an edit, got ${JSON.stringify(edit)}`);
  return edit.next;
}
const error = (edit: Edit) => (edit && !edit.ok ? edit.error : null);

describe('the constraints editor: edits through the YAML parser', () => {
  it('builds the same constraints, labels included, as the fixture file', () => {
    let c: Constraints = NO_CONSTRAINTS;
    c = next({ ok: true, next: parseConstraints('sum_groups: [{columns: [Na, Mg, Al, Si, K, Ca, Ba, Fe], low: 99.0, high: 100.1}]', 'x') });
    c = next(addBound(c, columns, 'RI', '-7', '16'));
    for (const oxide of ['Na', 'Mg', 'Al', 'Si', 'K', 'Ca', 'Ba', 'Fe']) c = next(addNonNegative(c, columns, oxide));
    c = next(addInequality(c, columns, 'Mg', '<=', 'Si'));
    expect(c).toEqual(fglConstraints);
    const birthwt = fixtureTable('birthwt.csv').columns.map((x) => ({ name: x.name, numeric: isNumeric(x) }));
    let b: Constraints = NO_CONSTRAINTS;
    for (const name of ['age', 'lwt', 'bwt']) b = next(addNonNegative(b, birthwt, name));
    b = next(addDerived(b, birthwt, 'low', ' bwt < 2500 '));
    expect(b).toEqual(parseConstraints(fixtureText('birthwt_constraints.yaml'), 'b.yaml'));
  });

  it('says what is wrong as it is typed: not a number, low above high, unknown or categorical column, a bad rule', () => {
    expect(addBound(NO_CONSTRAINTS, columns, 'RI', '', '  ')).toBeNull();
    expect(error(addBound(NO_CONSTRAINTS, columns, 'RI', '1,5', ''))).toBe('low "1,5" is not a number');
    expect(error(addBound(NO_CONSTRAINTS, columns, 'RI', '5', '3'))).toBe('bounds.RI: low 5 is above high 3');
    expect(error(addBound(NO_CONSTRAINTS, columns, 'type', '0', ''))).toBe('type is categorical, and constraints apply to numeric columns');
    expect(error(addNonNegative(fglConstraints, columns, 'Na'))).toBe('Na is already non-negative');
    expect(error(addNonNegative(NO_CONSTRAINTS, columns, 'Zn'))).toBe('the table has no column "Zn"');
    expect(error(addInequality(NO_CONSTRAINTS, columns, 'Mg', '<', 'Mg'))).toMatch(/itself/);
    expect(error(addInequality(fglConstraints, columns, 'Mg', '<=', 'Si'))).toBe('Mg <= Si is already declared');
    expect(addDerived(NO_CONSTRAINTS, columns, 'Fe', '')).toBeNull();
    expect(error(addDerived(NO_CONSTRAINTS, columns, 'Fe', 'Ba<1'))).toMatch(/space on each side/);
    expect(error(addDerived(NO_CONSTRAINTS, columns, 'Fe', 'Bax < 1'))).toBe('the rule: the table has no column "Bax"');
    expect(error(addDerived(NO_CONSTRAINTS, columns, 'Fe', '1 < 2'))).toMatch(/must name a column/);
    expect(error(addDerived(NO_CONSTRAINTS, columns, 'Fe', 'Fe > 0'))).toMatch(/the column it defines/);
  });

  it('a bound on a bounded column replaces it; a removal renumbers the sum groups', () => {
    const replaced = next(addBound(fglConstraints, columns, 'RI', '', '20'));
    expect(replaced.bounds).toEqual([{ label: 'bounds.RI', column: 'RI', low: null, high: 20 }]);
    const two = next({ ok: true, next: parseConstraints('sum_groups: [{columns: [Na, Mg], low: 0, high: 30}, {columns: [Al, Si], low: 0, high: 80}]', 'x') });
    const one = removeConstraint(two, 'sum_groups[0]');
    expect(one.sumGroups).toEqual([{ label: 'sum_groups[0]', columns: ['Al', 'Si'], low: 0, high: 80 }]);
    expect(removeConstraint(fglConstraints, 'nonnegative.Ba').nonnegative.map((n) => n.column)).toEqual(['Na', 'Mg', 'Al', 'Si', 'K', 'Ca', 'Fe']);
  });

  it("shows the glass oxides' offer as one sentence with both ends at the same decimals", () => {
    const offer = detectSumGroups(fgl)!;
    expect(offerWindow(offer)).toBe('99.02–100.10');
    const html = renderToStaticMarkup(createElement(ConstraintsEditor, { columns, offer, value: NO_CONSTRAINTS, problem: 'c.yaml, constraint x: broken', onChange: () => {} }));
    expect(html).toContain('Na, Mg, Al, Si, K, Ca, Ba, Fe sum to 99.02–100.10 in every row, none negative — keep as a rule?');
    expect(html).toContain('>Keep as a rule</button>');
    expect(html).toMatch(/role="alert"[^>]*>c\.yaml, constraint x: broken</);
    expect(html).toContain('aria-label="Load constraints YAML"');
    for (const name of ['Bound column', 'Bound low', 'Bound high', 'Non-negative column', 'Inequality left column', 'Inequality operator', 'Inequality right column', 'Column to derive', 'Derived rule']) {
      expect(html).toContain(`aria-label="${name}"`);
    }
    const kept = renderToStaticMarkup(createElement(ConstraintsEditor, { columns, offer, value: fglConstraints, problem: null, onChange: () => {} }));
    expect(kept).not.toContain('Keep as a rule');
    for (const label of ['sum_groups[0]', 'bounds.RI', 'nonnegative.Na', 'Mg &lt;= Si']) expect(kept).toContain(`aria-label="Remove ${label}"`);
  });
});

describe('the column review', () => {
  it('one row per column with its type and role selects, the group shown as "class / group", a sparkline each', () => {
    const summaries = summarizeColumns(fixtureTable('birthwt_missing.csv', { roles: { race: 'group' } }));
    const html = renderToStaticMarkup(createElement(ColumnReview, { summaries, onType: () => {}, onRole: () => {} }));
    expect(html).toContain('<caption>Columns</caption>');
    for (const s of summaries) {
      expect(html).toContain(`aria-label="Type of ${s.name}"`);
      expect(html).toContain(`aria-label="Role of ${s.name}"`);
    }
    expect(html).toContain('>class / group</option>');
    expect(html.match(/<svg /g)).toHaveLength(summaries.length);
    expect(html).toContain('4.2 %'); // 8 of 189 missing
    expect(html).toContain('709 – 4990'); // bwt's range
  });
});
