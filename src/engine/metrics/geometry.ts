import { crossInnerProducts, gramMatrix, squaredNorms } from '../linalg/innerProducts';
import type { Matrix } from '../linalg/matrix';
import { createRng } from '../random/rng';
import { sampleWithoutReplacement } from './splits';

/**
 * Everything the metrics read about one (real, synthetic) pair, computed once and lazily: inner products
 * (from which every Euclidean, cosine and kernel value follows), slice projections and PCA-k coordinates.
 * The noise floor's hundreds of random splits then cost index arithmetic, not new O(n·m·D) passes.
 *
 * Explicit cap (the Embedding Projector's habit): the terms that need synthetic×synthetic pairs (MMD,
 * KID, energy, sliced Wasserstein, the recall manifold) use a seeded subsample of at most
 * `maxPooledSynthetic` synthetic rows — a U-statistic over a random subsample stays unbiased. Per-sample
 * quantities (nearest real distance, ε-ball, precision, density, coverage, Fréchet) use every row.
 */
export const defaultMaxPooledSynthetic = 1000;

/** A sample named by row indices into the real or the synthetic matrix. */
export interface SampleSet {
  source: 'real' | 'synthetic';
  ids: Int32Array;
}

export interface Pool {
  /** Real rows 0..nReal−1, then the pooled synthetic rows. */
  size: number;
  gram: Float64Array;
  sqNorms: Float64Array;
}

export class SampleGeometry {
  readonly nReal: number;
  readonly nSynthetic: number;
  readonly dim: number;
  /** Synthetic row ids present in the pool (all of them unless capped), ascending. */
  readonly pooledSynthetic: Int32Array;
  private readonly poolPosition: Int32Array;
  private poolCache?: Pool;
  private poolMatrixCache?: Matrix<Float64Array>;
  private crossCache?: { dot: Float64Array; realSqNorms: Float64Array; syntheticSqNorms: Float64Array };
  private readonly sliceCache = new Map<object, Float64Array>();
  private readonly reducedCache = new Map<object, { real: Float64Array; synthetic: Float64Array; k: number }>();

  constructor(
    readonly real: Matrix,
    readonly synthetic: Matrix | null,
    options: { maxPooledSynthetic?: number; seed?: number } = {},
  ) {
    this.nReal = real.rows;
    this.nSynthetic = synthetic?.rows ?? 0;
    this.dim = real.cols;
    const cap = options.maxPooledSynthetic ?? defaultMaxPooledSynthetic;
    this.pooledSynthetic =
      this.nSynthetic <= cap
        ? Int32Array.from({ length: this.nSynthetic }, (_, i) => i)
        : sampleWithoutReplacement(createRng(options.seed ?? 0).fork('pool-subsample'), this.nSynthetic, cap).sort();
    this.poolPosition = new Int32Array(this.nSynthetic).fill(-1);
    this.pooledSynthetic.forEach((id, position) => (this.poolPosition[id] = position));
  }

  get capped(): boolean {
    return this.pooledSynthetic.length < this.nSynthetic;
  }

  all(source: 'real' | 'synthetic'): SampleSet {
    const n = source === 'real' ? this.nReal : this.nSynthetic;
    return { source, ids: Int32Array.from({ length: n }, (_, i) => i) };
  }

  /** The pooled synthetic rows as a sample. */
  pooled(): SampleSet {
    return { source: 'synthetic', ids: this.pooledSynthetic };
  }

  /**
   * The real rows and pooled synthetic rows stacked, in Float64 (exact for Float32 input): the Gram
   * matrix and the slice projections both read it, and converting once saves the kernel doing it twice.
   */
  poolMatrix(): Matrix<Float64Array> {
    if (this.poolMatrixCache) return this.poolMatrixCache;
    const d = this.dim;
    const size = this.nReal + this.pooledSynthetic.length;
    const data = new Float64Array(size * d);
    data.set(this.real.data);
    if (this.synthetic) {
      const source = this.synthetic.data;
      this.pooledSynthetic.forEach((id, p) => data.set(source.subarray(id * d, (id + 1) * d), (this.nReal + p) * d));
    }
    this.poolMatrixCache = { rows: size, cols: d, data };
    return this.poolMatrixCache;
  }

  pool(): Pool {
    if (!this.poolCache) {
      const m = this.poolMatrix();
      const gram = gramMatrix(m);
      const sqNorms = new Float64Array(m.rows);
      for (let i = 0; i < m.rows; i++) sqNorms[i] = gram[i * m.rows + i];
      this.poolCache = { size: m.rows, gram, sqNorms };
    }
    return this.poolCache;
  }

  /** Pool row of each member; throws for a synthetic row outside the pool. */
  poolIndices(set: SampleSet): Int32Array {
    if (set.source === 'real') return set.ids;
    return set.ids.map((id) => {
      const p = this.poolPosition[id];
      if (p < 0) throw new Error(`synthetic row ${id} is not in the pooled subsample`);
      return this.nReal + p;
    });
  }

