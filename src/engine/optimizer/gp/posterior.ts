import {
  appendToCholesky,
  cholesky,
  choleskySolve,
  solveLowerInPlace,
  solveUpperInPlace,
  transposeLower,
  type CholeskyFactor,
} from '../../linalg/cholesky';
import type { GpHyperparameters } from './hyperparameters';
import { correlation, correlationAndSlope, type KernelKind } from './kernel';
import type { GpInputs } from './trainingData';

/** Floor of the latent variance, relative to σ_f²: keeps σ > 0 at (and between) training points. */
const MIN_RELATIVE_VARIANCE = 1e-12;

export interface Prediction {
  mean: number;
  /** Variance of the latent function f(x) (observation noise excluded). */
  variance: number;
}

/**
 * The GP posterior at fixed hyperparameters (Rasmussen & Williams Alg. 2.1):
 *   μ(x) = c + k(x)ᵀα,  α = K⁻¹(y − c);   σ²(x) = σ_f² − vᵀv,  v = L⁻¹k(x),  K = LLᵀ,
 * with K = σ_f² κ + σ_n² S, S = diag(s_i) the rows' relative noise (inputs.noiseScale; all 1 when absent).
 * Immutable: `withObservation` returns a new posterior with one more point in O(n²) (a fantasy for
 * Kriging-believer batches, or a pending evaluation).
 */
export class GpPosterior {
  private readonly inverseSquaredLengthscale: Float64Array;
  // Scratch buffers of the prediction hot paths (the acquisition optimiser calls them ~10⁴ times a batch).
  private readonly scratchK: Float64Array;
  private readonly scratchSlope: Float64Array;
  private readonly scratchPair = new Float64Array(2);
  /** Lᵀ stored by rows, built on first use: back substitution then reads memory contiguously. */
  private upperFactor: Float64Array | null = null;

  private constructor(
    readonly inputs: GpInputs,
    readonly y: Float64Array,
    readonly hyperparameters: GpHyperparameters,
    readonly kernel: KernelKind,
    readonly factor: CholeskyFactor,
    readonly alpha: Float64Array,
  ) {
    this.inverseSquaredLengthscale = Float64Array.from(inputs.groups, (g) => 1 / hyperparameters.lengthscales[g] ** 2);
    this.scratchK = new Float64Array(inputs.n);
    this.scratchSlope = new Float64Array(inputs.n);
  }

