import type { Matrix } from '../../../engine/linalg/matrix';
import { createRng } from '../../../engine/random/rng';
import { sampleWithoutReplacement } from '../../../engine/metrics/splits';
import { NO_CONSTRAINTS, type Constraints } from '../constraints/types';
import { findColumn, isCategorical, isNumeric, type Table } from '../table';
import { align, metricColumnsOf, type AlignedTable, type MetricColumns } from './columns';
import { contingencySimilarity } from './contingency';
import { corrMae, corrSimilarity } from './correlation';
import { dcrBaselineProtection, dcrMedian, dcrOverfittingProtection, nearDupEpsilon, nearDupRate } from './dcr';
import { detectionAuc } from './detectionAuc';
import { dupRate, newRowSynthesis } from './duplicates';
import { featurize, fitFeaturizer, type Featurizer } from './featurize';
import { metricValue, type TabularMetrics } from './keys';
import { ksComplementMean, ksMean, ksMedianP, ksPerColumn } from './ksColumns';
import { miaAuc } from './miaAuc';
import { mmd2, tableBandwidth } from './mmd';
import { classBalanceRatio, clipRate, constraintViolations, negatives, sumErrorMax, targetInRange } from './physics';
import { distanceSpace, encodeRows, nearestDistances, subsetRows, type DistanceSpace, type EncodedRows } from './rowDistance';
import { tvComplementMean } from './tvComplement';

export interface ReferenceOptions {
  constraints?: Constraints;
  /** The target column (default: the column whose role is `target`). */
  target?: string | null;
  /** The class/group column (default: the column whose role is `group`). */
  group?: string | null;
  seed?: number;
  /**
   * The distance-based privacy metrics compare at most this many synthetic rows, a seeded subsample
   * beyond it (default 10,000): their cost is rows × train rows × columns.
   */
  maxPrivacyRows?: number;
}

/**
 * Everything the metrics need from the real table, computed once per calibration and kept fixed while
 * synthetic tables come and go: the split, the columns compared, the featuriser and the kernel's
 * bandwidth (fixed on train, docs/tabular.md), the distance space, train's near-duplicate ε.
 */
export interface TabularReference {
  readonly train: Table;
  readonly holdout: Table;
  readonly columns: MetricColumns;
  readonly trainAligned: AlignedTable;
  readonly holdoutAligned: AlignedTable;
  readonly constraints: Constraints;
  /** A numeric target (target_in_range), or null. */
  readonly numericTarget: string | null;
  /** The classes of class_balance_ratio: the group column, else a categorical target; or null. */
  readonly classColumn: string | null;
  readonly featurizer: Featurizer;
  readonly trainFeatures: Matrix<Float64Array>;
  readonly bandwidth: number;
  readonly space: DistanceSpace;
  readonly trainRows: EncodedRows;
  readonly holdoutRows: EncodedRows;
  readonly nearDupEpsilon: number;
  readonly seed: number;
  readonly maxPrivacyRows: number;
}

export function prepareReference(train: Table, holdout: Table, options: ReferenceOptions = {}): TabularReference {
  const columns = metricColumnsOf(train);
  const trainAligned = align(columns, train, 'train');
  const holdoutAligned = align(columns, holdout, 'holdout');
  const roleColumn = (role: 'target' | 'group') => train.columns.find((c) => c.role === role)?.name ?? null;
  const target = options.target === undefined ? roleColumn('target') : options.target;
  const group = options.group === undefined ? roleColumn('group') : options.group;
  const targetColumn = target === null ? undefined : findColumn(train, target);
  const seed = options.seed ?? 0;
  const featurizer = fitFeaturizer(trainAligned);
  const trainFeatures = featurize(featurizer, trainAligned);
  const space = distanceSpace(trainAligned);
  const trainRows = encodeRows(space, trainAligned);
  return {
    train,
    holdout,
    columns,
    trainAligned,
    holdoutAligned,
    constraints: options.constraints ?? NO_CONSTRAINTS,
    numericTarget: targetColumn && isNumeric(targetColumn) ? targetColumn.name : null,
    classColumn: group ?? (targetColumn && isCategorical(targetColumn) ? targetColumn.name : null),
    featurizer,
    trainFeatures,
    bandwidth: tableBandwidth(trainFeatures, seed),
    space,
    trainRows,
    holdoutRows: encodeRows(space, holdoutAligned),
    nearDupEpsilon: nearDupEpsilon(space, trainRows),
    seed,
    maxPrivacyRows: options.maxPrivacyRows ?? 10000,
  };
}

export interface EvaluateOptions {
  /** One flag per synthetic row: whether the generator's constraint projection changed it (clip_rate). */
  clipped?: ArrayLike<number | boolean>;
  /** Seeds the metrics' own draws (subsamples, folds, uniform rows); default the reference's seed. */
  seed?: number;
}

