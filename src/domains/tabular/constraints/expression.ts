import { INEQUALITY_OPS, RULE_OPS, type InequalityOp, type Operand, type RuleOp } from './types';

/**
 * `LEFT OP RIGHT` with OP surrounded by single or more spaces (docs/tabular.md), so a column name may hold any
 * character, `Min.Price` and `a-b` included; only a space-delimited operator splits. Each side is a
 * column's header name verbatim, or (in a derived rule) a number.
 */
export type ParsedExpression<Op extends string> = { ok: true; left: string; op: Op; right: string } | { ok: false; reason: string };

const LOOKS_LIKE_OPERATOR = /^[<>=!≤≥≠]+$/;

export function parseComparison<Op extends string>(text: string, ops: readonly Op[]): ParsedExpression<Op> {
  const tokens = text.trim().split(/( +)/);
  // tokens alternate word, spaces, word, …; an operator is a whole word between spaces.
  const found: number[] = [];
  const odd: string[] = [];
  for (let k = 2; k < tokens.length - 2; k += 2) {
    if ((ops as readonly string[]).includes(tokens[k])) found.push(k);
    else if (LOOKS_LIKE_OPERATOR.test(tokens[k])) odd.push(tokens[k]);
  }
  const allowed = ops.join(', ');
  if (found.length === 0) {
    if (odd.length > 0) return { ok: false, reason: `bad operator ${JSON.stringify(odd[0])}: use one of ${allowed}` };
    const glued = ops.find((op) => text.includes(op));
    if (glued) return { ok: false, reason: `the operator ${glued} must have a space on each side (COLUMN ${glued} COLUMN)` };
    return { ok: false, reason: `expected COLUMN OP COLUMN with OP one of ${allowed}, surrounded by spaces` };
  }
  if (found.length > 1) return { ok: false, reason: `more than one operator (${found.map((k) => tokens[k]).join(', ')}): a constraint compares two things` };
  const k = found[0];
  return { ok: true, left: tokens.slice(0, k - 1).join(''), op: tokens[k] as Op, right: tokens.slice(k + 2).join('') };
}

export function parseInequality(text: string): ParsedExpression<InequalityOp> {
  return parseComparison(text, INEQUALITY_OPS);
}

export function parseRule(text: string): ParsedExpression<RuleOp> {
  return parseComparison(text, RULE_OPS);
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A rule's side: a number when it reads as a plain decimal numeral, else a column's name. */
export function operand(text: string): Operand {
  if (NUMBER.test(text)) return { value: Number(text) };
  return { column: text };
}

export function compare(a: number, op: RuleOp, b: number): boolean {
  switch (op) {
    case '<=':
      return a <= b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '==':
      return a === b;
    case '!=':
      return a !== b;
  }
}
