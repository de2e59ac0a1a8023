/**
 * The Bayesian optimizer's public surface. BoTorch's separation: models (the SurrogateModel
 * interface in surrogate.ts, the GP in gp/), acquisition functions (acquisition/, each registered by
 * name in acquisition/registry.ts; the built-in names in strategies.ts), their optimisation (optimize/),
 * the batch strategy (batch/), constrained problems (constrained/: one GP per constraint and an
 * acquisition weighted by the probability of feasibility), quasi-random sampling (sampling/), convergence, and the per-iteration
 * output (proposeBatch).
 */
export { proposeBatch, proposeBatchSteps, fitModel, DEFAULT_OPTIMIZER_SETTINGS, type ProposeProgress, type FitModelInput, type FitModelOutput } from './proposeBatch';
export { checkConvergence, type ConvergenceInput, type ConvergencePoint, type ConvergenceResult, type ConvergenceReason, type NoiseFloor } from './convergence';
export { initialDesign } from './baselines';
export { fitSurrogate, bestByPosteriorMean, gaussianProcess, predictScore, type ScorePrediction, type Surrogate, type SurrogateModel } from './surrogate';
export { referenceReplicates } from './replicates';
export { readNoise, type NoiseReading, type NoiseSource } from './noise';
export { PROPOSAL_STRATEGIES, MODEL_FREE_FALLBACK, type BuiltInStrategy } from './strategies';
export { registerAcquisition, getAcquisition, isRegisteredAcquisition, acquisitionNames } from './acquisition/registry';
export type {
  Acquisition,
  AcquisitionState,
  ExplorationContext,
  ModelAcquisition,
  ModelFreeAcquisition,
  ModelFreeContext,
} from './acquisition/acquisition';
export { registerConstrainedAcquisition, getConstrainedAcquisition, constrainedAcquisitionNames, CONSTRAINED_ACQUISITIONS } from './acquisition/constrainedRegistry';
export { expectedFeasibleImprovement, probabilityOfFeasibility, type ConstrainedAcquisition, type ConstrainedState, type PredictionWithGradient } from './acquisition/constrained';
export { proposeConstrained, type ProposeConstrainedInput, type ProposeConstrainedOutput, type ConstrainedProposal } from './constrained/proposeConstrained';
export {
  fitConstrainedModel,
  isFeasible,
  predictConstrained,
  type ConstrainedModel,
  type ConstrainedObservation,
  type ConstrainedPrediction,
  type ConstraintPrediction,
  type ValuePrediction,
} from './constrained/model';
export { suggestFeasible, type FeasibleSuggestion, type SuggestFeasibleOptions } from './constrained/suggestFeasible';
export { betaAt, DEFAULT_BETA_SCHEDULE, type BetaSchedule } from './acquisition/betaSchedule';
export type { GpHyperparameters } from './gp/hyperparameters';
export type { KernelKind } from './gp/kernel';
export type { OutputTransform, OutputTransformKind } from './gp/outputTransform';
export type * from './types';
