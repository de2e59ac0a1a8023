import type { IterationRecord, SampleRecord } from '../../engine/experiment/records';
import type { ParameterSet } from '../../engine/space/space';
import type { ProjectionModel } from '../../engine/projection';
import type { ConvergenceRow, ConvergenceFloors } from './ConvergencePlot';
import type { EvolutionColumn } from './ParameterEvolution';
import type { AxisRanges, Band, LatentPoint, SampleView } from './types';

/**
 * Pure helpers that turn stored records (core types) into the plain props of the plot components.
 * They import nothing from state or storage; the page calls them with what it has loaded.
 */

/** "PC1 (41.2 % of variance)" / "UMAP 1" axis titles for the map. */
export function projectionAxisLabels(model: ProjectionModel | null | undefined): [string, string] {
  if (!model) return ['axis 1', 'axis 2'];
  if (model.kind === 'pca') {
    const r = model.explainedVarianceRatio;
    const pc = (i: number) => (r[i] !== undefined && Number.isFinite(r[i]) ? `PC${i + 1} (${(r[i] * 100).toFixed(1)} % of variance)` : `PC${i + 1}`);
    return [pc(0), pc(1)];
  }
  return ['UMAP 1', 'UMAP 2'];
}

/**
 * Axis ranges fixed once from iteration 0's points (real + close + far), padded by `padding` of the span
 * on each side; compute them once and keep them, so later iterations never rescale the axes.
 */
export function fixedRanges(points: ReadonlyArray<{ x: number; y: number; iteration: number }>, padding = 0.08): AxisRanges {
  const base = points.filter((p) => p.iteration === 0 && Number.isFinite(p.x) && Number.isFinite(p.y));
  const use = base.length > 0 ? base : points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  if (use.length === 0) return { x: [-1, 1], y: [-1, 1] };
  const span = (v: number[]): [number, number] => {
    const lo = Math.min(...v);
    const hi = Math.max(...v);
    const w = hi - lo || Math.abs(lo) || 1;
    return [lo - padding * w, hi + padding * w];
  };
  return { x: span(use.map((p) => p.x)), y: span(use.map((p) => p.y)) };
}

type SampleLike = Pick<SampleRecord, 'sample_id' | 'iteration' | 'metadata' | 'projection2d' | 'nearestRealDistance'> &
  Partial<Pick<SampleRecord, 'png' | 'width' | 'height'>>;

function scoreIndex(iterations: readonly IterationRecord[]): Map<string, { score: number; withinFloor: boolean | null }> {
  const out = new Map<string, { score: number; withinFloor: boolean | null }>();
  for (const it of iterations) for (const set of it.paramSets) if (set.score) out.set(set.param_set_id, { score: set.score.score, withinFloor: set.score.withinFloor });
  return out;
}

/** One sample's view (gallery tiles, map hover). `withImage` puts the PNG Blob on it as the thumbnail. */
export function sampleViewFromRecord(sample: SampleLike, scores: Map<string, { score: number; withinFloor: boolean | null }>, withImage = true): SampleView {
  const m = sample.metadata;
  const s = scores.get(m.param_set_id);
  return {
    sample_id: sample.sample_id,
    iteration: sample.iteration,
    dataset_type: m.dataset_type,
    param_set_id: m.param_set_id,
    params: m.params ?? {},
    ...(typeof m.base_image_id === 'string' ? { base_image_id: m.base_image_id } : {}),
    replication_seed: m.replication_seed,
    score: m.dataset_type === 'real' ? null : (s?.score ?? null),
    withinFloor: s?.withinFloor ?? null,
    nearestRealDistance: m.dataset_type === 'real' ? null : (sample.nearestRealDistance ?? null),
    thumbnail: withImage ? sample.png : undefined,
    width: sample.width,
    height: sample.height,
  };
}

/** Gallery samples (every stored sample with its score). */
export function sampleViewsFromRecords(samples: readonly SampleLike[], iterations: readonly IterationRecord[]): SampleView[] {
  const scores = scoreIndex(iterations);
  return samples.map((s) => sampleViewFromRecord(s, scores));
}

