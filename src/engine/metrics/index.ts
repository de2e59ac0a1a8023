/** The latent-space metric suite. See suite.ts for the scores the optimizer and UI consume. */
export { medianHeuristicBandwidth, type BandwidthOptions } from './bandwidth';
export { createScoringContext, defaultReductionComponents, scoringConfigFromIteration0, scoringDefaults, validateScoringConfig, type ScoringConfig, type ScoringContext } from './config';
export { frechetDistance, type CovarianceShrinkage, type FrechetOptions, type FrechetResult } from './frechet';
export { metricIds, metricInfo, type MetricId, type MetricInfo } from './info';
export { energyDistance, kernelInceptionDistance, mmdSquaredBiased, mmdSquaredUnbiased, type TwoSampleOptions } from './kernelTwoSample';
export { densityCoverage, precisionRecall, type DensityCoverageResult, type ManifoldOptions, type PrecisionRecallResult } from './manifold';
export { epsilonBallShare, epsilonRule, nearestRealDistances, type EpsilonBallResult, type NearestMetric, type NearestOptions, type NearestResult } from './nearest';
export { heldOutSize, noiseFloor, noiseFloorSteps, runSteps, type FloorBand, type NoiseFloor, type NoiseFloorOptions } from './noiseFloor';
export { sliceDirections, slicedWasserstein, type SlicedWassersteinOptions } from './slicedWasserstein';
export {
  reachedFloor,
  scoreIteration,
  scoreIterationSteps,
  scoreParameterSet,
  scoreParameterSetSteps,
  type IterationScores,
  type MetricResult,
  type ParameterSetScore,
  type ScoreProgress,
} from './suite';
