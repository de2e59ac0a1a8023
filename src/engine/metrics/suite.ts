import type { Matrix } from '../linalg/matrix';
import { assertSameDimension, assertSample } from '../linalg/validateMatrix';
import { projectPca } from '../projection/pca';
import { createRng, hashSeed } from '../random/rng';
import type { ScoringContext } from './config';
import { evaluatePair, summarizeReference, type EvaluationDetails, type ReferenceSummary } from './evaluate';
import { SampleGeometry, type SampleSet } from './geometry';
import { metricIds, metricInfo, type MetricId, type MetricInfo } from './info';
import { scoreSingleSample } from './singleSample';
import { epsilonRule, euclideanBlock, mahalanobisWhitener, nearestOfBlock, singularCovarianceMessage } from './nearest';
import {
  cachedFloorPlan,
  evaluationSettings,
  fingerprint,
  noiseFloorSteps,
  referenceSummaries,
  runSteps,
  splitsPerStep,
  store,
  summarize,
  type FloorBand,
  type NoiseFloor,
} from './noiseFloor';
import { sampleWithoutReplacement } from './splits';

/**
 * The scores the optimizer and the UI consume (see docs/decisions.md, 'Metric suite'):
 *  - scoreParameterSet: one parameter set's r replicate images against the real set → the unbiased
 *    Gaussian MMD² with the fixed bandwidth (what the GP models) and its noise floor;
 *  - scoreIteration: a whole iteration's synthetic batch against the real set → every metric with its
 *    noise floor and matched value, per-sample nearest-real distances (Euclidean, cosine, Mahalanobis in
 *    PCA-k) and the ε-ball membership.
 * Both are pure functions of (real, synthetic, config); the context only caches what the config fixes.
 * The *Steps forms yield progress so the worker can report and cancel between chunks.
 */

export interface MetricResult {
  info: MetricInfo;
  /** The metric on all real rows vs all synthetic rows (pair-based terms on the pool when capped). */
  value: number;
  /**
   * The metric at the floor's sizes: over the floor's splits, the reference part against h synthetic
   * rows. Compare this with the floor (like with like); null when the floor is unavailable.
   */
  matched: FloorBand | null;
  floor: NoiseFloor;
}

export interface IterationScores {
  metrics: Record<MetricId, MetricResult>;
  sizes: {
    real: number;
    synthetic: number;
    /** Synthetic rows used by pair-based terms (MMD, KID, energy, SW, recall): min(m, cap). */
    pooledSynthetic: number;
  };
  /** Per synthetic row, in input order. */
  perSample: {
    euclidean: Float64Array;
    cosine: Float64Array;
    mahalanobis: Float64Array;
    /** Index of the Euclidean-nearest real row. */
    nearestReal: Int32Array;
    /** 1 when the row is inside the ε-ball of some real row. */
    insideEpsilon: Uint8Array;
  };
  epsilon: { value: number; rule: string };
  details: EvaluationDetails & { bandwidth: number; reductionComponents: number; projections: number };
  /** Caveats for the UI: caps applied, floors or distances that could not be computed and why. */
  notes: string[];
}

export interface ScoreProgress {
  stage: 'geometry' | 'value' | 'floor' | 'matched' | 'per-sample';
  done: number;
  total: number;
}

/** The reference summary of the whole real set, computed once per context. */
function wholeRealSummary(geometry: SampleGeometry, real: Matrix, context: ScoringContext): ReferenceSummary {
  const key = `references|${fingerprint(real)}|all`;
  let summary = context.cache.get(key) as ReferenceSummary | undefined;
  if (!summary) {
    summary = summarizeReference(geometry, geometry.all('real').ids, evaluationSettings(context));
    context.cache.set(key, summary);
  }
  return summary;
}

function checkInputs(fn: string, real: Matrix, synthetic: Matrix, context: ScoringContext): void {
  assertSample(fn, 'real', real, 2, 'the metrics need pairs of real rows');
  assertSample(fn, 'synthetic', synthetic, 2, 'the unbiased estimators need pairs of synthetic rows');
  assertSameDimension(fn, 'real', real, 'synthetic', synthetic);
  if (real.cols !== context.config.reduction.dim) {
    throw new Error(`${fn}: embeddings have ${real.cols} columns but the scoring config was fitted on ${context.config.reduction.dim}`);
  }
}

/**
 * Matched values: for each floor split, its reference part against a seeded subsample of h synthetic
 * rows drawn from the pool (all of them when m = h).
 */
