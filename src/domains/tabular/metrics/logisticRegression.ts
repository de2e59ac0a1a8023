import { cholesky, choleskySolve } from '../../../engine/linalg/cholesky';
import type { Matrix } from '../../../engine/linalg/matrix';
import { minimizeInBox } from '../../../engine/optimizer/optimize/boxMinimize';

export interface LogisticModel {
  weights: Float64Array;
  intercept: number;
  converged: boolean;
}

/** Up to this many parameters (weights + intercept) the fit uses Newton's method, above it L-BFGS. */
const NEWTON_MAX_PARAMETERS = 256;

/**
 * L2-regularised logistic regression, the model of sklearn's LogisticRegression(penalty='l2', C=1):
 *   minimise F(w, b) = ½‖w‖² + C Σ_i log(1 + exp(−s_i (w·x_i + b))),   s_i = ±1,
 * the intercept b unpenalised. F is strictly convex, so the optimum is unique and any solver run to
 * convergence agrees. Up to 256 parameters: Newton's method (the Hessian XᵀDX + I, D = C·p(1−p), by
 * Cholesky; backtracking on F), which reaches the optimum to rounding in about ten steps; above that,
 * the engine's L-BFGS (unbounded box) on F/n to a largest gradient component of 1e-10.
 */
export function fitLogisticRegression(x: Matrix, labels: ArrayLike<number>, C = 1): LogisticModel {
  return x.cols + 1 <= NEWTON_MAX_PARAMETERS ? newton(x, labels, C) : lbfgs(x, labels, C);
}

/** F and its gradient at theta = (w, b); `p` receives σ(w·x_i + b) when given. */
function objective(x: Matrix, labels: ArrayLike<number>, C: number, theta: Float64Array, grad: Float64Array | null, p?: Float64Array): number {
  const n = x.rows;
  const d = x.cols;
  const data = x.data;
  let f = 0;
  if (grad) grad.fill(0);
  for (let i = 0; i < n; i++) {
    let z = theta[d];
    const row = i * d;
    for (let j = 0; j < d; j++) z += theta[j] * data[row + j];
    const s = labels[i] ? 1 : -1;
    const m = s * z;
    // log(1 + e^(−m)) without overflow; dF/dz = −C·s·σ(−m).
    f += m > 0 ? Math.log1p(Math.exp(-m)) : -m + Math.log1p(Math.exp(m));
    if (p) p[i] = 1 / (1 + Math.exp(-z));
    if (grad) {
      const g = (-C * s) / (1 + Math.exp(m));
      for (let j = 0; j < d; j++) grad[j] += g * data[row + j];
      grad[d] += g;
    }
  }
  let penalty = 0;
  for (let j = 0; j < d; j++) {
    penalty += theta[j] * theta[j];
    if (grad) grad[j] += theta[j];
  }
  return 0.5 * penalty + C * f;
}

function newton(x: Matrix, labels: ArrayLike<number>, C: number): LogisticModel {
  const n = x.rows;
  const d = x.cols;
  const k = d + 1;
  const data = x.data;
  let theta = new Float64Array(k);
  const grad = new Float64Array(k);
  const p = new Float64Array(n);
  let f = objective(x, labels, C, theta, grad, p);
  let converged = false;
  for (let iteration = 0; iteration < 100; iteration++) {
    let gmax = 0;
    for (let j = 0; j < k; j++) gmax = Math.max(gmax, Math.abs(grad[j]));
    if (gmax <= 1e-12 * Math.max(1, n)) {
      converged = true;
      break;
    }
    const H = new Float64Array(k * k);
    for (let i = 0; i < n; i++) {
      const w = C * p[i] * (1 - p[i]);
      if (w === 0) continue;
      const row = i * d;
      for (let a = 0; a < k; a++) {
        const xa = a < d ? data[row + a] : 1;
        if (xa === 0) continue;
        const wa = w * xa;
        for (let b = 0; b <= a; b++) H[a * k + b] += wa * (b < d ? data[row + b] : 1);
      }
    }
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < a; b++) H[b * k + a] = H[a * k + b];
      if (a < d) H[a * k + a] += 1;
    }
    const step = choleskySolve(cholesky(H, k), grad);
    let slope = 0;
    for (let j = 0; j < k; j++) slope += grad[j] * step[j];
    let t = 1;
    let next = theta;
    let fNext = f;
    for (let tries = 0; tries < 40; tries++, t /= 2) {
      next = theta.map((v, j) => v - t * step[j]);
      fNext = objective(x, labels, C, next, null);
      if (fNext <= f - 1e-4 * t * slope) break;
    }
    let moved = 0;
    for (let j = 0; j < k; j++) moved = Math.max(moved, Math.abs(next[j] - theta[j]));
    theta = next;
    f = objective(x, labels, C, theta, grad, p);
    if (moved <= 1e-15 * (1 + Math.max(...theta.map(Math.abs)))) {
      converged = true;
      break;
    }
  }
  return { weights: theta.slice(0, d), intercept: theta[d], converged };
}

function lbfgs(x: Matrix, labels: ArrayLike<number>, C: number): LogisticModel {
  const d = x.cols;
  const n = x.rows;
  const value = (theta: Float64Array, grad: Float64Array): number => {
    const f = objective(x, labels, C, theta, grad);
    for (let j = 0; j <= d; j++) grad[j] /= n;
    return f / n;
  };
  const lower = new Float64Array(d + 1).fill(-Infinity);
  const upper = new Float64Array(d + 1).fill(Infinity);
  const result = minimizeInBox(value, new Float64Array(d + 1), lower, upper, { maxIterations: 2000, gradientTolerance: 1e-10, relativeTolerance: 0, memory: 10 });
  return { weights: result.x.slice(0, d), intercept: result.x[d], converged: result.converged };
}

/** w·x + b for each row (the log-odds; its order is the order of the predicted probabilities). */
export function decisionFunction(model: LogisticModel, x: Matrix, rows?: ArrayLike<number>): Float64Array {
  const d = x.cols;
  const ids = rows ?? Int32Array.from({ length: x.rows }, (_, i) => i);
  const out = new Float64Array(ids.length);
  for (let k = 0; k < ids.length; k++) {
    let z = model.intercept;
    const row = ids[k] * d;
    for (let j = 0; j < d; j++) z += model.weights[j] * x.data[row + j];
    out[k] = z;
  }
  return out;
}
