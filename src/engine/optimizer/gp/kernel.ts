/**
 * Stationary correlation functions κ(r²) of the ARD kernel k(x, x′) = σ_f² κ(r²),
 * r² = Σ_c ((x_c − x′_c)/ℓ_{g(c)})², where g(c) is the lengthscale group of coordinate c (one group per
 * parameter: a categorical's one-hot coordinates share one lengthscale).
 *
 * Every formula the GP needs goes through two functions of r²: the correlation κ and its slope
 * G(r²) = −2 dκ/d(r²), because
 *   ∂k/∂log ℓ_g = σ_f² G s_g        (s_g = the group's share of r²)
 *   ∂k/∂x_c     = −σ_f² G (x_c − x′_c)/ℓ_c².
 *
 * Matérn-5/2 (Rasmussen & Williams 2006, eq. 4.17): κ = (1 + √5 r + 5r²/3) e^{−√5 r},
 *   G = (5/3)(1 + √5 r) e^{−√5 r} — finite at r = 0, so no special case for coincident points.
 * RBF: κ = e^{−r²/2}, G = κ.
 */
export type KernelKind = 'matern52' | 'rbf';

const SQRT5 = Math.sqrt(5);

export function correlation(kind: KernelKind, r2: number): number {
  if (kind === 'rbf') return Math.exp(-0.5 * r2);
  const r = Math.sqrt(r2);
  return (1 + SQRT5 * r + (5 / 3) * r2) * Math.exp(-SQRT5 * r);
}

/**
 * κ and G together from one exp and one sqrt (the marginal likelihood's inner loop): writes
 * [κ, G] into out[0], out[1].
 */
export function correlationAndSlope(kind: KernelKind, r2: number, out: Float64Array): void {
  if (kind === 'rbf') {
    const k = Math.exp(-0.5 * r2);
    out[0] = k;
    out[1] = k;
    return;
  }
  const sr = SQRT5 * Math.sqrt(r2);
  const e = Math.exp(-sr);
  out[0] = (1 + sr + (5 / 3) * r2) * e;
  out[1] = (5 / 3) * (1 + sr) * e;
}