function* matchedSteps(
  geometry: SampleGeometry,
  real: Matrix,
  context: ScoringContext,
  selection: ReadonlySet<MetricId>,
): Generator<number, Map<MetricId, FloorBand> | null> {
  const plan = cachedFloorPlan(real, geometry.nSynthetic, context);
  if ('reason' in plan) return null;
  const settings = evaluationSettings(context);
  const references = referenceSummaries(real, plan, context);
  const pooled = geometry.pooledSynthetic;
  const rng = createRng(hashSeed(context.config.seed, 'matched', real.rows, geometry.nSynthetic, plan.h));
  const values = new Map<MetricId, Float64Array>();
  for (const id of selection) values.set(id, new Float64Array(plan.splits.length));
  const scratch = Int32Array.from(pooled);
  for (let s = 0; s < plan.splits.length; s++) {
    const ids = plan.h === pooled.length ? pooled : sampleWithoutReplacement(rng, pooled.length, plan.h, scratch).sort();
    const candidates: SampleSet = { source: 'synthetic', ids };
    const refs = plan.splits[s].reference;
    references[s] ??= summarizeReference(geometry, refs, settings);
    const { values: v } = evaluatePair(geometry, { refs, candidates, pooledCandidates: candidates }, settings, selection, references[s]);
    store(values, v, s);
    if ((s + 1) % splitsPerStep === 0) yield s + 1;
  }
  const out = new Map<MetricId, FloorBand>();
  for (const [id, v] of values) out.set(id, summarize(v, context.config.band));
  return out;
}

export function* scoreIterationSteps(real: Matrix, synthetic: Matrix, context: ScoringContext): Generator<ScoreProgress, IterationScores> {
  checkInputs('scoreIteration', real, synthetic, context);
  const config = context.config;
  const selection = new Set<MetricId>(metricIds);
  const n = real.rows;
  const m = synthetic.rows;
  const geometry = new SampleGeometry(real, synthetic, { maxPooledSynthetic: config.maxPooledSynthetic, seed: config.seed });

  yield { stage: 'geometry', done: 0, total: 1 };
  geometry.pool();
  yield { stage: 'geometry', done: 1, total: 1 };

  const full = evaluatePair(
    geometry,
    { refs: geometry.all('real').ids, candidates: geometry.all('synthetic'), pooledCandidates: geometry.pooled() },
    evaluationSettings(context),
    selection,
    wholeRealSummary(geometry, real, context),
  );
  yield { stage: 'value', done: 1, total: 1 };

  const floorTotal = config.repeats;
  const floors = yield* progress(noiseFloorSteps(real, m, context, selection), 'floor', floorTotal);
  const matched = yield* progress(matchedSteps(geometry, real, context, selection), 'matched', floorTotal);

  const metrics = {} as Record<MetricId, MetricResult>;
  for (const id of metricIds) {
    metrics[id] = {
      info: metricInfo[id],
      value: full.values[id] ?? NaN,
      matched: matched?.get(id) ?? null,
      floor: floors.get(id) ?? { available: false, reason: 'not computed' },
    };
  }

  // Per-sample distances over every synthetic row.
  const refs = geometry.all('real');
  const nearest = nearestOfBlock(geometry.distances(refs.ids, geometry.all('synthetic')), n, m);
  const cosine = nearestOfBlock(geometry.cosineDistances(), n, m).distances;
  const reduced = geometry.reduced(config.reduction, (x) => projectPca(config.reduction, x));
  const whiten = mahalanobisWhitener(reduced.real, reduced.k, refs.ids, config.shrinkage);
  const syntheticIds = geometry.all('synthetic').ids;
  const notes: string[] = [];
  let mahalanobis: Float64Array = new Float64Array(m).fill(NaN);
  if (whiten) {
    mahalanobis = nearestOfBlock(euclideanBlock(whiten(reduced.real, refs.ids), n, whiten(reduced.synthetic, syntheticIds), m, reduced.k), n, m).distances;
  } else {
    notes.push(singularCovarianceMessage);
  }
  if (geometry.capped) {
    notes.push(`MMD², KID, energy, sliced Wasserstein and recall use a seeded subsample of ${geometry.pooledSynthetic.length} of the ${m} synthetic samples (cap maxPooledSynthetic); per-sample metrics use all`);
  }
  const missingFloor = metrics.mmd2_unbiased.floor;
  if (!missingFloor.available) notes.push(`no noise floor: ${missingFloor.reason}`);
  const insideEpsilon = Uint8Array.from(nearest.distances, (d) => (d <= full.details.epsilon ? 1 : 0));
  yield { stage: 'per-sample', done: 1, total: 1 };

  return {
    metrics,
    sizes: { real: n, synthetic: m, pooledSynthetic: geometry.pooledSynthetic.length },
    perSample: { euclidean: nearest.distances, cosine, mahalanobis, nearestReal: nearest.indices, insideEpsilon },
    epsilon: { value: full.details.epsilon, rule: epsilonRule },
    details: { ...full.details, bandwidth: config.bandwidth, reductionComponents: reduced.k, projections: config.projections },
    notes,
  };
}

