import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { downloadFile } from '../../../ui/common/download';
import type { SumGroupOffer } from '../constraints/detectSumGroups';
import { operand, parseRule } from '../constraints/expression';
import { formatConstraints } from '../constraints/formatConstraints';
import { parseConstraints } from '../constraints/parseConstraints';
import { INEQUALITY_OPS, hasConstraints, type Bound, type Constraints, type InequalityOp } from '../constraints/types';
import { TabularInputError } from '../tabularInputError';
import './tabular.css';

export interface EditorColumn {
  name: string;
  numeric: boolean;
}

export interface ConstraintsEditorProps {
  columns: EditorColumn[];
  /** The sum group detectSumGroups found in the real rows, offered as a rule. */
  offer: SumGroupOffer | null;
  value: Constraints;
  /** What the page found wrong with `value` against the real rows (validateConstraints), or null. */
  problem: string | null;
  onChange(next: Constraints): void;
  disabled?: boolean;
}

/** The name parse messages give the form's own constraints (they are not read from a file). */
const FORM_SOURCE = 'the form';

/** An edit's outcome: the new constraints, or what is wrong with the form (null: nothing typed yet). */
export type Edit = { ok: true; next: Constraints } | { ok: false; error: string } | null;

/**
 * Constraints rebuilt through the constraints YAML (formatConstraints, then parseConstraints): an edit
 * goes through the same checks and gets the same labels (`bounds.RI`, `sum_groups[0]`, …) as a file
 * would, and `sum_groups[k]` is renumbered after a removal.
 */
export function rebuildConstraints(c: Constraints): Edit {
  try {
    return { ok: true, next: parseConstraints(formatConstraints(c), FORM_SOURCE) };
  } catch (e) {
    return { ok: false, error: e instanceof TabularInputError ? `${e.constraint ? `${e.constraint}: ` : ''}${e.detail}` : e instanceof Error ? e.message : String(e) };
  }
}

const NUMERAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A typed number: null when empty, NaN when not a plain numeral. */
function typedNumber(text: string): number | null {
  const t = text.trim();
  if (t.length === 0) return null;
  return NUMERAL.test(t) ? Number(t) : NaN;
}

function columnProblem(columns: readonly EditorColumn[], name: string): string | null {
  const c = columns.find((x) => x.name === name);
  if (!c) return `the table has no column ${JSON.stringify(name)}`;
  if (!c.numeric) return `${name} is categorical, and constraints apply to numeric columns`;
  return null;
}

/** A bound on `column` (replacing the column's current bound), from the typed low and high. */
export function addBound(value: Constraints, columns: readonly EditorColumn[], column: string, lowText: string, highText: string): Edit {
  if (lowText.trim() === '' && highText.trim() === '') return null;
  const bad = columnProblem(columns, column);
  if (bad) return { ok: false, error: bad };
  const low = typedNumber(lowText);
  const high = typedNumber(highText);
  if (Number.isNaN(low)) return { ok: false, error: `low ${JSON.stringify(lowText.trim())} is not a number` };
  if (Number.isNaN(high)) return { ok: false, error: `high ${JSON.stringify(highText.trim())} is not a number` };
  const bound: Bound = { label: '', column, low, high };
  const at = value.bounds.findIndex((b) => b.column === column);
  const bounds = at < 0 ? [...value.bounds, bound] : value.bounds.map((b, k) => (k === at ? bound : b));
  return rebuildConstraints({ ...value, bounds });
}

export function addNonNegative(value: Constraints, columns: readonly EditorColumn[], column: string): Edit {
  const bad = columnProblem(columns, column);
  if (bad) return { ok: false, error: bad };
  if (value.nonnegative.some((n) => n.column === column)) return { ok: false, error: `${column} is already non-negative` };
  return rebuildConstraints({ ...value, nonnegative: [...value.nonnegative, { label: '', column }] });
}

export function addInequality(value: Constraints, columns: readonly EditorColumn[], left: string, op: InequalityOp, right: string): Edit {
  const bad = columnProblem(columns, left) ?? columnProblem(columns, right);
  if (bad) return { ok: false, error: bad };
  if (left === right) return { ok: false, error: `${left} ${op} ${right} compares a column with itself` };
  const label = `${left} ${op} ${right}`;
  if (value.inequalities.some((q) => q.left === left && q.op === op && q.right === right)) return { ok: false, error: `${label} is already declared` };
  return rebuildConstraints({ ...value, inequalities: [...value.inequalities, { label, left, op, right }] });
}

