import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Matrix } from '../../../src/engine/linalg/matrix';
import { createRng } from '../../../src/engine/random/rng';

/** Fixture embeddings and goldens written by scripts/metrics_goldens.py (tests never run Python). */
export const fixtureDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'metrics');

/** Reads a C-order 2-D .npy of little-endian float32 ('<f4') or float64 ('<f8'). */
export function readNpy(name: string): Matrix {
  const bytes = readFileSync(join(fixtureDir, name));
  if (bytes.toString('latin1', 1, 6) !== 'NUMPY') throw new Error(`${name}: not a .npy file`);
  const major = bytes[6];
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const headerStart = major === 1 ? 10 : 12;
  const header = bytes.toString('latin1', headerStart, headerStart + headerLength);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const shape = /'shape':\s*\((\d+),\s*(\d+)\)/.exec(header);
  if (/'fortran_order':\s*True/.test(header) || !shape) throw new Error(`${name}: need a C-order 2-D array`);
  const rows = Number(shape[1]);
  const cols = Number(shape[2]);
  const body = bytes.subarray(headerStart + headerLength);
  const copy = new Uint8Array(body).buffer;
  if (descr === '<f4') return { rows, cols, data: new Float32Array(copy, 0, rows * cols) };
  if (descr === '<f8') return { rows, cols, data: new Float64Array(copy, 0, rows * cols) };
  throw new Error(`${name}: unsupported dtype ${descr}`);
}

export interface Goldens {
  pca_k: number;
  pca: Record<string, {
    bandwidth: number;
    mean: number[];
    components2: number[][];
    explained_variance2: number[];
    explained_variance_ratio2: number[];
    explained_variance_k: number[];
  }>;
  cases: Record<string, GoldenCase>;
}

export interface Prdc {
  precision: number;
  recall: number;
  density: number;
  coverage: number;
  kReal: number;
  kSynthetic: number;
}

export interface GoldenCase {
  dim: number;
  rows: 'all' | 'first3';
  n: number;
  m: number;
  mmd2_unbiased: number;
  mmd2_biased: number;
  kid: number;
  energy_distance: number;
  sliced_wasserstein_1: number;
  sliced_wasserstein_2: number;
  ledoit_wolf_shrinkage_real: number;
  ledoit_wolf_shrinkage_synthetic: number;
  frechet_ledoit_wolf: number;
  frechet_unbiased_cov?: number;
  nearest_euclidean: number[];
  nearest_euclidean_index: number[];
  nearest_cosine: number[];
  nearest_mahalanobis: number[];
  epsilon: number;
  epsilon_ball_share: number;
  prdc_k5: Prdc;
  prdc_k3: Prdc;
  pca2_synthetic: number[][];
}

export function loadGoldens(): Goldens {
  return JSON.parse(readFileSync(join(fixtureDir, 'goldens.json'), 'utf8')) as Goldens;
}

export function firstRows(m: Matrix, count: number): Matrix {
  return { rows: count, cols: m.cols, data: m.data.slice(0, count * m.cols) };
}

/** n rows of N(shift·e_0, scale²·I_d), seeded: the statistical tests' synthetic distributions. */
export function gaussianSample(seed: number | string, n: number, d: number, shift = 0, scale = 1): Matrix<Float64Array> {
  const rng = createRng(seed);
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) data[i * d + j] = rng.normal(0, scale) + (j === 0 ? shift : 0);
  }
  return { rows: n, cols: d, data };
}

/** The rows of m in the given order. */
export function permuteRows<T extends Float32Array | Float64Array>(m: Matrix<T>, order: ArrayLike<number>): Matrix<Float64Array> {
  const data = new Float64Array(m.rows * m.cols);
  for (let i = 0; i < order.length; i++) data.set(m.data.subarray(order[i] * m.cols, (order[i] + 1) * m.cols), i * m.cols);
  return { rows: m.rows, cols: m.cols, data };
}

export function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
}
