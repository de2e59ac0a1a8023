/**
 * Declared constraints of a table (docs/tabular.md), as parsed from the constraints YAML:
 *
 *   sum_groups: [{columns: [Na, Mg, Al, Si, K, Ca, Ba, Fe], low: 99.0, high: 100.1}]
 *   bounds: {RI: {low: -7, high: 16}}
 *   nonnegative: [Na, Mg, Al, Si, K, Ca, Ba, Fe]
 *   inequalities: ["YS <= UTS"]
 *   derived: [{column: low, rule: "bwt < 2500"}]   # 1 where the rule holds, else 0
 *
 * Every constraint carries a `label`, the name messages and reports use for it: `sum_groups[0]`,
 * `bounds.RI`, `nonnegative.Na`, the inequality's text, `derived.low`.
 */
export type InequalityOp = '<=' | '>=' | '<' | '>';
export type RuleOp = InequalityOp | '==' | '!=';

export const INEQUALITY_OPS: readonly InequalityOp[] = ['<=', '>=', '<', '>'];
export const RULE_OPS: readonly RuleOp[] = ['<=', '>=', '<', '>', '==', '!='];

export type Operand = { readonly column: string } | { readonly value: number };

export interface SumGroup {
  readonly label: string;
  readonly columns: readonly string[];
  readonly low: number;
  readonly high: number;
}

export interface Bound {
  readonly label: string;
  readonly column: string;
  readonly low: number | null;
  readonly high: number | null;
}

export interface NonNegative {
  readonly label: string;
  readonly column: string;
}

export interface Inequality {
  readonly label: string;
  readonly left: string;
  readonly op: InequalityOp;
  readonly right: string;
}

/** `column` is 1 on rows where `left op right` holds, else 0. */
export interface DerivedRule {
  readonly label: string;
  readonly column: string;
  readonly left: Operand;
  readonly op: RuleOp;
  readonly right: Operand;
  /** The rule as written. */
  readonly rule: string;
}

export interface Constraints {
  readonly sumGroups: readonly SumGroup[];
  readonly bounds: readonly Bound[];
  readonly nonnegative: readonly NonNegative[];
  readonly inequalities: readonly Inequality[];
  readonly derived: readonly DerivedRule[];
}

export const NO_CONSTRAINTS: Constraints = { sumGroups: [], bounds: [], nonnegative: [], inequalities: [], derived: [] };

export function hasConstraints(c: Constraints): boolean {
  return c.sumGroups.length + c.bounds.length + c.nonnegative.length + c.inequalities.length + c.derived.length > 0;
}
