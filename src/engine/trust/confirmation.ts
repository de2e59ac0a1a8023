import type { Matrix } from '../linalg/matrix';
import { assertPositiveFinite } from '../linalg/validateMatrix';
import { bootstrapOnKernel, bootstrapRng, checkBootstrapOptions, type BootstrapInterval } from './bootstrapInterval';
import { confirmationStatement, formatNumber, formatPercent, type Verdict } from './confirmationStatement';
import { checkDetectableOptions, detectableShiftChecked, type DetectableShift, type DetectableShiftOptions } from './detectableShift';
import { checkFloorOptions, floorOnKernel, type FloorAtSizes, type FloorAtSizesOptions } from './floorAtSizes';
import { checkPermutations, minPermutations, permutationRng, permutationTestOnKernel } from './permutationTest';
import { pooledKernel, type KernelMatrix } from './pooledKernel';
import { checkOpenUnit, checkSamples, checkSeed } from './trustArguments';

export type { Verdict } from './confirmationStatement';

/**
 * The confirmation test of a best setting: m synthetic rows (its images' embeddings, default 32) against
 * the n real rows, with the experiment's fixed Gaussian kernel.
 *
 * Numbers (each function also stands alone, with the same seed giving the same value):
 *   MMD²   the unbiased estimate (metrics/kernelTwoSample.ts);
 *   p      the Monte Carlo permutation p-value (1 + b)/(1 + P), P ≥ 1000 (permutationTest.ts);
 *   [lo, hi] the percentile bootstrap interval, default 90 %, identical-source pairs excluded
 *          (bootstrapInterval.ts);
 *   δ      the user's margin, else the real-vs-real floor's 95th percentile scaled to these sizes
 *          (floorAtSizes.ts);
 *   detectable shift  the smallest mean shift the test catches with 80 % power here (detectableShift.ts).
 *
 * Verdict:
 *   distinguishable       p < α (default 0.05): the test tells the two samples apart;
 *   indistinguishable     otherwise, when hi < δ: the difference is, with the interval's confidence,
 *                         smaller than what two real samples show at these sizes;
 *   not enough evidence   neither.
 * When both p < α and hi < δ hold, "distinguishable" wins: "indistinguishable" would be literally false
 * once the test has told them apart at level α. The statement then adds that the difference lies below δ
 * — detected, but smaller than real-vs-real noise — so that reading is not lost. (With the floor's δ the
 * two rarely meet: both p < α and δ compare the statistic with a 95 % null quantile at the same sizes.)
 */

export interface ConfirmInput {
  real: Matrix;
  synthetic: Matrix;
  /** σ of the experiment's Gaussian kernel (fixed at iteration 0). */
  bandwidth: number;
  /** Significance level of the permutation test (default 0.05). */
  alpha?: number;
  /** The margin δ (kernel units); omitted: the real-vs-real floor at these sizes. */
  delta?: number;
  seed: number;
  /** Permutations (default and minimum 1000). */
  permutations?: number;
  /** Bootstrap replicates (default 1000) and interval level (default 0.9). */
  resamples?: number;
  level?: number;
  /** Floor settings when δ comes from the floor (splits, quantile, size adjustment). */
  floor?: Omit<FloorAtSizesOptions, 'seed'>;
  /** Detectable-shift settings, or false to skip it (default: computed with K = 40). */
  detectable?: false | Omit<DetectableShiftOptions, 'seed' | 'alpha' | 'permutations'>;
}

export interface Confirmation {
  verdict: Verdict;
  mmd2: number;
  pValue: number;
  interval: BootstrapInterval;
  delta: number;
  deltaSource: 'floor' | 'user';
  sizes: { real: number; synthetic: number };
  statement: string;
  alpha: number;
  permutations: number;
  /** The floor behind δ (null when the user set δ). */
  floor: FloorAtSizes | null;
  /** The detectable shift (null when skipped). */
  detectable: DetectableShift | null;
}

/** The top-left n × n block of a pooled kernel: the real set's own kernel. */
function realBlock(kernel: KernelMatrix, n: number): KernelMatrix {
  const values = new Float64Array(n * n);
  for (let i = 0; i < n; i++) values.set(kernel.values.subarray(i * kernel.size, i * kernel.size + n), i * n);
  return { values, size: n };
}

export function decideVerdict(pValue: number, alpha: number, intervalHigh: number, delta: number): Verdict {
  if (pValue < alpha) return 'distinguishable';
  if (intervalHigh < delta) return 'indistinguishable';
  return 'not enough evidence';
}

function detectableSentence(d: DetectableShift): string {
  const along = "along the real set's first principal direction";
  const power = `${formatPercent(d.targetPower)} % power`;
  if (!d.found) return `no mean shift up to ${formatNumber(d.curve[d.curve.length - 1].offsetSd)} sd ${along} reached ${power} at these sizes (${d.simulations} simulations)`;
  return `the test catches a mean shift of ${formatNumber(d.offsetSd)} sd ${along} (MMD² ${formatNumber(d.mmd2)}) with ${power} at these sizes (${d.simulations} simulations)`;
}

export function confirm(input: ConfirmInput): Confirmation {
  const fn = 'confirm';
  const { real, synthetic, bandwidth } = input;
  checkSamples(fn, real, synthetic, bandwidth);
  const seed = checkSeed(fn, input.seed);
  const alpha = checkOpenUnit(fn, 'alpha', input.alpha ?? 0.05);
  const permutations = checkPermutations(fn, input.permutations ?? minPermutations);
  const { resamples, level } = checkBootstrapOptions(fn, input);
  if (input.delta !== undefined) assertPositiveFinite(fn, 'delta', input.delta);
  const n = real.rows;
  const m = synthetic.rows;
  const floorOptions = input.delta === undefined ? checkFloorOptions(fn, n, m, { ...input.floor, seed }) : null;
  const detectableOptions = input.detectable === false ? null : checkDetectableOptions(fn, { ...input.detectable, alpha, permutations, seed });

  const kernel = pooledKernel(real, synthetic, bandwidth);
  const test = permutationTestOnKernel(kernel, n, m, permutations, permutationRng(seed));
  const interval = bootstrapOnKernel(kernel, n, m, resamples, level, bootstrapRng(seed));
  const floor = floorOptions ? floorOnKernel(realBlock(kernel, n), m, floorOptions) : null;
  const delta = floor ? floor.delta : (input.delta as number);
  const detectable = detectableOptions ? detectableShiftChecked(fn, real, m, bandwidth, detectableOptions) : null;

  const verdict = decideVerdict(test.pValue, alpha, interval.high, delta);
  const statement = confirmationStatement({
    verdict,
    mmd2: test.mmd2,
    pValue: test.pValue,
    interval,
    alpha,
    delta,
    deltaOrigin: floor ? `the real-vs-real floor, ${floor.note}` : 'set by the user',
    sizes: { real: n, synthetic: m },
    detectable: detectable ? detectableSentence(detectable) : null,
  });
  return {
    verdict,
    mmd2: test.mmd2,
    pValue: test.pValue,
    interval,
    delta,
    deltaSource: floor ? 'floor' : 'user',
    sizes: { real: n, synthetic: m },
    statement,
    alpha,
    permutations,
    floor,
    detectable,
  };
}