  static fromData(inputs: GpInputs, y: ArrayLike<number>, hyperparameters: GpHyperparameters, kernel: KernelKind): GpPosterior {
    const { n } = inputs;
    const K = new Float64Array(n * n);
    const scratch = new GpPosteriorScratch(inputs, hyperparameters);
    const noiseScale = inputs.noiseScale;
    if (noiseScale && noiseScale.length !== n) throw new Error(`GP posterior: noise scale has ${noiseScale.length} entries, expected ${n}`);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) K[i * n + j] = hyperparameters.outputscale * correlation(kernel, scratch.squaredDistance(i, j));
      K[i * n + i] = hyperparameters.outputscale + (noiseScale ? hyperparameters.noise * noiseScale[i] : hyperparameters.noise);
    }
    const factor = cholesky(K, n);
    const yy = Float64Array.from(y);
    const alpha = choleskySolve(factor, yy.map((v) => v - hyperparameters.mean));
    return new GpPosterior(inputs, yy, hyperparameters, kernel, factor, alpha);
  }

  get n(): number {
    return this.inputs.n;
  }

  /** Scaled squared distance r² between x and training point i. */
  private r2(x: ArrayLike<number>, i: number): number {
    const { X, D } = this.inputs;
    const w = this.inverseSquaredLengthscale;
    let r2 = 0;
    const base = i * D;
    for (let c = 0; c < D; c++) {
      const d = x[c] - X[base + c];
      r2 += d * d * w[c];
    }
    return r2;
  }

  /** Prior covariance k(a, b) = σ_f² κ(r²(a, b)). */
  covariance(a: ArrayLike<number>, b: ArrayLike<number>): number {
    const w = this.inverseSquaredLengthscale;
    let r2 = 0;
    for (let c = 0; c < w.length; c++) {
      const d = a[c] - b[c];
      r2 += d * d * w[c];
    }
    return this.hyperparameters.outputscale * correlation(this.kernel, r2);
  }

  /** k(x) = [σ_f² κ(r²(x, x_i))]_i into `out`. */
  crossCovariance(x: ArrayLike<number>, out: Float64Array = new Float64Array(this.n)): Float64Array {
    const s = this.hyperparameters.outputscale;
    for (let i = 0; i < this.n; i++) out[i] = s * correlation(this.kernel, this.r2(x, i));
    return out;
  }

  /** Mean and latent variance at x. `v` (length n) receives L⁻¹k(x) when given. */
  predict(x: ArrayLike<number>, v: Float64Array = this.scratchK): Prediction {
    this.crossCovariance(x, v);
    let mean = this.hyperparameters.mean;
    for (let i = 0; i < this.n; i++) mean += v[i] * this.alpha[i];
    solveLowerInPlace(this.factor.L, this.n, v);
    let vv = 0;
    for (let i = 0; i < this.n; i++) vv += v[i] * v[i];
    const s = this.hyperparameters.outputscale;
    return { mean, variance: Math.max(s - vv, MIN_RELATIVE_VARIANCE * s) };
  }

  /**
   * Mean, variance and their gradients over the input coordinates:
   *   ∂μ/∂x_c = Σ_i α_i ∂k_i/∂x_c,   ∂σ²/∂x_c = −2 Σ_i w_i ∂k_i/∂x_c,  w = K⁻¹k(x),
   *   ∂k_i/∂x_c = −σ_f² G(r_i²) (x_c − x_ic)/ℓ_c².
   */
  predictWithGradient(x: ArrayLike<number>, gradMean: Float64Array, gradVariance: Float64Array): Prediction {
    const { n } = this;
    const { X, D } = this.inputs;
    const s = this.hyperparameters.outputscale;
    const w = this.scratchK;
    const slope = this.scratchSlope;
    const pair = this.scratchPair;
    let mean = this.hyperparameters.mean;
    for (let i = 0; i < n; i++) {
      correlationAndSlope(this.kernel, this.r2(x, i), pair);
      w[i] = s * pair[0];
      slope[i] = s * pair[1];
      mean += w[i] * this.alpha[i];
    }
    solveLowerInPlace(this.factor.L, n, w);
    let vv = 0;
    for (let i = 0; i < n; i++) vv += w[i] * w[i];
    this.upperFactor ??= transposeLower(this.factor.L, n);
    solveUpperInPlace(this.upperFactor, n, w);
    gradMean.fill(0);
    gradVariance.fill(0);
    const invL2 = this.inverseSquaredLengthscale;
    for (let i = 0; i < n; i++) {
      const a = -slope[i] * this.alpha[i];
      const b = 2 * slope[i] * w[i];
      const base = i * D;
      for (let c = 0; c < D; c++) {
        const d = (x[c] - X[base + c]) * invL2[c];
        gradMean[c] += a * d;
        gradVariance[c] += b * d;
      }
    }
    let variance = s - vv;
    if (variance < MIN_RELATIVE_VARIANCE * s) {
      variance = MIN_RELATIVE_VARIANCE * s;
      gradVariance.fill(0);
    }
    return { mean, variance };
  }

  /**
   * The posterior after also observing `value` at x (with noise variance `noise`, by default σ_n²: an
   * observation at the reference replicate count, relative noise 1), in O(n²) by extending the Cholesky
   * factor. Returns this posterior unchanged when x is numerically a repeat that the factor cannot absorb
   * (only possible with zero noise).
   */
  withObservation(x: ArrayLike<number>, value: number, noise = this.hyperparameters.noise): GpPosterior {
    const { n, D } = this.inputs;
    const h = this.hyperparameters;
    const column = this.crossCovariance(x);
    const extended = appendToCholesky(this.factor, column, h.outputscale + noise);
    if (!extended) return this;
    const X = new Float64Array((n + 1) * D);
    X.set(this.inputs.X);
    for (let c = 0; c < D; c++) X[n * D + c] = x[c];
    // The rows' relative noise stays aligned with the rows, so the inputs still describe K's diagonal.
    const noiseScale = this.inputs.noiseScale ? appended(this.inputs.noiseScale, noise / h.noise) : undefined;
    const inputs: GpInputs = { ...this.inputs, X, n: n + 1, ...(noiseScale ? { noiseScale } : {}) };
    const y = appended(this.y, value);
    const alpha = choleskySolve(extended, y.map((v) => v - h.mean));
    return new GpPosterior(inputs, y, h, this.kernel, extended, alpha);
  }
}

function appended(values: Float64Array, value: number): Float64Array {
  const out = new Float64Array(values.length + 1);
  out.set(values);
  out[values.length] = value;
  return out;
}

/** Distances between training points with the posterior's lengthscales (used while building K). */
class GpPosteriorScratch {
  private readonly w: Float64Array;
  constructor(
    private readonly inputs: GpInputs,
    hyperparameters: GpHyperparameters,
  ) {
    this.w = Float64Array.from(inputs.groups, (g) => 1 / hyperparameters.lengthscales[g] ** 2);
  }
  squaredDistance(i: number, j: number): number {
    const { X, D } = this.inputs;
    let r2 = 0;
    for (let c = 0; c < D; c++) {
      const d = X[i * D + c] - X[j * D + c];
      r2 += d * d * this.w[c];
    }
    return r2;
  }
}
