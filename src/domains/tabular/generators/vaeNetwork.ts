import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../engine/random/rng';
import type { DecodedBatch, EncodedTrain, VaeEncoding } from './vaeEncoding';

/**
 * The tabular VAE's network in tfjs, on the cpu backend: synchronous (so a generator call stays one
 * synchronous function, in Node and in a worker alike) and deterministic — every random number (the
 * initial weights, the batch order, the reparameterisation noise) comes from the caller's seeded Rng,
 * none from tfjs's own generators.
 *
 * Encoder: [data, class one-hot] → dense(h, relu) → dense(h, relu) → (μ, log σ²) of a d-dimensional
 * latent; decoder: [z, class one-hot] → dense(h, relu) → dense(h, relu) → the data vector's outputs
 * (score means, missing-flag logits, categorical logits), with one learned sd per numeric score, as in
 * TVAE (Xu et al. 2019, "Modeling Tabular Data using Conditional GAN"; its σ is clamped to [0.01, 1]).
 * Loss per row, averaged over the batch (the negative ELBO with a weight β on the KL term):
 *   Σ_numeric present · [(x − μ)² / 2σ² + log σ]  +  Σ_flags BCE(flag, logit)  +  Σ_blocks −log softmax(logits)[level]
 *   + β · ½ Σ_latent (μ² + σ_z² − log σ_z² − 1),
 * minimised by Adam over shuffled mini-batches.
 *
 * How it is laid out for speed: on the cpu backend a step's cost at these sizes is the count of kernels
 * and their strided copies more than the arithmetic, so every weight lives in one flat variable that one
 * kernel splits (Adam updates one tensor; the backward pass joins the gradients with one kernel), and
 * the layers whose inputs or outputs are concatenations are split into blocks — x·W_x + c·W_c instead
 * of [x, c]·W, and separate output heads for the scores, the flags and the categorical logits — so no
 * tensor is sliced or concatenated column-wise.
 */
export interface NetworkSettings {
  latentSize: number;
  hiddenUnits: number;
  klWeight: number;
  learningRate: number;
  epochs: number;
  batchSize: number;
}

type PieceName =
  | 'enc1x' | 'enc1c' | 'enc1b' | 'enc2w' | 'enc2b' | 'muW' | 'muB' | 'lvW' | 'lvB'
  | 'dec1z' | 'dec1c' | 'dec1b' | 'dec2w' | 'dec2b' | 'numW' | 'numB' | 'flagW' | 'flagB' | 'catW' | 'catB' | 'logSigma';

interface Piece {
  name: PieceName;
  shape: number[];
  /** Glorot-uniform limit √(6 / (fan_in + fan_out)) of the dense layer the piece belongs to; 0: a bias. */
  limit: number;
}

export interface VaeNetwork {
  params: tf.Variable;
  pieces: Piece[];
  latentSize: number;
  classes: number;
  numeric: number;
  flags: number;
  /** Width of the categorical one-hots (Σ levels). */
  categorical: number;
}

const SIGMA_RANGE: readonly [number, number] = [0.01, 1];
const INITIAL_SIGMA = 0.5;
/** log σ_z² is clipped to ±this (exp of a runaway value overflows float32). */
const LOG_VARIANCE_LIMIT = 10;

/**
 * Selects tfjs's cpu backend if another is active. Its one-time "install the node backend" notice is
 * silenced with production mode (which also skips tfjs's debug checks): a calibration's output is not the
 * place for it, and the node backend is not what this code runs on.
 */
export function useCpuBackend(): void {
  if (!tf.env().getBool('PROD')) tf.enableProdMode();
  if (tf.getBackend() !== 'cpu') void tf.setBackend('cpu');
}

/** The sizes of the data vector's parts: numeric scores, missing flags, categorical one-hots. */
function parts(encoding: VaeEncoding) {
  const numeric = encoding.numeric.length;
  const flags = encoding.numeric.filter((c) => c.missingDim >= 0).length;
  return { numeric, flags, categorical: encoding.width - numeric - flags };
}

/**
 * The network's pieces and initial parameters: Glorot-uniform weights (each block with its whole
 * layer's fan-in and fan-out), zero biases, log σ = log 0.5 for every numeric score.
 */