/** Every metric of docs/tabular.md for a synthetic table against the reference's train (and holdout). */
export function evaluateSynthetic(reference: TabularReference, synthetic: Table, options: EvaluateOptions = {}): TabularMetrics {
  const aligned = align(reference.columns, synthetic);
  const seed = options.seed ?? reference.seed;
  const rows = encodePrivacyRows(reference, aligned, seed);
  return evaluate(reference, synthetic, aligned, rows, { holdout: reference.holdoutRows, synthetic: rows }, seed, options.clipped);
}

/**
 * The floor (docs/tabular.md): what a perfect generator scores — each metric with the holdout in the place of
 * the synthetic table. The two metrics that already use the holdout as their reference
 * (dcr_overfitting_protection, mia_auc) would compare it with itself; for them the holdout is split
 * in two seeded halves, one playing the synthetic table and the other the holdout.
 */
export function evaluateFloor(reference: TabularReference, seed = reference.seed): TabularMetrics {
  const h = reference.holdoutRows.count;
  const order = sampleWithoutReplacement(createRng(seed).fork('floor-halves'), h, h);
  const half = Math.floor(h / 2);
  const asSynthetic = subsetRows(reference.holdoutRows, order.slice(0, half).sort());
  const asHoldout = subsetRows(reference.holdoutRows, order.slice(half).sort());
  return evaluate(reference, reference.holdout, reference.holdoutAligned, reference.holdoutRows, { holdout: asHoldout, synthetic: asSynthetic }, seed, undefined);
}

function encodePrivacyRows(reference: TabularReference, aligned: AlignedTable, seed: number): EncodedRows {
  const n = aligned.rowCount;
  if (n <= reference.maxPrivacyRows) return encodeRows(reference.space, aligned);
  const rows = sampleWithoutReplacement(createRng(seed).fork('privacy-subsample'), n, reference.maxPrivacyRows).sort();
  return encodeRows(reference.space, aligned, rows);
}

/**
 * The suite on one table. `rows` are its rows encoded for distances (a seeded subsample beyond
 * maxPrivacyRows); `againstHoldout` the rows the holdout-based privacy metrics compare (the real holdout
 * and `rows`, or the holdout's halves for the floor).
 */
function evaluate(
  reference: TabularReference,
  table: Table,
  aligned: AlignedTable,
  rows: EncodedRows,
  againstHoldout: { holdout: EncodedRows; synthetic: EncodedRows },
  seed: number,
  clipped: ArrayLike<number | boolean> | undefined,
): TabularMetrics {
  const { trainAligned: train, constraints, space, trainRows } = reference;
  const ks = ksPerColumn(train, aligned);
  const mae = corrMae(train, aligned);
  const features = featurize(reference.featurizer, aligned);
  const dcr = nearestDistances(space, rows, trainRows);
  const mia = miaAuc(space, trainRows, againstHoldout.holdout, againstHoldout.synthetic, seed);
  return {
    ks_mean: metricValue(ksMean(ks)),
    ks_complement_mean: metricValue(ksComplementMean(ks)),
    ks_median_p: metricValue(ksMedianP(ks)),
    tv_complement_mean: metricValue(tvComplementMean(train, aligned)),
    corr_mae: metricValue(mae),
    corr_similarity: metricValue(corrSimilarity(mae)),
    contingency_similarity: metricValue(contingencySimilarity(train, aligned)),
    mmd2: metricValue(mmd2(reference.trainFeatures, features, reference.bandwidth, seed)),
    detection_auc: metricValue(detectionAuc(reference.trainFeatures, features, seed)),
    sum_error_max: metricValue(sumErrorMax(constraints, table)),
    negatives: metricValue(negatives(constraints, table)),
    constraint_violations: metricValue(constraintViolations(constraints, table)),
    target_in_range: metricValue(targetInRange(reference.train, table, reference.numericTarget)),
    class_balance_ratio: metricValue(classBalanceRatio(reference.train, table, reference.classColumn)),
    clip_rate: metricValue(clipRate(constraints, table, clipped)),
    dup_rate: metricValue(dupRate(train, aligned)),
    near_dup_rate: metricValue(nearDupRate(dcr, reference.nearDupEpsilon)),
    dcr_median: metricValue(dcrMedian(dcr)),
    dcr_baseline_protection: metricValue(dcrBaselineProtection(space, train, trainRows, dcr, seed)),
    dcr_overfitting_protection: metricValue(dcrOverfittingProtection(space, train, againstHoldout.holdout, againstHoldout.synthetic, seed)),
    new_row_synthesis: metricValue(newRowSynthesis(trainRows, rows)),
    mia_auc: { value: mia.value, applicable: true, spread: mia.spread },
  };
}
