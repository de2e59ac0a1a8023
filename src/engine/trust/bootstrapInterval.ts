import type { Matrix } from '../linalg/matrix';
import { quantileOfSorted } from '../metrics/summary';
import { createRng, hashSeed, type Rng } from '../random/rng';
import { pooledKernel, type KernelMatrix } from './pooledKernel';
import { checkCount, checkOpenUnit, checkSamples, checkSeed } from './trustArguments';

/**
 * Bootstrap interval of the unbiased MMD²: each of B replicates resamples the real rows (n draws with
 * replacement) and the synthetic rows (m draws with replacement) independently, and the interval is the
 * percentile interval — the type-7 quantiles (1 − level)/2 and (1 + level)/2 of the B replicate values
 * (Efron & Tibshirani, "An Introduction to the Bootstrap", 1993, §13.3).
 *
 * Duplicated points. A resample repeats rows, and the unbiased estimator's within-sample terms average
 * over pairs of distinct *positions*: two copies of one row form a pair with k(x, x) = 1, which is not a
 * draw of k(X, X′) for independent X, X′. Left in, those pairs push both within-sample means up and the
 * replicate MMD² up by about (1 − mean k)·(1/n + 1/m) — the V-statistic's bias, which the unbiased
 * statistic exists to remove. So each replicate drops the identical-source pairs: with c_i the number of
 * copies of real row i (d_j of synthetic row j),
 *   W_X = Σ_{i<i′} c_i c_i′ K(x_i, x_i′) / Σ_{i<i′} c_i c_i′        (pairs of different source rows)
 *   W_Y = Σ_{j<j′} d_j d_j′ K(y_j, y_j′) / Σ_{j<j′} d_j d_j′
 *   C   = Σ_{i,j} c_i d_j K(x_i, y_j) / (nm)                           (a real and a synthetic row are never one source)
 *   MMD²* = W_X + W_Y − 2C.
 * With all counts 1 this is the observed MMD²_u. And it is centred on it: the multinomial counts are
 * exchangeable, so E[c_i c_i′ / Σ c c] is the same for every pair i < i′, and the weights sum to 1, so
 * E[W_X] is the plain mean of K over distinct real pairs — E[MMD²*] = MMD²_u exactly (tested by
 * enumerating every resample of a 3 + 3 case). A resample with fewer than two distinct rows on a side
 * has no pair and is drawn again; conditioning on that symmetric event keeps the argument intact.
 */

export interface BootstrapOptions {
  /** B, replicates (default 1000, at least 200). */
  resamples?: number;
  /** Coverage of the percentile interval (default 0.9). */
  level?: number;
  seed: number;
}

export interface BootstrapInterval {
  low: number;
  high: number;
  level: number;
  resamples: number;
}

export function bootstrapRng(seed: number): Rng {
  return createRng(hashSeed(seed, 'trust', 'bootstrap'));
}

/** Σ_{a<b} w_a w_b K[off + a, off + b] and Σ_{a<b} w_a w_b over one side of the pooled kernel. */
function weightedWithin(kernel: KernelMatrix, offset: number, weights: Float64Array): number {
  const { values, size } = kernel;
  let sum = 0;
  let total = 0;
  let squares = 0;
  for (let a = 0; a < weights.length; a++) {
    const wa = weights[a];
    total += wa;
    squares += wa * wa;
    if (wa === 0) continue;
    const row = (offset + a) * size + offset;
    for (let b = a + 1; b < weights.length; b++) sum += wa * weights[b] * values[row + b];
  }
  return sum / ((total * total - squares) / 2);
}

/**
 * MMD²* of one resample given the copy counts of each real row (`realCounts`, length n) and synthetic
 * row (`syntheticCounts`, length m) on the pooled kernel; identical-source pairs excluded (see above).
 * Each side needs two distinct rows with a count > 0.
 */
export function resampledMmd2(kernel: KernelMatrix, realCounts: Float64Array, syntheticCounts: Float64Array): number {
  const n = realCounts.length;
  const m = syntheticCounts.length;
  const { values, size } = kernel;
  let cross = 0;
  let cTotal = 0;
  let dTotal = 0;
  for (let j = 0; j < m; j++) dTotal += syntheticCounts[j];
  for (let i = 0; i < n; i++) {
    const ci = realCounts[i];
    cTotal += ci;
    if (ci === 0) continue;
    const row = i * size + n;
    let s = 0;
    for (let j = 0; j < m; j++) s += syntheticCounts[j] * values[row + j];
    cross += ci * s;
  }
  return weightedWithin(kernel, 0, realCounts) + weightedWithin(kernel, n, syntheticCounts) - (2 * cross) / (cTotal * dTotal);
}

/** Multinomial copy counts of `size` draws with replacement from `size` rows, redrawn until ≥ 2 rows occur. */
function drawCounts(rng: Rng, counts: Float64Array): void {
  const size = counts.length;
  for (;;) {
    counts.fill(0);
    for (let t = 0; t < size; t++) counts[rng.int(0, size - 1)]++;
    let distinct = 0;
    for (let i = 0; i < size && distinct < 2; i++) if (counts[i] > 0) distinct++;
    if (distinct >= 2) return;
  }
}

export function bootstrapOnKernel(kernel: KernelMatrix, n: number, m: number, resamples: number, level: number, rng: Rng): BootstrapInterval {
  const c = new Float64Array(n);
  const d = new Float64Array(m);
  const replicates = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    drawCounts(rng, c);
    drawCounts(rng, d);
    replicates[b] = resampledMmd2(kernel, c, d);
  }
  replicates.sort();
  return { low: quantileOfSorted(replicates, (1 - level) / 2), high: quantileOfSorted(replicates, (1 + level) / 2), level, resamples };
}

export function checkBootstrapOptions(fn: string, options: BootstrapOptions): { resamples: number; level: number } {
  return {
    resamples: checkCount(fn, 'resamples', options.resamples ?? 1000, 200, 'the tails of a 90 % percentile interval need a few hundred replicates'),
    level: checkOpenUnit(fn, 'level', options.level ?? 0.9),
  };
}

/** Percentile bootstrap interval of the unbiased MMD² of real vs synthetic with the fixed bandwidth σ. */
export function bootstrapInterval(real: Matrix, synthetic: Matrix, bandwidth: number, options: BootstrapOptions): BootstrapInterval {
  const fn = 'bootstrapInterval';
  checkSamples(fn, real, synthetic, bandwidth);
  const seed = checkSeed(fn, options?.seed);
  const { resamples, level } = checkBootstrapOptions(fn, options);
  return bootstrapOnKernel(pooledKernel(real, synthetic, bandwidth), real.rows, synthetic.rows, resamples, level, bootstrapRng(seed));
}
