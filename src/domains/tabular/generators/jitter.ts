import { createRng, type Rng } from '../../../engine/random/rng';
import { isNumeric, type CategoricalColumn, type Column, type NumericColumn, type Table } from '../table';
import { median } from '../metrics/statistics';
import { finishTable, syntheticIds, type GeneratedTable, type GenerateOptions } from './generatedTable';
import { classRows, sourceRows } from './sourceRows';

/** The jitter generator's settings (its part of the optimizer's parameter space). */
export interface JitterSettings {
  /** Noise scale in median absolute deviations (the alloy team's pipeline used 0.5; docs/tabular.md). */
  k: number;
  /** Per-column multipliers of k, by column name (default 1). */
  columnScales?: Readonly<Record<string, number>>;
  /** Take each column's MAD within the row's class (of `classColumn`) instead of over all of train. */
  perClassMad?: boolean;
  /** Probability that a categorical cell is redrawn from its column's frequencies (default 0). */
  flipProbability?: number;
}

/** MAD = median |x − median(x)| over present values (raw, not scaled to a normal's sd); 0 without values. */
export function medianAbsoluteDeviation(values: ArrayLike<number>, rows?: readonly number[]): number {
  const ids = rows ?? Array.from({ length: values.length }, (_, i) => i);
  const present = ids.map((i) => values[i]).filter((v) => !Number.isNaN(v));
  if (present.length === 0) return 0;
  const m = median(present);
  return median(present.map((v) => Math.abs(v - m)));
}

/**
 * Jitter (the generator the alloy team kept; docs/tabular.md): each synthetic row is a real train row plus N(0, (k·s_c·MAD_c)²)
 * noise in every numeric column c (MAD over train, or within the row's class), its categorical cells
 * redrawn with probability `flipProbability` from the column's train frequencies (within the row's
 * class when per-class MAD is on; the class column itself is never redrawn), then integer columns
 * rounded and the row projected onto the constraints.
 *
 * Missing values: a missing cell stays missing (noise is not added to nothing); a redrawn categorical
 * cell is missing with the column's missing share. A column whose MAD is 0 (mostly one value, like a
 * rarely present oxide) gets no noise, keeping its atom at that value. Id columns get fresh ids.
 * Rows: `rowsPerClass` per class of `classColumn`; else `rows` (default train's count), shared between
 * the classes by `classBalance` when it is above 0, cycling through train (or each class's rows) so
 * each real row seeds ⌊rows/n⌋ or ⌈rows/n⌉ of them (sourceRows).
 */
export function jitter(train: Table, settings: JitterSettings, options: GenerateOptions): GeneratedTable {
  const rng = createRng(options.seed).fork('jitter');
  const sources = sourceRows(train, options, rng.fork('rows'));
  const classColumn = options.classColumn ?? null;
  const classes = classColumn ? classRows(train, classColumn) : null;
  const classOf = new Map<number, string>();
  if (classes) for (const [key, rows] of classes) for (const r of rows) classOf.set(r, key);
  const perClass = !!settings.perClassMad && classes !== null;
  const flip = settings.flipProbability ?? 0;
  const noise = rng.fork('noise');
  const draws = rng.fork('categories');

  const columns = train.columns.map((column): Column => {
    if (column.role === 'id') return syntheticIds(column, sources.length);
    if (isNumeric(column)) return jitterNumeric(column, sources, settings, perClass ? { classes: classes!, classOf } : null, noise);
    if (column.name === classColumn || flip === 0) return { ...column, values: sources.map((r) => column.values[r]) };
    return redrawCategorical(column, sources, flip, perClass ? { classes: classes!, classOf } : null, draws);
  });
  return finishTable(columns, sources.length, options.constraints);
}

interface ClassIndex {
  classes: Map<string, number[]>;
  classOf: Map<number, string>;
}

function jitterNumeric(column: NumericColumn, sources: number[], settings: JitterSettings, byClass: ClassIndex | null, rng: Rng): NumericColumn {
  const scale = settings.k * (settings.columnScales?.[column.name] ?? 1);
  const overall = medianAbsoluteDeviation(column.values);
  const perClass = new Map<string, number>();
  if (byClass) for (const [key, rows] of byClass.classes) perClass.set(key, medianAbsoluteDeviation(column.values, rows));
  const values = Float64Array.from(sources, (r) => {
    const v = column.values[r];
    if (Number.isNaN(v)) return NaN;
    const mad = byClass ? (perClass.get(byClass.classOf.get(r) as string) as number) : overall;
    return mad > 0 && scale > 0 ? v + rng.normal(0, scale * mad) : v;
  });
  return { ...column, values };
}

function redrawCategorical(column: CategoricalColumn, sources: number[], flip: number, byClass: ClassIndex | null, rng: Rng): CategoricalColumn {
  const pools = new Map<string, Array<string | null>>();
  const poolOf = (r: number): Array<string | null> => {
    const key = byClass ? (byClass.classOf.get(r) as string) : '';
    let pool = pools.get(key);
    if (!pool) {
      const rows = byClass ? (byClass.classes.get(key) as number[]) : Array.from({ length: column.values.length }, (_, i) => i);
      pool = rows.map((i) => column.values[i]);
      pools.set(key, pool);
    }
    return pool;
  };
  // Drawing a uniformly random row's value draws from the column's frequencies (missing included).
  const values = sources.map((r) => (rng.next() < flip ? poolOf(r)[rng.int(0, poolOf(r).length - 1)] : column.values[r]));
  return { ...column, values };
}
