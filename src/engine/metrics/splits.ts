import type { Rng } from '../random/rng';

/**
 * k distinct indices from 0..n−1, uniformly (partial Fisher–Yates), in draw order. With `scratch` (n
 * distinct values, left permuted) it draws k of those values instead, and repeated draws skip the O(n)
 * set-up: a partial Fisher–Yates pass over any arrangement still yields a uniform ordered k-subset.
 */
export function sampleWithoutReplacement(rng: Rng, n: number, k: number, scratch?: Int32Array): Int32Array {
  if (k > n) throw new Error(`sampleWithoutReplacement: cannot draw ${k} of ${n}`);
  const pool = scratch ?? Int32Array.from({ length: n }, (_, i) => i);
  if (pool.length !== n) throw new Error(`sampleWithoutReplacement: scratch has ${pool.length} entries, expected ${n}`);
  for (let i = 0; i < k; i++) {
    const j = rng.int(i, n - 1);
    const t = pool[i];
    pool[i] = pool[j];
    pool[j] = t;
  }
  return pool.slice(0, k);
}

export interface Split {
  /** Rows that play the real set (n − h of them). */
  reference: Int32Array;
  /** Rows that play the candidate sample (h of them). */
  heldOut: Int32Array;
}

/** Binomial coefficient C(n, k), or Infinity once it passes `limit` (we only compare it with that). */
export function binomialUpTo(n: number, k: number, limit: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) {
    c = (c * (n - k + i)) / i;
    if (c > limit) return Infinity;
  }
  return Math.round(c);
}

/**
 * The splits of n rows into a reference part (n − h) and a held-out part (h). When there are no more
 * than `repeats` distinct splits, all of them (the exact split distribution); otherwise `repeats` seeded
 * uniform draws, which may repeat a split.
 */
export function splitPlan(n: number, h: number, repeats: number, rng: Rng): { splits: Split[]; exhaustive: boolean } {
  if (!(h >= 1 && h < n)) throw new Error(`splitPlan: held-out size ${h} must be in 1..${n - 1}`);
  const complement = (held: Int32Array) => {
    const mask = new Uint8Array(n);
    held.forEach((i) => (mask[i] = 1));
    const reference = new Int32Array(n - held.length);
    let o = 0;
    for (let i = 0; i < n; i++) if (!mask[i]) reference[o++] = i;
    return reference;
  };
  if (binomialUpTo(n, h, repeats) <= repeats) {
    const out: Split[] = [];
    const held = Int32Array.from({ length: h }, (_, i) => i);
    for (;;) {
      out.push({ reference: complement(held), heldOut: held.slice() });
      // Next combination in lexicographic order.
      let i = h - 1;
      while (i >= 0 && held[i] === n - h + i) i--;
      if (i < 0) return { splits: out, exhaustive: true };
      held[i]++;
      for (let j = i + 1; j < h; j++) held[j] = held[j - 1] + 1;
    }
  }
  const splits = Array.from({ length: repeats }, () => {
    const held = sampleWithoutReplacement(rng, n, h).sort();
    return { reference: complement(held), heldOut: held };
  });
  return { splits, exhaustive: false };
}
