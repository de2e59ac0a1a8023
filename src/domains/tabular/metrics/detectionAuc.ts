import type { Matrix } from '../../../engine/linalg/matrix';
import { createRng, type Rng } from '../../../engine/random/rng';
import { sampleWithoutReplacement } from '../../../engine/metrics/splits';
import { decisionFunction, fitLogisticRegression } from './logisticRegression';
import { rocAuc } from './statistics';

export const DETECTION_FOLDS = 5;

/**
 * detection_auc with the folds given: rows of `real` (label 0) then `synthetic` (label 1) are stacked;
 * for each fold f, L2 logistic regression (C = 1) is fitted on the rows of the other folds and scores the
 * rows of f; the result is the mean over folds of the ROC AUC of those scores, synthetic as the positive
 * class (sklearn's cross_val_score(…, scoring='roc_auc') convention). 0.5: the classifier cannot tell.
 * `folds[i]` is the fold of stacked row i.
 */
export function detectionAucWithFolds(real: Matrix, synthetic: Matrix, folds: ArrayLike<number>): number {
  const d = real.cols;
  const n = real.rows + synthetic.rows;
  const data = new Float64Array(n * d);
  data.set(real.data.subarray(0, real.rows * d));
  data.set(synthetic.data.subarray(0, synthetic.rows * d), real.rows * d);
  const stacked = { rows: n, cols: d, data };
  const labels = Uint8Array.from({ length: n }, (_, i) => (i >= real.rows ? 1 : 0));
  const foldCount = Math.max(...Array.from(folds)) + 1;
  let total = 0;
  for (let f = 0; f < foldCount; f++) {
    const fitRows: number[] = [];
    const testRows: number[] = [];
    for (let i = 0; i < n; i++) (folds[i] === f ? testRows : fitRows).push(i);
    const fitData = new Float64Array(fitRows.length * d);
    fitRows.forEach((r, k) => fitData.set(data.subarray(r * d, (r + 1) * d), k * d));
    const model = fitLogisticRegression({ rows: fitRows.length, cols: d, data: fitData }, fitRows.map((r) => labels[r]));
    const scores = decisionFunction(model, stacked, testRows);
    const positives = scores.filter((_, k) => labels[testRows[k]] === 1);
    const negatives = scores.filter((_, k) => labels[testRows[k]] === 0);
    total += rocAuc(positives, negatives);
  }
  return total / foldCount;
}

/**
 * Stratified fold labels for `real` rows then `synthetic` rows: each class is shuffled and dealt round
 * robin to the folds, so every fold holds both classes in proportion.
 */
export function stratifiedFolds(realCount: number, syntheticCount: number, rng: Rng, folds = DETECTION_FOLDS): Int32Array {
  const out = new Int32Array(realCount + syntheticCount);
  const deal = (offset: number, count: number) => {
    const order = sampleWithoutReplacement(rng, count, count);
    order.forEach((row, k) => (out[offset + row] = k % folds));
  };
  deal(0, realCount);
  deal(realCount, syntheticCount);
  return out;
}

function pickRows(m: Matrix, rows: Int32Array): Matrix<Float64Array> {
  const d = m.cols;
  const data = new Float64Array(rows.length * d);
  rows.forEach((r, k) => data.set(m.data.subarray(r * d, (r + 1) * d), k * d));
  return { rows: rows.length, cols: d, data };
}

/**
 * detection_auc (docs/tabular.md): train against an equal-size seeded subsample of the synthetic rows (or of
 * train, when the synthetic table is the smaller), 5-fold stratified cross-validation.
 */
export function detectionAuc(real: Matrix, synthetic: Matrix, seed = 0): number {
  const rng = createRng(seed).fork('detection');
  const k = Math.min(real.rows, synthetic.rows);
  const r = real.rows > k ? pickRows(real, sampleWithoutReplacement(rng, real.rows, k).sort()) : real;
  const s = synthetic.rows > k ? pickRows(synthetic, sampleWithoutReplacement(rng, synthetic.rows, k).sort()) : synthetic;
  return detectionAucWithFolds(r, s, stratifiedFolds(r.rows, s.rows, rng, Math.min(DETECTION_FOLDS, k)));
}
