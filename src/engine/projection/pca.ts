import { crossInnerProducts, gramMatrix } from '../linalg/innerProducts';
import type { Matrix } from '../linalg/matrix';
import { symmetricEigen } from '../linalg/symmetricEigen';
import { assertFiniteMatrix } from '../linalg/validateMatrix';

/**
 * A principal-component projection fitted once and stored as plain JSON (the experiment persists it with
 * iteration 0 and never refits it, so every later iteration lands in the same coordinates).
 * Field names follow sklearn.decomposition.PCA.
 */
export interface PcaModel {
  kind: 'pca';
  version: 1;
  /** Embedding dimension D the model was fitted on. */
  dim: number;
  /** Number of rows it was fitted on. */
  fittedRows: number;
  /** Column means, length D (the projection centres with them). */
  mean: number[];
  /** k unit axes of length D, largest variance first (sklearn's `components_`). */
  components: number[][];
  /**
   * Variance along each axis: eigenvalues of the unbiased sample covariance (divisor n − 1), in squared
   * embedding units (sklearn's `explained_variance_`).
   */
  explainedVariance: number[];
  /** explainedVariance / totalVariance (sklearn's `explained_variance_ratio_`). */
  explainedVarianceRatio: number[];
  /** Σ_j Var(x_j), unbiased, over all D coordinates. */
  totalVariance: number;
}

export interface PcaOptions {
  /** Number of axes k, 1 ≤ k ≤ min(rows − 1, D). */
  components: number;
}

/**
 * Fits PCA by an eigendecomposition of the centred data's n×n Gram matrix when n ≤ D (the usual case:
 * tens of images, hundreds of dimensions), else of the D×D scatter matrix; both give the same axes.
 * Sign convention (PCA axes have none of their own): each axis is flipped so that its entry of largest
 * magnitude is positive; the golden script applies the same rule to sklearn's output.
 */
export function fitPca(embeddings: Matrix, options: PcaOptions): PcaModel {
  const { rows: n, cols: d } = embeddings;
  const k = options.components;
  if (n < 2) throw new Error(`fitPca: argument \`embeddings\` has ${n} row(s); PCA needs at least 2`);
  if (!Number.isInteger(k) || k < 1 || k > Math.min(n - 1, d)) {
    throw new Error(`fitPca: option \`components\` = ${k} must be an integer in 1..min(rows − 1, D) = 1..${Math.min(n - 1, d)}`);
  }
  assertFiniteMatrix('fitPca', 'embeddings', embeddings);

  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += embeddings.data[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const centred = new Float64Array(n * d);
  let totalSquares = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const c = embeddings.data[i * d + j] - mean[j];
      centred[i * d + j] = c;
      totalSquares += c * c;
    }
  }
  const totalVariance = totalSquares / (n - 1);
  const axes = n <= d ? axesFromGram(centred, n, d, k) : axesFromScatter(centred, n, d, k);

  const components: number[][] = [];
  const explainedVariance: number[] = [];
  for (let c = 0; c < k; c++) {
    const { axis, eigenvalue } = axes[c];
    if (!(eigenvalue > 1e-12 * Math.max(totalSquares, Number.MIN_VALUE))) {
      throw new Error(`fitPca: argument \`embeddings\` spans only ${c} direction(s) of variance; ask for at most ${c} components`);
    }
    let largest = 0;
    for (let j = 0; j < d; j++) if (Math.abs(axis[j]) > Math.abs(axis[largest])) largest = j;
    const sign = axis[largest] < 0 ? -1 : 1;
    components.push(Array.from(axis, (v) => v * sign));
    explainedVariance.push(eigenvalue / (n - 1));
  }
  return {
    kind: 'pca',
    version: 1,
    dim: d,
    fittedRows: n,
    mean: Array.from(mean),
    components,
    explainedVariance,
    explainedVarianceRatio: explainedVariance.map((v) => (totalVariance > 0 ? v / totalVariance : 0)),
    totalVariance,
  };
}

interface Axis {
  axis: Float64Array;
  /** Eigenvalue of the scatter matrix XcᵀXc (= (n − 1)·variance). */
  eigenvalue: number;
}

/** Eigenvectors u of Xc·Xcᵀ give the axes Xcᵀu/‖Xcᵀu‖ with the same eigenvalues. */
function axesFromGram(centred: Float64Array, n: number, d: number, k: number): Axis[] {
  const gram = gramMatrix({ rows: n, cols: d, data: centred });
  const eig = symmetricEigen(gram, n);
  const out: Axis[] = [];
  for (let c = 0; c < k; c++) {
    const axis = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      const u = eig.vectors[i * n + c];
      for (let j = 0; j < d; j++) axis[j] += u * centred[i * d + j];
    }
    let norm = 0;
    for (let j = 0; j < d; j++) norm += axis[j] * axis[j];
    norm = Math.sqrt(norm);
    if (norm > 0) for (let j = 0; j < d; j++) axis[j] /= norm;
    out.push({ axis, eigenvalue: eig.values[c] });
  }
  return out;
}

function axesFromScatter(centred: Float64Array, n: number, d: number, k: number): Axis[] {
  const scatter = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let a = 0; a < d; a++) {
      const ca = centred[o + a];
      for (let b = 0; b <= a; b++) scatter[a * d + b] += ca * centred[o + b];
    }
  }
  const eig = symmetricEigen(scatter, d);
  const out: Axis[] = [];
  for (let c = 0; c < k; c++) {
    const axis = new Float64Array(d);
    for (let j = 0; j < d; j++) axis[j] = eig.vectors[j * d + c];
    out.push({ axis, eigenvalue: eig.values[c] });
  }
  return out;
}

/**
 * (x_i − mean)·components_cᵀ for every row: an n×k Float64 matrix, computed as x_i·a_c − mean·a_c so the
 * O(n·D·k) part runs on the tiled inner-product kernel.
 */
export function projectPca(model: PcaModel, embeddings: Matrix): Matrix<Float64Array> {
  const { rows: n, cols: d } = embeddings;
  if (d !== model.dim) {
    throw new Error(`projectPca: argument \`embeddings\` has ${d} columns but the PCA model was fitted on ${model.dim}`);
  }
  assertFiniteMatrix('projectPca', 'embeddings', embeddings);
  const k = model.components.length;
  const axes = { rows: k, cols: d, data: Float64Array.from(model.components.flat()) };
  const offsets = model.components.map((axis) => axis.reduce((s, v, j) => s + v * model.mean[j], 0));
  const out = crossInnerProducts(embeddings, axes);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) out[i * k + c] -= offsets[c];
  return { rows: n, cols: k, data: out };
}