  /** Inner products of every real row with every synthetic row (n × m), for the per-sample metrics. */
  private cross() {
    if (this.crossCache) return this.crossCache;
    if (!this.synthetic) throw new Error('no synthetic sample in this geometry');
    if (!this.capped) {
      // Everything is in the pool already: read the real × synthetic block from it.
      const pool = this.pool();
      const n = this.nReal;
      const m = this.nSynthetic;
      const dot = new Float64Array(n * m);
      for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) dot[i * m + j] = pool.gram[i * pool.size + n + j];
      this.crossCache = { dot, realSqNorms: pool.sqNorms.slice(0, n), syntheticSqNorms: pool.sqNorms.slice(n) };
    } else {
      this.crossCache = {
        dot: crossInnerProducts(this.real, this.synthetic),
        realSqNorms: squaredNorms(this.real),
        syntheticSqNorms: squaredNorms(this.synthetic),
      };
    }
    return this.crossCache;
  }

  /**
   * Euclidean distances ‖r_i − c_j‖ from real rows `refs` to the members of `candidates` (|refs| × |c|),
   * from ‖r‖² + ‖c‖² − 2r·c clamped at 0 (exactly 0 for duplicated rows, see innerProducts.ts).
   */
  distances(refs: Int32Array, candidates: SampleSet): Float64Array {
    const c = candidates.ids.length;
    const out = new Float64Array(refs.length * c);
    if (candidates.source === 'real' || !this.capped) {
      const pool = this.pool();
      const cand = this.poolIndices(candidates);
      for (let a = 0; a < refs.length; a++) {
        const ra = refs[a] * pool.size;
        const na = pool.sqNorms[refs[a]];
        for (let b = 0; b < c; b++) {
          const q = cand[b];
          out[a * c + b] = Math.sqrt(Math.max(0, na + pool.sqNorms[q] - 2 * pool.gram[ra + q]));
        }
      }
      return out;
    }
    const { dot, realSqNorms, syntheticSqNorms } = this.cross();
    const m = this.nSynthetic;
    for (let a = 0; a < refs.length; a++) {
      const r = refs[a];
      for (let b = 0; b < c; b++) {
        const s = candidates.ids[b];
        out[a * c + b] = Math.sqrt(Math.max(0, realSqNorms[r] + syntheticSqNorms[s] - 2 * dot[r * m + s]));
      }
    }
    return out;
  }

  /** Euclidean distances among the members of one pooled sample (|s| × |s|, symmetric). */
  withinDistances(set: SampleSet): Float64Array {
    const pool = this.pool();
    const idx = this.poolIndices(set);
    const n = idx.length;
    const out = new Float64Array(n * n);
    for (let a = 0; a < n; a++) {
      const p = idx[a];
      for (let b = a + 1; b < n; b++) {
        const q = idx[b];
        const d = Math.sqrt(Math.max(0, pool.sqNorms[p] + pool.sqNorms[q] - 2 * pool.gram[p * pool.size + q]));
        out[a * n + b] = d;
        out[b * n + a] = d;
      }
    }
    return out;
  }

  /** Cosine distances 1 − r·c/(‖r‖‖c‖) from every real row to every synthetic row (n × m). */
  cosineDistances(): Float64Array {
    const { dot, realSqNorms, syntheticSqNorms } = this.cross();
    const n = this.nReal;
    const m = this.nSynthetic;
    const out = new Float64Array(n * m);
    for (let i = 0; i < n; i++) {
      if (realSqNorms[i] === 0) throw new Error(`cosine distance: real row ${i} is the zero vector`);
      for (let j = 0; j < m; j++) {
        if (syntheticSqNorms[j] === 0) throw new Error(`cosine distance: synthetic row ${j} is the zero vector`);
        out[i * m + j] = Math.max(0, 1 - dot[i * m + j] / (Math.sqrt(realSqNorms[i]) * Math.sqrt(syntheticSqNorms[j])));
      }
    }
    return out;
  }

  /** Projections of the pool rows on the given unit directions (pool size × L), cached per directions. */
  slices(directions: Matrix): Float64Array {
    let s = this.sliceCache.get(directions);
    if (!s) {
      s = crossInnerProducts(this.poolMatrix(), directions);
      this.sliceCache.set(directions, s);
    }
    return s;
  }

  /** Coordinates of all real and all synthetic rows under a projection, cached per projector. */
  reduced(key: object, project: (m: Matrix) => Matrix<Float64Array>): { real: Float64Array; synthetic: Float64Array; k: number } {
    let r = this.reducedCache.get(key);
    if (!r) {
      const real = project(this.real);
      const synthetic = this.synthetic ? project(this.synthetic).data : new Float64Array(0);
      r = { real: real.data, synthetic, k: real.cols };
      this.reducedCache.set(key, r);
    }
    return r;
  }
}
