/**
 * BBOB noiseless functions of the COCO platform, as published in Hansen, Finck, Ros & Auger,
 * "Real-parameter black-box optimization benchmarking 2009: noiseless functions definitions"
 * (INRIA RR-6829), with the instance generation of COCO's reference C code (numbbo/coco,
 * code-experiments/src: suite_bbob_legacy_code.c and the f_*.c allocators): the same legacy random
 * number generator, so instance i of function f here is instance i of COCO's bbob suite (x_opt, f_opt,
 * R and Q are the published ones, not look-alikes).
 *
 * Implemented (one or two per class of the definitions document):
 *   separable           f1 sphere, f3 Rastrigin (separable)
 *   moderate            f8 Rosenbrock (original)
 *   ill-conditioned     f10 ellipsoid (rotated)
 *   multimodal, global  f15 Rastrigin (rotated), f16 Weierstrass
 *   multimodal, weak    f20 Schwefel x·sin(√|x|), f22 Gallagher 21 peaks
 * Every function is defined on R^D and minimised on the search box [−5, 5]^D; f(x_opt) = f_opt.
 */

export type BbobClass = 'separable' | 'moderate' | 'ill-conditioned' | 'multimodal-global' | 'multimodal-weak';

export const BBOB_FUNCTIONS: Readonly<Record<number, { name: string; class: BbobClass }>> = {
  1: { name: 'sphere', class: 'separable' },
  3: { name: 'rastrigin', class: 'separable' },
  8: { name: 'rosenbrock', class: 'moderate' },
  10: { name: 'ellipsoid_rot', class: 'ill-conditioned' },
  15: { name: 'rastrigin_rot', class: 'multimodal-global' },
  16: { name: 'weierstrass', class: 'multimodal-global' },
  20: { name: 'schwefel', class: 'multimodal-weak' },
  22: { name: 'gallagher21', class: 'multimodal-weak' },
};

// ---- COCO's legacy random numbers (suite_bbob_legacy_code.c) -------------------------------------

/**
 * bbob2009_unif: N uniforms from a Park–Miller minimal-standard LCG (16807, Schrage's factorisation
 * 127773/2836) with a 32-entry Bays–Durham shuffle table, seeded by `inseed`.
 */
export function bbobUnif(n: number, inseed: number): number[] {
  let seed = Math.abs(Math.trunc(inseed));
  if (seed < 1) seed = 1;
  let akt = seed;
  const table = new Array<number>(32).fill(0);
  const step = () => {
    const tmp = Math.floor(akt / 127773);
    akt = 16807 * (akt - tmp * 127773) - 2836 * tmp;
    if (akt < 0) akt += 2147483647;
  };
  for (let i = 39; i >= 0; i--) {
    step();
    if (i < 32) table[i] = akt;
  }
  let aktrand = table[0];
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    step();
    const tmp = Math.floor(aktrand / 67108865);
    aktrand = table[tmp];
    table[tmp] = akt;
    out[i] = aktrand / 2.147483647e9;
    if (out[i] === 0) out[i] = 1e-99;
  }
  return out;
}

/** bbob2009_gauss: Box–Muller on 2N uniforms of the same seed (first half radii, second half angles). */
export function bbobGauss(n: number, seed: number): number[] {
  const u = bbobUnif(2 * n, seed);
  const g = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    g[i] = Math.sqrt(-2 * Math.log(u[i])) * Math.cos(2 * Math.PI * u[n + i]);
    if (g[i] === 0) g[i] = 1e-99;
  }
  return g;
}

/** bbob2009_compute_rotation: a D×D Gaussian matrix (column-major fill), columns Gram–Schmidt orthonormalised. B[row][col]. */
export function bbobRotation(seed: number, dim: number): number[][] {
  const g = bbobGauss(dim * dim, seed);
  const b = Array.from({ length: dim }, (_, i) => Array.from({ length: dim }, (_, j) => g[j * dim + i]));
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j < i; j++) {
      let prod = 0;
      for (let k = 0; k < dim; k++) prod += b[k][i] * b[k][j];
      for (let k = 0; k < dim; k++) b[k][i] -= prod * b[k][j];
    }
    let norm = 0;
    for (let k = 0; k < dim; k++) norm += b[k][i] * b[k][i];
    for (let k = 0; k < dim; k++) b[k][i] /= Math.sqrt(norm);
  }
  return b;
}

/** bbob2009_compute_xopt: uniform in [−4, 4]^D on a 8e-4 grid; an exact 0 becomes −1e-5. */
export function bbobXopt(seed: number, dim: number): number[] {
  return bbobUnif(dim, seed).map((u) => {
    const x = (8 * Math.floor(1e4 * u)) / 1e4 - 4;
    return x === 0 ? -1e-5 : x;
  });
}

