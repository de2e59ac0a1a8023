import { choleskyInPlace, solveLowerInPlace, solveUpperTransposedInPlace } from '../linalg/cholesky';

/**
 * Minimum-norm point of a polytope: min ‖Σ_j w_j p_j‖² over the simplex {w ≥ 0, Σ w = 1}, given only the
 * Gram matrix G_jk = ⟨p_j, p_k⟩ (J×J, positive semidefinite). This is the recipe's QP: with
 * p_j = μ_j − μ_R (kernel mean embeddings, recipe.ts) ‖Σ w_j p_j‖² = wᵀAw − 2wᵀb + c_V on the simplex.
 *
 * Method: Wolfe's algorithm (P. Wolfe, "Finding the nearest point in a polytope", Math. Programming 11,
 * 1976, 128–149), an exact active-set method. It keeps a "corral" S of affinely independent vertices and
 * the current point x = Σ_{i∈S} x_i p_i with x_i > 0.
 *   Major cycle: h_j = ⟨x, p_j⟩ = (Gx)_j; the Frank–Wolfe duality gap of f(w) = wᵀGw is
 *     gap = ∇f(x)ᵀ(x − e_j*) = 2(xᵀGx − min_j h_j) ≥ f(x) − f*,
 *   and x is optimal iff gap = 0 (the KKT conditions of the simplex: (Gx)_j = xᵀGx on S, ≥ elsewhere).
 *   Stop when gap ≤ tolerance; else add j* = argmin h to S.
 *   Minor cycle: y = the minimiser of ‖Σ λ_i p_i‖² on the affine hull of S (Σλ = 1, sign free), from
 *     (11ᵀ + G_SS) u = 1, λ = u / Σu (Wolfe's eq. for the affine minimiser: G_SS λ = μ1 with μ = λᵀG_SSλ,
 *     so (11ᵀ + G_SS)λ = (1 + μ)1; the matrix is positive definite iff S is affinely independent).
 *     If every λ_i > 0, x = y. Otherwise move x towards y until the first weight reaches 0, drop the
 *     vertices whose weight reached 0 (set to exactly 0), and repeat.
 * The objective strictly decreases at every major cycle and no corral repeats, so it ends after finitely
 * many steps with the exact optimum (up to rounding): the final x is the solution of the equality-
 * constrained KKT system on its support — the "exact solve on the support" — with one step of iterative
 * refinement. Weights below `weightFloor` are dropped as zero, so a weight is either exactly 0 or a
 * number the data determine, never a rounding residue like 1e-17.
 */

export interface MinNormPointOptions {
  /** Stop when the Frank–Wolfe gap 2(xᵀGx − min_j (Gx)_j) is at most this (absolute). Default 1e-14. */
  tolerance?: number;
  /** Weights at or below this are set to exactly 0 (their vertex leaves the corral). Default 1e-13. */
  weightFloor?: number;
  /** Cap on major cycles (Wolfe's algorithm is finite; this only guards against rounding loops). Default 20·J + 200. */
  maxIterations?: number;
}

export interface MinNormPointResult {
  /** Vertex indices with a positive weight, ascending. */
  support: number[];
  /** Their weights, aligned with `support`; positive, summing to 1 up to rounding. */
  weights: number[];
  /** Major cycles (vertices added). */
  iterations: number;
  /** Affine-minimiser solves. */
  minorIterations: number;
  /** Why it stopped: the gap reached the tolerance, or rounding stopped the progress first. */
  stopped: 'converged' | 'no-progress' | 'max-iterations';
}

/** Σ_{a,b} x_a x_b G[S_a, S_b]. */
function quadratic(G: Float64Array, J: number, S: readonly number[], x: readonly number[]): number {
  let total = 0;
  for (let a = 0; a < S.length; a++) {
    const row = S[a] * J;
    let s = 0;
    for (let c = 0; c < S.length; c++) s += G[row + S[c]] * x[c];
    total += x[a] * s;
  }
  return total;
}

/**
 * The affine minimiser's coefficients on S (λ, Σλ = 1), or null when 11ᵀ + G_SS is not numerically
 * positive definite (S affinely dependent to rounding).
 */
