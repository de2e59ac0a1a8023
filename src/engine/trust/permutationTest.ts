import type { Matrix } from '../linalg/matrix';
import { binomialUpTo } from '../metrics/splits';
import { createRng, hashSeed, type Rng } from '../random/rng';
import { identityOrder, pairTotal, pooledKernel, splitMmd2, type KernelMatrix } from './pooledKernel';
import { checkCount, checkSamples, checkSeed } from './trustArguments';

/**
 * The permutation test of "real and synthetic come from the same distribution", with the unbiased
 * Gaussian-kernel MMD² as the statistic (Gretton et al., JMLR 2012, §5: the permutation null).
 *
 * Monte Carlo p-value over P seeded random re-splits of the pooled N = n + m points into n "real" and m
 * "synthetic":
 *   p = (1 + b) / (1 + P),   b = #{permuted MMD² ≥ observed MMD²}
 * (Phipson & Smyth, "Permutation P-values should never be zero", Stat. Appl. Genet. Mol. Biol. 9(1),
 * 2010): counting the observed split as one of the draws makes the test exact — P(p ≤ α) ≤ α under the
 * null — and keeps p ≥ 1/(1 + P). P ≥ 1000, so p resolves 0.05 with a binomial sd of ≤ 0.007.
 *
 * Exhaustive p-value (`exhaustive: true`, small samples): every one of the C(N, n) splits once,
 *   p = #{splits with MMD² ≥ observed} / C(N, n),
 * the observed split included — the exact permutation p-value the Monte Carlo one estimates.
 *
 * Ties: a split and its mirror image (n = m) have the same MMD² in exact arithmetic but may differ in the
 * last bits of a float sum; a statistic within 1e-12 (kernel units; MMD² lies in (−2, 2)) of the
 * observed one counts as ≥ it, so the count does not depend on summation order.
 *
 * Cost: the pooled kernel matrix once (O(N²·D)), then O(n² + m²) lookups per permutation.
 */

export const tieTolerance = 1e-12;

/** Most splits an exhaustive test may enumerate (C(20, 10) = 184,756 and C(22, 10) = 646,646 fit). */
export const maxExhaustiveSplits = 1_000_000;

export const minPermutations = 1000;

export interface PermutationTestOptions {
  /** Random re-splits (default and minimum 1000); ignored when `exhaustive`. */
  permutations?: number;
  seed: number;
  /** Enumerate all C(n + m, n) splits instead (at most 1,000,000 of them). */
  exhaustive?: boolean;
}

export interface PermutationTestResult {
  /** Observed unbiased MMD² (kernel units). */
  mmd2: number;
  pValue: number;
  /** Monte Carlo: b, permuted statistics ≥ observed. Exhaustive: splits ≥ observed, the observed one included. */
  exceedances: number;
  /** P, or C(n + m, n) when exhaustive. */
  permutations: number;
  exhaustive: boolean;
}

/** The seeded stream of a permutation test: one fork per purpose, so seeds never collide. */
export function permutationRng(seed: number): Rng {
  return createRng(hashSeed(seed, 'trust', 'permutation-test'));
}

/**
 * Monte Carlo permutation test on a pooled kernel (rows 0..n−1 real, n..n+m−1 synthetic). With
 * `stopAt`, counting stops as soon as p can no longer fall below it (the power simulations only need the
 * decision p < α; the returned p is then a lower bound ≥ stopAt).
 */
export function permutationTestOnKernel(kernel: KernelMatrix, n: number, m: number, permutations: number, rng: Rng, stopAt = Infinity): PermutationTestResult {
  const size = n + m;
  const total = pairTotal(kernel);
  const scratch = identityOrder(size);
  const observed = splitMmd2(kernel, scratch, n, m, total);
  const threshold = observed - tieTolerance;
  let exceedances = 0;
  for (let p = 0; p < permutations; p++) {
    // Partial Fisher–Yates: the first n entries become a uniform n-subset; the rest is its complement.
    for (let i = 0; i < n; i++) {
      const j = rng.int(i, size - 1);
      const t = scratch[i];
      scratch[i] = scratch[j];
      scratch[j] = t;
    }
    if (splitMmd2(kernel, scratch, n, m, total) >= threshold) {
      exceedances++;
      if ((1 + exceedances) / (1 + permutations) >= stopAt) break;
    }
  }
  return { mmd2: observed, pValue: (1 + exceedances) / (1 + permutations), exceedances, permutations, exhaustive: false };
}

/** Exact permutation test: all C(n + m, n) splits, in lexicographic order of the "real" part. */
export function exhaustiveTestOnKernel(kernel: KernelMatrix, n: number, m: number): PermutationTestResult {
  const size = n + m;
  const total = pairTotal(kernel);
  const observed = splitMmd2(kernel, identityOrder(size), n, m, total);
  const threshold = observed - tieTolerance;
  const chosen = identityOrder(n);
  const order = new Int32Array(size);
  const mask = new Uint8Array(size);
  let splits = 0;
  let exceedances = 0;
  for (;;) {
    mask.fill(0);
    for (let i = 0; i < n; i++) {
      order[i] = chosen[i];
      mask[chosen[i]] = 1;
    }
    let o = n;
    for (let i = 0; i < size; i++) if (!mask[i]) order[o++] = i;
    splits++;
    if (splitMmd2(kernel, order, n, m, total) >= threshold) exceedances++;
    let i = n - 1;
    while (i >= 0 && chosen[i] === size - n + i) i--;
    if (i < 0) break;
    chosen[i]++;
    for (let j = i + 1; j < n; j++) chosen[j] = chosen[j - 1] + 1;
  }
  return { mmd2: observed, pValue: exceedances / splits, exceedances, permutations: splits, exhaustive: true };
}

export function checkPermutations(fn: string, permutations: number): number {
  return checkCount(fn, 'permutations', permutations, minPermutations, 'a confirmation needs at least 1000 seeded permutations for a p-value resolved near 0.05');
}

/**
 * Permutation test of real (n × D) against synthetic (m × D) with the fixed bandwidth σ; see above.
 * Needs n, m ≥ 2, finite values and equal dimensions.
 */
export function permutationTest(real: Matrix, synthetic: Matrix, bandwidth: number, options: PermutationTestOptions): PermutationTestResult {
  const fn = 'permutationTest';
  checkSamples(fn, real, synthetic, bandwidth);
  const seed = checkSeed(fn, options?.seed);
  const kernel = pooledKernel(real, synthetic, bandwidth);
  if (options.exhaustive) {
    const splits = binomialUpTo(real.rows + synthetic.rows, real.rows, maxExhaustiveSplits);
    if (splits > maxExhaustiveSplits) {
      throw new Error(`${fn}: option \`exhaustive\`: C(${real.rows + synthetic.rows}, ${real.rows}) splits exceed ${maxExhaustiveSplits}; use Monte Carlo \`permutations\``);
    }
    return exhaustiveTestOnKernel(kernel, real.rows, synthetic.rows);
  }
  const permutations = checkPermutations(fn, options.permutations ?? minPermutations);
  return permutationTestOnKernel(kernel, real.rows, synthetic.rows, permutations, permutationRng(seed));
}
