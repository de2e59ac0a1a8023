import { createRng, type Rng } from '../../engine/random/rng';
import { quantile } from '../../engine/metrics/summary';
import { TabularInputError } from './tabularInputError';
import { columnIndex, isNumeric, takeRows, type Column, type Table } from './table';

export interface SplitOptions {
  /** Share of rows held out (default 0.2, docs/tabular.md). */
  holdoutShare?: number;
  seed?: number;
  /** A column whose classes keep their shares in both parts (`--group`, else `--target`). */
  stratifyBy?: string;
}

export interface TableSplit {
  /** Row indices of the training part, ascending. */
  train: Int32Array;
  /** Row indices of the holdout part, ascending. */
  holdout: Int32Array;
}

/** A numeric column with more distinct values than this is stratified by quantile bins. */
const MAX_NUMERIC_CLASSES = 10;
const NUMERIC_STRATA = 5;

/**
 * The seeded train/holdout split (docs/tabular.md). The holdout has round(n · share) rows (at least one, and
 * at least one row stays in train). Stratified, each class (missing is a class of its own; a numeric
 * column with more than 10 distinct values is cut at its quintiles) gets its share of the holdout by
 * the largest-remainder rule, so the holdout size is exact, and keeps at least one row in train (a class
 * of one row stays whole in train): every class of the table is a class of train, which the class
 * metrics rely on. Within a class, rows are drawn by a seeded shuffle.
 */
export function splitTable(table: Table, options: SplitOptions = {}): TableSplit {
  const share = options.holdoutShare ?? 0.2;
  const file = table.file ?? 'table';
  if (!(share > 0 && share < 1)) throw new TabularInputError(file, `the holdout share must lie strictly between 0 and 1, not ${share}`);
  const n = table.rowCount;
  const holdoutSize = Math.min(n - 1, Math.max(1, Math.round(n * share)));
  const rng = createRng(options.seed ?? 0).fork('split');

  let strata: number[][];
  if (options.stratifyBy === undefined) strata = [Array.from({ length: n }, (_, i) => i)];
  else {
    const j = columnIndex(table, options.stratifyBy);
    if (j < 0) throw new TabularInputError(file, 'the split is stratified by this column, which the table does not have', { column: options.stratifyBy });
    strata = stratify(table.columns[j]);
  }
  const quotas = allocate(strata.map((s) => s.length), holdoutSize);
  const mask = new Uint8Array(n);
  strata.forEach((rows, s) => {
    const shuffled = shuffle(rows, rng);
    for (let k = 0; k < quotas[s]; k++) mask[shuffled[k]] = 1;
  });
  const train: number[] = [];
  const holdout: number[] = [];
  for (let i = 0; i < n; i++) (mask[i] ? holdout : train).push(i);
  return { train: Int32Array.from(train), holdout: Int32Array.from(holdout) };
}

/** The two parts as tables. */
export function splitRows(table: Table, split: TableSplit): { train: Table; holdout: Table } {
  return { train: takeRows(table, split.train), holdout: takeRows(table, split.holdout) };
}

/** Row indices grouped by class, classes in order of first appearance. */
function stratify(column: Column): number[][] {
  const keys: Array<string> = [];
  if (isNumeric(column)) {
    const present = column.values.filter((v) => !Number.isNaN(v));
    const distinct = new Set(present).size;
    if (distinct > MAX_NUMERIC_CLASSES) {
      const edges = Array.from({ length: NUMERIC_STRATA - 1 }, (_, k) => quantile(present, (k + 1) / NUMERIC_STRATA));
      column.values.forEach((v) => keys.push(Number.isNaN(v) ? 'missing' : `q${edges.filter((e) => v > e).length}`));
    } else column.values.forEach((v) => keys.push(Number.isNaN(v) ? 'missing' : `v${v}`));
  } else column.values.forEach((v) => keys.push(v === null ? 'missing' : `v${v}`));
  const groups = new Map<string, number[]>();
  keys.forEach((key, i) => {
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  });
  return [...groups.values()];
}

/**
 * Holdout rows per class: quotas size·total/n rounded by largest remainder (ties: the larger class,
 * then the earlier one), each capped at size − 1; rows a cap frees go to the classes with room, in the
 * same order.
 */
function allocate(sizes: readonly number[], total: number): number[] {
  const n = sizes.reduce((a, b) => a + b, 0);
  const exact = sizes.map((s) => (s * total) / n);
  const quota = exact.map((q, s) => Math.min(Math.floor(q), Math.max(0, sizes[s] - 1)));
  const order = sizes.map((_, s) => s).sort((a, b) => exact[b] - Math.floor(exact[b]) - (exact[a] - Math.floor(exact[a])) || sizes[b] - sizes[a] || a - b);
  let left = total - quota.reduce((a, b) => a + b, 0);
  while (left > 0) {
    let placed = false;
    for (const s of order) {
      if (left === 0) break;
      if (quota[s] < sizes[s] - 1) {
        quota[s]++;
        left--;
        placed = true;
      }
    }
    if (!placed) break; // every class is down to one train row: the holdout is as large as it can be
  }
  return quota;
}

function shuffle(rows: readonly number[], rng: Rng): number[] {
  const out = rows.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
