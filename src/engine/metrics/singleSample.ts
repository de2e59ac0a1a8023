import type { Matrix } from '../linalg/matrix';
import { assertSameDimension, assertSample } from '../linalg/validateMatrix';
import type { ScoringContext } from './config';
import { summarize, type NoiseFloor } from './noiseFloor';

/**
 * The score of a parameter set told with one sample x (a client whose samples each carry their own
 * parameters). The unbiased MMD² needs two samples of the set for its within-set term E k(y, y′); with
 * one, that term is taken from the real set:
 *
 *   s(x) = 2 (k̄_RR − k̄_xR),   k̄_RR = Σ_{i≠j} k(r_i, r_j) / (n(n−1)),   k̄_xR = Σ_j k(x, r_j) / n,
 *
 * with the experiment's Gaussian kernel k(a, b) = exp(−‖a−b‖²/(2σ²)). Its expectation is
 * MMD²(P, R) − (E_P k(y, y′) − E_R k(r, r′)): the unbiased MMD² when the generator at these settings
 * spreads as the real set does, lower when it is more concentrated. Under P = R it is centred on 0, as
 * the unbiased MMD² is, so the two share the GP's scale; one sample's score is far noisier, which the
 * GP's per-observation noise (∝ 1/replicates) carries.
 *
 * Floor: the same statistic for each real sample against the n − 1 others (leave-one-out, n values).
 */
export function scoreSingleSample(real: Matrix, sample: Matrix, context: ScoringContext): { score: number; floor: NoiseFloor } {
  assertSample('scoreSingleSample', 'real', real, 3, 'the leave-one-out floor needs pairs among the other real rows');
  assertSameDimension('scoreSingleSample', 'real', real, 'sample', sample);
  if (sample.rows !== 1) throw new Error(`scoreSingleSample: the set has ${sample.rows} samples; sets of two or more get the unbiased MMD²`);
  const { bandwidth, band } = context.config;
  const scale = -1 / (2 * bandwidth * bandwidth);
  const n = real.rows;
  const d = real.cols;
  const kernel = (a: ArrayLike<number>, ai: number, b: ArrayLike<number>, bi: number) => {
    let sq = 0;
    for (let c = 0; c < d; c++) {
      const t = a[ai * d + c] - b[bi * d + c];
      sq += t * t;
    }
    return Math.exp(sq * scale);
  };
  // Row sums of the real Gram matrix without its diagonal: every leave-one-out term reads them.
  const rowSums = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const k = kernel(real.data, i, real.data, j);
      rowSums[i] += k;
      rowSums[j] += k;
      total += 2 * k;
    }
  }
  let cross = 0;
  for (let j = 0; j < n; j++) cross += kernel(sample.data, 0, real.data, j);
  const score = 2 * (total / (n * (n - 1)) - cross / n);
  const floorValues = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // Real sample i against the others: within-term over the n − 1 others, cross-term its own row sum.
    const within = (total - 2 * rowSums[i]) / ((n - 1) * (n - 2));
    floorValues[i] = 2 * (within - rowSums[i] / (n - 1));
  }
  return {
    score,
    floor: { available: true, referenceSize: n - 1, heldOutSize: 1, splits: n, exhaustive: true, ...summarize(floorValues, band) },
  };
}
