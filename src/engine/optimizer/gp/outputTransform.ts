/**
 * The monotone map from objective values (scores; lower is better) to the GP's output scale.
 *
 * - `standardize` (the default): z = (y − mean)/std. The objective's noise (unbiased MMD² from 3
 *   replicates) is additive and roughly constant near the optimum; an affine map keeps it so, which is
 *   what the GP's homoscedastic noise model assumes. Measured on bench/bo.ts: as good as `power`
 *   without noise, clearly better with noise (see DEFAULT_OPTIMIZER_SETTINGS).
 * - `power`: standardise, Yeo–Johnson transform with λ fitted by maximum likelihood, standardise
 *   again (HEBO's output warping: Cowen-Rivers et al., "HEBO: pushing the limits of sample-efficient
 *   hyperparameter optimisation", JAIR 2022). Here λ is restricted to [−2, 1]: for a minimised objective
 *   the transform may compress the tail of poor scores (λ < 1) but never the tail of good ones, which
 *   is where the optimiser must resolve differences. It handles negative values (the unbiased MMD² goes
 *   slightly below zero), unlike a log of a shifted value, and it is the identity when λ = 1, so a
 *   near-Gaussian set of scores is left alone.
 *
 * Plain data (serialisable), so the fitted transform can be stored with an iteration's output.
 */
export type OutputTransformKind = 'standardize' | 'power';

export interface OutputTransform {
  kind: OutputTransformKind;
  /** First standardisation (y − center)/scale. */
  center: number;
  scale: number;
  /** Yeo–Johnson λ (power only; 1 = identity). */
  lambda: number;
  /** Second standardisation after the power transform (power only). */
  innerCenter: number;
  innerScale: number;
}

const LAMBDA_RANGE: readonly [number, number] = [-2, 1];

function meanAndStd(values: ArrayLike<number>): [number, number] {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  const std = Math.sqrt(ss / n);
  return [mean, std > 1e-12 * Math.max(1, Math.abs(mean)) ? std : 1];
}

/** Yeo & Johnson (2000), Biometrika 87(4): ψ(λ, x). */
export function yeoJohnson(x: number, lambda: number): number {
  if (x >= 0) return Math.abs(lambda) < 1e-12 ? Math.log1p(x) : (Math.pow(x + 1, lambda) - 1) / lambda;
  return Math.abs(lambda - 2) < 1e-12 ? -Math.log1p(-x) : -(Math.pow(1 - x, 2 - lambda) - 1) / (2 - lambda);
}

/** ψ⁻¹(λ, z); on the bounded branch (λ < 0, z ≥ −1/λ) it saturates at a large finite value. */
export function yeoJohnsonInverse(z: number, lambda: number): number {
  if (z >= 0) {
    if (Math.abs(lambda) < 1e-12) return Math.expm1(z);
    const base = Math.max(z * lambda + 1, 1e-12);
    return Math.pow(base, 1 / lambda) - 1;
  }
  if (Math.abs(lambda - 2) < 1e-12) return -Math.expm1(-z);
  return 1 - Math.pow(1 - (2 - lambda) * z, 1 / (2 - lambda));
}

/** dψ⁻¹/dz, for the delta-method standard deviation in score units. */
function yeoJohnsonInverseDerivative(z: number, lambda: number): number {
  const x = yeoJohnsonInverse(z, lambda);
  // dψ/dx = (x + 1)^{λ−1} for x ≥ 0, (1 − x)^{1−λ} for x < 0.
  const forward = x >= 0 ? Math.pow(x + 1, lambda - 1) : Math.pow(1 - x, 1 - lambda);
  return 1 / forward;
}

/** Profile log-likelihood of λ (scipy.stats.yeojohnson_llf): −n/2 log σ²_ψ + (λ − 1) Σ sign(x) log(1 + |x|). */
export function yeoJohnsonLogLikelihood(values: ArrayLike<number>, lambda: number): number {
  const n = values.length;
  const t = Float64Array.from(values, (x) => yeoJohnson(x, lambda));
  const [, std] = meanAndStd(t);
  let jacobian = 0;
  for (let i = 0; i < n; i++) jacobian += Math.sign(values[i]) * Math.log1p(Math.abs(values[i]));
  return -0.5 * n * Math.log(std * std) + (lambda - 1) * jacobian;
}

/** Maximum-likelihood λ on [low, high] by golden-section search (the profile likelihood is unimodal). */
export function fitYeoJohnsonLambda(values: ArrayLike<number>, low: number, high: number): number {
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = low;
  let b = high;
  let c = b - ratio * (b - a);
  let d = a + ratio * (b - a);
  let fc = yeoJohnsonLogLikelihood(values, c);
  let fd = yeoJohnsonLogLikelihood(values, d);
  while (b - a > 1e-9) {
    if (fc > fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - ratio * (b - a);
      fc = yeoJohnsonLogLikelihood(values, c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + ratio * (b - a);
      fd = yeoJohnsonLogLikelihood(values, d);
    }
  }
  const mid = (a + b) / 2;
  // The optimum may sit on an end of the range; golden-section converges there too, but check exactly.
  const candidates = [low, mid, high];
  let best = mid;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (const l of candidates) {
    const v = yeoJohnsonLogLikelihood(values, l);
    if (v > bestValue) {
      bestValue = v;
      best = l;
    }
  }
  return best;
}

export function fitOutputTransform(values: ArrayLike<number>, kind: OutputTransformKind): OutputTransform {
  if (values.length === 0) throw new Error('output transform: no values');
  const [center, scale] = meanAndStd(values);
  if (kind === 'standardize' || values.length < 3) {
    return { kind, center, scale, lambda: 1, innerCenter: 0, innerScale: 1 };
  }
  const standardized = Float64Array.from(values, (y) => (y - center) / scale);
  const lambda = fitYeoJohnsonLambda(standardized, LAMBDA_RANGE[0], LAMBDA_RANGE[1]);
  const [innerCenter, innerScale] = meanAndStd(standardized.map((z) => yeoJohnson(z, lambda)));
  return { kind, center, scale, lambda, innerCenter, innerScale };
}

export function transformOutput(t: OutputTransform, y: number): number {
  const z = (y - t.center) / t.scale;
  if (t.kind === 'standardize') return z;
  return (yeoJohnson(z, t.lambda) - t.innerCenter) / t.innerScale;
}

export function untransformOutput(t: OutputTransform, z: number): number {
  if (t.kind === 'standardize') return t.center + t.scale * z;
  return t.center + t.scale * yeoJohnsonInverse(t.innerCenter + t.innerScale * z, t.lambda);
}

/** dy/dz at z: converts a latent standard deviation to score units (delta method). */
export function untransformDerivative(t: OutputTransform, z: number): number {
  if (t.kind === 'standardize') return t.scale;
  return t.scale * t.innerScale * yeoJohnsonInverseDerivative(t.innerCenter + t.innerScale * z, t.lambda);
}
