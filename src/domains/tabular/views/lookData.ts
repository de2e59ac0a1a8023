import type { Evaluation } from '../loop/evaluation';
import { align, metricColumnsOf } from '../metrics/columns';
import type { Table } from '../table';
import { correlationMatrices, type CorrelationMatrices } from './correlationMatrices';
import { dcrDistributions, type DcrDistributions, type MiaReading } from './dcrDistributions';
import { mapPoints, type RowMapPoints } from './mapPoints';
import { marginals, type Marginal } from './marginals';
import type { RowMap } from './rowMap';
import type { PerTable } from './seededRows';
import { utilityPrivacy, type UtilityPrivacy } from './utilityPrivacy';

export interface LookInput {
  readonly train: Table;
  readonly holdout: Table;
  /** The table looked at (the best evaluation's, usually). */
  readonly synthetic: Table;
  readonly evaluations: readonly Evaluation[];
  /** The calibration's fixed map (fitRowMap on train and holdout). */
  readonly map: RowMap;
  /** The 1-based index (Evaluation.index) of the evaluation the synthetic table comes from. */
  readonly bestIndex: number;
  /** Seeds the subsamples of large tables (default 0): the same seed draws the same rows. */
  readonly seed?: number;
}

/**
 * What the "Look" of a tabular calibration draws, as plain structured-cloneable data (computed in a
 * worker, sent to the page): per metric column the marginals, the correlation matrices, the
 * distance-to-closest-record distributions with the attack's AUC, every evaluation on the
 * utility-against-privacy plane with the feasible front, and the rows on the fixed map.
 */
export interface LookData {
  readonly rows: PerTable<number>;
  readonly marginals: Marginal[];
  readonly correlations: CorrelationMatrices;
  readonly dcr: DcrDistributions;
  readonly utilityPrivacy: UtilityPrivacy;
  readonly map: RowMapPoints;
}

/**
 * Cost: linear in the synthetic rows for the marginals and correlations (plus a sort per numeric column
 * for the ECDFs); the distances, whose cost is rows × train rows × columns, and the map use seeded
 * subsamples of at most 2,000 rows per table (DCR_ROWS, MAP_ROWS).
 */
export function lookData(input: LookInput): LookData {
  const seed = input.seed ?? 0;
  const columns = metricColumnsOf(input.train);
  const aligned = {
    train: align(columns, input.train, 'train'),
    holdout: align(columns, input.holdout, 'holdout'),
    synthetic: align(columns, input.synthetic, 'synthetic'),
  };
  return {
    rows: { train: input.train.rowCount, holdout: input.holdout.rowCount, synthetic: input.synthetic.rowCount },
    marginals: marginals(aligned),
    correlations: correlationMatrices(aligned.train, aligned.synthetic),
    dcr: dcrDistributions(aligned.train, aligned.holdout, aligned.synthetic, miaReading(input.evaluations, input.bestIndex), seed),
    utilityPrivacy: utilityPrivacy(input.evaluations, input.bestIndex),
    map: mapPoints(input.map, { train: input.train, holdout: input.holdout, synthetic: input.synthetic }, seed),
  };
}

function miaReading(evaluations: readonly Evaluation[], bestIndex: number): MiaReading | null {
  const best = evaluations.find((e) => e.index === bestIndex);
  const mia = best?.metrics.mia_auc;
  if (!best || !mia || mia.value === null) return null;
  return { value: mia.value, spread: mia.spread ?? null, evaluation: best.index };
}
