import type { Matrix } from '../linalg/matrix';
import { assertSample } from '../linalg/validateMatrix';
import { createRng, hashSeed } from '../random/rng';
import type { ScoringConfig, ScoringContext } from './config';
import { evaluatePair, summarizeReference, type EvaluationSettings, type MetricValues, type ReferenceSummary } from './evaluate';
import { SampleGeometry } from './geometry';
import { metricIds, type MetricId } from './info';
import { splitPlan, type Split } from './splits';
import { mean, quantileOfSorted, standardDeviation } from './summary';

/**
 * The noise floor: what a perfect generator — one that draws from the real distribution itself — would
 * score. We cannot draw new real images, so we split the real set.
 *
 * Protocol ("the same sample sizes"). A score compares n real rows with m candidate rows. A split holds
 * out h real rows as the candidate and keeps the other n − h as the real set:
 *   h = min(m, ⌊n/2⌋)
 * so with 16 real images a parameter set (m = 3) is matched exactly on the candidate side (13 vs 3), and
 * an iteration (m = 24) gets 8 vs 8: the reference never shrinks below the held-out part. Both sides are
 * then smaller than in the real score (n, m), and biased metrics (FD, SW, MMD² biased, the k-NN ones)
 * depend on the sizes. So every floor comes with a *matched* value: the same metric over the same splits'
 * reference parts against h synthetic rows (a seeded subsample, or all m when m = h). Compare the matched
 * value with the floor — like with like. Unbiased MMD² and KID have expectation 0 under equality at any
 * sizes, so for them the full-size value is comparable with the floor's mean too; the band, estimated
 * with n − h reference rows instead of n, is a little wider than the full-size null band, so "score ≤
 * band high" errs slightly towards "at the floor" (13 vs 16 reference rows for a parameter set).
 *
 * Splits: all C(n, h) of them when there are no more than `repeats`, otherwise `repeats` seeded uniform
 * draws. Band: the type-7 quantiles `band` (default 5 % and 95 %) of the split values; the mean and the
 * sample standard deviation (n − 1) are reported too. Needs n ≥ 4 real rows (both parts ≥ 2).
 */
export interface FloorBand {
  mean: number;
  sd: number;
  median: number;
  low: number;
  high: number;
  /** The quantile levels of low and high. */
  quantiles: [number, number];
}

export type NoiseFloor =
  | ({
      available: true;
      /** Real rows playing the real set in each split (n − h). */
      referenceSize: number;
      /** Real rows held out as the candidate (h). */
      heldOutSize: number;
      splits: number;
      /** True when every possible split was used. */
      exhaustive: boolean;
    } & FloorBand)
  | { available: false; reason: string };

export function heldOutSize(realCount: number, candidateCount: number): number {
  return Math.min(candidateCount, Math.floor(realCount / 2));
}

export interface FloorPlan {
  h: number;
  splits: Split[];
  exhaustive: boolean;
}

export function floorPlan(realCount: number, candidateCount: number, config: ScoringConfig): FloorPlan | { reason: string } {
  const h = heldOutSize(realCount, candidateCount);
  if (realCount < 4) return { reason: `the noise floor needs at least 4 real samples to split into two parts of ≥ 2 (have ${realCount})` };
  if (h < 2) return { reason: `a candidate of ${candidateCount} sample(s) is too small for a split (need ≥ 2)` };
  const rng = createRng(hashSeed(config.seed, 'noise-floor', realCount, h));
  return { h, ...splitPlan(realCount, h, config.repeats, rng) };
}

export function summarize(values: Float64Array, quantiles: [number, number]): FloorBand {
  const sorted = Float64Array.from(values).sort();
  return {
    mean: mean(values),
    sd: standardDeviation(values),
    median: quantileOfSorted(sorted, 0.5),
    low: quantileOfSorted(sorted, quantiles[0]),
    high: quantileOfSorted(sorted, quantiles[1]),
    quantiles: [quantiles[0], quantiles[1]],
  };
}

export function evaluationSettings(context: ScoringContext): EvaluationSettings {
  const c = context.config;
  return { sigma: c.bandwidth, reduction: c.reduction, directions: context.directions, swOrder: c.swOrder, k: c.k, shrinkage: c.shrinkage };
}

/** Splits evaluated per yielded step (the worker checks for cancellation between steps). */
export const splitsPerStep = 25;

/**
 * Evaluates the selected metrics on each split (real reference vs held-out reals), yielding after each
 * chunk of splits with the count done. Returns the per-metric arrays of split values.
 */
