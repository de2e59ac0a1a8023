import type { ModelAcquisition } from './acquisition';
import { betaAt } from './betaSchedule';
import { logH, logHDerivative, logNormalCdf, logNormalCdfDerivative } from './normal';

/**
 * Analytic acquisition functions for MINIMISING the (transformed) score, all to be MAXIMISED, from the
 * GP's latent mean μ and variance σ² (in the model's standardised output units):
 *
 * - ucb: the negated lower confidence bound, a = −(μ − β·σ) (Srinivas et al. 2010, GP-UCB, with β
 *   multiplying σ: "predicted score ± β × uncertainty"). β follows a schedule (betaSchedule.ts).
 * - ei: log expected improvement over the incumbent f* (Ament et al. 2023),
 *   a = log σ + log h(z), z = (f* − μ)/σ, h(z) = φ(z) + zΦ(z). Finite and with useful gradients even
 *   where EI underflows to 0 in floating point.
 * - pi: log probability of improvement, a = log Φ(z).
 *
 * For a noisy objective the incumbent f* is the lowest posterior mean among evaluated points, not the
 * lowest (luckiest) observation ("plug-in" EI; Picheny, Wagner & Ginsbourger, Struct. Multidiscip.
 * Optim. 48, 2013, found it among the most robust noisy variants).
 *
 * Gradients over x by the chain rule through μ(x) and σ²(x):
 *   ucb: ∇a = −∇μ + β ∇σ,   ∇σ = ∇σ²/(2σ)
 *   ei:  ∇a = ∇σ/σ + (log h)′(z) ∇z,   ∇z = −∇μ/σ − z ∇σ/σ
 *   pi:  ∇a = (log Φ)′(z) ∇z
 */

export const upperConfidenceBound: ModelAcquisition = {
  name: 'ucb',
  needsModel: true,
  explorationWeight: ({ schedule, iteration, maxIterations, noise }) => betaAt(schedule, iteration, maxIterations, noise),
  value: (state, mean, variance) => -mean + state.beta * Math.sqrt(variance),
  valueAndGradient(state, mean, variance, gradMean, gradVariance, out) {
    const std = Math.sqrt(variance);
    const k = state.beta / (2 * std);
    for (let c = 0; c < out.length; c++) out[c] = -gradMean[c] + k * gradVariance[c];
    return -mean + state.beta * std;
  },
};

/** Value and gradient of log h(z) or log Φ(z) (`logF`, slope `dLogF`), plus log σ when `withStd`. */
function improvementValueAndGradient(
  logF: (z: number) => number,
  dLogF: (z: number) => number,
  withStd: boolean,
  incumbent: number,
  mean: number,
  variance: number,
  gradMean: ArrayLike<number>,
  gradVariance: ArrayLike<number>,
  out: Float64Array,
): number {
  const std = Math.sqrt(variance);
  const z = (incumbent - mean) / std;
  const slope = dLogF(z);
  for (let c = 0; c < out.length; c++) {
    const gradStd = gradVariance[c] / (2 * std);
    const gradZ = -gradMean[c] / std - (z * gradStd) / std;
    out[c] = slope * gradZ + (withStd ? gradStd / std : 0);
  }
  return withStd ? Math.log(std) + logF(z) : logF(z);
}

export const expectedImprovement: ModelAcquisition = {
  name: 'ei',
  needsModel: true,
  value(state, mean, variance) {
    const std = Math.sqrt(variance);
    return Math.log(std) + logH((state.incumbent - mean) / std);
  },
  valueAndGradient: (state, mean, variance, gradMean, gradVariance, out) =>
    improvementValueAndGradient(logH, logHDerivative, true, state.incumbent, mean, variance, gradMean, gradVariance, out),
};

export const probabilityOfImprovement: ModelAcquisition = {
  name: 'pi',
  needsModel: true,
  value: (state, mean, variance) => logNormalCdf((state.incumbent - mean) / Math.sqrt(variance)),
  valueAndGradient: (state, mean, variance, gradMean, gradVariance, out) =>
    improvementValueAndGradient(logNormalCdf, logNormalCdfDerivative, false, state.incumbent, mean, variance, gradMean, gradVariance, out),
};
