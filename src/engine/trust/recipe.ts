import { crossInnerProducts, gramMatrix, squaredNorms } from '../linalg/innerProducts';
import { vstack, type Matrix } from '../linalg/matrix';
import { assertPositiveFinite, assertSameDimension, assertSample } from '../linalg/validateMatrix';
import { minNormPoint, type MinNormPointOptions } from './recipeSolver';

/**
 * The distribution recipe: mixture weights over the scored parameter sets whose pooled images sit
 * closest to the real set in the embedding space — "draw 60 % of the images from set 3 and 40 % from
 * set 7" can match a real distribution that no single setting reproduces.
 *
 * Kernel: the experiment's fixed Gaussian k(x, y) = exp(−‖x − y‖²/(2σ²)) (metrics/kernelTwoSample.ts).
 * Kernel means, for the scored sets S_1..S_J (n_j rows each) and the real set R (n rows):
 *   A_jk = Σ_{x∈S_j, y∈S_k} k(x, y) / (n_j n_k)      all pairs, the diagonal x = y included when j = k
 *   b_j  = Σ_{x∈S_j, y∈R} k(x, y) / (n_j n)
 *   c    = Σ_{y≠y′ ∈ R} k(y, y′) / (n(n − 1))        distinct pairs (the U-statistic's real-set term)
 * Objective on the simplex {w ≥ 0, Σ w = 1}:
 *   f(w) = wᵀAw − 2wᵀb + c.
 *
 * Why A keeps the within-set diagonal (the V-statistic). With μ_j = (1/n_j) Σ_{x∈S_j} k(x, ·), the
 * empirical kernel mean embedding of S_j, A_jk = ⟨μ_j, μ_k⟩ exactly, so A is a Gram matrix — positive
 * semidefinite — and f is convex; with μ_R^V the same embedding of R and c_V = ‖μ_R^V‖² (all pairs),
 *   f(w) = ‖Σ_j w_j μ_j − μ_R^V‖² − (c_V − c),
 * the biased (V-statistic) MMD² between the pooled mixture Σ w_j P̂_j and R (Gretton et al., JMLR 2012,
 * eq. 5), shifted by the constant c_V − c = (1 − c)/n ≥ 0 that makes the real-set term unbiased. f can
 * therefore be slightly negative (down to −(1 − c)/n), as the unbiased MMD² can. The constant does not
 * move the minimiser. Removing the diagonal from A_jj instead (the U-statistic of the mixture) replaces
 * A_jj by A^U_jj = A_jj − d_j with d_j = (1 − A^U_jj)/n_j ≥ 0 (since A_jj = A^U_jj + (1 − A^U_jj)/n_j when
 * k(x, x) = 1), and A minus a non-negative diagonal need not be PSD: for two sets close to each other
 * (A_12 ≈ A_11 ≈ A_22) the minor (A_11 − d_1)(A_22 − d_2) − A_12² is negative. That problem can be
 * non-convex with local minima, so we keep the convex V-form and report the U-form's value at the
 * solution as `mmd2Unbiased` (and the best single set's as `bestSingle.mmd2Unbiased`).
 * Caveat of the V-form: the two forms differ by Σ_j w_j² d_j, so spreading weight over several sets
 * lowers the objective through the self-pairs alone — the recipe is biased towards mixing, by up to
 * d_j ≤ 1/n_j at a vertex: large for sets of three replicates. Compare `mmd2Unbiased` with
 * `bestSingle.mmd2Unbiased` before reading a recipe as better than its best set.
 *
 * Solver: Wolfe's minimum-norm-point algorithm (recipeSolver.ts) on p_j = μ_j − μ_R^V, whose Gram matrix
 * is G_jk = A_jk − b_j − b_k + c_V, started at the best single set; the result is the exact optimum of
 * its support, with the Frank–Wolfe duality gap reported.
 */

export interface RecipeKernelMeans {
  /** Number of sets J. */
  readonly count: number;
  /** A, row-major J×J, symmetric (all pairs, diagonal included). */
  readonly A: Float64Array;
  /** b_j, length J. */
  readonly b: Float64Array;
  /** c: mean kernel over distinct pairs of the real set. */
  readonly c: number;
  /** c_V: mean kernel over all pairs of the real set, diagonal included (‖μ_R^V‖²). */
  readonly cAllPairs: number;
  /** Rows per set (for the within-set U-statistic of `mmd2Unbiased`). */
  readonly sizes: readonly number[];
}

export type RecipeOptions = MinNormPointOptions;

