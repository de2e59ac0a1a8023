import type { Rng } from '../../engine/random/rng';

/**
 * Void geometry: where the voids of one image are and what shape they have. Sampling is separated from
 * painting so that tests (and the UI's outlines) can compare the returned geometry with the pixels.
 */
export type VoidShape = 'circle' | 'ellipse' | 'irregular';
export const VOID_SHAPES: readonly VoidShape[] = ['circle', 'ellipse', 'irregular'];

/** Position rule: `centered` (default) — a window of width spread × size around the image centre;
 * `corner` — the original rule U(0, spread × size), which crowds voids towards the top-left corner
 * (see docs/decisions.md, 'Position spread: centred window by default'). */
export type PositionRule = 'centered' | 'corner';

export interface VoidParams {
  void_shape: VoidShape;
  void_count: number;
  base_size: number;
  brightness_factor: number;
  size_std: number;
  position_spread: number;
}

export interface VoidGeometry {
  shape: VoidShape;
  /** Centre, in pixels (x to the right, y down; pixel (i, j) has its centre at (i + 0.5, j + 0.5)). */
  cx: number;
  cy: number;
  /** Drawn radius r = max(MIN_RADIUS, base_size + N(0, size_std)). */
  radius: number;
  /** Semi-axes along and across `angle` (circle: r, r; ellipse: r·√k, r/√k, same area as the circle). */
  semiMajor: number;
  semiMinor: number;
  /** Orientation in radians (the image's rotation). */
  angle: number;
  /** Irregular blobs: R(θ) = r·(1 + Σ a_k cos(k(θ − angle) + φ_k)), k = 2..(1+n). Empty otherwise. */
  harmonics: ReadonlyArray<{ k: number; amplitude: number; phase: number }>;
}

export interface VoidLayout {
  voids: VoidGeometry[];
  /** Uncontrolled per image: U(0, 360) degrees, orients every void of the image (see docs/decisions.md, 'Uncontrolled per-image randomness'). */
  rotation: number;
  /** Uncontrolled, fixed: 2 px — the σ of a Gaussian blur of the void mask (CSS blur(2px)). */
  edgeBlur: number;
  positionRule: PositionRule;
}

/** Smallest drawn radius: N(0, size_std) can drive base_size + noise to 0 or below. */
export const MIN_RADIUS = 1.5;
export const EDGE_BLUR_PX = 2;
/** Ellipse aspect ratio k = major/minor ~ U(1.3, 2.2) per void. */
const ELLIPSE_ASPECT: [number, number] = [1.3, 2.2];
/** Irregular blobs: harmonics k = 2..5 with amplitude U(0, 0.3/k·…), so R(θ) ≥ 0.55 r. */
const BLOB_HARMONICS = 4;
const BLOB_AMPLITUDE = 0.45;

/**
 * Samples one image's voids. Draw order (fixed, so a seed always gives the same image): rotation; then
 * per void: radius, position x, position y, shape details.
 */
export function sampleVoidLayout(
  params: VoidParams,
  size: { width: number; height: number },
  rng: Rng,
  positionRule: PositionRule = 'centered',
): VoidLayout {
  const rotation = rng.uniform(0, 360);
  const angle = (rotation * Math.PI) / 180;
  const spread = params.position_spread;
  const voids: VoidGeometry[] = [];
  for (let i = 0; i < params.void_count; i++) {
    const radius = Math.max(MIN_RADIUS, params.base_size + rng.normal(0, params.size_std));
    const cx = samplePosition(rng, size.width, spread, positionRule);
    const cy = samplePosition(rng, size.height, spread, positionRule);
    let semiMajor = radius;
    let semiMinor = radius;
    const harmonics: VoidGeometry['harmonics'][number][] = [];
    if (params.void_shape === 'ellipse') {
      const k = rng.uniform(ELLIPSE_ASPECT[0], ELLIPSE_ASPECT[1]);
      semiMajor = radius * Math.sqrt(k);
      semiMinor = radius / Math.sqrt(k);
    } else if (params.void_shape === 'irregular') {
      // Amplitudes a_k ≤ 0.45/k: Σ a_k ≤ 0.45·(1/2+1/3+1/4+1/5) ≈ 0.58 would allow R < 0.5 r, so they are
      // rescaled below to keep Σ a_k ≤ 0.45 (a smooth, star-free blob).
      let total = 0;
      for (let k = 2; k < 2 + BLOB_HARMONICS; k++) {
        const amplitude = rng.uniform(0, BLOB_AMPLITUDE / k);
        total += amplitude;
        harmonics.push({ k, amplitude, phase: rng.uniform(0, 2 * Math.PI) });
      }
      const scale = total > BLOB_AMPLITUDE ? BLOB_AMPLITUDE / total : 1;
      for (const h of harmonics) h.amplitude *= scale;
      semiMajor = radius * (1 + BLOB_AMPLITUDE);
      semiMinor = radius * (1 - BLOB_AMPLITUDE);
    }
    voids.push({ shape: params.void_shape, cx, cy, radius, semiMajor, semiMinor, angle, harmonics });
  }
  return { voids, rotation, edgeBlur: EDGE_BLUR_PX, positionRule };
}

