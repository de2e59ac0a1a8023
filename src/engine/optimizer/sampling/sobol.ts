import { createRng } from '../../random/rng';
import { SOBOL_DIRECTIONS } from './sobolDirections';

/**
 * Sobol low-discrepancy points in [0, 1)^d (Bratley & Fox 1988, Gray-code order, Antonov & Saleev
 * 1979), with Joe–Kuo direction numbers (see sobolDirections.ts), 30 bits per coordinate as SciPy.
 *
 * Scrambling (default on): Matoušek's linear matrix scramble (a random lower-triangular binary matrix
 * with unit diagonal per dimension, applied to the direction numbers) followed by a random digital
 * shift. Both are linear over GF(2), so every (t, m, s)-net property of the unscrambled sequence is kept
 * while the points become randomised (no point at the origin, an unbiased estimator of integrals).
 * Without scrambling the sequence equals scipy.stats.qmc.Sobol(d, scramble=False).
 */

const BITS = 30;
const SCALE = 2 ** BITS;
export const SOBOL_MAX_DIMENSION = SOBOL_DIRECTIONS.length + 1;

export interface SobolOptions {
  /** Randomise with a linear matrix scramble and a digital shift (default true). */
  scramble?: boolean;
  /** Seed of the scramble. */
  seed?: number;
}

/** Direction integers V_j (j = 0..BITS−1) of one dimension, as 30-bit integers. */
function directionIntegers(dimension: number): Uint32Array {
  const v = new Uint32Array(BITS);
  if (dimension === 0) {
    for (let j = 0; j < BITS; j++) v[j] = 1 << (BITS - 1 - j);
    return v;
  }
  const [poly, initial] = SOBOL_DIRECTIONS[dimension - 1];
  const degree = initial.length;
  const m = new Uint32Array(BITS);
  for (let j = 0; j < degree && j < BITS; j++) m[j] = initial[j];
  // m_j = 2a_1 m_{j−1} ⊕ 4a_2 m_{j−2} ⊕ … ⊕ 2^{s−1}a_{s−1} m_{j−s+1} ⊕ 2^s m_{j−s} ⊕ m_{j−s}
  for (let j = degree; j < BITS; j++) {
    let value = m[j - degree];
    for (let k = 1; k <= degree; k++) {
      const coefficient = (poly >> (degree - k)) & 1; // a_k, with a_s = 1 (the constant term)
      if (coefficient) value ^= m[j - k] << k;
    }
    m[j] = value;
  }
  for (let j = 0; j < BITS; j++) v[j] = (m[j] << (BITS - 1 - j)) >>> 0;
  return v;
}

function parity(x: number): number {
  x ^= x >>> 16;
  x ^= x >>> 8;
  x ^= x >>> 4;
  x ^= x >>> 2;
  x ^= x >>> 1;
  return x & 1;
}

/** Applies a lower-triangular GF(2) matrix (rows as bit masks, row 0 = most significant digit). */
function applyBinaryMatrix(rows: Uint32Array, x: number): number {
  let out = 0;
  for (let i = 0; i < BITS; i++) if (parity(rows[i] & x)) out |= 1 << (BITS - 1 - i);
  return out >>> 0;
}

/**
 * `count` points of the d-dimensional sequence starting at index `skip` (so a caller can continue a
 * sequence across calls). Returns rows of length d.
 */
export function sobolPoints(dimension: number, count: number, skip = 0, options: SobolOptions = {}): number[][] {
  if (!Number.isInteger(dimension) || dimension < 1) throw new Error(`Sobol: dimension ${dimension} must be a positive integer`);
  if (dimension > SOBOL_MAX_DIMENSION) throw new Error(`Sobol: at most ${SOBOL_MAX_DIMENSION} dimensions are supported, got ${dimension}`);
  if (skip + count > SCALE) throw new Error(`Sobol: at most 2^${BITS} points`);
  const scramble = options.scramble ?? true;
  const rng = createRng(options.seed ?? 0).fork('sobol-scramble');
  const directions: Uint32Array[] = [];
  const shift = new Uint32Array(dimension);
  for (let d = 0; d < dimension; d++) {
    let v = directionIntegers(d);
    if (scramble) {
      const rows = new Uint32Array(BITS);
      for (let i = 0; i < BITS; i++) {
        const diagonal = 1 << (BITS - 1 - i);
        const above = (((1 << BITS) - 1) & ~((diagonal << 1) - 1)) >>> 0; // digits more significant than i
        rows[i] = ((rng.uint32() & above) | diagonal) >>> 0;
      }
      v = v.map((x) => applyBinaryMatrix(rows, x));
      shift[d] = rng.uint32() >>> (32 - BITS);
    }
    directions.push(v);
  }
  // State at index `skip`: XOR of the direction integers selected by the Gray code of skip.
  const state = new Uint32Array(dimension);
  const gray = skip ^ Math.floor(skip / 2);
  for (let j = 0; j < BITS; j++) {
    if (Math.floor(gray / 2 ** j) % 2 === 1) for (let d = 0; d < dimension; d++) state[d] ^= directions[d][j];
  }
  const points: number[][] = [];
  for (let i = 0; i < count; i++) {
    const index = skip + i;
    points.push(Array.from(state, (s, d) => ((s ^ shift[d]) >>> 0) / SCALE));
    // Gray-code step: flip the direction integer of the lowest zero bit of the index.
    let c = 0;
    while (Math.floor(index / 2 ** c) % 2 === 1) c++;
    if (c < BITS) for (let d = 0; d < dimension; d++) state[d] ^= directions[d][c];
  }
  return points;
}
