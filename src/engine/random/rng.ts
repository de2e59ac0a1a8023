/**
 * Seeded pseudo-random numbers for everything that must be reproducible (sampling, void geometry,
 * splits, projections).
 *
 * Generator: xoshiro128** 1.1 (Blackman & Vigna, 2018, https://prng.di.unimi.it/xoshiro128starstar.c),
 * 128-bit state, period 2^128 − 1, passes BigCrush. Its state is filled by SplitMix32 (a 32-bit variant of
 * Steele, Lea & Flood's SplitMix, with Vigna's recommended constants), so any 32-bit seed, including 0,
 * gives a well-mixed non-zero state. Uniform doubles use the top 53 bits of two outputs; normals use the
 * Box–Muller transform (one value per call, no cached spare, so a stream's values never depend on how
 * many normals were drawn earlier by another caller).
 */
export interface Rng {
  /** Uniform on [0, 1), 53-bit resolution. */
  next(): number;
  /** Uniform 32-bit unsigned integer. */
  uint32(): number;
  /** Uniform on [low, high). */
  uniform(low: number, high: number): number;
  /** Uniform integer on [low, high], both inclusive. */
  int(low: number, high: number): number;
  /** Normal with the given mean and standard deviation. */
  normal(mean?: number, std?: number): number;
  /** Index drawn with probability proportional to weights (non-negative, not all zero). */
  weightedIndex(weights: readonly number[]): number;
  /** An independent stream derived from this one's seed and a label (does not advance this stream). */
  fork(label: string | number): Rng;
  /** The 32-bit seed this stream was created from. */
  readonly seed: number;
}

/** SplitMix32 step: returns [output, next state]. */
function splitmix32(state: number): [number, number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return [z >>> 0, next];
}

/**
 * Hashes any mix of strings and numbers to a 32-bit seed (FNV-1a over the parts' UTF-16 code units with
 * a separator, then a SplitMix32 finaliser). Used to derive a seed from (base chip id, parameter set,
 * replication seed) so every image is reproducible from those alone.
 */
export function hashSeed(...parts: ReadonlyArray<string | number>): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const text = typeof part === 'number' ? numberKey(part) : part;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= 0x1f; // unit separator: hashSeed('ab','c') ≠ hashSeed('a','bc')
    h = Math.imul(h, 0x01000193);
  }
  return splitmix32(h)[0];
}

/** A canonical text for a number (so 1 and 1.0 hash alike, and -0 as 0). */
function numberKey(x: number): string {
  return Object.is(x, -0) ? '0' : String(x);
}

export function createRng(seed: number | string): Rng {
  const seed32 = typeof seed === 'string' ? hashSeed(seed) : seed >>> 0;
  let s = seed32 | 0;
  const state = new Uint32Array(4);
  for (let i = 0; i < 4; i++) {
    const [out, next] = splitmix32(s);
    state[i] = out;
    s = next;
  }

  const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));

  const uint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(state[1], 5), 7), 9) >>> 0;
    const t = state[1] << 9;
    state[2] ^= state[0];
    state[3] ^= state[1];
    state[1] ^= state[2];
    state[0] ^= state[3];
    state[2] ^= t;
    state[3] = rotl(state[3], 11);
    return result;
  };

  const next = (): number => {
    const hi = uint32() >>> 5; // 27 bits
    const lo = uint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992; // (hi·2^26 + lo) / 2^53
  };

  const rng: Rng = {
    seed: seed32,
    next,
    uint32,
    uniform: (low, high) => low + (high - low) * next(),
    int(low, high) {
      if (!Number.isInteger(low) || !Number.isInteger(high) || high < low) {
        throw new RangeError(`int(${low}, ${high}): bounds must be integers with low ≤ high`);
      }
      return low + Math.floor(next() * (high - low + 1));
    },
    normal(mean = 0, std = 1) {
      // Box–Muller: u1 in (0, 1] so log(u1) is finite.
      const u1 = 1 - next();
      const u2 = next();
      return mean + std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    },
    weightedIndex(weights) {
      let total = 0;
      for (const w of weights) {
        if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError('weights must be finite and non-negative');
        total += w;
      }
      if (total <= 0) throw new RangeError('weights must not all be zero');
      let u = next() * total;
      for (let i = 0; i < weights.length; i++) {
        u -= weights[i];
        if (u < 0) return i;
      }
      // Rounding left u ≥ 0 after the last positive weight: return that weight's index.
      for (let i = weights.length - 1; i >= 0; i--) if (weights[i] > 0) return i;
      return weights.length - 1;
    },
    fork: (label) => createRng(hashSeed(seed32, 'fork', label)),
  };
  return rng;
}
