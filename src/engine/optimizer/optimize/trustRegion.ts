import type { SpaceLayout } from '../encoding';

/**
 * A trust region for the acquisition search (TuRBO-1: Eriksson, Pearce, Gardner, Turner & Poloczek,
 * "Scalable global optimization via local Bayesian optimization", NeurIPS 2019). The acquisition is
 * maximised inside a box around the incumbent instead of over the whole space: with 16–100 points in
 * 5–10 dimensions a global GP's uncertainty is large almost everywhere, so a global optimistic
 * acquisition spends its batches on far corners while the incumbent's basin stays unrefined.
 *
 * The box is centred at the incumbent; its side along continuous coordinate i is L·w_i, with
 * w_i = ℓ_i / (Π_j ℓ_j)^{1/d} (the GP's lengthscales, normalised to a geometric mean of 1, so the box
 * has the volume of a cube of side L and is long where the function varies slowly), clipped to [0, 1].
 *
 * TuRBO keeps L as state: L₀ = 0.8; after `successTolerance` consecutive batches that improve on the
 * best value, L doubles (at most L_max = 1.6); after `failureTolerance` = ⌈max(4/q, d/q)⌉ consecutive
 * batches that do not, L halves; below L_min = 0.5⁷ the region restarts. Here the state is not stored:
 * it is replayed from the observations in their order (the initial design, then one chunk of q per
 * batch), each judged by `values` — the same values that pick the incumbent (observed on a deterministic
 * objective, the posterior mean on a noisy one, so a lucky noisy draw is not a success). A restart sets
 * L back to L₀ around the current incumbent (TuRBO restarts from a fresh design and a fresh model; a
 * study keeps its one model and every observation).
 *
 * Integer and categorical coordinates are not restricted (their grids are searched whole).
 */
export interface TrustRegionOptions {
  initialLength: number;
  minLength: number;
  maxLength: number;
  successTolerance: number;
  /** Consecutive failures before halving; absent: ⌈max(4/q, d/q)⌉ (TuRBO's default). */
  failureTolerance?: number;
  /** A batch succeeds when its best value is below the best before it by more than this share of the values' range. */
  improvementShare: number;
}

export const DEFAULT_TRUST_REGION: TrustRegionOptions = {
  initialLength: 0.8,
  minLength: 0.5 ** 7,
  maxLength: 1.6,
  successTolerance: 3,
  improvementShare: 1e-3,
};

export interface TrustRegion {
  /** Box in model-input coordinates (every column; unrestricted columns span [0, 1]). */
  lower: Float64Array;
  upper: Float64Array;
  /** Base side length L after the replay. */
  length: number;
  /** Restarts during the replay. */
  restarts: number;
}

export interface TrustRegionInput {
  layout: SpaceLayout;
  /** The incumbent's model input (the box's centre). */
  centre: ArrayLike<number>;
  /** Lengthscale of each group (= parameter). */
  lengthscales: readonly number[];
  /** Value (lower is better) of each observation, in the order they were made. */
  values: readonly number[];
  /** Observations before the first model-based batch (the initial design). */
  initialCount: number;
  batchSize: number;
  options?: TrustRegionOptions;
}

/** Base side length L after replaying the batches (TuRBO's success/failure rule). */
export function replayTrustRegionLength(
  values: readonly number[],
  initialCount: number,
  batchSize: number,
  dimension: number,
  options: TrustRegionOptions = DEFAULT_TRUST_REGION,
): { length: number; restarts: number } {
  const q = Math.max(1, batchSize);
  const failureTolerance = options.failureTolerance ?? Math.ceil(Math.max(4 / q, dimension / q));
  const finite = values.filter(Number.isFinite);
  const range = finite.length ? Math.max(...finite) - Math.min(...finite) : 0;
  const tolerance = options.improvementShare * range;
  let length = options.initialLength;
  let restarts = 0;
  let successes = 0;
  let failures = 0;
  const start = Math.min(values.length, Math.max(1, initialCount));
  let best = Math.min(...values.slice(0, start));
  for (let from = start; from < values.length; from += q) {
    const chunkBest = Math.min(...values.slice(from, from + q));
    if (chunkBest < best - tolerance) {
      successes++;
      failures = 0;
    } else {
      failures++;
      successes = 0;
    }
    best = Math.min(best, chunkBest);
    if (successes >= options.successTolerance) {
      length = Math.min(options.maxLength, 2 * length);
      successes = 0;
    } else if (failures >= failureTolerance) {
      length /= 2;
      failures = 0;
    }
    if (length < options.minLength) {
      length = options.initialLength;
      restarts++;
      successes = 0;
      failures = 0;
    }
  }
  return { length, restarts };
}

export function trustRegion(input: TrustRegionInput): TrustRegion {
  const { layout, centre } = input;
  const options = input.options ?? DEFAULT_TRUST_REGION;
  const columns = layout.continuousColumns;
  const { length, restarts } = replayTrustRegionLength(input.values, input.initialCount, input.batchSize, Math.max(1, columns.length), options);
  const lower = new Float64Array(layout.dimension);
  const upper = new Float64Array(layout.dimension).fill(1);
  if (columns.length === 0) return { lower, upper, length, restarts };
  const scales = columns.map((c) => input.lengthscales[layout.groups[c]]);
  const logMean = scales.reduce((s, l) => s + Math.log(l), 0) / scales.length;
  columns.forEach((c, i) => {
    const half = (length * Math.exp(Math.log(scales[i]) - logMean)) / 2;
    lower[c] = Math.max(0, centre[c] - half);
    upper[c] = Math.min(1, centre[c] + half);
  });
  return { lower, upper, length, restarts };
}

/** Moves the continuous coordinates of `x` into the region (in place). */
export function clipToRegion(x: Float64Array, region: Pick<TrustRegion, 'lower' | 'upper'>, layout: SpaceLayout): Float64Array {
  for (const c of layout.continuousColumns) x[c] = Math.min(region.upper[c], Math.max(region.lower[c], x[c]));
  return x;
}

/** Maps a point of the unit cube into the region along the continuous coordinates (in place). */
export function scaleIntoRegion(x: Float64Array, region: Pick<TrustRegion, 'lower' | 'upper'>, layout: SpaceLayout): Float64Array {
  for (const c of layout.continuousColumns) x[c] = region.lower[c] + x[c] * (region.upper[c] - region.lower[c]);
  return x;
}
