import type { Matrix } from '../linalg/matrix';
import { assertPositiveFinite, assertSample } from '../linalg/validateMatrix';
import { splitPlan } from '../metrics/splits';
import { quantileOfSorted } from '../metrics/summary';
import { createRng, hashSeed } from '../random/rng';
import { gaussianKernelMatrix, pairTotal, splitMmd2, type KernelMatrix } from './pooledKernel';
import { checkCount, checkOpenUnit, checkSeed } from './trustArguments';

/**
 * δ, the real-vs-real floor of the confirmation test: how large the unbiased MMD² gets between two
 * samples of the *real* distribution at the test's sizes — n real vs m synthetic.
 *
 * Splits. The real set is all we have of the real distribution, and n + m fresh real rows do not exist,
 * so the sizes cannot be matched exactly. As the metric suite's floor does (metrics/noiseFloor.ts), a
 * split holds out h real rows as the stand-in "synthetic" sample and keeps the other n − h as the
 * reference:
 *   h = min(m, ⌊n/2⌋)
 * (the held-out part is at most half of the real set, so the reference never shrinks below it). With
 * m ≤ n/2 the synthetic side is matched and the reference has n − h < n rows; with m > n/2 — the usual
 * confirmation, 32 synthetic vs 16 real — both sides are smaller (8 vs 8). The splits are all C(n, h)
 * when there are at most `splits` of them, else `splits` seeded uniform draws; the split quantile is the
 * type-7 `quantile` (default 0.95) of their MMD² values.
 *
 * Size adjustment (default). Smaller samples spread the statistic wider, so an unadjusted δ from 8 vs 8
 * would be a lenient margin for a 16 vs 32 test. Under equal distributions the unbiased MMD² has mean 0
 * at every size and, writing it with the centred kernel k̃ (E k̃(x, X′) = 0; the centring cancels in the
 * statistic), its terms are uncorrelated, so exactly
 *   Var[MMD²_u] = 2ζ·v(n, m),   v(n, m) = 1/(n(n−1)) + 1/(m(m−1)) + 2/(nm),   ζ = E k̃(X, X′)²,
 * and its law tends to (1/n + 1/m)·Σ_l λ_l(z_l² − 1), one shape scaled by the sizes (Gretton et al.,
 * JMLR 2012, Theorem 12). We therefore scale the split quantile by the sd ratio
 *   δ = q_split · √(v(n, m) / v(n − h, h)),
 * exact in mean and variance, asymptotically exact in shape; `sizeAdjustment: 'none'` keeps q_split.
 * Both numbers, the sizes and the factor are in the result. Needs n ≥ 4 (two parts of ≥ 2 rows).
 */

export type SizeAdjustment = 'variance' | 'none';

export interface FloorAtSizesOptions {
  /** Most splits (default 1000; all of them when C(n, h) is no more). */
  splits?: number;
  seed: number;
  /** Quantile of the split values (default 0.95). */
  quantile?: number;
  sizeAdjustment?: SizeAdjustment;
}

export interface FloorAtSizes {
  /** The margin δ at the test's sizes (kernel units). */
  delta: number;
  /** The quantile of the real-vs-real split values, at the split sizes. */
  splitQuantile: number;
  /** δ / splitQuantile: √(v(n, m)/v(n − h, h)), or 1 without size adjustment. */
  scale: number;
  quantile: number;
  sizeAdjustment: SizeAdjustment;
  /** Rows per split: the reference part (n − h) and the held-out part (h). */
  splitSizes: { reference: number; heldOut: number };
  /** The sizes δ is meant for: the test's real and synthetic counts. */
  testSizes: { real: number; synthetic: number };
  splits: number;
  /** True when every C(n, h) split was used. */
  exhaustive: boolean;
  /** One sentence saying how the sizes were matched. */
  note: string;
}

/** v(a, b) = 1/(a(a−1)) + 1/(b(b−1)) + 2/(ab): Var[MMD²_u] / (2ζ) under equal distributions. */
export function nullVarianceFactor(a: number, b: number): number {
  return 1 / (a * (a - 1)) + 1 / (b * (b - 1)) + 2 / (a * b);
}