export function createNetwork(encoding: VaeEncoding, settings: NetworkSettings, rng: Rng): VaeNetwork {
  const classes = encoding.classes.length;
  const h = settings.hiddenUnits;
  const d = settings.latentSize;
  const width = encoding.width;
  const { numeric, flags, categorical } = parts(encoding);
  const glorot = (fanIn: number, fanOut: number) => Math.sqrt(6 / (fanIn + fanOut));
  const candidates: Piece[] = [
    { name: 'enc1x', shape: [width, h], limit: glorot(width + classes, h) },
    { name: 'enc1c', shape: [classes, h], limit: glorot(width + classes, h) },
    { name: 'enc1b', shape: [h], limit: 0 },
    { name: 'enc2w', shape: [h, h], limit: glorot(h, h) },
    { name: 'enc2b', shape: [h], limit: 0 },
    { name: 'muW', shape: [h, d], limit: glorot(h, 2 * d) },
    { name: 'muB', shape: [d], limit: 0 },
    { name: 'lvW', shape: [h, d], limit: glorot(h, 2 * d) },
    { name: 'lvB', shape: [d], limit: 0 },
    { name: 'dec1z', shape: [d, h], limit: glorot(d + classes, h) },
    { name: 'dec1c', shape: [classes, h], limit: glorot(d + classes, h) },
    { name: 'dec1b', shape: [h], limit: 0 },
    { name: 'dec2w', shape: [h, h], limit: glorot(h, h) },
    { name: 'dec2b', shape: [h], limit: 0 },
    { name: 'numW', shape: [h, numeric], limit: glorot(h, width) },
    { name: 'numB', shape: [numeric], limit: 0 },
    { name: 'flagW', shape: [h, flags], limit: glorot(h, width) },
    { name: 'flagB', shape: [flags], limit: 0 },
    { name: 'catW', shape: [h, categorical], limit: glorot(h, width) },
    { name: 'catB', shape: [categorical], limit: 0 },
    { name: 'logSigma', shape: [numeric], limit: 0 },
  ];
  const pieces = candidates.filter((p) => p.shape.every((n) => n > 0));
  const sizes = pieces.map((p) => p.shape.reduce((a, b) => a * b, 1));
  const values = new Float32Array(sizes.reduce((a, b) => a + b, 0));
  let offset = 0;
  pieces.forEach((p, k) => {
    if (p.limit > 0) for (let i = 0; i < sizes[k]; i++) values[offset + i] = rng.uniform(-p.limit, p.limit);
    if (p.name === 'logSigma') values.fill(Math.log(INITIAL_SIGMA), offset, offset + sizes[k]);
    offset += sizes[k];
  });
  const initial = tf.tensor1d(values);
  const params = tf.variable(initial);
  initial.dispose();
  return { params, pieces, latentSize: d, classes, numeric, flags, categorical };
}

export function disposeNetwork(net: VaeNetwork): void {
  net.params.dispose();
}

type Weights = Partial<Record<PieceName, tf.Tensor>>;

/** The parameter vector in its pieces (one split kernel). */
function weights(net: VaeNetwork): Weights {
  const flat = tf.split(net.params, net.pieces.map((p) => p.shape.reduce((a, b) => a * b, 1)));
  return Object.fromEntries(net.pieces.map((p, k) => [p.name, p.shape.length === 2 ? tf.reshape(flat[k], p.shape) : flat[k]]));
}

/** x·W (+ c·W_c when there is a class) + b. */
function affine(x: tf.Tensor, w: tf.Tensor | undefined, b: tf.Tensor | undefined, c?: tf.Tensor | null, wc?: tf.Tensor): tf.Tensor2D {
  let a = tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D);
  if (c && wc) a = tf.add(a, tf.matMul(c as tf.Tensor2D, wc as tf.Tensor2D));
  return tf.add(a, b as tf.Tensor) as tf.Tensor2D;
}

