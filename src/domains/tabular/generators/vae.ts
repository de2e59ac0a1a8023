import { createRng, type Rng } from '../../../engine/random/rng';
import type { Table } from '../table';
import { finishTable, syntheticIds, type GeneratedTable, type GenerateOptions } from './generatedTable';
import { classQuotas } from './sourceRows';
import { columnsOf, drawCells, encodeTrain, fitEncoding, type VaeEncoding } from './vaeEncoding';
import { createNetwork, decode, disposeNetwork, encodePosterior, trainNetwork, useCpuBackend, type NetworkSettings, type VaeNetwork } from './vaeNetwork';

/** The tabular VAE's settings (the first four are its part of the optimizer's parameter space: loop/settingsSpace.ts). */
export interface VaeSettings {
  /** Passes over train. */
  epochs: number;
  /** Dimensions of the latent space. */
  latentSize: number;
  /** β, the weight of the KL term of the loss (1: the plain ELBO; below 1 the decoder copies more, above it smooths more). */
  klWeight: number;
  /** Adam's step size. */
  learningRate: number;
  /**
   * Where the latent codes come from: `posterior` (the default) — around a random train row of the class,
   * z ~ N(μ(x), σ²(x)) of the encoder; `prior` — N(0, I), as TVAE samples. A VAE trained on a few hundred
   * rows leaves regions of the prior its decoder never saw (the prior's "holes"), which the posterior
   * draws stay out of; on the glass table they cut the correlation error by a quarter at about the same
   * membership AUC (docs/tabular.md, "The tabular VAE").
   */
  sampling?: VaeSampling;
  /** Units of each of the two hidden layers of the encoder and of the decoder (default 32). */
  hiddenUnits?: number;
  /** Rows per mini-batch (default 64). */
  batchSize?: number;
}

export const VAE_SAMPLINGS = ['posterior', 'prior'] as const;
export type VaeSampling = (typeof VAE_SAMPLINGS)[number];

/** A VAE call's options: the shared ones, and a callback after each training pass (a worker reports progress with it). */
export interface VaeOptions extends GenerateOptions {
  onProgress?: (epoch: number, epochs: number) => void;
}

export const VAE_HIDDEN_UNITS = 32;
export const VAE_BATCH_SIZE = 64;
/** Rows decoded per tfjs call when sampling (bounds the memory of a large table's outputs). */
const DECODE_CHUNK = 4096;

/**
 * A small tabular VAE (docs/tabular.md, "The tabular VAE"), conditional on the class: numeric columns
 * quantile-normalised to normal scores, categorical columns one-hot, missing numeric cells as flags
 * (vaeEncoding.ts); an MLP encoder and decoder trained on train's rows with the class one-hot beside the
 * data and the latent (vaeNetwork.ts); then, per class, latent codes (around train rows of the class,
 * or from the prior: `sampling`) decoded and every cell drawn from the decoder's likelihood — a numeric
 * score with the learned sd, mapped back through train's empirical quantiles, a category from its
 * softmax, a missing cell with its flag's probability.
 *
 * Rows per class as the Gaussian copula shares them: `rowsPerClass` each; else `rows` (default train's
 * count) shared by classQuotas with `classBalance` (0: train's shares). Every class of train is a
 * condition the decoder knows, so a sparse class borrows the dependence the others teach it and keeps its
 * own place in the latent code. Missing values: a missing numeric cell is a flag the decoder learns (its
 * score is left out of the loss), a missing categorical cell is the level null; both come back at about
 * train's rate. Id columns get fresh ids; integer columns are rounded and the rows projected onto the
 * constraints (finishTable), with the clipped rows counted.
 *
 * Deterministic for its seed: tfjs's cpu backend, and every random number from the seeded Rng. Synchronous.
 * Every tensor is disposed before it returns.
 */