export interface DistributionRecipe {
  /** Per set, in input order; exactly 0 off the support; Σ = 1 up to rounding. */
  weights: number[];
  /** Indices with weight > 0, ascending. */
  support: number[];
  /** f(w) = wᵀAw − 2wᵀb + c at the recipe. */
  mmd2: number;
  /**
   * The same with the within-set diagonal removed from A (the unbiased MMD² of the mixture at these
   * weights); NaN when a set in the support has a single row.
   */
  mmd2Unbiased: number;
  /**
   * The best vertex: f(e_j) = A_jj − 2b_j + c, smallest (first index on ties), and that set's unbiased
   * MMD² (the per-set score's estimator; NaN for a one-row set). Compare `mmd2Unbiased` with the latter:
   * the V-form's self-pair term (1 − A^U_jj)/n_j is large for sets of a few replicates and favours mixing.
   */
  bestSingle: { index: number; mmd2: number; mmd2Unbiased: number };
  /** Major cycles of the solver. */
  iterations: number;
  /** Frank–Wolfe duality gap wᵀg − min_j g_j with g = ∇f = 2(Aw − b): an upper bound on f(w) − f*. */
  gap: number;
  /** max over the support of |g_j − wᵀg| (0 at an exact KKT point; the gap covers the other sets). */
  stationarity: number;
  /** ∇f(w) = 2(Aw − b), per set. */
  gradient: number[];
}

/** Gaussian-kernel sums are accumulated over groups of consecutive sets of about this many rows. */
const groupRows = 512;

/**
 * A, b, c and c_V for the sets and the real set (formulas in the header). One pass over the pooled
 * inner products: sets are taken in groups of ≤ `groupRows` rows, each against every later row of the
 * pool, so memory stays O(groupRows · N) and each A_jk is summed once (then mirrored: A is exactly
 * symmetric).
 */
export function recipeKernelMeans(sets: readonly Matrix[], real: Matrix, bandwidth: number): RecipeKernelMeans {
  const fn = 'recipeKernelMeans';
  validate(fn, sets, real, bandwidth);
  const J = sets.length;
  const D = real.cols;
  const pool = vstack([...sets, real]);
  const norms = squaredNorms(pool);
  const scale = -1 / (2 * bandwidth * bandwidth);
  const offsets: number[] = [0];
  for (const s of sets) offsets.push(offsets[offsets.length - 1] + s.rows);
  const realStart = offsets[J];
  const N = pool.rows;
  const A = new Float64Array(J * J);
  const b = new Float64Array(J);

  for (let first = 0; first < J; ) {
    let last = first + 1;
    while (last < J && offsets[last + 1] - offsets[first] <= groupRows) last++;
    const rowStart = offsets[first];
    const rowCount = offsets[last] - rowStart;
    const left: Matrix = { rows: rowCount, cols: D, data: pool.data.subarray(rowStart * D, (rowStart + rowCount) * D) };
    const right: Matrix = { rows: N - rowStart, cols: D, data: pool.data.subarray(rowStart * D) };
    const products = crossInnerProducts(left, right);
    const width = N - rowStart;
    // kernelSum(i0, i1, c0, c1): Σ k over pool rows [i0, i1) × [c0, c1).
    const kernelSum = (i0: number, i1: number, c0: number, c1: number) => {
      let total = 0;
      for (let i = i0; i < i1; i++) {
        const row = (i - rowStart) * width - rowStart;
        const ni = norms[i];
        for (let c = c0; c < c1; c++) total += Math.exp(Math.max(0, ni + norms[c] - 2 * products[row + c]) * scale);
      }
      return total;
    };
    for (let j = first; j < last; j++) {
      const nj = sets[j].rows;
      for (let k = j; k < J; k++) {
        const v = kernelSum(offsets[j], offsets[j + 1], offsets[k], offsets[k + 1]) / (nj * sets[k].rows);
        A[j * J + k] = v;
        A[k * J + j] = v;
      }
      b[j] = kernelSum(offsets[j], offsets[j + 1], realStart, N) / (nj * real.rows);
    }
    first = last;
  }

  const n = real.rows;
  const realNorms = norms.subarray(realStart);
  const gram = gramMatrix(real);
  let offDiagonal = 0;
  for (let i = 0; i < n; i++) {
    for (let k = i + 1; k < n; k++) offDiagonal += Math.exp(Math.max(0, realNorms[i] + realNorms[k] - 2 * gram[i * n + k]) * scale);
  }
  // k(y, y) = 1 for the Gaussian kernel: the diagonal adds n to the all-pairs sum.
  const c = (2 * offDiagonal) / (n * (n - 1));
  const cAllPairs = (2 * offDiagonal + n) / (n * n);
  return { count: J, A, b, c, cAllPairs, sizes: sets.map((s) => s.rows) };
}

/**
 * Minimises f(w) = wᵀAw − 2wᵀb + c on the simplex for given kernel means (see the header). A must be
 * the Gram matrix of the sets' kernel mean embeddings (as recipeKernelMeans computes it).
 */
