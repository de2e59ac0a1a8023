/**
 * The data behind the "Look" of a tabular calibration: the fixed 2-D map of rows (fitted once on the
 * real rows, applied to any table) and lookData, everything the Look's charts draw, as plain data.
 */
export { fitRowMap, projectRows, rowMapAxisLabels, type RowCoordinates, type RowMap } from './rowMap';
export { lookData, type LookData, type LookInput } from './lookData';
export { MARGINAL_BINS, ECDF_POINTS, TOP_CATEGORIES, ecdf, type CategoricalMarginal, type CategoryBar, type EcdfPoints, type Marginal, type NumericMarginal } from './marginals';
export { pearsonMatrix, type CorrelationMatrices } from './correlationMatrices';
export { DCR_BINS, DCR_ROWS, type DcrDistributions, type MiaReading } from './dcrDistributions';
export { feasibleFront, type TradeoffPoint, type UtilityPrivacy } from './utilityPrivacy';
export { MAP_ROWS, type MapCloud, type RowMapPoints } from './mapPoints';
export type { PerTable, RowsUsed } from './seededRows';
