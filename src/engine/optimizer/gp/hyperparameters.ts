/**
 * GP hyperparameters, their packing into the vector the optimiser works on, bounds and priors.
 *
 * θ = [log ℓ_1 … log ℓ_G, log σ_f², log σ_n², c]  (G lengthscale groups, one per parameter)
 *
 * Priors (on the standardised output, inputs in the unit cube), weak and chosen on bench/bo.ts:
 * - log ℓ_g ~ N(log 0.5, 1): median lengthscale half the range, 95% between 0.07 and 3.5 — the centre
 *   of BoTorch's long-standing (< 0.12) Gamma(3, 6) lengthscale prior (mean 0.5). BoTorch ≥ 0.12's
 *   dimension-scaled LogNormal(√2 + ½ log d, √3) (Hvarfner, Hellsten & Nardi, ICML 2024; median ≈ 10
 *   at d = 6) was tried first: at this budget (16 + 80 points, d ≤ 6) it fits near-flat models and
 *   UCB then spends its batches on corners — with it the median final regret was 10³–10⁴× worse on
 *   Hartmann-6 and the void-like function, and ~5× worse on Ackley-6 (8 seeds each).
 * - log σ_n² ~ N(−6, 2²): median noise variance 0.0025 of the output's variance, wide enough (95%
 *   between 5e-5 and 0.12) that noisy data raise it: noiseless objectives keep a near-interpolating
 *   model, noisy ones learn their noise. (BoTorch's N(−4, 1) held noiseless fits at ≥ 1e-3 and lost
 *   resolution near optima.)
 * - log σ_f² ~ N(0, 1.5²): the output is standardised, so the signal variance is near 1 unless the
 *   data say most of the variance is noise.
 * - c ~ N(0, 1): constant mean of a standardised output.
 */
export interface GpHyperparameters {
  /** One lengthscale per group (unit-cube units). */
  lengthscales: number[];
  outputscale: number;
  noise: number;
  mean: number;
}

export interface GaussianPrior {
  mean: number;
  std: number;
}

export interface HyperparameterPriors {
  logLengthscale: GaussianPrior;
  logOutputscale: GaussianPrior;
  logNoise: GaussianPrior;
  mean: GaussianPrior;
}

export function defaultPriors(): HyperparameterPriors {
  return {
    logLengthscale: { mean: Math.log(0.5), std: 1 },
    logOutputscale: { mean: 0, std: 1.5 },
    logNoise: { mean: -6, std: 2 },
    mean: { mean: 0, std: 1 },
  };
}

/** Box bounds of θ: keep the factorisation well posed and the optimiser out of flat far regions. */
export function hyperparameterBounds(groups: number, minNoise = 1e-8): { lower: Float64Array; upper: Float64Array } {
  const lower = new Float64Array(groups + 3);
  const upper = new Float64Array(groups + 3);
  for (let g = 0; g < groups; g++) {
    lower[g] = Math.log(0.005);
    upper[g] = Math.log(1000);
  }
  lower[groups] = Math.log(0.01);
  upper[groups] = Math.log(100);
  lower[groups + 1] = Math.log(minNoise);
  upper[groups + 1] = Math.log(10);
  lower[groups + 2] = -5;
  upper[groups + 2] = 5;
  return { lower, upper };
}

export function packHyperparameters(h: GpHyperparameters): Float64Array {
  const G = h.lengthscales.length;
  const theta = new Float64Array(G + 3);
  h.lengthscales.forEach((l, g) => (theta[g] = Math.log(l)));
  theta[G] = Math.log(h.outputscale);
  theta[G + 1] = Math.log(h.noise);
  theta[G + 2] = h.mean;
  return theta;
}

export function unpackHyperparameters(theta: ArrayLike<number>, groups: number): GpHyperparameters {
  const lengthscales: number[] = [];
  for (let g = 0; g < groups; g++) lengthscales.push(Math.exp(theta[g]));
  return { lengthscales, outputscale: Math.exp(theta[groups]), noise: Math.exp(theta[groups + 1]), mean: theta[groups + 2] };
}

/** The prior's mode: the first restart of the hyperparameter fit. */
export function priorMode(priors: HyperparameterPriors, groups: number): Float64Array {
  const theta = new Float64Array(groups + 3);
  for (let g = 0; g < groups; g++) theta[g] = priors.logLengthscale.mean;
  theta[groups] = priors.logOutputscale.mean;
  theta[groups + 1] = priors.logNoise.mean;
  theta[groups + 2] = priors.mean.mean;
  return theta;
}

/** The prior of each θ coordinate, in θ order. */
export function priorList(priors: HyperparameterPriors, groups: number): GaussianPrior[] {
  return [
    ...Array.from({ length: groups }, () => priors.logLengthscale),
    priors.logOutputscale,
    priors.logNoise,
    priors.mean,
  ];
}

/** −log prior density (up to a constant), adding its gradient into `grad`. */
export function negativeLogPrior(theta: ArrayLike<number>, list: readonly GaussianPrior[], grad?: Float64Array): number {
  let value = 0;
  for (let i = 0; i < list.length; i++) {
    const z = (theta[i] - list[i].mean) / list[i].std;
    value += 0.5 * z * z;
    if (grad) grad[i] += z / list[i].std;
  }
  return value;
}
