import { sampleWithoutReplacement } from '../../../engine/metrics/splits';
import { createRng, hashSeed } from '../../../engine/random/rng';

/** One value for each of the three tables a look compares. */
export interface PerTable<T> {
  readonly train: T;
  readonly holdout: T;
  readonly synthetic: T;
}

/** How many rows of a table a part of the look uses, and of how many. */
export interface RowsUsed {
  readonly rows: number;
  readonly of: number;
}

/**
 * The rows a look uses of a table of `count` rows: all of them up to `cap`, else a seeded uniform
 * subsample of `cap` rows (without replacement, in row order). `label` keeps the draws of different
 * parts of the look independent; the same seed gives the same rows.
 */
export function seededRows(count: number, cap: number, label: string, seed: number): Int32Array {
  if (count <= cap) return Int32Array.from({ length: count }, (_, i) => i);
  return sampleWithoutReplacement(createRng(hashSeed('tabular-look', label, seed)), count, cap).sort();
}