/** bbob2009_compute_fopt: round(100·g1/g2)/100 of two Gaussians (a Cauchy draw), clipped to [−1000, 1000]. */
export function bbobFopt(fid: number, instance: number): number {
  const rseed = fid === 4 ? 3 : fid === 18 ? 17 : fid;
  const s = rseed + 10000 * instance;
  const g1 = bbobGauss(1, s)[0];
  const g2 = bbobGauss(1, s + 1)[0];
  return Math.min(1000, Math.max(-1000, Math.floor((100 * 100 * g1) / g2 + 0.5) / 100));
}

// ---- the transformations of the definitions document (section 0.2) -------------------------------

const matVec = (m: readonly (readonly number[])[], x: readonly number[]) => m.map((row) => row.reduce((s, v, j) => s + v * x[j], 0));
const matMul = (a: readonly (readonly number[])[], b: readonly (readonly number[])[]) => a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));

/** T_osz, applied per coordinate: sign(x)·exp(x̂ + 0.049(sin(c1 x̂) + sin(c2 x̂))), x̂ = log|x|, c1 = 10 | 5.5, c2 = 7.9 | 3.1 for x > 0 | x < 0. */
export function tOsz(x: readonly number[]): number[] {
  return x.map((v) => {
    if (v === 0) return 0;
    const h = Math.log(Math.abs(v));
    return v > 0 ? Math.exp(h + 0.049 * (Math.sin(10 * h) + Math.sin(7.9 * h))) : -Math.exp(h + 0.049 * (Math.sin(5.5 * h) + Math.sin(3.1 * h)));
  });
}

/** T_asy^β: x_i^(1 + β (i−1)/(D−1) √x_i) where x_i > 0, else x_i. */
export function tAsy(x: readonly number[], beta: number): number[] {
  const d = x.length;
  return x.map((v, i) => (v > 0 ? Math.pow(v, 1 + (beta * (d > 1 ? i / (d - 1) : 1) * Math.sqrt(v))) : v));
}

/** Diagonal of Λ^α: α^(½ (i−1)/(D−1)). */
export function lambdaDiag(alpha: number, dim: number): number[] {
  return Array.from({ length: dim }, (_, i) => Math.pow(alpha, (0.5 * (dim > 1 ? i : 0)) / Math.max(1, dim - 1)));
}

/** f_pen: Σ max(0, |x_i| − 5)². */
export function fPen(x: readonly number[]): number {
  return x.reduce((s, v) => s + Math.max(0, Math.abs(v) - 5) ** 2, 0);
}

const rastriginRaw = (z: readonly number[]) => 10 * (z.length - z.reduce((s, v) => s + Math.cos(2 * Math.PI * v), 0)) + z.reduce((s, v) => s + v * v, 0);

// ---- instances ------------------------------------------------------------------------------------

export interface BbobInstance {
  fid: number;
  dim: number;
  instance: number;
  xopt: number[];
  fopt: number;
  value(x: readonly number[]): number;
  /** R and Q where the function has them (for tests: they must be orthogonal). */
  rotations: number[][][];
}

export interface BbobOptions {
  /**
   * Moves x_opt before the rest of the instance is derived from it (the mixed-space variant puts the
   * optimum of each integer or categorical coordinate on its grid, as COCO's bbob-mixint suite does).
   * Not for f20, whose x_opt (±4.2096874637/2) is part of the function's definition.
   */
  snapXopt?: (xopt: number[]) => number[];
}