export function floorHeldOut(n: number, m: number): number {
  return Math.min(m, Math.floor(n / 2));
}

export function floorRng(seed: number, n: number, h: number) {
  return createRng(hashSeed(seed, 'trust', 'floor', n, h));
}

/** The floor from the real set's own kernel matrix (n × n). */
export function floorOnKernel(
  kernel: KernelMatrix,
  m: number,
  options: { splits: number; seed: number; quantile: number; sizeAdjustment: SizeAdjustment },
): FloorAtSizes {
  const n = kernel.size;
  const h = floorHeldOut(n, m);
  const reference = n - h;
  const { splits, exhaustive } = splitPlan(n, h, options.splits, floorRng(options.seed, n, h));
  const total = pairTotal(kernel);
  const order = new Int32Array(n);
  const values = new Float64Array(splits.length);
  splits.forEach((split, s) => {
    order.set(split.reference, 0);
    order.set(split.heldOut, reference);
    values[s] = splitMmd2(kernel, order, reference, h, total);
  });
  values.sort();
  const splitQuantile = quantileOfSorted(values, options.quantile);
  const scale = options.sizeAdjustment === 'variance' ? Math.sqrt(nullVarianceFactor(n, m) / nullVarianceFactor(reference, h)) : 1;
  const capped = h < m ? ` (m = ${m} > n/2: the held-out part is capped at ⌊n/2⌋ = ${h})` : '';
  const adjusted =
    options.sizeAdjustment === 'variance'
      ? `, scaled by ${scale.toPrecision(3)} to ${n} real vs ${m} synthetic (null variance ratio)`
      : `, not adjusted to ${n} real vs ${m} synthetic`;
  const q = Math.round(options.quantile * 1000) / 10;
  return {
    delta: splitQuantile * scale,
    splitQuantile,
    scale,
    quantile: options.quantile,
    sizeAdjustment: options.sizeAdjustment,
    splitSizes: { reference, heldOut: h },
    testSizes: { real: n, synthetic: m },
    splits: splits.length,
    exhaustive,
    note: `${q}th percentile over ${splits.length}${exhaustive ? ' (all)' : ' seeded'} splits of the real set into ${reference} vs ${h}${capped}${adjusted}`,
  };
}

export function checkFloorOptions(fn: string, realRows: number, m: number, options: FloorAtSizesOptions) {
  if (realRows < 4) {
    throw new Error(`${fn}: argument \`real\` has ${realRows} row(s); the real-vs-real floor needs at least 4 (two parts of ≥ 2 rows)${fn === 'confirm' ? ' — or pass `delta`' : ''}`);
  }
  checkCount(fn, 'm', m, 2, 'the unbiased MMD² needs two synthetic rows');
  const sizeAdjustment = options.sizeAdjustment ?? 'variance';
  if (sizeAdjustment !== 'variance' && sizeAdjustment !== 'none') throw new Error(`${fn}: option \`sizeAdjustment\` must be 'variance' or 'none', got ${String(sizeAdjustment)}`);
  return {
    splits: checkCount(fn, 'splits', options.splits ?? 1000, 1, 'a floor needs a split'),
    seed: checkSeed(fn, options?.seed),
    quantile: checkOpenUnit(fn, 'quantile', options.quantile ?? 0.95),
    sizeAdjustment,
  };
}

/** δ for a test of `m` synthetic rows against `real` (n ≥ 4 rows) with the fixed bandwidth σ; see above. */
export function floorAtSizes(real: Matrix, m: number, bandwidth: number, options: FloorAtSizesOptions): FloorAtSizes {
  const fn = 'floorAtSizes';
  assertSample(fn, 'real', real, 4, 'the real-vs-real floor splits it into two parts of ≥ 2 rows');
  assertPositiveFinite(fn, 'bandwidth', bandwidth);
  const checked = checkFloorOptions(fn, real.rows, m, options);
  return floorOnKernel(gaussianKernelMatrix(real, bandwidth), m, checked);
}
