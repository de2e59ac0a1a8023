/**
 * Plot components of the run page. Pure React components fed through props only: nothing
 * here reads a store or storage (optuna-dashboard's split: plots apart from state). The adapters turn
 * stored records into their props.
 */
export { PlotlyChart, type PlotlyChartProps } from './PlotlyChart';
export { usePlotly, loadPlotly, type PlotlyModule } from './plotly';
export { warmUpPlotly } from './warmUp';
export { ChartFrame } from './ChartFrame';
export { LatentMap, type LatentMapProps } from './LatentMap';
export { ConvergencePlot, type ConvergencePlotProps, type ConvergenceRow, type ConvergenceFloors, type SimilarityScale } from './ConvergencePlot';
export { ParameterEvolution, type ParameterEvolutionProps, type EvolutionColumn } from './ParameterEvolution';
export { ParameterRelevance, type ParameterRelevanceProps } from './ParameterRelevance';
export { SampleCard } from './SampleCard';
export { BlobImage } from './BlobImage';
export { COLORS, iterationColor, formatNumber, formatPercent, formatParam } from './theme';
export type { AxisRanges, Band, LatentPoint, SampleView } from './types';
export {
  projectionAxisLabels,
  fixedRanges,
  latentPointsFromRecords,
  sampleViewsFromRecords,
  bestParamSetId,
  convergenceFromRecords,
  evolutionColumnsFromRecords,
} from './adapters';