/** A derived column: `column` is 1 where `ruleText` (LEFT OP RIGHT, docs/tabular.md) holds, else 0. */
export function addDerived(value: Constraints, columns: readonly EditorColumn[], column: string, ruleText: string): Edit {
  const rule = ruleText.trim();
  if (rule.length === 0) return null;
  const bad = columnProblem(columns, column);
  if (bad) return { ok: false, error: bad };
  const parsed = parseRule(rule);
  if (!parsed.ok) return { ok: false, error: parsed.reason };
  const sides = [operand(parsed.left), operand(parsed.right)];
  const named = sides.flatMap((s) => ('column' in s ? [s.column] : []));
  if (named.length === 0) return { ok: false, error: 'the rule compares two numbers: it must name a column' };
  for (const name of named) {
    const problem = columnProblem(columns, name);
    if (problem) return { ok: false, error: `the rule: ${problem}` };
    if (name === column) return { ok: false, error: `the rule reads ${column}, the column it defines` };
  }
  if (value.derived.some((d) => d.column === column)) return { ok: false, error: `${column} already has a rule: remove it first` };
  return rebuildConstraints({ ...value, derived: [...value.derived, { label: '', column, left: sides[0], op: parsed.op, right: sides[1], rule }] });
}

/** The constraints without the one labelled `label` (sum groups renumbered). */
export function removeConstraint(value: Constraints, label: string): Constraints {
  const keep = <T extends { label: string }>(list: readonly T[]) => list.filter((x) => x.label !== label);
  const edit = rebuildConstraints({
    sumGroups: keep(value.sumGroups),
    bounds: keep(value.bounds),
    nonnegative: keep(value.nonnegative),
    inequalities: keep(value.inequalities),
    derived: keep(value.derived),
  });
  return edit?.ok ? edit.next : value;
}

/** The offer's window as the sentence shows it: both ends with the same decimals (99.02–100.10). */
export function offerWindow(offer: Pick<SumGroupOffer, 'low' | 'high'>): string {
  const decimals = (v: number) => (/e/i.test(String(v)) ? 0 : (String(v).split('.')[1] ?? '').length);
  const d = Math.min(12, Math.max(decimals(offer.low), decimals(offer.high)));
  return `${offer.low.toFixed(d)}–${offer.high.toFixed(d)}`;
}

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((c) => b.includes(c));
}

/**
 * The declared constraints of the tabular page: the detected sum group offered as one sentence with a
 * one-click "Keep as a rule", the constraints as a list (each with a Remove button), small forms that
 * add a bound, a non-negative column, an inequality and a derived column — each checked as it is typed,
 * through the same parser as a constraints file — and Load/Save of the constraints YAML
 * (docs/tabular.md). Whether the real rows obey is the page's check, shown here as `problem`.
 */
export function ConstraintsEditor({ columns, offer, value, problem, onChange, disabled }: ConstraintsEditorProps) {
  const [loadMessage, setLoadMessage] = useState<{ kind: 'error' | 'note'; text: string } | null>(null);
  const numeric = columns.filter((c) => c.numeric);
  const offered = offer && !value.sumGroups.some((g) => sameColumns(g.columns, offer.columns)) ? offer : null;

  const apply = (edit: Edit): boolean => {
    if (!edit?.ok) return false;
    onChange(edit.next);
    return true;
  };
  const load = async (file: File) => {
    try {
      const next = parseConstraints(await file.text(), file.name);
      onChange(next);
      const count = next.sumGroups.length + next.bounds.length + next.nonnegative.length + next.inequalities.length + next.derived.length;
      setLoadMessage({ kind: 'note', text: `Loaded ${count} constraint${count === 1 ? '' : 's'} from ${file.name}.` });
    } catch (e) {
      setLoadMessage({ kind: 'error', text: e instanceof Error ? e.message : String(e) });
    }
  };

  return (
    <section className="tabular-constraints" aria-label="Constraints">
      {offered && (
        <p className="tabular-offer">
          <span>
            {offered.columns.join(', ')} sum to {offerWindow(offered)} in every row, none negative — keep as a rule?
          </span>
          <button
            type="button"
            className="button button--small"
            disabled={disabled}
            onClick={() =>
              // Parts of a whole are never negative (detectSumGroups offers only columns with no negative value): the rule keeps them so too.
              apply(
                rebuildConstraints({
                  ...value,
                  sumGroups: [...value.sumGroups, { label: '', columns: offered.columns, low: offered.low, high: offered.high }],
                  nonnegative: [...value.nonnegative, ...offered.columns.filter((c) => !value.nonnegative.some((n) => n.column === c)).map((column) => ({ label: '', column }))],
                }),
              )
            }
          >
            Keep as a rule
          </button>
        </p>
      )}
      {problem && (
        <p className="error tabular-constraints__problem" role="alert">
          {problem}
        </p>
      )}
      <ConstraintList value={value} disabled={disabled} onRemove={(label) => onChange(removeConstraint(value, label))} />

      <div className="tabular-forms">
        <BoundForm value={value} columns={columns} numeric={numeric} disabled={disabled} apply={apply} />
        <NonNegativeForm value={value} columns={columns} numeric={numeric} disabled={disabled} apply={apply} />
        <InequalityForm value={value} columns={columns} numeric={numeric} disabled={disabled} apply={apply} />
        <DerivedForm value={value} columns={columns} numeric={numeric} disabled={disabled} apply={apply} />
      </div>

      <div className="button-row tabular-constraints__files">
        <label className={`button button--small${disabled ? ' tabular-disabled' : ''}`}>
          Load YAML…
          <input
            type="file"
            className="visually-hidden"
            aria-label="Load constraints YAML"
            accept=".yaml,.yml,.json,text/yaml,application/yaml"
            disabled={disabled}
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = ''; // the same file can be chosen again after fixing it
              if (file) void load(file);
            }}
          />
        </label>
        <button type="button" className="button button--small" disabled={disabled || !hasConstraints(value)} onClick={() => downloadFile('constraints.yaml', formatConstraints(value), 'application/yaml')}>
          Save YAML
        </button>
      </div>
      {loadMessage &&
        (loadMessage.kind === 'error' ? (
          <p className="error" role="alert">
            {loadMessage.text}
          </p>
        ) : (
          <p className="panel__note" role="status">
            {loadMessage.text}
          </p>
        ))}
    </section>
  );
}

