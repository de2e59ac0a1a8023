import { choleskyInverse } from '../../linalg/cholesky';
import type { GpPosterior } from './posterior';

/**
 * Closed-form leave-one-out predictive distributions at fixed hyperparameters (Rasmussen & Williams
 * eq. 5.12): μ₋ᵢ = y_i − α_i/[K⁻¹]_ii, σ²₋ᵢ = 1/[K⁻¹]_ii — the predictive distribution of the held-out
 * observation y_i (its own noise σ_n² s_i included: K carries each row's noise on its diagonal), from one
 * inverse instead of n refits.
 */
export function leaveOneOut(posterior: GpPosterior): { mean: Float64Array; variance: Float64Array } {
  const n = posterior.n;
  const inverse = choleskyInverse(posterior.factor);
  const mean = new Float64Array(n);
  const variance = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = inverse[i * n + i];
    variance[i] = 1 / d;
    mean[i] = posterior.y[i] - posterior.alpha[i] / d;
  }
  return { mean, variance };
}
