/**
 * Box-constrained minimisation by projected L-BFGS: the L-BFGS two-loop direction (Nocedal & Wright
 * 2006, Alg. 7.4) restricted to the free variables — those not held at a bound by the gradient — and a
 * backtracking Armijo line search along the projected path x(t) = clip(x + t·d). This is the working core
 * of L-BFGS-B (Byrd, Lu, Nocedal & Zhu 1995) without its generalised Cauchy point; for the small, smooth
 * problems here (≤ ~20 variables: GP hyperparameters, the continuous part of an acquisition function)
 * it converges in tens of iterations.
 */

/** Writes ∇f(x) into `grad` and returns f(x). */
export type ValueAndGradient = (x: Float64Array, grad: Float64Array) => number;

export interface BoxMinimizeOptions {
  maxIterations?: number;
  /** Number of stored correction pairs. */
  memory?: number;
  /** Stop when the projected gradient's largest component is below this. */
  gradientTolerance?: number;
  /** Stop when f improves by less than this relative amount in one iteration. */
  relativeTolerance?: number;
}

export interface BoxMinimizeResult {
  x: Float64Array;
  value: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
}

function clip(x: Float64Array, lower: ArrayLike<number>, upper: ArrayLike<number>): Float64Array {
  for (let i = 0; i < x.length; i++) x[i] = Math.min(upper[i], Math.max(lower[i], x[i]));
  return x;
}

export function minimizeInBox(
  fg: ValueAndGradient,
  start: ArrayLike<number>,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  options: BoxMinimizeOptions = {},
): BoxMinimizeResult {
  const maxIterations = options.maxIterations ?? 100;
  const memory = options.memory ?? 8;
  const gradientTolerance = options.gradientTolerance ?? 1e-6;
  const relativeTolerance = options.relativeTolerance ?? 1e-10;
  const m = start.length;
  let x: Float64Array = clip(Float64Array.from(start), lower, upper);
  let g = new Float64Array(m);
  let f = fg(x, g);
  let evaluations = 1;
  if (!Number.isFinite(f)) return { x, value: f, iterations: 0, evaluations, converged: false };

  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const direction = new Float64Array(m);
  const free = new Uint8Array(m);
  const alphas = new Float64Array(memory);
  let xTrial: Float64Array = new Float64Array(m);
  let gTrial = new Float64Array(m);

  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations; iterations++) {
    // Free variables: not at a bound with the gradient pushing outward.
    let projectedNorm = 0;
    for (let i = 0; i < m; i++) {
      const atLower = x[i] <= lower[i] && g[i] > 0;
      const atUpper = x[i] >= upper[i] && g[i] < 0;
      free[i] = atLower || atUpper ? 0 : 1;
      if (free[i]) projectedNorm = Math.max(projectedNorm, Math.abs(g[i]));
    }
    if (projectedNorm < gradientTolerance) {
      converged = true;
      break;
    }

    // Two-loop recursion on the free subspace: d = −H·g.
    for (let i = 0; i < m; i++) direction[i] = free[i] ? -g[i] : 0;
    const k = S.length;
    for (let j = k - 1; j >= 0; j--) {
      let dot = 0;
      for (let i = 0; i < m; i++) if (free[i]) dot += S[j][i] * direction[i];
      alphas[j] = rho[j] * dot;
      for (let i = 0; i < m; i++) if (free[i]) direction[i] -= alphas[j] * Y[j][i];
    }
    if (k > 0) {
      let sy = 0;
      let yy = 0;
      for (let i = 0; i < m; i++) {
        sy += S[k - 1][i] * Y[k - 1][i];
        yy += Y[k - 1][i] * Y[k - 1][i];
      }
      const gamma = sy / yy;
      for (let i = 0; i < m; i++) direction[i] *= gamma;
    }
    for (let j = 0; j < k; j++) {
      let dot = 0;
      for (let i = 0; i < m; i++) if (free[i]) dot += Y[j][i] * direction[i];
      const beta = rho[j] * dot;
      for (let i = 0; i < m; i++) if (free[i]) direction[i] += (alphas[j] - beta) * S[j][i];
    }
    let slope = 0;
    for (let i = 0; i < m; i++) slope += direction[i] * g[i];
    if (!(slope < 0)) {
      // Not a descent direction (curvature pairs stale after bounds became active): steepest descent.
      S.length = Y.length = rho.length = 0;
      for (let i = 0; i < m; i++) direction[i] = free[i] ? -g[i] : 0;
    }

    // Backtracking line search along the projected path; first step scaled when there is no history.
    let t = S.length === 0 ? Math.min(1, 1 / projectedNorm) : 1;
    let accepted = false;
    let fTrial = f;
    for (let tries = 0; tries < 30; tries++, t *= 0.5) {
      for (let i = 0; i < m; i++) xTrial[i] = x[i] + t * direction[i];
      clip(xTrial, lower, upper);
      let decrease = 0;
      for (let i = 0; i < m; i++) decrease += g[i] * (xTrial[i] - x[i]);
      fTrial = fg(xTrial, gTrial);
      evaluations++;
      if (Number.isFinite(fTrial) && fTrial <= f + 1e-4 * decrease) {
        accepted = true;
        break;
      }
    }
    if (!accepted) {
      if (S.length === 0) break;
      S.length = Y.length = rho.length = 0; // retry from steepest descent
      continue;
    }

    const s = new Float64Array(m);
    const y = new Float64Array(m);
    let sy = 0;
    for (let i = 0; i < m; i++) {
      s[i] = xTrial[i] - x[i];
      y[i] = gTrial[i] - g[i];
      sy += s[i] * y[i];
    }
    if (sy > 1e-12) {
      if (S.length === memory) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    const previous = f;
    [x, xTrial] = [xTrial, x];
    [g, gTrial] = [gTrial, g];
    f = fTrial;
    if (previous - f <= relativeTolerance * Math.max(1, Math.abs(f))) {
      converged = true;
      iterations++;
      break;
    }
  }
  return { x, value: f, iterations, evaluations, converged };
}
