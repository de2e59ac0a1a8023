import type { AlignedTable } from '../metrics/columns';
import { presentRange, presentValues, type CategoricalColumn, type NumericColumn } from '../table';
import { binCounts, equalWidthBins } from './bins';
import type { PerTable } from './seededRows';

/** Bins of a numeric marginal at most. */
export const MARGINAL_BINS = 30;
/** Points of an ECDF at most (beyond it, a grid of its quantiles). */
export const ECDF_POINTS = 200;
/** Categories of a categorical marginal shown by name at most (train's most frequent); the rest are "other". */
export const TOP_CATEGORIES = 20;

/**
 * Points of an empirical CDF, F(v) = share of present values ≤ v, at distinct values in increasing
 * order: every distinct value when there are at most ECDF_POINTS present values, else the values at
 * ECDF_POINTS evenly spaced ranks (F stays exact at each point; a plot steps between them).
 */
export interface EcdfPoints {
  readonly values: number[];
  readonly shares: number[];
  /** Whether every distinct present value is a point. */
  readonly exact: boolean;
}

export interface NumericMarginal {
  readonly kind: 'numeric';
  readonly column: string;
  /** Whole numbers (an integer column). */
  readonly integer: boolean;
  /** Bin edges shared by the three tables (empty when no table has a present value). */
  readonly edges: number[];
  /** Present values per bin. */
  readonly counts: PerTable<number[]>;
  readonly present: PerTable<number>;
  readonly missing: PerTable<number>;
  readonly ecdf: PerTable<EcdfPoints>;
}

/** A bar of a categorical marginal: a category by name, all the other categories, or missing cells. */
export interface CategoryBar {
  readonly label: string;
  readonly kind: 'value' | 'other' | 'missing';
}

export interface CategoricalMarginal {
  readonly kind: 'categorical';
  readonly column: string;
  readonly categories: CategoryBar[];
  /** Share of each table's rows in each bar (each table's shares sum to 1). */
  readonly shares: PerTable<number[]>;
  readonly rows: PerTable<number>;
}

export type Marginal = NumericMarginal | CategoricalMarginal;

/** Every metric column's marginal in train, holdout and the synthetic table, numeric columns first (the metrics' order). */
export function marginals(tables: PerTable<AlignedTable>): Marginal[] {
  const numeric = tables.train.numeric.map((column, j) => numericMarginal({ train: column, holdout: tables.holdout.numeric[j], synthetic: tables.synthetic.numeric[j] }));
  const categorical = tables.train.categorical.map((column, j) =>
    categoricalMarginal(column.name, { train: column, holdout: tables.holdout.categorical[j], synthetic: tables.synthetic.categorical[j] }),
  );
  return [...numeric, ...categorical];
}

function perTable<A, B>(values: PerTable<A>, f: (value: A) => B): PerTable<B> {
  return { train: f(values.train), holdout: f(values.holdout), synthetic: f(values.synthetic) };
}

export function numericMarginal(columns: PerTable<NumericColumn>): NumericMarginal {
  const present = perTable(columns, (c) => presentValues(c.values));
  const ranges = [present.train, present.holdout, present.synthetic].map((v) => presentRange(v));
  const low = Math.min(...ranges.map((r) => r[0]));
  const high = Math.max(...ranges.map((r) => r[1]));
  const integer = columns.train.type === 'integer';
  const bins = equalWidthBins(low, high, MARGINAL_BINS, integer);
  return {
    kind: 'numeric',
    column: columns.train.name,
    integer,
    edges: [...bins.edges],
    counts: perTable(present, (v) => binCounts(bins, v)),
    present: perTable(present, (v) => v.length),
    missing: { train: columns.train.values.length - present.train.length, holdout: columns.holdout.values.length - present.holdout.length, synthetic: columns.synthetic.values.length - present.synthetic.length },
    ecdf: perTable(present, (v) => ecdf(v)),
  };
}

/** The ECDF points of present values (see EcdfPoints). */
export function ecdf(present: Float64Array): EcdfPoints {
  const sorted = Float64Array.from(present).sort();
  const n = sorted.length;
  const values: number[] = [];
  const shares: number[] = [];
  const exact = n <= ECDF_POINTS;
  const picks = exact ? n : ECDF_POINTS;
  for (let k = 0; k < picks; k++) {
    let i = exact ? k : Math.round((k * (n - 1)) / (ECDF_POINTS - 1));
    // F(v) counts every value equal to v: step to the last of a run of ties.
    while (i + 1 < n && sorted[i + 1] === sorted[i]) i++;
    if (values.length > 0 && values[values.length - 1] === sorted[i]) continue;
    values.push(sorted[i]);
    shares.push((i + 1) / n);
  }
  return { values, shares, exact };
}

export function categoricalMarginal(column: string, columns: PerTable<CategoricalColumn>): CategoricalMarginal {
  const counts = perTable(columns, (c) => countValues(c.values));
  const top = [...counts.train.byValue].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, TOP_CATEGORIES).map(([value]) => value);
  const named = new Set(top);
  const otherOf = (c: ValueCounts) => [...c.byValue].reduce((sum, [value, n]) => (named.has(value) ? sum : sum + n), 0);
  const tables = [counts.train, counts.holdout, counts.synthetic];
  const hasOther = tables.some((c) => otherOf(c) > 0);
  const hasMissing = tables.some((c) => c.missing > 0);
  const categories: CategoryBar[] = [
    ...top.map((label): CategoryBar => ({ label, kind: 'value' })),
    ...(hasOther ? [{ label: 'other', kind: 'other' } as const] : []),
    ...(hasMissing ? [{ label: 'missing', kind: 'missing' } as const] : []),
  ];
  const shares = perTable(counts, (c) => {
    const n = c.rows;
    const share = (k: number) => (n > 0 ? k / n : 0);
    return categories.map((bar) => share(bar.kind === 'value' ? (c.byValue.get(bar.label) ?? 0) : bar.kind === 'other' ? otherOf(c) : c.missing));
  });
  return { kind: 'categorical', column, categories, shares, rows: perTable(counts, (c) => c.rows) };
}

interface ValueCounts {
  byValue: Map<string, number>;
  missing: number;
  rows: number;
}

function countValues(values: ReadonlyArray<string | null>): ValueCounts {
  const byValue = new Map<string, number>();
  let missing = 0;
  for (const v of values) {
    if (v === null) missing++;
    else byValue.set(v, (byValue.get(v) ?? 0) + 1);
  }
  return { byValue, missing, rows: values.length };
}