/** A number as written in a constraint (shortest form; a minus sign for negatives). */
function n(v: number): string {
  return String(v).replace(/^-/, '−');
}

function ConstraintList({ value, disabled, onRemove }: { value: Constraints; disabled?: boolean; onRemove(label: string): void }) {
  const items: Array<{ label: string; text: string }> = [
    ...value.sumGroups.map((g) => ({ label: g.label, text: `${g.columns.join(' + ')} between ${n(g.low)} and ${n(g.high)}` })),
    ...value.bounds.map((b) => ({ label: b.label, text: b.low !== null && b.high !== null ? `${n(b.low)} ≤ ${b.column} ≤ ${n(b.high)}` : b.low !== null ? `${b.column} ≥ ${n(b.low)}` : `${b.column} ≤ ${n(b.high ?? 0)}` })),
    ...value.inequalities.map((q) => ({ label: q.label, text: `${q.left} ${q.op} ${q.right}` })),
    ...value.derived.map((d) => ({ label: d.label, text: `${d.column} is 1 where ${d.rule}, else 0` })),
  ];
  if (items.length === 0 && value.nonnegative.length === 0) return <p className="panel__note">No constraints declared.</p>;
  return (
    <ul className="tabular-constraint-list" aria-label="Declared constraints">
      {items.map((item) => (
        <li key={item.label} className="tabular-constraint">
          <span className="tabular-constraint__text">{item.text}</span>
          {item.label !== item.text && <code className="tabular-constraint__label">{item.label}</code>}
          <button type="button" className="button button--small button--ghost" aria-label={`Remove ${item.label}`} disabled={disabled} onClick={() => onRemove(item.label)}>
            Remove
          </button>
        </li>
      ))}
      {value.nonnegative.length > 0 && (
        <li className="tabular-constraint">
          <span className="tabular-constraint__text tabular-constraint__text--lead">Non-negative:</span>
          <span className="tabular-chips">
            {value.nonnegative.map((c) => (
              <span key={c.label} className="tabular-chip">
                {c.column}
                <button type="button" className="tabular-chip__remove" aria-label={`Remove ${c.label}`} title={`Remove ${c.label}`} disabled={disabled} onClick={() => onRemove(c.label)}>
                  ×
                </button>
              </span>
            ))}
          </span>
        </li>
      )}
    </ul>
  );
}

interface FormProps {
  value: Constraints;
  columns: EditorColumn[];
  numeric: EditorColumn[];
  disabled?: boolean;
  apply(edit: Edit): boolean;
}

/** The chosen column while it is still a numeric column of the table, else the `fallback`-th numeric one. */
function pick(numeric: readonly EditorColumn[], chosen: string | null, fallback = 0): string {
  if (chosen !== null && numeric.some((c) => c.name === chosen)) return chosen;
  return numeric[Math.min(fallback, numeric.length - 1)]?.name ?? '';
}

