import { Document, isMap, isPair, isScalar, isSeq, parse, visit } from 'yaml';
import { operand, parseInequality, parseRule } from './expression';
import { hasConstraints, type Constraints, type DerivedRule, type Inequality, type Operand } from './types';

/**
 * Constraints as the constraints YAML of docs/tabular.md, in its layout: one top-level key per kind that
 * has entries (sum_groups, bounds, nonnegative, inequalities, derived, in that order), each entry on one
 * line in flow style, inequalities and rules in double quotes:
 *
 *   sum_groups:
 *     - {columns: [Na, Mg, Al, Si, K, Ca, Ba, Fe], low: 99, high: 100.1}
 *   bounds:
 *     RI: {low: -7, high: 16}
 *   nonnegative: [Na, Mg]
 *   inequalities: ["Mg <= Si"]
 *   derived:
 *     - {column: low, rule: "bwt < 2500"}
 *
 * parseConstraints reads it back to the same Constraints (labels included, since they follow from the
 * positions and texts). A column name that a YAML reader could take for something other than text
 * (`007`, `null`, `yes` — YAML 1.1 readers such as PyYAML read it as true —, `a: b`) is double-quoted.
 * An inequality or rule is written as its label/rule text when that text parses to the same parts, else
 * rebuilt as `LEFT OP RIGHT`. Bounds are a mapping by column: of two bounds on one column, the later
 * is written. No constraints at all is `{}`. Numbers must be finite (parseConstraints only yields such).
 */
export function formatConstraints(c: Constraints): string {
  if (!hasConstraints(c)) return '{}\n';
  const root = new Map<string, unknown>();
  if (c.sumGroups.length > 0) root.set('sum_groups', c.sumGroups.map((g) => ({ columns: [...g.columns], low: finite(g.low, g.label), high: finite(g.high, g.label) })));
  if (c.bounds.length > 0) {
    const bounds = new Map<string, Record<string, number>>();
    for (const b of c.bounds) {
      const spec: Record<string, number> = {};
      if (b.low !== null) spec.low = finite(b.low, b.label);
      if (b.high !== null) spec.high = finite(b.high, b.label);
      bounds.set(b.column, spec);
    }
    root.set('bounds', bounds);
  }
  if (c.nonnegative.length > 0) root.set('nonnegative', c.nonnegative.map((n) => n.column));
  if (c.inequalities.length > 0) root.set('inequalities', c.inequalities.map(inequalityText));
  if (c.derived.length > 0) root.set('derived', c.derived.map((d) => ({ column: d.column, rule: ruleText(d) })));

  const doc = new Document(root);
  const entries = (key: string) => {
    const node = doc.get(key);
    return isSeq(node) || isMap(node) ? node.items : [];
  };
  for (const item of [...entries('sum_groups'), ...entries('derived')]) if (isMap(item)) item.flow = true;
  for (const pair of entries('bounds')) if (isPair(pair) && isMap(pair.value)) pair.value.flow = true;
  for (const key of ['nonnegative', 'inequalities']) {
    const node = doc.get(key);
    if (isSeq(node)) node.flow = true;
  }
  for (const item of entries('inequalities')) if (isScalar(item)) item.type = 'QUOTE_DOUBLE';
  for (const item of entries('derived')) {
    const rule = isMap(item) ? item.get('rule', true) : null;
    if (isScalar(rule)) rule.type = 'QUOTE_DOUBLE';
  }
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && !readsAsText(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

function finite(v: number, label: string): number {
  if (!Number.isFinite(v)) throw new Error(`${label}: ${v} is not a finite number, and the constraints YAML holds finite numbers only`);
  return v;
}

/** Whether `text`, written plain, reads back as that same text under YAML 1.2 and 1.1 alike. */
function readsAsText(text: string): boolean {
  try {
    return parse(text) === text && parse(text, { version: '1.1' }) === text;
  } catch {
    return false;
  }
}

function inequalityText(q: Inequality): string {
  const parsed = parseInequality(q.label);
  if (parsed.ok && parsed.left === q.left && parsed.op === q.op && parsed.right === q.right) return q.label;
  return `${q.left} ${q.op} ${q.right}`;
}

function sameOperand(a: Operand, b: Operand): boolean {
  return 'column' in a ? 'column' in b && a.column === b.column : 'value' in b && Object.is(a.value, b.value);
}

function operandText(o: Operand): string {
  return 'column' in o ? o.column : String(o.value);
}

function ruleText(d: DerivedRule): string {
  const parsed = parseRule(d.rule);
  if (parsed.ok && parsed.op === d.op && sameOperand(operand(parsed.left), d.left) && sameOperand(operand(parsed.right), d.right)) return d.rule;
  return `${operandText(d.left)} ${d.op} ${operandText(d.right)}`;
}
