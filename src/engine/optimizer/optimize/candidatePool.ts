import { solveLowerInPlace } from '../../linalg/cholesky';
import type { GpPosterior } from '../gp/posterior';

/**
 * The raw (quasi-random and local) candidates of one batch, with their posterior mean and variance
 * kept current as fantasy observations are added.
 *
 * A Kriging-believer fantasy y_f = μ(x_f) leaves the posterior mean unchanged everywhere and only
 * shrinks the variance: σ²_new(x) = σ²(x) − w(x)², w(x) = (k(x, x_f) − v(x)ᵀv_f)/λ, where v = L⁻¹k,
 * and [v_fᵀ, λ] is the new last row of the extended Cholesky factor. Keeping v(x) for every candidate
 * makes each batch member after the first cost O(m·n) instead of O(m·n²).
 */
export class CandidatePool {
  readonly means: Float64Array;
  readonly variances: Float64Array;
  private readonly v: Float64Array;
  private readonly capacity: number;
  private columns: number;
  private readonly minVariance: number;

  constructor(
    readonly points: readonly Float64Array[],
    posterior: GpPosterior,
    extraColumns: number,
  ) {
    const m = points.length;
    const n = posterior.n;
    this.capacity = n + extraColumns;
    this.columns = n;
    this.means = new Float64Array(m);
    this.variances = new Float64Array(m);
    this.v = new Float64Array(m * this.capacity);
    this.minVariance = 1e-12 * posterior.hyperparameters.outputscale;
    const k = new Float64Array(n);
    const L = posterior.factor.L;
    for (let i = 0; i < m; i++) {
      posterior.crossCovariance(points[i], k);
      let mean = posterior.hyperparameters.mean;
      for (let j = 0; j < n; j++) mean += k[j] * posterior.alpha[j];
      solveLowerInPlace(L, n, k);
      let vv = 0;
      for (let j = 0; j < n; j++) vv += k[j] * k[j];
      this.v.set(k, i * this.capacity);
      this.means[i] = mean;
      this.variances[i] = Math.max(posterior.hyperparameters.outputscale - vv, this.minVariance);
    }
  }

  get size(): number {
    return this.points.length;
  }

  /** Updates the variances for `next` = the current posterior plus one observation (the last input row). */
  addObservation(next: GpPosterior): void {
    const n = this.columns;
    if (next.n !== n + 1) {
      if (next.n === n) return; // the observation could not be absorbed (numerically repeated point)
      throw new Error(`candidate pool: posterior has ${next.n} points, expected ${n + 1}`);
    }
    if (n + 1 > this.capacity) throw new Error('candidate pool: more observations than reserved');
    const L = next.factor.L;
    const rowStart = n * (n + 1);
    const lambda = L[rowStart + n];
    const vf = L.subarray(rowStart, rowStart + n);
    const D = next.inputs.D;
    const xf = next.inputs.X.subarray(n * D, (n + 1) * D);
    for (let i = 0; i < this.points.length; i++) {
      const base = i * this.capacity;
      let dot = 0;
      for (let j = 0; j < n; j++) dot += this.v[base + j] * vf[j];
      const w = (next.covariance(this.points[i], xf) - dot) / lambda;
      this.v[base + n] = w;
      this.variances[i] = Math.max(this.variances[i] - w * w, this.minVariance);
    }
    this.columns = n + 1;
  }
}