/**
 * Map points: every sample with a 2-D position, joined with its parameter set's score. With
 * `withImages` false the points carry no Blob and the map asks `loadThumbnail` on hover instead.
 */
export function latentPointsFromRecords(samples: readonly SampleLike[], iterations: readonly IterationRecord[], withImages = true): LatentPoint[] {
  const scores = scoreIndex(iterations);
  const out: LatentPoint[] = [];
  for (const s of samples) {
    if (!s.projection2d) continue;
    out.push({ ...sampleViewFromRecord(s, scores, withImages), x: s.projection2d[0], y: s.projection2d[1] });
  }
  return out;
}

function sameParams(a: ParameterSet, b: ParameterSet): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** The param_set_id of the latest proposal's current best (matched by parameters; the proposal has no ids). */
export function bestParamSetId(iterations: readonly IterationRecord[]): string | null {
  const latest = [...iterations].reverse().find((it) => it.proposal && it.proposal.current_best.length > 0);
  if (!latest) return null;
  const best = latest.proposal!.current_best[0].params;
  for (const it of iterations) for (const set of it.paramSets) if (set.dataset_type !== 'real' && sameParams(set.params, best)) return set.param_set_id;
  return null;
}

function band(f: { available: boolean } & Partial<Band>): Band | null {
  return f.available && Number.isFinite(f.low) && Number.isFinite(f.high) && Number.isFinite(f.mean) ? { low: f.low!, high: f.high!, mean: f.mean! } : null;
}

/**
 * Convergence rows (one per analysed iteration) and the floors to draw:
 *  - batch: the whole batch's unbiased MMD² (all real vs all of the iteration's synthetic samples) and
 *    its real-vs-real floor at the batch's held-out size;
 *  - best: the best posterior mean (± sd) after the iteration, whose floor is the per-parameter-set one
 *    (r replicates vs the real set) — the band convergence is judged against;
 *  - mean/median nearest-real distance, and the share inside the ε-ball with its floor.
 */
export function convergenceFromRecords(iterations: readonly IterationRecord[]): { rows: ConvergenceRow[]; floors: ConvergenceFloors } {
  const rows: ConvergenceRow[] = [];
  const floors: ConvergenceFloors = {};
  for (const it of [...iterations].sort((a, b) => a.iteration - b.iteration)) {
    const s = it.scores;
    if (!s && !it.proposal) continue;
    const d = s ? Array.from(s.perSample.euclidean).filter(Number.isFinite) : [];
    const best = it.proposal?.current_best[0];
    rows.push({
      iteration: it.iteration,
      batchScore: s ? s.metrics.mmd2_unbiased.value : null,
      bestPosteriorMean: best?.posteriorMean ?? null,
      bestPosteriorStd: best?.posteriorStd ?? null,
      nearestMean: d.length ? d.reduce((a, b) => a + b, 0) / d.length : null,
      nearestMedian: s ? s.metrics.nearest_real_median.value : null,
      epsilonShare: s ? s.metrics.epsilon_ball_share.value : null,
    });
    if (s) {
      floors.batch = band(s.metrics.mmd2_unbiased.floor) ?? floors.batch;
      floors.epsilonShare = band(s.metrics.epsilon_ball_share.floor) ?? floors.epsilonShare;
      floors.epsilon = s.epsilon.value;
    }
    for (const set of it.paramSets) {
      const f = set.score?.floor;
      if (f) floors.parameterSet = band(f) ?? floors.parameterSet;
    }
  }
  return { rows, floors };
}

/** Parameter-evolution columns: the parameter sets each optimizer iteration evaluated (iterations ≥ 1). */
export function evolutionColumnsFromRecords(iterations: readonly IterationRecord[]): EvolutionColumn[] {
  return [...iterations]
    .filter((it) => it.iteration >= 1 && it.paramSets.length > 0)
    .sort((a, b) => a.iteration - b.iteration)
    .map((it) => ({ iteration: it.iteration, sets: it.paramSets.filter((s) => s.dataset_type !== 'real').map((s) => s.params) }));
}