/** Instance `instance` (COCO numbering, 1, 2, …) of BBOB function `fid` in dimension `dim`. */
export function bbobInstance(fid: number, dim: number, instance: number, options: BbobOptions = {}): BbobInstance {
  if (!BBOB_FUNCTIONS[fid]) throw new Error(`BBOB f${fid} is not implemented; implemented: ${Object.keys(BBOB_FUNCTIONS).map((f) => `f${f}`).join(', ')}`);
  if (!Number.isInteger(dim) || dim < 2 || dim > 40) throw new Error(`BBOB dimension ${dim}: COCO defines 2 ≤ D ≤ 40`);
  const rseed = fid + 10000 * instance;
  const fopt = bbobFopt(fid, instance);
  const snap = options.snapXopt ?? ((x: number[]) => x);
  const make = (xopt: number[], core: (x: readonly number[]) => number, rotations: number[][][] = []): BbobInstance => ({
    fid,
    dim,
    instance,
    xopt,
    fopt,
    rotations,
    value: (x) => {
      if (x.length !== dim) throw new Error(`BBOB f${fid}: a point of length ${x.length}, expected ${dim}`);
      return core(x) + fopt;
    },
  });
  const shift = (x: readonly number[], xopt: readonly number[]) => x.map((v, i) => v - xopt[i]);

  switch (fid) {
    case 1: {
      // f1 = ||z||², z = x − x_opt.
      const xopt = snap(bbobXopt(rseed, dim));
      return make(xopt, (x) => shift(x, xopt).reduce((s, v) => s + v * v, 0));
    }
    case 3: {
      // f3 = 10(D − Σ cos 2πz_i) + ||z||², z = Λ^10 T_asy^0.2(T_osz(x − x_opt)).
      const xopt = snap(bbobXopt(rseed, dim));
      const lambda = lambdaDiag(10, dim);
      return make(xopt, (x) => rastriginRaw(tAsy(tOsz(shift(x, xopt)), 0.2).map((v, i) => lambda[i] * v)));
    }
    case 8: {
      // f8 = Σ_{i<D} 100(z_i² − z_{i+1})² + (z_i − 1)², z = max(1, √D/8)(x − x_opt) + 1; x_opt = 0.75 × the usual draw (f_rosenbrock.c).
      const xopt = snap(bbobXopt(rseed, dim).map((v) => 0.75 * v));
      const factor = Math.max(1, Math.sqrt(dim) / 8);
      return make(xopt, (x) => {
        const z = shift(x, xopt).map((v) => factor * v + 1);
        let s = 0;
        for (let i = 0; i < dim - 1; i++) s += 100 * (z[i] * z[i] - z[i + 1]) ** 2 + (z[i] - 1) ** 2;
        return s;
      });
    }
    case 10: {
      // f10 = Σ 10^(6 (i−1)/(D−1)) z_i², z = T_osz(R(x − x_opt)); R from seed rseed + 1e6.
      const xopt = snap(bbobXopt(rseed, dim));
      const r = bbobRotation(rseed + 1000000, dim);
      const weights = Array.from({ length: dim }, (_, i) => Math.pow(10, (6 * i) / (dim - 1)));
      return make(xopt, (x) => tOsz(matVec(r, shift(x, xopt))).reduce((s, v, i) => s + weights[i] * v * v, 0), [r]);
    }
    case 15: {
      // f15 = 10(D − Σ cos 2πz_i) + ||z||², z = R Λ^10 Q T_asy^0.2(T_osz(R(x − x_opt))); R seed rseed + 1e6, Q seed rseed.
      const xopt = snap(bbobXopt(rseed, dim));
      const r = bbobRotation(rseed + 1000000, dim);
      const q = bbobRotation(rseed, dim);
      const lambda = lambdaDiag(10, dim);
      const m = matMul(r.map((row) => row.map((v, k) => v * lambda[k])), q);
      return make(xopt, (x) => rastriginRaw(matVec(m, tAsy(tOsz(matVec(r, shift(x, xopt))), 0.2))), [r, q]);
    }
    case 16: {
      // f16 = 10((1/D) Σ_i Σ_{k=0}^{11} ½^k cos(2π 3^k (z_i + ½)) − f0)³ + (10/D) f_pen(x),
      // z = R Λ^{1/100} Q T_osz(R(x − x_opt)), f0 = Σ_k ½^k cos(π 3^k).
      const xopt = snap(bbobXopt(rseed, dim));
      const r = bbobRotation(rseed + 1000000, dim);
      const q = bbobRotation(rseed, dim);
      const lambda = lambdaDiag(1 / 100, dim);
      const m = matMul(r.map((row) => row.map((v, k) => v * lambda[k])), q);
      const ak = Array.from({ length: 12 }, (_, k) => 0.5 ** k);
      const bk = Array.from({ length: 12 }, (_, k) => 3 ** k);
      const f0 = ak.reduce((s, a, k) => s + a * Math.cos(Math.PI * bk[k]), 0);
      return make(
        xopt,
        (x) => {
          const z = matVec(m, tOsz(matVec(r, shift(x, xopt))));
          let s = 0;
          for (const zi of z) for (let k = 0; k < 12; k++) s += ak[k] * Math.cos(2 * Math.PI * bk[k] * (zi + 0.5));
          return 10 * (s / dim - f0) ** 3 + (10 / dim) * fPen(x);
        },
        [r, q],
      );
    }
    case 20: {
      // f20 = −(1/(100D)) Σ z_i sin(√|z_i|) + 4.189828872724339 + 100 f_pen(z/100), with
      // x̂ = 2·1±⊗x, ẑ_1 = x̂_1, ẑ_{i+1} = x̂_{i+1} + 0.25(x̂_i − 2|x_opt,i|), z = 100(Λ^10(ẑ − 2|x_opt|) + 2|x_opt|),
      // x_opt = 4.2096874637/2 · 1±, 1± a random sign vector (f_schwefel.c: signs from unif(rseed)).
      if (options.snapXopt) throw new Error('BBOB f20: x_opt is part of the definition and cannot be moved (no mixed-space variant)');
      const signs = bbobUnif(dim, rseed).map((u) => (u - 0.5 < 0 ? -1 : 1));
      const xopt = signs.map((s) => s * 0.5 * 4.2096874637);
      const two = xopt.map((v) => 2 * Math.abs(v));
      const lambda = lambdaDiag(10, dim);
      return make(xopt, (x) => {
        const xh = x.map((v, i) => 2 * signs[i] * v);
        const zh = xh.map((v, i) => (i === 0 ? v : v + 0.25 * (xh[i - 1] - two[i - 1])));
        const z = zh.map((v, i) => 100 * (lambda[i] * (v - two[i]) + two[i]));
        const sum = z.reduce((s, v) => s + v * Math.sin(Math.sqrt(Math.abs(v))), 0);
        const pen = z.reduce((s, v) => s + Math.max(0, Math.abs(v) - 500) ** 2, 0);
        // COCO's f_schwefel_raw: 0.01·(penalty + 418.9828872724339 − Σ/D) — the same formula in z's units.
        return 0.01 * (pen + 418.9828872724339 - sum / dim);
      });
    }
    case 22: {
      // f22 = T_osz(10 − max_i w_i exp(−(1/(2D)) (x − y_i)ᵀ Rᵀ C_i R (x − y_i)))² + f_pen(x): 21 peaks, w_1 = 10,
      // w_i = 1.1 + 8(i − 2)/19, C_i = Λ^{α_i}/α_i^{1/4} with random axis order; y_1 = x_opt. Generation as f_gallagher.c
      // (b = 9.8, c = 4.9, first peak's condition 1000, the others 1000^(perm/19)).
      const peaks = 21;
      const r = bbobRotation(rseed, dim);
      const argsort = (values: number[]) => values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v).map((e) => e.i);
      const perm = argsort(bbobUnif(peaks - 1, rseed));
      const condition = [1000, ...perm.map((p) => Math.pow(1000, p / (peaks - 2)))];
      const peakValues = [10, ...Array.from({ length: peaks - 1 }, (_, i) => (i / (peaks - 2)) * (9.1 - 1.1) + 1.1)];
      const scales = condition.map((c, i) => {
        const order = argsort(bbobUnif(dim, rseed + 1000 * i));
        return order.map((o) => Math.pow(c, o / (dim - 1) - 0.5));
      });
      const u = bbobUnif(dim * peaks, rseed);
      const xopt = snap(Array.from({ length: dim }, (_, i) => 0.8 * (9.8 * u[i] - 4.9)));
      // y_i in rotated coordinates (x_local[:, i] = R y_i); y_1 = x_opt (after a snap, the moved one).
      const local = Array.from({ length: peaks }, (_, j) => (j === 0 ? matVec(r, xopt) : matVec(r, Array.from({ length: dim }, (_, k) => 9.8 * u[j * dim + k] - 4.9))));
      const fac = -0.5 / dim;
      return make(
        xopt,
        (x) => {
          const t = matVec(r, x);
          let f = 0;
          for (let i = 0; i < peaks; i++) {
            let q = 0;
            for (let j = 0; j < dim; j++) q += scales[i][j] * (t[j] - local[i][j]) ** 2;
            f = Math.max(f, peakValues[i] * Math.exp(fac * q));
          }
          const g = 10 - f;
          // T_osz on the scalar, in f_gallagher.c's form (a = 0.1).
          let ft: number;
          if (g > 0) {
            const h = Math.log(g) / 0.1;
            ft = Math.pow(Math.exp(h + 0.49 * (Math.sin(h) + Math.sin(0.79 * h))), 0.1);
          } else if (g < 0) {
            const h = Math.log(-g) / 0.1;
            ft = -Math.pow(Math.exp(h + 0.49 * (Math.sin(0.55 * h) + Math.sin(0.31 * h))), 0.1);
          } else ft = 0;
          return ft * ft + fPen(x);
        },
        [r],
      );
    }
    default:
      throw new Error(`BBOB f${fid} is not implemented`);
  }
}
