import { gramMatrix } from '../linalg/innerProducts';
import type { Matrix } from '../linalg/matrix';
import { assertPositiveFinite, assertSample } from '../linalg/validateMatrix';
import { createRng, hashSeed } from '../random/rng';
import { checkPermutations, minPermutations, permutationTestOnKernel } from './permutationTest';
import type { KernelMatrix } from './pooledKernel';
import { firstPrincipalDirection } from './principalDirection';
import { checkCount, checkOpenUnit, checkSeed } from './trustArguments';

/**
 * The smallest shift the confirmation test would catch at its sizes — its power, by simulation.
 *
 * Family (a location shift along the real set's main axis of variation). Let P̂ be the real set's
 * empirical distribution, u its first principal direction and s the real rows' sd along u
 * (principalDirection.ts). For an offset t (in units of s), one simulation draws
 *   a "real" sample:      n rows with replacement from the real set (P̂),
 *   a "synthetic" sample: m rows with replacement from the real set, each moved by t·s·u,
 * and runs the permutation test exactly as the confirmation does (unbiased MMD², the fixed bandwidth,
 * P permutations, p < α rejects). Both samples are i.i.d. from P̂ at t = 0, so that row of the curve is
 * a true null (the rejection rate there estimates the test's size, ≤ α up to simulation noise); at t > 0
 * they differ by a pure mean shift. Power(t) = the share of K simulations (default 40) that reject.
 * The shifted rows leave the unit sphere of L2-normalised embeddings: this is a sensitivity probe, not
 * a model of a generator's error.
 *
 * Common random numbers: simulation k uses the same draws and the same permutation stream at every
 * offset, so the curve changes with t only through the shift (smoother, and monotone in practice).
 *
 * Search: t = 0, then t = 0.25, 0.5, 1, 2, 4, … up to `maxOffsetSd` (default 16) until the power reaches
 * the target (default 0.8); then 4 bisection steps between the last offset below the target and the
 * first at or above it (resolution 1/16 of that gap). The answer is the smallest offset evaluated whose
 * power is ≥ the target, also expressed as the MMD² it produces: the exact population MMD² between P̂
 * and P̂ moved by t·s·u,
 *   MMD² = (2/n²) Σ_{a,b} [k(x_a, x_b) − k(x_a + t·s·u, x_b)].
 * A simulation's kernel needs no pass over the D coordinates: ‖x_a + δu − x_b‖² = ‖x_a − x_b‖² +
 * 2δ·u·(x_a − x_b) + δ², from the real Gram matrix and the projections on u.
 */

export interface DetectableShiftOptions {
  alpha?: number;
  /** Target power (default 0.8). */
  power?: number;
  /** K, simulations per offset (default 40, at least 10). */
  simulations?: number;
  /** Permutations of each simulated test (default and minimum 1000, as the confirmation). */
  permutations?: number;
  /** Largest offset tried, in sd along the direction (default 16). */
  maxOffsetSd?: number;
  seed: number;
}

export interface PowerPoint {
  offsetSd: number;
  power: number;
  /** Population MMD² between P̂ and its shifted copy (kernel units). */
  mmd2: number;
}

export interface DetectableShift {
  /** False when no offset up to maxOffsetSd reached the target power. */
  found: boolean;
  /** Smallest offset with power ≥ target, in sd of the real set along the direction (NaN if not found). */
  offsetSd: number;
  /** The same offset in embedding units (offsetSd · sd). */
  offset: number;
  /** MMD² that offset produces (population value, kernel units; NaN if not found). */
  mmd2: number;
  /** Power reached at that offset (NaN if not found). */
  power: number;
  /** Rejection rate at offset 0: the test's size under this family. */
  sizeAtZero: number;
  /** The real rows' sd along the direction, in embedding units. */
  sd: number;
  /** Every offset evaluated, in increasing order. */
  curve: PowerPoint[];
  sizes: { real: number; synthetic: number };
  simulations: number;
  permutations: number;
  alpha: number;
  targetPower: number;
}

interface Checked {
  alpha: number;
  power: number;
  simulations: number;
  permutations: number;
  maxOffsetSd: number;
  seed: number;
}

export function checkDetectableOptions(fn: string, options: DetectableShiftOptions): Checked {
  const maxOffsetSd = options.maxOffsetSd ?? 16;
  assertPositiveFinite(fn, 'maxOffsetSd', maxOffsetSd);
  return {
    alpha: checkOpenUnit(fn, 'alpha', options.alpha ?? 0.05),
    power: checkOpenUnit(fn, 'power', options.power ?? 0.8),
    simulations: checkCount(fn, 'simulations', options.simulations ?? 40, 10, 'a power below 10 simulations is too coarse'),
    permutations: checkPermutations(fn, options.permutations ?? minPermutations),
    maxOffsetSd,
    seed: checkSeed(fn, options?.seed),
  };
}