function affineMinimiser(G: Float64Array, J: number, S: readonly number[]): number[] | null {
  const s = S.length;
  const M = new Float64Array(s * s);
  for (let a = 0; a < s; a++) for (let c = 0; c < s; c++) M[a * s + c] = 1 + G[S[a] * J + S[c]];
  const L = new Float64Array(s * s);
  if (!choleskyInPlace(M, s, L)) return null;
  const solve = (rhs: Float64Array) => solveUpperTransposedInPlace(L, s, solveLowerInPlace(L, s, rhs));
  const u = solve(new Float64Array(s).fill(1));
  // One step of iterative refinement: r = 1 − Mu, u += M⁻¹r.
  const r = new Float64Array(s);
  for (let a = 0; a < s; a++) {
    let m = 0;
    for (let c = 0; c < s; c++) m += M[a * s + c] * u[c];
    r[a] = 1 - m;
  }
  const du = solve(r);
  let total = 0;
  for (let a = 0; a < s; a++) {
    u[a] += du[a];
    total += u[a];
  }
  if (!(total > 0) || !Number.isFinite(total)) return null;
  return Array.from(u, (v) => v / total);
}

function normalise(x: number[]): number[] {
  let total = 0;
  for (const v of x) total += v;
  return x.map((v) => v / total);
}

/** Wolfe's algorithm from the vertex `start` (the recipe starts at the best single set). */
export function minNormPoint(G: Float64Array, J: number, start: number, options: MinNormPointOptions = {}): MinNormPointResult {
  const tolerance = options.tolerance ?? 1e-14;
  const floor = options.weightFloor ?? 1e-13;
  const maxIterations = options.maxIterations ?? 20 * J + 200;
  let S: number[] = [start];
  let x: number[] = [1];
  let value = G[start * J + start];
  let iterations = 0;
  let minorIterations = 0;
  let stopped: MinNormPointResult['stopped'] = 'max-iterations';
  const h = new Float64Array(J);

  for (; iterations < maxIterations; iterations++) {
    h.fill(0);
    for (let a = 0; a < S.length; a++) {
      const xa = x[a];
      const col = S[a];
      for (let j = 0; j < J; j++) h[j] += G[j * J + col] * xa;
    }
    let xx = 0;
    for (let a = 0; a < S.length; a++) xx += x[a] * h[S[a]];
    let jStar = 0;
    for (let j = 1; j < J; j++) if (h[j] < h[jStar]) jStar = j;
    if (2 * (xx - h[jStar]) <= tolerance) {
      stopped = 'converged';
      break;
    }
    if (S.includes(jStar)) {
      // The best vertex is already in the corral: the gap is rounding in the corral's solve.
      stopped = 'no-progress';
      break;
    }

    let trialS = [...S, jStar];
    let trialX = [...x, 0];
    let failed = false;
    for (;;) {
      minorIterations++;
      const lambda = affineMinimiser(G, J, trialS);
      if (!lambda) {
        failed = true;
        break;
      }
      if (lambda.every((v) => v > floor)) {
        trialX = lambda;
        break;
      }
      // Step from x towards y = λ until the first weight reaches 0: θ = min_{λ_i ≤ floor} x_i/(x_i − λ_i).
      let theta = 1;
      let first = -1;
      for (let a = 0; a < trialS.length; a++) {
        if (lambda[a] > floor) continue;
        const ratio = trialX[a] - lambda[a] > 0 ? trialX[a] / (trialX[a] - lambda[a]) : 0;
        if (first < 0 || ratio < theta) {
          theta = ratio;
          first = a;
        }
      }
      const moved = trialX.map((v, a) => v + theta * (lambda[a] - v));
      const keep = moved.map((v, a) => a !== first && v > floor);
      trialS = trialS.filter((_, a) => keep[a]);
      trialX = normalise(moved.filter((_, a) => keep[a]));
      if (trialS.length === 0) {
        failed = true;
        break;
      }
    }
    const trialValue = failed ? Infinity : quadratic(G, J, trialS, trialX);
    if (!(trialValue < value)) {
      // Rounding: the corral is affinely dependent to working precision, or the step no longer decreases
      // the objective. Keep the last point that did.
      stopped = 'no-progress';
      break;
    }
    S = trialS;
    x = trialX;
    value = trialValue;
  }

  const order = S.map((_, a) => a).sort((p, q) => S[p] - S[q]);
  return { support: order.map((a) => S[a]), weights: order.map((a) => x[a]), iterations, minorIterations, stopped };
}
