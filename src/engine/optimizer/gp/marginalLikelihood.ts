import { choleskyWithJitterInto, inverseLowerInto, solveLowerInPlace, solveUpperTransposedInPlace } from '../../linalg/cholesky';
import { correlation, correlationAndSlope, type KernelKind } from './kernel';
import type { GpInputs } from './trainingData';

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * Negative log marginal likelihood of y under GP(c, σ_f² κ + σ_n² S), S = diag(s_i) the rows' relative
 * noise (inputs.noiseScale; all 1 when absent) (Rasmussen & Williams eq. 2.30):
 *   −log p(y | θ) = ½ (y − c)ᵀ K⁻¹ (y − c) + ½ log|K| + (n/2) log 2π,
 * with the gradient over θ = [log ℓ_1..G, log σ_f², log σ_n², c] (R&W eq. 5.9):
 *   ∂/∂θ_j = ½ tr(W ∂K/∂θ_j),  W = K⁻¹ − ααᵀ,  α = K⁻¹(y − c);   ∂/∂c = −Σ α_i;
 * ∂K/∂log σ_n² = σ_n² S, so ∂/∂log σ_n² = ½ σ_n² Σ_i s_i W_ii.
 * Kernel derivatives: see kernel.ts. The O(n³) cost is one Cholesky and one inverse.
 *
 * `grad` (when given) is overwritten. `pairDistances` comes from pairwiseGroupDistances(inputs).
 */
/**
 * Buffers of one marginal-likelihood evaluation, reused across the evaluations of a fit (the optimiser
 * calls the objective ~50 times per fit; allocating K, L and two n×n inverse buffers each time was a
 * visible share of the fit's time at n ≈ 100).
 */
export class MarginalLikelihoodWorkspace {
  readonly K: Float64Array;
  readonly L: Float64Array;
  readonly inverse: Float64Array;
  readonly scratch: Float64Array;
  readonly slopes: Float64Array;
  readonly alpha: Float64Array;
  readonly inverseSquaredLengthscale: Float64Array;
  readonly kappaAndSlope = new Float64Array(2);

  constructor(
    readonly n: number,
    groupCount: number,
  ) {
    this.K = new Float64Array(n * n);
    this.L = new Float64Array(n * n);
    this.inverse = new Float64Array(n * n);
    this.scratch = new Float64Array(n * n);
    this.slopes = new Float64Array((n * (n - 1)) / 2);
    this.alpha = new Float64Array(n);
    this.inverseSquaredLengthscale = new Float64Array(groupCount);
  }
}

export function negativeLogMarginalLikelihood(
  theta: ArrayLike<number>,
  inputs: GpInputs,
  y: ArrayLike<number>,
  pairDistances: Float64Array,
  kernel: KernelKind,
  grad?: Float64Array,
  workspace: MarginalLikelihoodWorkspace = new MarginalLikelihoodWorkspace(inputs.n, inputs.groupCount),
): number {
  const { n, groupCount: G } = inputs;
  if (workspace.n !== n || workspace.inverseSquaredLengthscale.length !== G) throw new Error(`marginal likelihood: workspace is for n=${workspace.n}, G=${workspace.inverseSquaredLengthscale.length}`);
  const { K, L, slopes, alpha, inverseSquaredLengthscale, kappaAndSlope } = workspace;
  for (let g = 0; g < G; g++) inverseSquaredLengthscale[g] = Math.exp(-2 * theta[g]);
  const outputscale = Math.exp(theta[G]);
  const noise = Math.exp(theta[G + 1]);
  const mean = theta[G + 2];

  let p = 0;
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++, p++) {
      let r2 = 0;
      const base = p * G;
      for (let g = 0; g < G; g++) r2 += pairDistances[base + g] * inverseSquaredLengthscale[g];
      if (grad) {
        correlationAndSlope(kernel, r2, kappaAndSlope);
        K[i * n + j] = outputscale * kappaAndSlope[0];
        slopes[p] = outputscale * kappaAndSlope[1];
      } else {
        K[i * n + j] = outputscale * correlation(kernel, r2);
      }
    }
  }
  const noiseScale = inputs.noiseScale;
  for (let i = 0; i < n; i++) K[i * n + i] = outputscale + (noiseScale ? noise * noiseScale[i] : noise);

  if (!choleskyWithJitterInto(K, n, L).factorised) {
    if (grad) grad.fill(0);
    return Number.POSITIVE_INFINITY;
  }
  for (let i = 0; i < n; i++) alpha[i] = y[i] - mean;
  solveLowerInPlace(L, n, alpha);
  let value = 0.5 * n * LOG_2PI;
  // ½ rᵀK⁻¹r = ½ |L⁻¹r|²; log|K|/2 = Σ log L_ii.
  for (let i = 0; i < n; i++) value += 0.5 * alpha[i] * alpha[i] + Math.log(L[i * n + i]);
  if (!grad) return value;
  solveUpperTransposedInPlace(L, n, alpha);

  const { inverse } = workspace;
  inverseLowerInto(L, n, workspace.scratch, inverse);
  grad.fill(0);
  let traceW = 0;
  let noiseTraceW = 0; // Σ s_i W_ii
  for (let i = 0; i < n; i++) {
    const w = inverse[i * n + i] - alpha[i] * alpha[i];
    traceW += w;
    if (noiseScale) noiseTraceW += noiseScale[i] * w;
  }
  // Off-diagonal pairs appear twice in the trace; the ½ cancels that.
  let outputscaleTerm = 0.5 * outputscale * traceW;
  p = 0;
  for (let i = 1; i < n; i++) {
    const ai = alpha[i];
    const row = i * n;
    for (let j = 0; j < i; j++, p++) {
      const w = inverse[row + j] - ai * alpha[j];
      outputscaleTerm += w * K[row + j];
      const ws = w * slopes[p];
      const base = p * G;
      for (let g = 0; g < G; g++) grad[g] += ws * pairDistances[base + g];
    }
  }
  for (let g = 0; g < G; g++) grad[g] *= inverseSquaredLengthscale[g];
  grad[G] = outputscaleTerm;
  grad[G + 1] = 0.5 * noise * (noiseScale ? noiseTraceW : traceW);
  let sumAlpha = 0;
  for (let i = 0; i < n; i++) sumAlpha += alpha[i];
  grad[G + 2] = -sumAlpha;
  return value;
}