export function solveRecipe(means: RecipeKernelMeans, options: RecipeOptions = {}): DistributionRecipe {
  const fn = 'solveRecipe';
  const { count: J, A, b, c, cAllPairs, sizes } = means;
  if (!Number.isInteger(J) || J < 1) throw new Error(`${fn}: argument \`means\` has ${J} sets; needs at least 1`);
  if (A.length !== J * J || b.length !== J || sizes.length !== J) {
    throw new Error(`${fn}: argument \`means\` is inconsistent (A has ${A.length} values, b ${b.length}, sizes ${sizes.length}, for ${J} sets)`);
  }
  const finite = (name: string, values: ArrayLike<number>) => {
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) throw new Error(`${fn}: argument \`means.${name}\` has ${values[i]} at index ${i}`);
    }
  };
  finite('A', A);
  finite('b', b);
  finite('c', [c, cAllPairs]);

  // Vertex values f(e_j) = A_jj − 2b_j + c; the best one is the solver's start and the recipe's baseline.
  let best = 0;
  const vertex = (j: number) => A[j * J + j] - 2 * b[j] + c;
  for (let j = 1; j < J; j++) if (vertex(j) < vertex(best)) best = j;

  // G_jk = ⟨μ_j − μ_R^V, μ_k − μ_R^V⟩ = A_jk − b_j − b_k + c_V.
  const G = new Float64Array(J * J);
  for (let j = 0; j < J; j++) for (let k = 0; k < J; k++) G[j * J + k] = A[j * J + k] - b[j] - b[k] + cAllPairs;
  const solution = minNormPoint(G, J, best, options);

  const weights = new Array<number>(J).fill(0);
  solution.support.forEach((j, a) => (weights[j] = solution.weights[a]));
  let support = solution.support;
  let mmd2 = objective(means, support, weights);
  if (!(mmd2 <= vertex(best))) {
    // Only rounding can put the solver's point above its starting vertex; the vertex is then the answer.
    weights.splice(0, J, ...vertexWeights(J, best));
    support = [best];
    mmd2 = vertex(best);
  }

  const gradient = new Array<number>(J);
  let multiplier = 0;
  for (let j = 0; j < J; j++) {
    let s = 0;
    for (const k of support) s += A[j * J + k] * weights[k];
    gradient[j] = 2 * (s - b[j]);
  }
  for (const j of support) multiplier += weights[j] * gradient[j];
  let stationarity = 0;
  for (const j of support) stationarity = Math.max(stationarity, Math.abs(gradient[j] - multiplier));
  const gap = Math.max(0, multiplier - Math.min(...gradient));

  return {
    weights,
    support,
    mmd2,
    mmd2Unbiased: unbiasedObjective(means, support, weights),
    bestSingle: { index: best, mmd2: vertex(best), mmd2Unbiased: unbiasedObjective(means, [best], vertexWeights(J, best)) },
    iterations: solution.iterations,
    gap,
    stationarity,
    gradient,
  };
}

/** distributionRecipe's arguments as one plain object (what crosses to the analyze worker). */
export interface RecipeInput {
  sets: readonly Matrix[];
  real: Matrix;
  bandwidth: number;
  options?: RecipeOptions;
}

/**
 * The recipe for scored sets (their embeddings, one matrix per parameter set) against the real set, with
 * the experiment's fixed Gaussian bandwidth σ (embedding-distance units).
 */
export function distributionRecipe(sets: readonly Matrix[], real: Matrix, bandwidth: number, options: RecipeOptions = {}): DistributionRecipe {
  validate('distributionRecipe', sets, real, bandwidth);
  return solveRecipe(recipeKernelMeans(sets, real, bandwidth), options);
}

function vertexWeights(J: number, j: number): number[] {
  const w = new Array<number>(J).fill(0);
  w[j] = 1;
  return w;
}

/** f(w) = wᵀAw − 2wᵀb + c, summed over the support only. */
function objective(means: RecipeKernelMeans, support: readonly number[], w: readonly number[]): number {
  const { A, b, c, count: J } = means;
  let quadratic = 0;
  let linear = 0;
  for (const j of support) {
    let s = 0;
    for (const k of support) s += A[j * J + k] * w[k];
    quadratic += w[j] * s;
    linear += w[j] * b[j];
  }
  return quadratic - 2 * linear + c;
}

/** f with A_jj replaced by the distinct-pairs mean (n_j² A_jj − n_j)/(n_j(n_j − 1)) (k(x, x) = 1). */
function unbiasedObjective(means: RecipeKernelMeans, support: readonly number[], w: readonly number[]): number {
  const { A, sizes, count: J } = means;
  let correction = 0;
  for (const j of support) {
    const n = sizes[j];
    if (n < 2) return NaN;
    const diagonalU = (n * n * A[j * J + j] - n) / (n * (n - 1));
    correction += w[j] * w[j] * (diagonalU - A[j * J + j]);
  }
  return objective(means, support, w) + correction;
}

function validate(fn: string, sets: readonly Matrix[], real: Matrix, bandwidth: number): void {
  if (!Array.isArray(sets)) throw new TypeError(`${fn}: argument \`sets\` must be an array of matrices`);
  if (sets.length === 0) throw new Error(`${fn}: argument \`sets\` is empty; needs at least one scored set`);
  sets.forEach((s, j) => assertSample(fn, `sets[${j}]`, s, 1, 'a set needs a point'));
  assertSample(fn, 'real', real, 2, 'c averages the kernel over distinct pairs of the real set');
  sets.forEach((s, j) => assertSameDimension(fn, `sets[${j}]`, s, 'real', real));
  assertPositiveFinite(fn, 'bandwidth', bandwidth);
}
