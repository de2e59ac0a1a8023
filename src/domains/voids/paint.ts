import { boundingRadius, distanceFunction, type VoidLayout } from './geometry';

/** Standard normal CDF Φ(z) via the Abramowitz–Stegun 7.1.26 erf approximation (|error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** Beyond this many σ of the blur, coverage is 0 or 1 to within 3e-7 (a 1/255 step is 4e-3). */
const BLUR_REACH_SIGMAS = 5;

/** Φ tabulated on [−5, 5] for the painter's inner loop; linear interpolation error < 3e-7. */
const CDF_STEPS = 4096;
const CDF_TABLE = Float64Array.from({ length: CDF_STEPS + 1 }, (_, i) => normalCdf(-BLUR_REACH_SIGMAS + (2 * BLUR_REACH_SIGMAS * i) / CDF_STEPS));
function tabulatedNormalCdf(z: number): number {
  if (z <= -BLUR_REACH_SIGMAS) return 0;
  if (z >= BLUR_REACH_SIGMAS) return 1;
  const t = ((z + BLUR_REACH_SIGMAS) / (2 * BLUR_REACH_SIGMAS)) * CDF_STEPS;
  const i = Math.floor(t);
  return CDF_TABLE[i] + (CDF_TABLE[i + 1] - CDF_TABLE[i]) * (t - i);
}

/**
 * Coverage α ∈ [0, 1] of the void layer at pixel centre (x, y): the union (max) over voids of Φ(d/σ),
 * where d is the signed distance to the outline and σ the edge blur. Φ(d/σ) is exactly a Gaussian blur of
 * the binary mask for a straight edge, and a close approximation for radii ≫ σ.
 */
export function voidCoverage(layout: VoidLayout, x: number, y: number): number {
  let alpha = 0;
  for (const v of layout.voids) {
    const reach = boundingRadius(v) + BLUR_REACH_SIGMAS * layout.edgeBlur;
    if (Math.abs(x - v.cx) > reach || Math.abs(y - v.cy) > reach) continue;
    const d = distanceFunction(v)(x, y);
    const a = layout.edgeBlur > 0 ? tabulatedNormalCdf(d / layout.edgeBlur) : d >= 0 ? 1 : 0;
    if (a > alpha) alpha = a;
  }
  return alpha;
}

/**
 * Paints voids into RGBA pixels in place: each colour channel becomes p·(1 − α·(1 − brightness)), so
 * inside a void (α = 1) pixel values are multiplied by `brightness` (0 black, 1 unchanged) and
 * far outside they are untouched; alpha is left alone. Only each void's bounding box (plus the blur's
 * reach) is visited, so the cost grows with void area, not image area. Overlapping voids take the union
 * of their coverage (a pixel is darkened once, as a merged void would be).
 */
export function paintVoids(pixels: Uint8ClampedArray, width: number, height: number, layout: VoidLayout, brightness: number): void {
  if (pixels.length !== width * height * 4) throw new Error(`pixels: ${pixels.length} bytes for ${width}×${height} RGBA`);
  const alpha = scratchCoverage(width * height);
  const reachPad = BLUR_REACH_SIGMAS * layout.edgeBlur;
  const boxes = layout.voids.map((v) => {
    const reach = boundingRadius(v) + reachPad;
    return {
      v,
      x0: Math.max(0, Math.floor(v.cx - reach)),
      x1: Math.min(width - 1, Math.ceil(v.cx + reach)),
      y0: Math.max(0, Math.floor(v.cy - reach)),
      y1: Math.min(height - 1, Math.ceil(v.cy + reach)),
    };
  });
  // Pass 1: the union (max) of every void's coverage, visiting only its box.
  const sigma = layout.edgeBlur;
  for (const { v, x0, x1, y0, y1 } of boxes) {
    const distance = distanceFunction(v);
    for (let j = y0; j <= y1; j++) {
      for (let i = x0; i <= x1; i++) {
        const d = distance(i + 0.5, j + 0.5);
        if (d < -reachPad) continue;
        const a = sigma > 0 ? tabulatedNormalCdf(d / sigma) : d >= 0 ? 1 : 0;
        const index = j * width + i;
        if (a > alpha[index]) alpha[index] = a;
      }
    }
  }
  // Pass 2: darken once per pixel and clear the scratch buffer behind us (overlapping boxes then skip).
  const darkening = 1 - brightness;
  for (const { x0, x1, y0, y1 } of boxes) {
    for (let j = y0; j <= y1; j++) {
      for (let i = x0; i <= x1; i++) {
        const index = j * width + i;
        const a = alpha[index];
        if (a <= 0) continue;
        alpha[index] = 0;
        const f = 1 - a * darkening;
        const o = index * 4;
        pixels[o] = pixels[o] * f;
        pixels[o + 1] = pixels[o + 1] * f;
        pixels[o + 2] = pixels[o + 2] * f;
      }
    }
  }
}

let scratch = new Float32Array(0);
/** A zeroed coverage buffer reused across calls (paintVoids leaves it zeroed again). */
function scratchCoverage(length: number): Float32Array {
  if (scratch.length < length) scratch = new Float32Array(length);
  return scratch;
}