function samplePosition(rng: Rng, extent: number, spread: number, rule: PositionRule): number {
  const width = spread * extent;
  return rule === 'corner' ? rng.uniform(0, width) : rng.uniform((extent - width) / 2, (extent + width) / 2);
}

/**
 * Signed distance in pixels from (x, y) to the void's outline, positive inside. Exact for circles; for
 * ellipses the first-order estimate g/|∇g| of the implicit function, for blobs the distance to the
 * outline's tangent on the same ray (both accurate within the blur's reach, which is all the painter needs).
 */
export function signedDistance(v: VoidGeometry, x: number, y: number): number {
  return distanceFunction(v)(x, y);
}

/**
 * The signed distance of one void as a function specialised to its shape, with per-void constants
 * precomputed: the painter calls it once per pixel of the void's box.
 */
export function distanceFunction(v: VoidGeometry): (x: number, y: number) => number {
  const { cx, cy } = v;
  if (v.shape === 'circle') {
    const r = v.radius;
    return (x, y) => {
      const dx = x - cx;
      const dy = y - cy;
      return r - Math.sqrt(dx * dx + dy * dy);
    };
  }
  const c = Math.cos(v.angle);
  const s = Math.sin(v.angle);
  if (v.shape === 'ellipse') {
    const ia = 1 / v.semiMajor;
    const ib = 1 / v.semiMinor;
    const b = v.semiMinor;
    return (x, y) => {
      const dx = x - cx;
      const dy = y - cy;
      const u = (dx * c + dy * s) * ia; // along the major axis, in semi-axis units
      const w = (-dx * s + dy * c) * ib;
      const q = Math.sqrt(u * u + w * w);
      if (q === 0) return b;
      const gu = u * ia;
      const gw = w * ib;
      return ((1 - q) * q) / Math.sqrt(gu * gu + gw * gw);
    };
  }
  // Blob: R(θ) = r·(1 + Σ a_k cos(kθ + φ_k)), θ measured from `angle`. cos kθ and sin kθ come from
  // cos θ = u/ρ, sin θ = w/ρ by the Chebyshev recurrences (no trigonometry per pixel):
  // cos (k+1)θ = 2 cos θ · cos kθ − cos (k−1)θ, and the same for sin.
  const r = v.radius;
  const kMax = v.harmonics.reduce((m, h) => Math.max(m, h.k), 1);
  const aCos = new Float64Array(kMax + 1); // a_k cos φ_k
  const aSin = new Float64Array(kMax + 1); // a_k sin φ_k
  for (const h of v.harmonics) {
    aCos[h.k] += h.amplitude * Math.cos(h.phase);
    aSin[h.k] += h.amplitude * Math.sin(h.phase);
  }
  return (x, y) => {
    const dx = x - cx;
    const dy = y - cy;
    const u = dx * c + dy * s;
    const w = -dx * s + dy * c;
    const rho = Math.sqrt(u * u + w * w);
    const cosT = rho === 0 ? 1 : u / rho;
    const sinT = rho === 0 ? 0 : w / rho;
    let cPrev = 1, sPrev = 0; // k = 0
    let cK = cosT, sK = sinT; // k = 1
    let shape = 1;
    let slope = 0;
    for (let k = 2; k <= kMax; k++) {
      const cNext = 2 * cosT * cK - cPrev;
      const sNext = 2 * cosT * sK - sPrev;
      cPrev = cK; sPrev = sK; cK = cNext; sK = sNext;
      // a cos(kθ + φ) = a cos φ cos kθ − a sin φ sin kθ; its θ-derivative is −k(a cos φ sin kθ + a sin φ cos kθ).
      shape += aCos[k] * cK - aSin[k] * sK;
      slope -= k * (aCos[k] * sK + aSin[k] * cK);
    }
    const R = r * shape;
    const dR = r * slope;
    // Distance to the tangent of the outline at the boundary point on the same ray, (R − ρ)·R/√(R² + R'²):
    // exact for a straight edge, and unlike g/|∇g| it stays sensible near the centre (ρ → 0).
    return (R - rho) / Math.sqrt(1 + (dR / R) ** 2);
  };
}

/** Half-width of the void's axis-aligned bounding box, blur margin excluded. */
export function boundingRadius(v: VoidGeometry): number {
  return Math.max(v.semiMajor, v.semiMinor, v.radius);
}
