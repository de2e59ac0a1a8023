import { createRng } from '../../random/rng';
import { minimizeInBox } from '../optimize/boxMinimize';
import {
  defaultPriors,
  hyperparameterBounds,
  negativeLogPrior,
  packHyperparameters,
  priorList,
  priorMode,
  unpackHyperparameters,
  type GpHyperparameters,
  type HyperparameterPriors,
} from './hyperparameters';
import type { KernelKind } from './kernel';
import { MarginalLikelihoodWorkspace, negativeLogMarginalLikelihood } from './marginalLikelihood';
import { GpPosterior } from './posterior';
import { pairwiseGroupDistances, type GpInputs } from './trainingData';

/** Iterations each start gets before the best is continued. */
const SCREEN_ITERATIONS = 8;
const TOLERANCES = { gradientTolerance: 1e-5, relativeTolerance: 1e-8 };

export interface GpFitOptions {
  kernel?: KernelKind;
  priors?: HyperparameterPriors;
  /** Number of optimiser starts: the warm start (if any), the prior's mode, then draws from the prior. */
  starts?: number;
  /** Previous hyperparameters (e.g. last iteration's): tried first. */
  warmStart?: GpHyperparameters;
  maxIterations?: number;
  seed?: number;
  /** Lower bound of the noise variance σ_n² (standardised units; with inputs.noiseScale, of a row of relative noise 1). */
  minNoise?: number;
}

export interface GpFitResult {
  hyperparameters: GpHyperparameters;
  posterior: GpPosterior;
  /** −log p(y|θ) − log p(θ) at the optimum (up to the prior's constant). */
  negativeLogPosterior: number;
  negativeLogMarginalLikelihood: number;
  starts: number;
  evaluations: number;
}

/**
 * Maximum a posteriori hyperparameters (type-II MAP: marginal likelihood × the weak priors of
 * hyperparameters.ts), by projected L-BFGS in log space from several starts; the best optimum wins.
 */
export function fitGp(inputs: GpInputs, y: ArrayLike<number>, options: GpFitOptions = {}): GpFitResult {
  const kernel = options.kernel ?? 'matern52';
  const G = inputs.groupCount;
  const priors = options.priors ?? defaultPriors();
  const list = priorList(priors, G);
  const { lower, upper } = hyperparameterBounds(G, options.minNoise);
  const distances = pairwiseGroupDistances(inputs);
  const rng = createRng(options.seed ?? 0).fork('gp-fit');

  const workspace = new MarginalLikelihoodWorkspace(inputs.n, G);
  const objective = (theta: Float64Array, grad: Float64Array) => {
    const value = negativeLogMarginalLikelihood(theta, inputs, y, distances, kernel, grad, workspace);
    return value + negativeLogPrior(theta, list, grad);
  };

  const starts: Float64Array[] = [];
  if (options.warmStart && options.warmStart.lengthscales.length === G) starts.push(packHyperparameters(options.warmStart));
  starts.push(priorMode(priors, G));
  // With last iteration's optimum as a start, one prior draw fewer: the optimum rarely moves far in a batch.
  const wanted = Math.max(1, (options.starts ?? 3) - (starts.length > 1 ? 1 : 0));
  while (starts.length < wanted) starts.push(Float64Array.from(list, (p) => rng.normal(p.mean, p.std)));

  // Successive halving in one step: every start gets a short run, the best one is run to convergence.
  // Most restarts are decided within a dozen iterations, at a fraction of the cost of finishing each.
  let best: { theta: Float64Array; value: number } | undefined;
  let evaluations = 0;
  const screenIterations = starts.length > 1 ? SCREEN_ITERATIONS : 0;
  for (const start of starts) {
    const result = screenIterations > 0 ? minimizeInBox(objective, start, lower, upper, { maxIterations: screenIterations, ...TOLERANCES }) : { x: start, value: Number.NaN, evaluations: 0 };
    evaluations += result.evaluations;
    if (screenIterations === 0 || (Number.isFinite(result.value) && (!best || result.value < best.value))) best = { theta: result.x, value: result.value };
  }
  if (best) {
    const result = minimizeInBox(objective, best.theta, lower, upper, { maxIterations: options.maxIterations ?? 150, ...TOLERANCES });
    evaluations += result.evaluations;
    best = Number.isFinite(result.value) ? { theta: result.x, value: result.value } : undefined;
  }
  if (!best) throw new Error('GP fit failed: the marginal likelihood is not finite at any start');
  const hyperparameters = unpackHyperparameters(best.theta, G);
  const nlml = negativeLogMarginalLikelihood(best.theta, inputs, y, distances, kernel, undefined, workspace);
  return {
    hyperparameters,
    posterior: GpPosterior.fromData(inputs, y, hyperparameters, kernel),
    negativeLogPosterior: best.value,
    negativeLogMarginalLikelihood: nlml,
    starts: starts.length,
    evaluations,
  };
}
