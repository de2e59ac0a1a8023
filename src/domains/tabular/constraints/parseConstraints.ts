import { readYamlDocument } from '../../../engine/config/yamlInput';
import { TabularInputError } from '../tabularInputError';
import { operand, parseInequality, parseRule } from './expression';
import { NO_CONSTRAINTS, type Bound, type Constraints, type DerivedRule, type Inequality, type NonNegative, type SumGroup } from './types';

const TOP_KEYS = ['sum_groups', 'bounds', 'nonnegative', 'inequalities', 'derived'] as const;

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `the text ${JSON.stringify(v)}`;
  if (typeof v === 'object') return 'a mapping';
  return String(v);
}

/**
 * Parses a constraints file (YAML; JSON reads alike) into Constraints, checking its form only: known
 * keys, lists and mappings where they belong, finite numbers with low ≤ high, operators (`<=`, `>=`,
 * `<`, `>` between spaces; a derived rule may also use `==` and `!=`). Whether the columns exist and
 * whether the real rows obey is validateConstraints' job. An empty file declares nothing.
 * Throws TabularInputError naming `file` and the constraint (`sum_groups[0]`, `bounds.RI`, the
 * inequality's text, …).
 */
export function parseConstraints(text: string, file: string): Constraints {
  if (text.trim().length === 0) return NO_CONSTRAINTS;
  const read = readYamlDocument(text, { uniqueKeys: true });
  if (!read.ok) throw new TabularInputError(file, read.reason);
  const root: unknown = read.value;
  if (root === null || root === undefined) return NO_CONSTRAINTS;
  if (!isMapping(root)) throw new TabularInputError(file, `the file must be a mapping of ${TOP_KEYS.join(', ')}, not ${describe(root)}`);
  for (const key of Object.keys(root)) {
    if (!(TOP_KEYS as readonly string[]).includes(key)) throw new TabularInputError(file, `unknown key ${JSON.stringify(key)} (the keys are ${TOP_KEYS.join(', ')})`);
  }
  const fail = (label: string, detail: string) => new TabularInputError(file, detail, { constraint: label });
  const list = (key: string): unknown[] => {
    const v = root[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw fail(key, `must be a list, not ${describe(v)}`);
    return v;
  };
  const columnName = (label: string, v: unknown): string => {
    if (typeof v === 'string' && v.trim().length > 0) return v.trim();
    if (typeof v === 'number') return String(v);
    throw fail(label, `a column must be named by its header text, not ${describe(v)}`);
  };
  const finite = (label: string, what: string, v: unknown): number => {
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    throw fail(label, `${what} must be a finite number, not ${describe(v)}`);
  };
  const onlyKeys = (label: string, v: Record<string, unknown>, keys: readonly string[]) => {
    for (const k of Object.keys(v)) if (!keys.includes(k)) throw fail(label, `unknown key ${JSON.stringify(k)} (the keys are ${keys.join(', ')})`);
  };

  const sumGroups: SumGroup[] = list('sum_groups').map((item, i) => {
    const label = `sum_groups[${i}]`;
    if (!isMapping(item)) throw fail(label, `must be a mapping {columns, low, high}, not ${describe(item)}`);
    onlyKeys(label, item, ['columns', 'low', 'high']);
    if (!Array.isArray(item.columns) || item.columns.length < 2) throw fail(label, '"columns" must list at least two columns');
    const columns = item.columns.map((c) => columnName(label, c));
    const repeated = columns.find((c, k) => columns.indexOf(c) !== k);
    if (repeated !== undefined) throw fail(label, `lists the column ${repeated} twice`);
    const low = finite(label, '"low"', item.low);
    const high = finite(label, '"high"', item.high);
    if (low > high) throw fail(label, `low ${low} is above high ${high}`);
    return { label, columns, low, high };
  });

  const boundsValue = root.bounds;
  if (boundsValue !== undefined && boundsValue !== null && !isMapping(boundsValue)) throw fail('bounds', `must be a mapping COLUMN: {low, high}, not ${describe(boundsValue)}`);
  const bounds: Bound[] = Object.entries(isMapping(boundsValue) ? boundsValue : {}).map(([column, spec]) => {
    const label = `bounds.${column}`;
    if (!isMapping(spec)) throw fail(label, `must be a mapping {low, high}, not ${describe(spec)}`);
    onlyKeys(label, spec, ['low', 'high']);
    const low = spec.low === undefined || spec.low === null ? null : finite(label, '"low"', spec.low);
    const high = spec.high === undefined || spec.high === null ? null : finite(label, '"high"', spec.high);
    if (low === null && high === null) throw fail(label, 'needs "low", "high" or both');
    if (low !== null && high !== null && low > high) throw fail(label, `low ${low} is above high ${high}`);
    return { label, column, low, high };
  });

  const nonnegative: NonNegative[] = list('nonnegative').map((v, i) => {
    const column = columnName(`nonnegative[${i}]`, v);
    return { label: `nonnegative.${column}`, column };
  });

  const inequalities: Inequality[] = list('inequalities').map((v, i) => {
    if (typeof v !== 'string') throw fail(`inequalities[${i}]`, `must be the text "COLUMN OP COLUMN", not ${describe(v)}`);
    const label = v.trim();
    const parsed = parseInequality(label);
    if (!parsed.ok) throw fail(label, parsed.reason);
    return { label, left: parsed.left, op: parsed.op, right: parsed.right };
  });

  const derived: DerivedRule[] = list('derived').map((item, i) => {
    const at = `derived[${i}]`;
    if (!isMapping(item)) throw fail(at, `must be a mapping {column, rule}, not ${describe(item)}`);
    onlyKeys(at, item, ['column', 'rule']);
    const column = columnName(at, item.column);
    const label = `derived.${column}`;
    if (typeof item.rule !== 'string') throw fail(label, `"rule" must be the text "LEFT OP RIGHT", not ${describe(item.rule)}`);
    const rule = item.rule.trim();
    const parsed = parseRule(rule);
    if (!parsed.ok) throw fail(label, parsed.reason);
    return { label, column, left: operand(parsed.left), op: parsed.op, right: operand(parsed.right), rule };
  });

  return { sumGroups, bounds, nonnegative, inequalities, derived };
}
