/**
 * The Bayesian optimizer's public surface (issue 5). BoTorch's separation: models (gp/), acquisition
 * functions (acquisition/), their optimisation (optimize/), the batch strategy (batch/), quasi-random
 * sampling (sampling/), convergence, and the per-iteration output (proposeBatch).
 */
export { proposeBatch, proposeBatchSteps, fitModel, DEFAULT_OPTIMIZER_SETTINGS, type ProposeProgress, type FitModelInput, type FitModelOutput } from './proposeBatch';
export { checkConvergence, type ConvergenceInput, type ConvergencePoint, type ConvergenceResult, type ConvergenceReason, type NoiseFloor } from './convergence';
export { initialDesign } from './baselines';
export { fitSurrogate, bestByPosteriorMean, type Surrogate } from './surrogate';
export { betaAt, DEFAULT_BETA_SCHEDULE, type BetaSchedule } from './acquisition/betaSchedule';
export type { GpHyperparameters } from './gp/hyperparameters';
export type { KernelKind } from './gp/kernel';
export type { OutputTransform, OutputTransformKind } from './gp/outputTransform';
export type * from './types';