function encoder(w: Weights, x: tf.Tensor2D, c: tf.Tensor2D | null): { mu: tf.Tensor2D; logVariance: tf.Tensor2D } {
  const h1 = tf.relu(affine(x, w.enc1x, w.enc1b, c, w.enc1c));
  const h2 = tf.relu(affine(h1, w.enc2w, w.enc2b));
  return { mu: affine(h2, w.muW, w.muB), logVariance: tf.clipByValue(affine(h2, w.lvW, w.lvB), -LOG_VARIANCE_LIMIT, LOG_VARIANCE_LIMIT) };
}

/** The decoder's heads: score means, flag logits, categorical logits (null where the table has none). */
function decoder(w: Weights, z: tf.Tensor2D, c: tf.Tensor2D | null) {
  const h1 = tf.relu(affine(z, w.dec1z, w.dec1b, c, w.dec1c));
  const h2 = tf.relu(affine(h1, w.dec2w, w.dec2b));
  return {
    numeric: w.numW ? affine(h2, w.numW, w.numB) : null,
    flags: w.flagW ? affine(h2, w.flagW, w.flagB) : null,
    categorical: w.catW ? affine(h2, w.catW, w.catB) : null,
  };
}

function clippedLogSigma(w: Weights): tf.Tensor1D {
  return tf.clipByValue(w.logSigma as tf.Tensor1D, Math.log(SIGMA_RANGE[0]), Math.log(SIGMA_RANGE[1]));
}

/** One mini-batch: the encoder's input and the loss's targets, each its own tensor. */
interface Batch {
  x: tf.Tensor2D;
  c: tf.Tensor2D | null;
  scores: tf.Tensor2D | null;
  mask: tf.Tensor2D | null;
  flags: tf.Tensor2D | null;
  oneHots: tf.Tensor2D | null;
  eps: tf.Tensor2D;
}

/** The batch's loss (the docstring's negative ELBO, mean over rows). */
function batchLoss(net: VaeNetwork, encoding: VaeEncoding, klWeight: number, batch: Batch): tf.Scalar {
  const rows = batch.x.shape[0];
  const w = weights(net);
  const { mu, logVariance } = encoder(w, batch.x, batch.c);
  const z = tf.add(mu, tf.mul(tf.exp(tf.mul(logVariance, 0.5)), batch.eps)) as tf.Tensor2D;
  const out = decoder(w, z, batch.c);
  const terms: tf.Tensor[] = [];
  if (out.numeric && batch.scores && batch.mask) {
    const logSigma = clippedLogSigma(w);
    const nll = tf.add(tf.mul(tf.square(tf.sub(batch.scores, out.numeric)), tf.mul(tf.exp(tf.mul(logSigma, -2)), 0.5)), logSigma);
    terms.push(tf.sum(tf.mul(nll, batch.mask)));
  }
  if (out.flags && batch.flags) {
    const l = out.flags;
    // Binary cross-entropy from logits, in its stable form max(l, 0) − l·y + log(1 + e^−|l|).
    terms.push(tf.sum(tf.add(tf.sub(tf.relu(l), tf.mul(l, batch.flags)), tf.softplus(tf.neg(tf.abs(l))))));
  }
  if (out.categorical && batch.oneHots) {
    const start = encoding.categorical[0].offset;
    const blocks = encoding.categorical.length === 1 ? [out.categorical] : encoding.categorical.map((b) => tf.slice(out.categorical as tf.Tensor2D, [0, b.offset - start], [rows, b.levels.length]));
    const logProbabilities = blocks.length === 1 ? tf.logSoftmax(blocks[0]) : tf.concat(blocks.map((b) => tf.logSoftmax(b)), 1);
    terms.push(tf.neg(tf.sum(tf.mul(batch.oneHots, logProbabilities))));
  }
  terms.push(tf.mul(tf.sum(tf.sub(tf.add(tf.square(mu), tf.exp(logVariance)), tf.add(logVariance, 1))), 0.5 * klWeight));
  return tf.div(tf.addN(terms), rows) as tf.Scalar;
}

