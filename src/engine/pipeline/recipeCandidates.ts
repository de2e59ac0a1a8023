import type { IterationRecord, SampleRecord } from '../experiment/records';
import { parameterSetKey, type ParameterSet, type ParameterSpace } from '../space/space';

/**
 * The settings a distribution recipe chooses weights over: every scored parameter set that is not part
 * of the real set (iteration 0's close and far sets, the optimizer's proposals, confirmations), with the
 * embeddings of its stored samples. Sets with the same parameters are one setting — their samples are
 * draws of one distribution — so they are pooled: two copies of one distribution would only split a
 * weight between them. The hidden real sets of a simulated target are never candidates.
 */
export interface RecipeCandidate {
  /** The first stored set with these parameters. */
  param_set_id: string;
  /** Every stored set pooled into it, in order. */
  param_set_ids: string[];
  params: ParameterSet;
  /** The pooled samples' embeddings (as scored), by iteration then sample id. */
  vectors: Float32Array[];
}

/** Candidates in order of first appearance (iteration, then set); a set without a score or samples is skipped. */
export function recipeCandidates(space: ParameterSpace, iterations: readonly IterationRecord[], samples: readonly SampleRecord[]): RecipeCandidate[] {
  const bySet = new Map<string, SampleRecord[]>();
  for (const s of samples) {
    if (s.metadata.dataset_type === 'real') continue;
    const key = `${s.iteration}/${s.metadata.param_set_id}`;
    const list = bySet.get(key) ?? [];
    list.push(s);
    bySet.set(key, list);
  }
  const byKey = new Map<string, RecipeCandidate>();
  for (const it of [...iterations].sort((a, b) => a.iteration - b.iteration)) {
    for (const set of it.paramSets) {
      if (set.dataset_type === 'real' || !set.score || !Number.isFinite(set.score.score)) continue;
      const own = (bySet.get(`${it.iteration}/${set.param_set_id}`) ?? []).sort((a, b) => (a.sample_id < b.sample_id ? -1 : a.sample_id > b.sample_id ? 1 : 0));
      if (own.length === 0) continue;
      const key = parameterSetKey(space, set.params);
      const candidate = byKey.get(key);
      if (candidate) {
        candidate.param_set_ids.push(set.param_set_id);
        candidate.vectors.push(...own.map((s) => s.embedding));
      } else {
        byKey.set(key, { param_set_id: set.param_set_id, param_set_ids: [set.param_set_id], params: { ...set.params }, vectors: own.map((s) => s.embedding) });
      }
    }
  }
  return [...byKey.values()];
}
