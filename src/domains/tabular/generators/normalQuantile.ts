import { normalCdf, normalPdf } from '../../../engine/optimizer/acquisition/normal';

/**
 * Φ⁻¹(p), the standard normal quantile: a start from Abramowitz & Stegun 26.2.23 (|error| < 4.5e-4),
 * then Halley steps x ← x − e/(1 + x·e/2), e = (Φ(x) − p)/φ(x), on the lower half (p ≤ ½; the upper
 * half by symmetry) until the step is below 1e-15 relative — as accurate as the engine's Φ (~1e-13).
 */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p)) return NaN;
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  if (p > 0.5) return -normalQuantile(1 - p);
  const t = Math.sqrt(-2 * Math.log(p));
  let x = -(t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t));
  for (let k = 0; k < 50; k++) {
    const e = (normalCdf(x) - p) / normalPdf(x);
    const step = e / (1 + (x * e) / 2);
    x -= step;
    if (Math.abs(step) <= 1e-15 * (1 + Math.abs(x))) break;
  }
  return x;
}