/** Every metric of the suite for one iteration's synthetic batch against the real set (see above). */
export function scoreIteration(real: Matrix, synthetic: Matrix, context: ScoringContext): IterationScores {
  return runSteps(scoreIterationSteps(real, synthetic, context));
}

export interface ParameterSetScore {
  /** Unbiased MMD² (Gaussian kernel, bandwidth fixed at iteration 0), kernel units; can be negative. */
  score: number;
  info: MetricInfo;
  /** Real-vs-real floor at (n − h) vs h, h = min(r, ⌊n/2⌋); its sd is the score's noise scale under equality. */
  floor: NoiseFloor;
  /** score − floor mean (NaN without a floor). */
  excessOverFloor: number;
  /** score ≤ the floor's upper band edge (null without a floor). */
  withinFloor: boolean | null;
  sizes: { real: number; synthetic: number };
  /** True when the set had one sample: scored by scoreSingleSample (the within-set term taken from the real set). */
  singleSample?: true;
}

export function* scoreParameterSetSteps(real: Matrix, synthetic: Matrix, context: ScoringContext): Generator<ScoreProgress, ParameterSetScore> {
  if (synthetic.rows === 1) return singleSampleScore(real, synthetic, context);
  checkInputs('scoreParameterSet', real, synthetic, context);
  const selection = new Set<MetricId>(['mmd2_unbiased']);
  const geometry = new SampleGeometry(real, synthetic, { maxPooledSynthetic: context.config.maxPooledSynthetic, seed: context.config.seed });
  const { values } = evaluatePair(
    geometry,
    { refs: geometry.all('real').ids, candidates: geometry.all('synthetic'), pooledCandidates: geometry.pooled() },
    evaluationSettings(context),
    selection,
    wholeRealSummary(geometry, real, context),
  );
  const score = values.mmd2_unbiased ?? NaN;
  const floors = yield* progress(noiseFloorSteps(real, synthetic.rows, context, selection), 'floor', context.config.repeats);
  const floor = floors.get('mmd2_unbiased') ?? { available: false as const, reason: 'not computed' };
  return parameterSetScore(score, floor, real, synthetic);
}

function singleSampleScore(real: Matrix, synthetic: Matrix, context: ScoringContext): ParameterSetScore {
  if (real.cols !== context.config.reduction.dim) throw new Error(`scoreParameterSet: embeddings have ${real.cols} columns but the scoring config was fitted on ${context.config.reduction.dim}`);
  const { score, floor } = scoreSingleSample(real, synthetic, context);
  return { ...parameterSetScore(score, floor, real, synthetic), singleSample: true };
}

/** A set's score with its floor: how far above the floor's mean, and whether within its band. */
function parameterSetScore(score: number, floor: NoiseFloor, real: Matrix, synthetic: Matrix): ParameterSetScore {
  return {
    score,
    info: metricInfo.mmd2_unbiased,
    floor,
    excessOverFloor: floor.available ? score - floor.mean : NaN,
    withinFloor: floor.available ? score <= floor.high : null,
    sizes: { real: real.rows, synthetic: synthetic.rows },
  };
}

/** The score the GP models for one parameter set (one sample or more), with its noise floor. */
export function scoreParameterSet(real: Matrix, synthetic: Matrix, context: ScoringContext): ParameterSetScore {
  return runSteps(scoreParameterSetSteps(real, synthetic, context));
}

/**
 * Whether a metric has reached its noise floor: its matched value's mean lies inside the floor's band on
 * the "good" side (≤ high for lower-is-better, ≥ low for higher-is-better). Null without a floor.
 */
export function reachedFloor(result: MetricResult): boolean | null {
  if (!result.floor.available || !result.matched) return null;
  return result.info.direction === 'lower' ? result.matched.mean <= result.floor.high : result.matched.mean >= result.floor.low;
}

function* progress<T>(steps: Generator<number, T>, stage: ScoreProgress['stage'], total: number): Generator<ScoreProgress, T> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    yield { stage, done: r.value, total };
  }
}