function AddForm({ title, what, edit, hint, disabled, apply, onAdded, children }: { title: string; what: string; edit: Edit; hint?: string | null; disabled?: boolean; apply(edit: Edit): boolean; onAdded?(): void; children: ReactNode }) {
  const id = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (apply(edit)) onAdded?.();
  };
  const error = edit && !edit.ok ? edit.error : null;
  return (
    <form className="tabular-add" aria-label={title} onSubmit={submit}>
      <fieldset disabled={disabled}>
        <legend>{title}</legend>
        <div className="tabular-add__fields">
          {children}
          <button type="submit" className="button button--small" aria-label={`Add ${what}`} disabled={!edit?.ok} aria-describedby={id}>
            Add
          </button>
        </div>
        <p id={id} className={`tabular-add__message${error ? ' tabular-add__message--error' : ''}`} aria-live="polite">
          {error ?? hint}
        </p>
      </fieldset>
    </form>
  );
}

function ColumnSelect({ label, text, numeric, value, onChange }: { label: string; text: string; numeric: EditorColumn[]; value: string; onChange(v: string): void }) {
  return (
    <label className="tabular-field">
      <span>{text}</span>
      <select className="tabular-select" aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
        {numeric.map((c) => (
          <option key={c.name} value={c.name}>
            {c.name}
          </option>
        ))}
      </select>
    </label>
  );
}

function BoundForm({ value, columns, numeric, disabled, apply }: FormProps) {
  const [chosen, setChosen] = useState<string | null>(null);
  const [low, setLow] = useState('');
  const [high, setHigh] = useState('');
  const column = pick(numeric, chosen);
  const edit = addBound(value, columns, column, low, high);
  const current = value.bounds.find((b) => b.column === column);
  return (
    <AddForm title="Bound" what="bound" edit={edit} hint={current ? `Replaces ${current.label}.` : null} disabled={disabled} apply={apply} onAdded={() => (setLow(''), setHigh(''))}>
      <ColumnSelect label="Bound column" text="Column" numeric={numeric} value={column} onChange={setChosen} />
      <label className="tabular-field tabular-field--number">
        <span>Low</span>
        <input type="text" inputMode="decimal" aria-label="Bound low" value={low} onChange={(e) => setLow(e.target.value)} />
      </label>
      <label className="tabular-field tabular-field--number">
        <span>High</span>
        <input type="text" inputMode="decimal" aria-label="Bound high" value={high} onChange={(e) => setHigh(e.target.value)} />
      </label>
    </AddForm>
  );
}

function NonNegativeForm({ value, columns, numeric, disabled, apply }: FormProps) {
  const [chosen, setChosen] = useState<string | null>(null);
  // Only the columns not yet declared non-negative are offered.
  const open = numeric.filter((c) => !value.nonnegative.some((x) => x.column === c.name));
  const column = pick(open, chosen);
  const edit = column ? addNonNegative(value, columns, column) : null;
  return (
    <AddForm title="Non-negative" what="non-negativity" edit={edit} hint={open.length === 0 ? 'Every numeric column is non-negative already.' : null} disabled={disabled} apply={apply}>
      <ColumnSelect label="Non-negative column" text="Column" numeric={open} value={column} onChange={setChosen} />
    </AddForm>
  );
}

function InequalityForm({ value, columns, numeric, disabled, apply }: FormProps) {
  const [left, setLeft] = useState<string | null>(null);
  const [right, setRight] = useState<string | null>(null);
  const [op, setOp] = useState<InequalityOp>('<=');
  const l = pick(numeric, left, 0);
  const r = pick(numeric, right, 1);
  const edit = l && r ? addInequality(value, columns, l, op, r) : null;
  return (
    <AddForm title="Inequality" what="inequality" edit={edit} disabled={disabled} apply={apply}>
      <ColumnSelect label="Inequality left column" text="Column" numeric={numeric} value={l} onChange={setLeft} />
      <label className="tabular-field">
        <span>Op</span>
        <select className="tabular-select" aria-label="Inequality operator" value={op} onChange={(e) => setOp(e.target.value as InequalityOp)}>
          {INEQUALITY_OPS.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </label>
      <ColumnSelect label="Inequality right column" text="Column" numeric={numeric} value={r} onChange={setRight} />
    </AddForm>
  );
}

function DerivedForm({ value, columns, numeric, disabled, apply }: FormProps) {
  const [chosen, setChosen] = useState<string | null>(null);
  const [rule, setRule] = useState('');
  const column = pick(numeric, chosen);
  const edit = addDerived(value, columns, column, rule);
  return (
    <AddForm title="Derived column (1 where the rule holds, else 0)" what="derived column" edit={edit} disabled={disabled} apply={apply} onAdded={() => setRule('')}>
      <ColumnSelect label="Column to derive" text="Column" numeric={numeric} value={column} onChange={setChosen} />
      <label className="tabular-field tabular-field--rule">
        <span>Rule</span>
        <input type="text" aria-label="Derived rule" placeholder="e.g. bwt < 2500" spellCheck={false} value={rule} onChange={(e) => setRule(e.target.value)} />
      </label>
    </AddForm>
  );
}
