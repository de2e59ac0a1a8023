import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import { lowerInverseTransposed } from '../../src/engine/linalg/cholesky';
import { encodeParameters, spaceLayout } from '../../src/engine/optimizer/encoding';
import { GpPosterior } from '../../src/engine/optimizer/gp/posterior';
import { gpInputs } from '../../src/engine/optimizer/gp/trainingData';
import { CandidatePool } from '../../src/engine/optimizer/optimize/candidatePool';
import { sampleUniform } from '../../src/engine/space/sampling';
import { createRng } from '../../src/engine/random/rng';
import { voidLike } from './functions';
import { quantile } from './stats';

/**
 * Does tfjs pay for the optimizer's one batched step — the posterior mean and variance of thousands of
 * raw candidates? Same posterior (void-like space, Matérn-5/2) two ways:
 * - core: CandidatePool (Float64 loops: k(x), one triangular solve per candidate);
 * - tfjs (the backend @tensorflow/tfjs picks in Node: cpu): K* from one matMul of scaled inputs,
 *   μ = c + K*α, V = K*·L⁻ᵀ (L⁻¹ precomputed in Float64), σ² = σ_f² − Σ V² — float32 throughout.
 * Reports the median of 5 timed runs after a warm-up, and tfjs's largest variance error.
 */
export interface TfjsCheck {
  backend: string;
  candidates: number;
  observations: number;
  coreMs: number;
  tfjsMs: number;
  maxVarianceRelativeError: number;
}

export async function tfjsCheck(n = 96, m = 4096): Promise<TfjsCheck> {
  await tf.ready();
  const layout = spaceLayout(voidLike.space);
  const rng = createRng(17);
  const rows = Array.from({ length: n }, () => encodeParameters(layout, sampleUniform(voidLike.space, rng)));
  const y = rows.map(() => rng.normal());
  const h = { lengthscales: [0.8, 0.4, 0.3, 0.5, 1.5, 0.9], outputscale: 1.1, noise: 0.01, mean: 0.05 };
  const posterior = GpPosterior.fromData(gpInputs(rows, layout.groups), y, h, 'matern52');
  const candidates = Array.from({ length: m }, () => encodeParameters(layout, sampleUniform(voidLike.space, rng)));

  const timeIt = async (f: () => unknown | Promise<unknown>) => {
    await f();
    const times: number[] = [];
    for (let r = 0; r < 5; r++) {
      const started = performance.now();
      await f();
      times.push(performance.now() - started);
    }
    return quantile(times, 0.5);
  };

  const corePool = () => new CandidatePool(candidates, posterior, 0);
  const coreMs = await timeIt(corePool);
  const reference = corePool();

  const D = layout.dimension;
  const scale = Float32Array.from(layout.groups, (g) => 1 / h.lengthscales[g]);
  const scaled = (points: readonly ArrayLike<number>[]) => {
    const out = new Float32Array(points.length * D);
    points.forEach((p, i) => {
      for (let c = 0; c < D; c++) out[i * D + c] = p[c] * scale[c];
    });
    return tf.tensor2d(out, [points.length, D]);
  };
  const train = scaled(rows);
  const cand = scaled(candidates);
  const alpha = tf.tensor2d(Float32Array.from(posterior.alpha), [n, 1]);
  const Lt = tf.tensor2d(Float32Array.from(lowerInverseTransposed(posterior.factor)), [n, n]); // (L⁻¹)ᵀ
  const tfPosterior = () =>
    tf.tidy(() => {
      const r2 = tf.relu(cand.square().sum(1, true).add(train.square().sum(1).reshape([1, n])).sub(tf.matMul(cand, train, false, true).mul(2)));
      const sr = r2.sqrt().mul(Math.sqrt(5));
      const k = tf.onesLike(sr).add(sr).add(r2.mul(5 / 3)).mul(tf.exp(sr.neg())).mul(h.outputscale);
      const mean = tf.matMul(k, alpha).add(h.mean);
      const V = tf.matMul(k, Lt);
      const variance = tf.scalar(h.outputscale).sub(V.square().sum(1));
      return [mean, variance] as const;
    });
  const tfjsMs = await timeIt(async () => {
    const [mean, variance] = tfPosterior();
    await Promise.all([mean.data(), variance.data()]);
    mean.dispose();
    variance.dispose();
  });
  const [mean, variance] = tfPosterior();
  const v = await variance.data();
  let maxVarianceRelativeError = 0;
  for (let i = 0; i < m; i++) maxVarianceRelativeError = Math.max(maxVarianceRelativeError, Math.abs(v[i] - reference.variances[i]) / reference.variances[i]);
  tf.dispose([mean, variance, train, cand, alpha, Lt]);
  return { backend: tf.getBackend(), candidates: m, observations: n, coreMs, tfjsMs, maxVarianceRelativeError };
}
