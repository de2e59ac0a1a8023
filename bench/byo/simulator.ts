import type { Matrix } from '../../src/engine/linalg/matrix';
import { createRng, hashSeed, type Rng } from '../../src/engine/random/rng';
import type { ParameterSet, ParameterSpace, ParameterSpec } from '../../src/engine/space/space';

/**
 * The bench's own "generator + encoder" (not the app's): a mixed 5-D parameter space, a hidden truth,
 * and parameters → a 64-D embedding through a fixed random two-layer tanh map of the encoded parameters,
 * plus isotropic Gaussian noise per replicate. One problem per seed (map, truth and real set all drawn
 * from the seed). Embeddings are Float32 from the start: what the study stores is exactly what the
 * peers are scored on.
 */

export const DIM = 64;
export const HIDDEN = 48;
/** Per-coordinate noise of one replicate (embedding units; the map's outputs lie in (−1, 1)). */
export const NOISE = 0.08;
export const REAL_COUNT = 16;
export const REPLICATES = 3;

export const SPACE: ParameterSpace = {
  parameters: [
    { kind: 'continuous', name: 'brightness', low: 0.3, high: 0.8 },
    { kind: 'continuous', name: 'contrast', low: 0, high: 2 },
    { kind: 'continuous', name: 'blur', low: 0.5, high: 4 },
    { kind: 'integer', name: 'count', low: 3, high: 20 },
    { kind: 'categorical', name: 'shape', choices: ['circle', 'ellipse', 'irregular'] },
  ],
};

/** The space as the command line reads it (§8's YAML). */
export function spaceYaml(space: ParameterSpace = SPACE): string {
  const line = (p: ParameterSpec) =>
    p.kind === 'categorical'
      ? `  - {name: ${p.name}, type: categorical, choices: [${p.choices.join(', ')}]}`
      : `  - {name: ${p.name}, type: ${p.kind === 'integer' ? 'int' : 'float'}, low: ${p.low}, high: ${p.high}}`;
  return `parameters:\n${space.parameters.map(line).join('\n')}\n`;
}

export interface Problem {
  seed: number;
  truth: ParameterSet;
  /** W1 (HIDDEN × E), b1, W2 (DIM × HIDDEN), b2, E = encoded width. */
  w1: Float64Array;
  b1: Float64Array;
  w2: Float64Array;
  b2: Float64Array;
  /** The real set: REAL_COUNT embeddings at the truth. */
  real: Matrix<Float32Array>;
}

const ENCODED = SPACE.parameters.reduce((d, p) => d + (p.kind === 'categorical' ? p.choices.length : 1), 0);

/** Numbers to [−1, 1] by range, categoricals one-hot (±1). */
export function encode(params: ParameterSet): Float64Array {
  const out = new Float64Array(ENCODED);
  let o = 0;
  for (const p of SPACE.parameters) {
    if (p.kind === 'categorical') {
      for (const c of p.choices) out[o++] = params[p.name] === c ? 1 : -1;
    } else out[o++] = (2 * (Number(params[p.name]) - p.low)) / (p.high - p.low) - 1;
  }
  return out;
}

/** The noiseless embedding of a parameter set. */
export function meanEmbedding(problem: Problem, params: ParameterSet): Float64Array {
  const x = encode(params);
  const h = new Float64Array(HIDDEN);
  for (let i = 0; i < HIDDEN; i++) {
    let s = problem.b1[i];
    for (let j = 0; j < ENCODED; j++) s += problem.w1[i * ENCODED + j] * x[j];
    h[i] = Math.tanh(s);
  }
  const e = new Float64Array(DIM);
  for (let i = 0; i < DIM; i++) {
    let s = problem.b2[i];
    for (let j = 0; j < HIDDEN; j++) s += problem.w2[i * HIDDEN + j] * h[j];
    e[i] = Math.tanh(s);
  }
  return e;
}

/** `count` noisy replicate embeddings of one parameter set, as Float32 rows. */
export function simulate(problem: Problem, params: ParameterSet, count: number, rng: Rng): Matrix<Float32Array> {
  const mean = meanEmbedding(problem, params);
  const data = new Float32Array(count * DIM);
  for (let r = 0; r < count; r++) for (let k = 0; k < DIM; k++) data[r * DIM + k] = mean[k] + rng.normal(0, NOISE);
  return { rows: count, cols: DIM, data };
}

/** A uniform random point of the space (integers uniform on their values). */
export function randomPoint(rng: Rng, space: ParameterSpace = SPACE, margin = 0): ParameterSet {
  const out: Record<string, string | number> = {};
  for (const p of space.parameters) {
    if (p.kind === 'categorical') out[p.name] = p.choices[rng.int(0, p.choices.length - 1)];
    else if (p.kind === 'integer') {
      const m = Math.round(margin * (p.high - p.low));
      out[p.name] = rng.int(p.low + m, p.high - m);
    } else out[p.name] = p.low + (p.high - p.low) * (margin + (1 - 2 * margin) * rng.next());
  }
  return out;
}

export function createProblem(seed: number): Problem {
  const rng = createRng(hashSeed('byo-problem', seed));
  const normal = (n: number, std: number, r: Rng) => Float64Array.from({ length: n }, () => r.normal(0, std));
  const weights = rng.fork('weights');
  const problem: Omit<Problem, 'real'> = {
    seed,
    truth: randomPoint(rng.fork('truth'), SPACE, 0.1),
    w1: normal(HIDDEN * ENCODED, 1.2, weights),
    b1: normal(HIDDEN, 0.5, weights),
    w2: normal(DIM * HIDDEN, 2 / Math.sqrt(HIDDEN), weights),
    b2: normal(DIM, 0.3, weights),
  };
  const withReal = { ...problem, real: { rows: 0, cols: DIM, data: new Float32Array() } };
  return { ...problem, real: simulate(withReal, problem.truth, REAL_COUNT, rng.fork('real')) };
}

/**
 * Distance of a parameter set to the truth: Euclidean over the parameters, each numeric difference
 * divided by its range, a categorical mismatch counting 1 (so 0 … √5).
 */
export function paramDistance(a: ParameterSet, b: ParameterSet, space: ParameterSpace = SPACE): number {
  let s = 0;
  for (const p of space.parameters) {
    const d = p.kind === 'categorical' ? (a[p.name] === b[p.name] ? 0 : 1) : (Number(a[p.name]) - Number(b[p.name])) / (p.high - p.low);
    s += d * d;
  }
  return Math.sqrt(s);
}

/** Rows stacked into one matrix. */
export function stack(parts: readonly Matrix<Float32Array>[]): Matrix<Float32Array> {
  const cols = parts[0].cols;
  const rows = parts.reduce((n, m) => n + m.rows, 0);
  const data = new Float32Array(rows * cols);
  let o = 0;
  for (const m of parts) {
    data.set(m.data, o);
    o += m.data.length;
  }
  return { rows, cols, data };
}

/** A little-endian float32 .npy (version 1.0) of a 2-D matrix. */
export function npyBytes(m: Matrix<Float32Array>): Uint8Array {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${m.rows}, ${m.cols}), }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + m.data.byteLength);
  out.set([0x93, ...Buffer.from('NUMPY'), 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(Buffer.from(header, 'latin1'), 10);
  const body = new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength);
  out.set(body, 10 + header.length); // little-endian hosts only (x86, ARM)
  return out;
}
