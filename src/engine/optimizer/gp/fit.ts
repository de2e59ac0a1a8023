import { createRng, type Rng } from '../../random/rng';
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
/**
 * Rows the hyperparameters are estimated from, at most. Every marginal-likelihood evaluation costs a
 * Cholesky factorisation and an inverse, O(n³); above this many rows the hyperparameters come from a
 * seeded random subset of the rows (the subset-of-data estimator: Rasmussen & Williams 2006, "Gaussian
 * Processes for Machine Learning", §8.3.2) and the posterior conditions on every row. 200 rows pin down
 * the lengthscales of the ≤ 10-dimensional spaces the studio searches; fit + propose at 500 observations
 * drops from about 4 s to under 1.5 s (bench/bo.ts timing, docs/decisions.md).
 */
export const HYPERPARAMETER_ROWS = 200;
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
  /** Rows the hyperparameters were estimated from (all of them up to HYPERPARAMETER_ROWS). */
  rowsFitted: number;
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
  const rng = createRng(options.seed ?? 0).fork('gp-fit');
  const fitted = inputs.n > HYPERPARAMETER_ROWS ? subsetRows(inputs, y, randomRows(inputs.n, HYPERPARAMETER_ROWS, rng.fork('rows'))) : { inputs, y };
  const distances = pairwiseGroupDistances(fitted.inputs);

  const workspace = new MarginalLikelihoodWorkspace(fitted.inputs.n, G);
  const objective = (theta: Float64Array, grad: Float64Array) => {
    const value = negativeLogMarginalLikelihood(theta, fitted.inputs, fitted.y, distances, kernel, grad, workspace);
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
  const nlml = negativeLogMarginalLikelihood(best.theta, fitted.inputs, fitted.y, distances, kernel, undefined, workspace);
  return {
    hyperparameters,
    posterior: GpPosterior.fromData(inputs, y, hyperparameters, kernel),
    negativeLogPosterior: best.value,
    negativeLogMarginalLikelihood: nlml,
    starts: starts.length,
    evaluations,
    rowsFitted: fitted.inputs.n,
  };
}

/** `count` distinct row indices of 0…n−1, drawn uniformly (a partial Fisher–Yates shuffle), in increasing order. */
function randomRows(n: number, count: number, rng: Rng): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = rng.int(i, n - 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.slice(0, count).sort((a, b) => a - b);
}

/** The training inputs and targets of some rows. */
function subsetRows(inputs: GpInputs, y: ArrayLike<number>, rows: readonly number[]): { inputs: GpInputs; y: Float64Array } {
  const { D } = inputs;
  const X = new Float64Array(rows.length * D);
  rows.forEach((r, i) => X.set(inputs.X.subarray(r * D, r * D + D), i * D));
  const noiseScale = inputs.noiseScale ? Float64Array.from(rows, (r) => inputs.noiseScale![r]) : undefined;
  return {
    inputs: { ...inputs, X, n: rows.length, ...(noiseScale ? { noiseScale } : {}) },
    y: Float64Array.from(rows, (r) => y[r]),
  };
}
