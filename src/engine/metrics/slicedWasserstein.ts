import type { Matrix } from '../linalg/matrix';
import { assertIntegerInRange, assertSameDimension, assertSample } from '../linalg/validateMatrix';
import { createRng, hashSeed } from '../random/rng';
import { SampleGeometry, type SampleSet } from './geometry';

/**
 * L seeded directions uniform on the unit sphere S^{D−1} (normalised standard normal vectors), as an
 * L×D matrix. Fixed by (dim, count, seed): the same directions score every iteration, so SW is one fixed
 * pseudo-metric across the experiment rather than a fresh Monte-Carlo draw each time.
 */
export function sliceDirections(dim: number, count: number, seed = 0): Matrix<Float64Array> {
  const rng = createRng(hashSeed(seed, 'slice-directions', dim, count));
  const data = new Float64Array(count * dim);
  for (let l = 0; l < count; l++) {
    let norm = 0;
    for (let j = 0; j < dim; j++) {
      const v = rng.normal();
      data[l * dim + j] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    for (let j = 0; j < dim; j++) data[l * dim + j] /= norm;
  }
  return { rows: count, cols: dim, data };
}

/**
 * W_p^p between two 1-D empirical distributions with equal weights, both given sorted:
 *   W_p^p = ∫₀¹ |F⁻¹(t) − G⁻¹(t)|^p dt,
 * exact: the quantile functions are step functions with breaks at i/n and j/m, so the integral is a sum
 * over the merged breaks (kept as integers over n·m to avoid rounding which break comes first).
 */
export function wassersteinPowerSorted(a: ArrayLike<number>, b: ArrayLike<number>, p: number): number {
  const n = a.length;
  const m = b.length;
  let i = 0;
  let j = 0;
  let previous = 0;
  let total = 0;
  while (i < n && j < m) {
    const endA = (i + 1) * m;
    const endB = (j + 1) * n;
    const end = Math.min(endA, endB);
    const gap = Math.abs(a[i] - b[j]);
    total += (end - previous) * (p === 1 ? gap : p === 2 ? gap * gap : gap ** p);
    previous = end;
    if (endA === end) i++;
    if (endB === end) j++;
  }
  return total / (n * m);
}

/**
 * Ascending sort; insertion sort below 32 values (the noise floor sorts hundreds of thousands of
 * 3..16-value slices, where the native sort's call overhead dominates).
 */
function sortInPlace(values: Float64Array): void {
  if (values.length > 32) {
    values.sort();
    return;
  }
  for (let i = 1; i < values.length; i++) {
    const v = values[i];
    let j = i - 1;
    while (j >= 0 && values[j] > v) {
      values[j + 1] = values[j];
      j--;
    }
    values[j + 1] = v;
  }
}

/** A sample's projections on each direction, sorted: L rows of |set| values. Reusable across candidates. */
export function sortedSlices(geometry: SampleGeometry, set: SampleSet, directions: Matrix): Float64Array {
  const slices = geometry.slices(directions);
  const L = directions.rows;
  const idx = geometry.poolIndices(set);
  const n = idx.length;
  const out = new Float64Array(L * n);
  for (let l = 0; l < L; l++) {
    const row = out.subarray(l * n, (l + 1) * n);
    for (let i = 0; i < n; i++) row[i] = slices[idx[i] * L + l];
    sortInPlace(row);
  }
  return out;
}

/** SW_p for two samples of one geometry, from its cached slice projections (x's sorted slices optional). */
export function slicedWassersteinOf(geometry: SampleGeometry, x: SampleSet, y: SampleSet, directions: Matrix, p: number, xSorted?: Float64Array): number {
  const L = directions.rows;
  const xs = xSorted ?? sortedSlices(geometry, x, directions);
  const ys = sortedSlices(geometry, y, directions);
  const n = x.ids.length;
  const m = y.ids.length;
  let total = 0;
  for (let l = 0; l < L; l++) total += wassersteinPowerSorted(xs.subarray(l * n, (l + 1) * n), ys.subarray(l * m, (l + 1) * m), p);
  return (total / L) ** (1 / p);
}

export interface SlicedWassersteinOptions {
  /** Number of directions L (default 64). */
  projections?: number;
  seed?: number;
  /** Order p of the Wasserstein distance on each slice: 1 or 2 (default 2). */
  p?: 1 | 2;
  /** Explicit L×D unit directions (overrides projections/seed), e.g. to compare with another implementation. */
  directions?: Matrix;
  maxPooledSynthetic?: number;
}

/**
 * Sliced Wasserstein distance of order p (Bonneel et al., JMIV 2015; Kolouri et al. 2019):
 *   SW_p(X, Y) = ( (1/L) Σ_l W_p^p(θ_lᵀX, θ_lᵀY) )^{1/p}
 * with θ_l fixed seeded unit directions and W_p between the 1-D empirical distributions (exact for
 * unequal n and m). Plug-in estimator: biased upwards at small samples (two samples of one distribution
 * score > 0). Unit: embedding distance. For p = 1 each slice term equals scipy.stats.wasserstein_distance.
 */
export function slicedWasserstein(real: Matrix, synthetic: Matrix, options: SlicedWassersteinOptions = {}): number {
  const fn = 'slicedWasserstein';
  assertSample(fn, 'real', real, 1, 'an empirical distribution needs a row');
  assertSample(fn, 'synthetic', synthetic, 1, 'an empirical distribution needs a row');
  assertSameDimension(fn, 'real', real, 'synthetic', synthetic);
  const p = options.p ?? 2;
  if (p !== 1 && p !== 2) throw new Error(`${fn}: option \`p\` must be 1 or 2, got ${p}`);
  let directions = options.directions;
  if (directions) {
    if (directions.cols !== real.cols) throw new Error(`${fn}: option \`directions\` has ${directions.cols} columns, embeddings have ${real.cols}`);
  } else {
    const count = options.projections ?? 64;
    assertIntegerInRange(fn, 'projections', count, 1, 100_000);
    directions = sliceDirections(real.cols, count, options.seed ?? 0);
  }
  const geometry = new SampleGeometry(real, synthetic, { maxPooledSynthetic: options.maxPooledSynthetic, seed: options.seed });
  return slicedWassersteinOf(geometry, geometry.all('real'), geometry.pooled(), directions, p);
}
