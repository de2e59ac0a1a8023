import type { Prediction } from '../gp/posterior';
import { expectedImprovement, probabilityOfImprovement } from './analytic';

/**
 * Acquisitions for constrained problems: minimise an objective f(x) subject to c_k(x) ≤ 0, with one GP
 * for f and one per constraint. They are functions of every model's latent posterior (mean, variance)
 * at x, to be MAXIMISED, and stand beside the single-model acquisitions (acquisition.ts) with a registry
 * of their own (constrainedRegistry.ts), because their input is several posteriors rather than one.
 *
 * Each constraint GP models a monotone transform T of c (the output transform), so the probability that
 * a constraint holds is exact in the latent space: P(c ≤ 0) = P(T(c) ≤ T(0)) = Φ((t − μ)/σ), t = T(0).
 * That is the probability of improvement over the "incumbent" t, so log P and its gradient are the
 * registered `pi` acquisition's, and log EI is the `ei` acquisition's; constrained acquisitions add
 * logarithms, which keeps them finite where a product underflows.
 */

/** A latent prediction with its gradients over the model input. */
export interface PredictionWithGradient extends Prediction {
  gradMean: Float64Array;
  gradVariance: Float64Array;
}

export interface ConstrainedState {
  /**
   * The objective's incumbent f*: the lowest latent posterior mean among the evaluated sets observed
   * feasible (and feasible fantasies); null while no evaluated set is feasible.
   */
  incumbent: number | null;
  /** The latent bound t_k = T_k(0) of each modelled constraint, in the order of the predictions. */
  thresholds: readonly number[];
}

export interface ConstrainedAcquisition {
  readonly name: string;
  value(state: ConstrainedState, objective: Prediction, constraints: readonly Prediction[]): number;
  /** The value, with its gradient over x written to `out` (the chain rule through every model's ∇μ and ∇σ²). */
  valueAndGradient(state: ConstrainedState, objective: PredictionWithGradient, constraints: readonly PredictionWithGradient[], out: Float64Array): number;
}

const NO_BETA = 0;

/** Σ_k log Φ((t_k − μ_k)/σ_k): the log probability that every modelled constraint holds (independent GPs). */
export function logFeasibility(state: ConstrainedState, constraints: readonly Prediction[]): number {
  let sum = 0;
  constraints.forEach((p, k) => (sum += probabilityOfImprovement.value({ beta: NO_BETA, incumbent: state.thresholds[k] }, p.mean, p.variance)));
  return sum;
}

function addLogFeasibilityGradient(state: ConstrainedState, constraints: readonly PredictionWithGradient[], out: Float64Array, scratch: Float64Array): number {
  let sum = 0;
  constraints.forEach((p, k) => {
    sum += probabilityOfImprovement.valueAndGradient({ beta: NO_BETA, incumbent: state.thresholds[k] }, p.mean, p.variance, p.gradMean, p.gradVariance, scratch);
    for (let c = 0; c < out.length; c++) out[c] += scratch[c];
  });
  return sum;
}

/**
 * Expected improvement weighted by the probability of feasibility (Gardner, Kusner, Xu, Weinberger &
 * Cunningham, "Bayesian optimization with inequality constraints", ICML 2014):
 *   a(x) = log EI(x; f*) + Σ_k log P(c_k(x) ≤ 0),
 * with f* the best posterior mean among feasible evaluated sets. While no evaluated set is feasible there
 * is no f* to improve on, and a(x) = Σ_k log P(c_k(x) ≤ 0): find a feasible point first (Gelbart, Snoek &
 * Adams, "Bayesian optimization with unknown constraints", UAI 2014, §3).
 */
export const expectedFeasibleImprovement: ConstrainedAcquisition = {
  name: 'ei_feasible',
  value(state, objective, constraints) {
    const feasibility = logFeasibility(state, constraints);
    if (state.incumbent === null) return feasibility;
    return expectedImprovement.value({ beta: NO_BETA, incumbent: state.incumbent }, objective.mean, objective.variance) + feasibility;
  },
  valueAndGradient(state, objective, constraints, out) {
    const scratch = new Float64Array(out.length);
    out.fill(0);
    let value = 0;
    if (state.incumbent !== null) {
      value = expectedImprovement.valueAndGradient({ beta: NO_BETA, incumbent: state.incumbent }, objective.mean, objective.variance, objective.gradMean, objective.gradVariance, out);
    }
    return value + addLogFeasibilityGradient(state, constraints, out, scratch);
  },
};

/** The probability that every constraint holds, alone: a(x) = Σ_k log P(c_k(x) ≤ 0) (the objective is ignored). */
export const probabilityOfFeasibility: ConstrainedAcquisition = {
  name: 'feasibility',
  value: (state, _objective, constraints) => logFeasibility(state, constraints),
  valueAndGradient(state, _objective, constraints, out) {
    out.fill(0);
    return addLogFeasibilityGradient(state, constraints, out, new Float64Array(out.length));
  },
};
