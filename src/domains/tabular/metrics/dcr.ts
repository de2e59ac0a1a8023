import { createRng } from '../../../engine/random/rng';
import { sampleWithoutReplacement } from '../../../engine/metrics/splits';
import { quantile } from '../../../engine/metrics/summary';
import { presentRange } from '../table';
import type { AlignedTable } from './columns';
import { encodeRows, nearestDistances, type DistanceSpace, type EncodedRows } from './rowDistance';
import { median } from './statistics';

/** ε of near_dup_rate: this percentile of train's leave-one-out nearest-neighbour distances. */
export const NEAR_DUP_PERCENTILE = 5;

/** ε = the 5th percentile (numpy's linear interpolation) of each train row's distance to its nearest other train row. */
export function nearDupEpsilon(space: DistanceSpace, train: EncodedRows): number {
  return quantile(nearestDistances(space, train, train, true), NEAR_DUP_PERCENTILE / 100);
}

/** near_dup_rate: the share of synthetic rows whose DCR to train is ≤ ε. */
export function nearDupRate(dcr: Float64Array, epsilon: number): number {
  let count = 0;
  for (const d of dcr) if (d <= epsilon) count++;
  return dcr.length > 0 ? count / dcr.length : 0;
}

/** dcr_median: the median distance from a synthetic row to its closest train row. */
export function dcrMedian(dcr: Float64Array): number {
  return median(dcr);
}

/**
 * Rows drawn uniformly from the table's space, the baseline of dcr_baseline_protection (SDMetrics'
 * DCRBaselineProtection): each numeric column uniform on train's [min, max] of present values, each
 * categorical column uniform over train's present categories; no missing cells.
 */
export function uniformRows(train: AlignedTable, count: number, seed: number): AlignedTable {
  const rng = createRng(seed).fork('uniform-rows');
  const numeric = train.numeric.map((column) => {
    const [min, max] = presentRange(column.values);
    return { ...column, values: Float64Array.from({ length: count }, () => rng.uniform(min, max)) };
  });
  const categorical = train.categorical.map((column) => {
    const levels = [...new Set(column.values.filter((v): v is string => v !== null))].sort();
    return { ...column, values: Array.from({ length: count }, () => levels[rng.int(0, levels.length - 1)]) };
  });
  return { rowCount: count, numeric, categorical };
}

/**
 * dcr_baseline_protection = min(dcr_median / (median DCR of the `random` rows to train), 1): how far the
 * synthetic rows stay from train relative to rows that know nothing of it (1 = as far as random).
 */
export function dcrBaselineProtectionWith(space: DistanceSpace, train: EncodedRows, dcr: Float64Array, random: AlignedTable): number {
  const baseline = median(nearestDistances(space, encodeRows(space, random), train));
  if (!(baseline > 0)) return 1;
  return Math.min(median(dcr) / baseline, 1);
}

export function dcrBaselineProtection(space: DistanceSpace, trainTable: AlignedTable, train: EncodedRows, dcr: Float64Array, seed: number): number {
  return dcrBaselineProtectionWith(space, train, dcr, uniformRows(trainTable, dcr.length, seed));
}

/**
 * dcr_overfitting_protection = min(2·(1 − share of synthetic rows strictly closer to `trainSubset` than
 * to `holdout`), 1), with train subsampled to the holdout's size so the two references are alike in
 * size (SDMetrics' DCROverfittingProtection): 1 when synthetic rows are no closer to the rows the
 * generator saw than to rows it did not.
 */
export function dcrOverfittingProtectionWith(space: DistanceSpace, trainSubset: EncodedRows, holdout: EncodedRows, synthetic: EncodedRows): number {
  const toTrain = nearestDistances(space, synthetic, trainSubset);
  const toHoldout = nearestDistances(space, synthetic, holdout);
  let closer = 0;
  for (let i = 0; i < toTrain.length; i++) if (toTrain[i] < toHoldout[i]) closer++;
  return Math.min(2 * (1 - closer / synthetic.count), 1);
}

export function dcrOverfittingProtection(space: DistanceSpace, train: AlignedTable, holdout: EncodedRows, synthetic: EncodedRows, seed: number): number {
  const rng = createRng(seed).fork('overfitting-subsample');
  const k = Math.min(train.rowCount, holdout.count);
  const rows = sampleWithoutReplacement(rng, train.rowCount, k).sort();
  return dcrOverfittingProtectionWith(space, encodeRows(space, train, rows), holdout, synthetic);
}
