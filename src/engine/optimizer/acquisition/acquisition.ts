import { logH, logHDerivative, logNormalCdf, logNormalCdfDerivative } from './normal';

/**
 * Acquisition functions for MINIMISING the (transformed) score, all to be MAXIMISED, evaluated from the
 * GP's latent mean μ and variance σ² (in the model's standardised output units):
 *
 * - ucb: the negated lower confidence bound, a = −(μ − β·σ) (Srinivas et al. 2010, GP-UCB, with β
 *   multiplying σ as seed 000 writes it: "predicted_score ± β × uncertainty"). β follows a schedule
 *   (betaSchedule.ts).
 * - ei: log expected improvement over the incumbent f* (Ament et al. 2023),
 *   a = log σ + log h(z), z = (f* − μ)/σ, h(z) = φ(z) + zΦ(z). Finite and with useful gradients even
 *   where EI underflows to 0 in floating point.
 * - pi: log probability of improvement, a = log Φ(z).
 *
 * For a noisy objective the incumbent f* is the lowest posterior mean among evaluated points, not the
 * lowest (luckiest) observation ("plug-in" EI; Picheny, Wagner & Ginsbourger, Struct. Multidiscip.
 * Optim. 48, 2013, found it among the most robust noisy variants).
 */
export type AcquisitionKind = 'ucb' | 'ei' | 'pi';

export interface AcquisitionSpec {
  kind: AcquisitionKind;
  /** UCB exploration weight β (multiplies σ). */
  beta: number;
  /** Incumbent f* for EI/PI (latent units). */
  incumbent: number;
}

export function acquisitionValue(spec: AcquisitionSpec, mean: number, variance: number): number {
  const std = Math.sqrt(variance);
  if (spec.kind === 'ucb') return -mean + spec.beta * std;
  const z = (spec.incumbent - mean) / std;
  if (spec.kind === 'ei') return Math.log(std) + logH(z);
  return logNormalCdf(z);
}

/**
 * The value and its gradient over x by the chain rule through μ(x) and σ²(x):
 *   ucb: ∇a = −∇μ + β ∇σ,   ∇σ = ∇σ²/(2σ)
 *   ei:  ∇a = ∇σ/σ + (log h)′(z) ∇z,   ∇z = −∇μ/σ − z ∇σ/σ
 *   pi:  ∇a = (log Φ)′(z) ∇z
 */
export function acquisitionValueAndGradient(
  spec: AcquisitionSpec,
  mean: number,
  variance: number,
  gradMean: ArrayLike<number>,
  gradVariance: ArrayLike<number>,
  out: Float64Array,
): number {
  const std = Math.sqrt(variance);
  const d = out.length;
  if (spec.kind === 'ucb') {
    const k = spec.beta / (2 * std);
    for (let c = 0; c < d; c++) out[c] = -gradMean[c] + k * gradVariance[c];
    return -mean + spec.beta * std;
  }
  const z = (spec.incumbent - mean) / std;
  const slope = spec.kind === 'ei' ? logHDerivative(z) : logNormalCdfDerivative(z);
  for (let c = 0; c < d; c++) {
    const gradStd = gradVariance[c] / (2 * std);
    const gradZ = -gradMean[c] / std - (z * gradStd) / std;
    out[c] = slope * gradZ + (spec.kind === 'ei' ? gradStd / std : 0);
  }
  return spec.kind === 'ei' ? Math.log(std) + logH(z) : logNormalCdf(z);
}