const bisections = 4;

export function detectableShiftChecked(fn: string, real: Matrix, m: number, bandwidth: number, o: Checked): DetectableShift {
  const n = real.rows;
  const size = n + m;
  const { sd, projections } = firstPrincipalDirection(fn, real);
  const gram = gramMatrix(real);
  const sq = new Float64Array(n * n);
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) sq[a * n + b] = a === b ? 0 : Math.max(0, gram[a * n + a] + gram[b * n + b] - 2 * gram[a * n + b]);
  const scale = -1 / (2 * bandwidth * bandwidth);

  const draws = Array.from({ length: o.simulations }, (_, k) => {
    const rng = createRng(hashSeed(o.seed, 'trust', 'detectable-draws', k));
    return Int32Array.from({ length: size }, () => rng.int(0, n - 1));
  });
  const kernel: KernelMatrix = { values: new Float64Array(size * size), size };

  const populationMmd2 = (delta: number): number => {
    let s = 0;
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        const moved = Math.max(0, sq[a * n + b] + 2 * delta * (projections[a] - projections[b]) + delta * delta);
        s += Math.exp(sq[a * n + b] * scale) - Math.exp(moved * scale);
      }
    }
    return (2 * s) / (n * n);
  };

  const evaluate = (offsetSd: number): PowerPoint => {
    const delta = offsetSd * sd;
    const values = kernel.values;
    let rejections = 0;
    for (let k = 0; k < o.simulations; k++) {
      const src = draws[k];
      for (let i = 0; i < size; i++) {
        values[i * size + i] = 1;
        const a = src[i];
        for (let j = i + 1; j < size; j++) {
          const b = src[j];
          let d2 = sq[a * n + b];
          // Only the synthetic rows (index ≥ n) are moved; j > i, so a mixed pair has i real, j synthetic.
          if (i < n && j >= n) d2 = Math.max(0, d2 + 2 * delta * (projections[b] - projections[a]) + delta * delta);
          const value = Math.exp(d2 * scale);
          values[i * size + j] = value;
          values[j * size + i] = value;
        }
      }
      const rng = createRng(hashSeed(o.seed, 'trust', 'detectable-permutations', k));
      if (permutationTestOnKernel(kernel, n, m, o.permutations, rng, o.alpha).pValue < o.alpha) rejections++;
    }
    return { offsetSd, power: rejections / o.simulations, mmd2: populationMmd2(delta) };
  };

  const curve: PowerPoint[] = [evaluate(0)];
  let below = 0;
  let hit: PowerPoint | null = null;
  for (let t = 0.25; t <= o.maxOffsetSd * (1 + 1e-12); t *= 2) {
    const point = evaluate(Math.min(t, o.maxOffsetSd));
    curve.push(point);
    if (point.power >= o.power) {
      hit = point;
      break;
    }
    below = point.offsetSd;
  }
  if (hit === null && curve[curve.length - 1].offsetSd < o.maxOffsetSd) {
    const point = evaluate(o.maxOffsetSd);
    curve.push(point);
    if (point.power >= o.power) hit = point;
  }
  if (hit !== null) {
    for (let s = 0; s < bisections; s++) {
      const point = evaluate((below + hit.offsetSd) / 2);
      curve.push(point);
      if (point.power >= o.power) hit = point;
      else below = point.offsetSd;
    }
  }
  curve.sort((a, b) => a.offsetSd - b.offsetSd);
  return {
    found: hit !== null,
    offsetSd: hit ? hit.offsetSd : NaN,
    offset: hit ? hit.offsetSd * sd : NaN,
    mmd2: hit ? hit.mmd2 : NaN,
    power: hit ? hit.power : NaN,
    sizeAtZero: curve[0].power,
    sd,
    curve,
    sizes: { real: n, synthetic: m },
    simulations: o.simulations,
    permutations: o.permutations,
    alpha: o.alpha,
    targetPower: o.power,
  };
}

/**
 * The smallest mean shift along the real set's first principal direction that the confirmation test
 * (m synthetic vs these n real rows, bandwidth σ) rejects with the target power; see above.
 */
export function detectableShift(real: Matrix, m: number, bandwidth: number, options: DetectableShiftOptions): DetectableShift {
  const fn = 'detectableShift';
  assertSample(fn, 'real', real, 2, 'the unbiased MMD² averages over pairs i ≠ j within each sample');
  assertPositiveFinite(fn, 'bandwidth', bandwidth);
  checkCount(fn, 'm', m, 2, 'the unbiased MMD² needs two synthetic rows');
  return detectableShiftChecked(fn, real, m, bandwidth, checkDetectableOptions(fn, options));
}