export function* floorValuesSteps(
  geometry: SampleGeometry,
  plan: FloorPlan,
  context: ScoringContext,
  selection: ReadonlySet<MetricId>,
  references: ReferenceSummary[],
): Generator<number, Map<MetricId, Float64Array>> {
  const settings = evaluationSettings(context);
  const out = new Map<MetricId, Float64Array>();
  for (const id of selection) out.set(id, new Float64Array(plan.splits.length));
  for (let s = 0; s < plan.splits.length; s++) {
    const split = plan.splits[s];
    const held = { source: 'real' as const, ids: split.heldOut };
    references[s] ??= summarizeReference(geometry, split.reference, settings);
    const { values } = evaluatePair(geometry, { refs: split.reference, candidates: held, pooledCandidates: held }, settings, selection, references[s]);
    store(out, values, s);
    if ((s + 1) % splitsPerStep === 0) yield s + 1;
  }
  return out;
}

export function store(out: Map<MetricId, Float64Array>, values: MetricValues, index: number): void {
  for (const [id, array] of out) array[index] = values[id] ?? NaN;
}

export function fingerprint(m: Matrix): string {
  const words = new Uint32Array(m.data.buffer, m.data.byteOffset, m.data.byteLength / 4);
  let h = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i], 0x01000193);
  return `${m.rows}x${m.cols}:${m.data.constructor.name}:${(h >>> 0).toString(16)}`;
}

/**
 * Noise floors for a candidate of `candidateCount` rows, cached in the context (keyed by the real set's
 * content, the size and the selection). A generator so the worker can report progress and cancel.
 */
export function* noiseFloorSteps(
  real: Matrix,
  candidateCount: number,
  context: ScoringContext,
  selection: ReadonlySet<MetricId>,
): Generator<number, Map<MetricId, NoiseFloor>> {
  const key = `floor|${fingerprint(real)}|${heldOutSize(real.rows, candidateCount)}|${[...selection].sort().join(',')}`;
  const cached = context.cache.get(key) as Map<MetricId, NoiseFloor> | undefined;
  if (cached) return cached;
  const plan = cachedFloorPlan(real, candidateCount, context);
  const floors = new Map<MetricId, NoiseFloor>();
  if ('reason' in plan) {
    for (const id of selection) floors.set(id, { available: false, reason: plan.reason });
  } else {
    const geometryKey = `geometry|${fingerprint(real)}`;
    let geometry = context.cache.get(geometryKey) as SampleGeometry | undefined;
    if (!geometry) {
      geometry = new SampleGeometry(real, null, { seed: context.config.seed });
      context.cache.set(geometryKey, geometry);
    }
    const values = yield* floorValuesSteps(geometry, plan, context, selection, referenceSummaries(real, plan, context));
    for (const [id, v] of values) {
      floors.set(id, {
        available: true,
        referenceSize: real.rows - plan.h,
        heldOutSize: plan.h,
        splits: plan.splits.length,
        exhaustive: plan.exhaustive,
        ...summarize(v, context.config.band),
      });
    }
  }
  context.cache.set(key, floors);
  return floors;
}

/** The floor plan for (real set, candidate size), computed once per context so its splits are shared. */
export function cachedFloorPlan(real: Matrix, candidateCount: number, context: ScoringContext): FloorPlan | { reason: string } {
  const key = `plan|${fingerprint(real)}|${heldOutSize(real.rows, candidateCount)}`;
  let plan = context.cache.get(key) as FloorPlan | { reason: string } | undefined;
  if (!plan) {
    plan = floorPlan(real.rows, candidateCount, context.config);
    context.cache.set(key, plan);
  }
  return plan;
}

/**
 * The reference summaries of a plan's splits (filled lazily, index-aligned with plan.splits), shared by
 * the floor and every matched evaluation against the same real set.
 */
export function referenceSummaries(real: Matrix, plan: FloorPlan, context: ScoringContext): ReferenceSummary[] {
  const key = `references|${fingerprint(real)}|${plan.h}`;
  let list = context.cache.get(key) as ReferenceSummary[] | undefined;
  if (!list) {
    list = new Array<ReferenceSummary>(plan.splits.length);
    context.cache.set(key, list);
  }
  return list;
}

/** Runs a step generator to completion (the synchronous form of every *Steps function). */
export function runSteps<T>(steps: Generator<unknown, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

export interface NoiseFloorOptions {
  /** The candidate size m the floor must match (3 for a parameter set, the batch size for an iteration). */
  candidateCount: number;
  context: ScoringContext;
  metrics?: MetricId[];
}

/**
 * Real-vs-real noise floors of the selected metrics (default: all) for candidates of m rows; see the
 * protocol above. Returns one NoiseFloor per metric.
 */
export function noiseFloor(real: Matrix, options: NoiseFloorOptions): Partial<Record<MetricId, NoiseFloor>> {
  assertSample('noiseFloor', 'real', real, 2, 'a split needs rows');
  const selection = new Set<MetricId>(options.metrics ?? metricIds);
  const floors = runSteps(noiseFloorSteps(real, options.candidateCount, options.context, selection));
  return Object.fromEntries(floors) as Partial<Record<MetricId, NoiseFloor>>;
}