/** Columns [from, from + count) of the rows `ids` of train's encoded input, as a rows × count tensor (null when count is 0). */
function columns(train: EncodedTrain, ids: ArrayLike<number>, from: number, count: number, source: 'input' | 'mask' = 'input'): tf.Tensor2D | null {
  if (count === 0) return null;
  const values = source === 'input' ? train.input : train.mask;
  const stride = source === 'input' ? train.stride : count;
  const out = new Float32Array(ids.length * count);
  for (let r = 0; r < ids.length; r++) out.set(values.subarray(ids[r] * stride + from, ids[r] * stride + from + count), r * count);
  return tf.tensor2d(out, [ids.length, count]);
}

/**
 * Trains the network on train's encoded rows: `epochs` passes, each over the rows in a fresh seeded
 * order in batches of `batchSize` (the last one smaller). Calls `onProgress(epoch, epochs)` after each
 * pass. Every tensor it makes is disposed before it returns (the optimizer's state included), also
 * when the callback throws.
 */
export function trainNetwork(net: VaeNetwork, encoding: VaeEncoding, train: EncodedTrain, settings: NetworkSettings, rng: Rng, onProgress?: (epoch: number, epochs: number) => void): void {
  const n = train.rows;
  const width = encoding.width;
  const d = net.latentSize;
  const optimizer = tf.train.adam(settings.learningRate);
  const order = Array.from({ length: n }, (_, i) => i);
  const batchSize = Math.max(1, Math.min(settings.batchSize, n));
  try {
    for (let epoch = 1; epoch <= settings.epochs; epoch++) {
      for (let i = n - 1; i > 0; i--) {
        const j = rng.int(0, i);
        [order[i], order[j]] = [order[j], order[i]];
      }
      for (let start = 0; start < n; start += batchSize) {
        const ids = order.slice(start, Math.min(n, start + batchSize));
        const eps = Float32Array.from({ length: ids.length * d }, () => rng.normal());
        tf.tidy(() => {
          const batch: Batch = {
            x: columns(train, ids, 0, width) as tf.Tensor2D,
            c: columns(train, ids, width, net.classes),
            scores: columns(train, ids, 0, net.numeric),
            mask: columns(train, ids, 0, net.numeric, 'mask'),
            flags: columns(train, ids, net.numeric, net.flags),
            oneHots: columns(train, ids, net.numeric + net.flags, net.categorical),
            eps: tf.tensor2d(eps, [ids.length, d]),
          };
          optimizer.minimize(() => batchLoss(net, encoding, settings.klWeight, batch), false, [net.params]);
        });
      }
      onProgress?.(epoch, settings.epochs);
    }
  } finally {
    optimizer.dispose();
  }
}

/** The decoder's outputs for latent draws `z` (rows × d) under the class one-hots `condition` (rows × classes). */
export function decode(net: VaeNetwork, z: Float32Array, condition: Float32Array, rows: number, width: number): DecodedBatch {
  return tf.tidy(() => {
    const w = weights(net);
    const out = decoder(w, tf.tensor2d(z, [rows, net.latentSize]), net.classes ? tf.tensor2d(condition, [rows, net.classes]) : null);
    const outputs = new Float32Array(rows * width);
    let from = 0;
    for (const head of [out.numeric, out.flags, out.categorical]) {
      if (!head) continue;
      const count = head.shape[1];
      const values = head.dataSync();
      for (let r = 0; r < rows; r++) outputs.set(values.subarray(r * count, (r + 1) * count), r * width + from);
      from += count;
    }
    const sigma = w.logSigma ? Float32Array.from(tf.exp(clippedLogSigma(w)).dataSync()) : new Float32Array(0);
    return { outputs, rows, sigma };
  });
}

/** The encoder's posterior N(μ, diag σ²) of train's rows: rows × d means and log variances. */
export function encodePosterior(net: VaeNetwork, train: EncodedTrain, width: number): { mu: Float32Array; logVariance: Float32Array } {
  return tf.tidy(() => {
    const all = Array.from({ length: train.rows }, (_, i) => i);
    const { mu, logVariance } = encoder(weights(net), columns(train, all, 0, width) as tf.Tensor2D, columns(train, all, width, net.classes));
    return { mu: Float32Array.from(mu.dataSync()), logVariance: Float32Array.from(logVariance.dataSync()) };
  });
}
