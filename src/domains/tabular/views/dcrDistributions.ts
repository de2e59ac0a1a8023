import type { AlignedTable } from '../metrics/columns';
import { distanceSpace, encodeRows, nearestDistances } from '../metrics/rowDistance';
import { median } from '../metrics/statistics';
import { binCounts, equalWidthBins } from './bins';
import { seededRows, type RowsUsed } from './seededRows';

/** Rows of the synthetic table (and of the holdout) whose nearest train row is found at most: a seeded subsample beyond. */
export const DCR_ROWS = 2000;
/** Bins of the distance histograms. */
export const DCR_BINS = 30;

/**
 * Distance to the closest record (docs/tabular.md's row distance, SDMetrics' DCR): for each synthetic
 * row, and for each holdout row as the yardstick of rows the generator never saw, the distance to its
 * nearest train row. A synthetic table whose distances sit well left of the holdout's copies train.
 */
export interface DcrDistributions {
  /** Distance of each measured synthetic row to train, in the order of `syntheticRows`. */
  readonly syntheticToTrain: number[];
  /** The synthetic rows measured (indices into the synthetic table, increasing). */
  readonly syntheticRows: number[];
  readonly holdoutToTrain: number[];
  readonly holdoutRows: number[];
  /** Whether either table was subsampled (more than DCR_ROWS rows). */
  readonly sampled: boolean;
  readonly compared: { readonly synthetic: RowsUsed; readonly holdout: RowsUsed };
  /** Bin edges shared by both histograms, over [0, the largest distance]. */
  readonly edges: number[];
  readonly counts: { readonly synthetic: number[]; readonly holdout: number[] };
  readonly medians: { readonly synthetic: number | null; readonly holdout: number | null };
  /** The best evaluation's mia_auc (the distance attack's AUC; 0.5 means no leakage), or null when it has none. */
  readonly mia: MiaReading | null;
}

export interface MiaReading {
  /** mia_auc: the mean over its seeded draws. */
  readonly value: number;
  /** The draws' standard deviation. */
  readonly spread: number | null;
  /** The evaluation it was read from (its 1-based index). */
  readonly evaluation: number;
}

export function dcrDistributions(train: AlignedTable, holdout: AlignedTable, synthetic: AlignedTable, mia: MiaReading | null, seed: number): DcrDistributions {
  const space = distanceSpace(train);
  const trainRows = encodeRows(space, train);
  const syntheticRows = seededRows(synthetic.rowCount, DCR_ROWS, 'dcr-synthetic', seed);
  const holdoutRows = seededRows(holdout.rowCount, DCR_ROWS, 'dcr-holdout', seed);
  const toTrain = (table: AlignedTable, rows: Int32Array) => (trainRows.count > 0 ? Array.from(nearestDistances(space, encodeRows(space, table, rows), trainRows)) : []);
  const syntheticToTrain = toTrain(synthetic, syntheticRows);
  const holdoutToTrain = toTrain(holdout, holdoutRows);
  const largest = [...syntheticToTrain, ...holdoutToTrain].reduce((m, d) => Math.max(m, d), 0);
  const bins = equalWidthBins(0, largest > 0 ? largest : 1, DCR_BINS);
  const middle = (d: number[]) => (d.length > 0 ? median(d) : null);
  return {
    syntheticToTrain,
    syntheticRows: Array.from(syntheticRows),
    holdoutToTrain,
    holdoutRows: Array.from(holdoutRows),
    sampled: syntheticRows.length < synthetic.rowCount || holdoutRows.length < holdout.rowCount,
    compared: { synthetic: { rows: syntheticRows.length, of: synthetic.rowCount }, holdout: { rows: holdoutRows.length, of: holdout.rowCount } },
    edges: [...bins.edges],
    counts: { synthetic: binCounts(bins, syntheticToTrain), holdout: binCounts(bins, holdoutToTrain) },
    medians: { synthetic: middle(syntheticToTrain), holdout: middle(holdoutToTrain) },
    mia,
  };
}