export function vae(train: Table, settings: VaeSettings, options: VaeOptions): GeneratedTable {
  useCpuBackend();
  const rng = createRng(options.seed).fork('vae');
  const encoding = fitEncoding(train, options.classColumn ?? null);
  const groups = encoding.classes.length ? encoding.classes : [{ key: '', rows: Array.from({ length: train.rowCount }, (_, i) => i) }];
  const counts = rowsPerGroup(groups.map((g) => g.rows.length), train.rowCount, options);
  const n = counts.reduce((a, b) => a + b, 0);
  const numeric = encoding.numeric.map(() => new Float64Array(n));
  const categorical = encoding.categorical.map(() => new Array<string | null>(n).fill(null));
  if (encoding.width > 0 && train.rowCount > 0) {
    const network: NetworkSettings = {
      epochs: Math.max(0, Math.round(settings.epochs)),
      latentSize: Math.max(1, Math.round(settings.latentSize)),
      hiddenUnits: Math.max(1, Math.round(settings.hiddenUnits ?? VAE_HIDDEN_UNITS)),
      batchSize: Math.max(1, Math.round(settings.batchSize ?? VAE_BATCH_SIZE)),
      klWeight: settings.klWeight,
      learningRate: settings.learningRate,
    };
    const net = createNetwork(encoding, network, rng.fork('weights'));
    try {
      const encoded = encodeTrain(encoding, train);
      trainNetwork(net, encoding, encoded, network, rng.fork('batches'), options.onProgress);
      const posterior = (settings.sampling ?? 'posterior') === 'posterior' ? encodePosterior(net, encoded, encoding.width) : null;
      sample(net, encoding, counts, { groups, posterior }, { numeric, categorical }, rng.fork('draws'));
    } finally {
      disposeNetwork(net);
    }
  }
  const classSource = encoding.classColumn >= 0 ? train.columns[encoding.classColumn] : null;
  const classValues: Array<string | number | null> = [];
  if (classSource) groups.forEach((g, k) => classValues.push(...Array<string | number | null>(counts[k]).fill(classSource.values[g.rows[0]])));
  const columns = columnsOf(train, encoding, { numeric, categorical, classValues, rows: n }, (c) => syntheticIds(c, n));
  return finishTable(columns, n, options.constraints);
}

/** Latent codes: N(0, I) draws, moved to a random train row's posterior (of the row's class) when there is one. */
interface LatentSource {
  groups: Array<{ rows: number[] }>;
  posterior: { mu: Float32Array; logVariance: Float32Array } | null;
}

/** Latent draws per class, decoded in chunks, each row's cells drawn (drawCells). */
function sample(net: VaeNetwork, encoding: VaeEncoding, counts: number[], source: LatentSource, out: { numeric: Float64Array[]; categorical: Array<Array<string | null>> }, rng: Rng): void {
  const classes = net.classes;
  const d = net.latentSize;
  let row = 0;
  counts.forEach((count, g) => {
    const members = source.groups[g].rows;
    for (let done = 0; done < count; ) {
      const rows = Math.min(DECODE_CHUNK, count - done);
      const z = Float32Array.from({ length: rows * d }, () => rng.normal());
      if (source.posterior) {
        const { mu, logVariance } = source.posterior;
        for (let r = 0; r < rows; r++) {
          const x = members[rng.int(0, members.length - 1)];
          for (let k = 0; k < d; k++) z[r * d + k] = mu[x * d + k] + Math.exp(0.5 * logVariance[x * d + k]) * z[r * d + k];
        }
      }
      const condition = new Float32Array(rows * classes);
      if (classes) for (let r = 0; r < rows; r++) condition[r * classes + g] = 1;
      drawCells(encoding, decode(net, z, condition, rows, encoding.width), row, out.numeric, out.categorical, rng);
      row += rows;
      done += rows;
    }
  });
}

/**
 * Rows per class (or of the one group without a class column): `rowsPerClass` each; else `rows`
 * (default train's count) by classQuotas with the class balance (α = 0: train's shares, largest remainder).
 */
function rowsPerGroup(sizes: number[], trainRows: number, options: GenerateOptions): number[] {
  if (options.rowsPerClass !== undefined && options.classColumn) return sizes.map(() => options.rowsPerClass as number);
  const total = options.rows ?? trainRows;
  return classQuotas(sizes, total, options.classColumn ? (options.classBalance ?? 0) : 0);
}
