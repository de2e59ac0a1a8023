import { createRng } from '../../../engine/random/rng';
import { sampleWithoutReplacement } from '../../../engine/metrics/splits';
import { nearestDistances, subsetRows, type DistanceSpace, type EncodedRows } from './rowDistance';
import { mean, rocAuc, sampleStandardDeviation } from './statistics';

/** Seeded size-matched draws averaged by mia_auc (docs/tabular.md). */
export const MIA_DRAWS = 5;

/**
 * One draw of the distance attack: a candidate's score is minus its distance to the nearest synthetic
 * row; the AUC of members (train rows) against non-members (holdout rows). 0.5: membership cannot be
 * told; above it, the synthetic rows sit closer to the rows the generator saw.
 */
export function miaAucForDraw(space: DistanceSpace, members: EncodedRows, nonMembers: EncodedRows, synthetic: EncodedRows): number {
  const score = (rows: EncodedRows) => nearestDistances(space, rows, synthetic).map((d) => -d);
  return rocAuc(score(members), score(nonMembers));
}

export interface MiaResult {
  /** The mean AUC over the draws. */
  value: number;
  /** The sample standard deviation of the draws' AUCs. */
  spread: number;
  draws: number[];
}

/**
 * mia_auc: the mean over 5 seeded size-matched draws (each part subsampled to the smaller one's size) of
 * miaAucForDraw, with the draws' spread — one draw moves it by about ±0.07 on a few hundred rows.
 */
export function miaAuc(space: DistanceSpace, train: EncodedRows, holdout: EncodedRows, synthetic: EncodedRows, seed: number): MiaResult {
  const rng = createRng(seed).fork('mia');
  const k = Math.min(train.count, holdout.count);
  const all = (count: number) => Int32Array.from({ length: count }, (_, i) => i);
  const picks: Array<{ members: Int32Array; nonMembers: Int32Array }> = [];
  for (let t = 0; t < MIA_DRAWS; t++) {
    const members = train.count > k ? Int32Array.from(sampleWithoutReplacement(rng, train.count, k).sort()) : all(train.count);
    const nonMembers = holdout.count > k ? Int32Array.from(sampleWithoutReplacement(rng, holdout.count, k).sort()) : all(holdout.count);
    picks.push({ members, nonMembers });
  }
  // A row's distance to the synthetic rows is the same in every draw that picks it: each is computed once.
  const scores = (rows: EncodedRows, drawn: Int32Array[]) => {
    const used = [...new Set(drawn.flatMap((ids) => Array.from(ids)))].sort((x, y) => x - y);
    const distances = nearestDistances(space, subsetRows(rows, used), synthetic);
    const score = new Map(used.map((row, u) => [row, -distances[u]]));
    return (ids: Int32Array) => Array.from(ids, (row) => score.get(row) as number);
  };
  const memberScore = scores(train, picks.map((p) => p.members));
  const nonMemberScore = scores(holdout, picks.map((p) => p.nonMembers));
  const draws = picks.map((p) => rocAuc(memberScore(p.members), nonMemberScore(p.nonMembers)));
  return { value: mean(draws), spread: sampleStandardDeviation(draws), draws };
}
