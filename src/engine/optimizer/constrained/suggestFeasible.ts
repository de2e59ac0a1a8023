import { createRng } from '../../random/rng';
import type { ParameterValue } from '../../space/space';
import { decodeParameters, encodeParameters } from '../encoding';
import { rawCandidates } from '../optimize/rawCandidates';
import { isFeasible, predictAtInput, type ConstrainedModel, type ConstrainedPrediction } from './model';

export interface FeasibleSuggestion {
  params: Record<string, ParameterValue>;
  predicted: ConstrainedPrediction;
  /** Whether the predicted probability that every constraint holds reaches `minProbability`. */
  likelyFeasible: boolean;
}

export interface SuggestFeasibleOptions {
  seed: number;
  /** The least probability of feasibility a suggestion must have to be chosen for its objective (default ½). */
  minProbability?: number;
  /** Quasi-random candidates over the space (default 2,048), besides perturbations of the observations. */
  candidates?: number;
}

/**
 * What the model would try: among a Sobol sample of the space and perturbations of the best
 * observations, the candidate with the best predicted objective (lowest posterior mean) whose
 * probability of meeting every constraint is at least `minProbability`; when none reaches it, the
 * candidate most likely to be feasible. A diagnosis reads it as "these settings are predicted to pass,
 * with these values" — a prediction, not a promise: its probability says how sure the model is.
 */
export function suggestFeasible(model: ConstrainedModel, options: SuggestFeasibleOptions): FeasibleSuggestion {
  const minProbability = options.minProbability ?? 0.5;
  const rng = createRng(options.seed).fork('suggest-feasible');
  const ranked = [...model.observations].sort((a, b) => Number(isFeasible(b)) - Number(isFeasible(a)) || a.objective - b.objective);
  const candidates = rawCandidates(model.layout, {
    sobolCount: options.candidates ?? 2048,
    localCount: 512,
    incumbents: ranked.slice(0, 5).map((o) => encodeParameters(model.layout, o.params)),
    seed: rng.fork('sobol').seed,
    rng: rng.fork('local'),
  });
  let bestFeasible: { x: Float64Array; p: ConstrainedPrediction } | null = null;
  let mostLikely: { x: Float64Array; p: ConstrainedPrediction } | null = null;
  for (const x of candidates) {
    const p = predictAtInput(model, x);
    if (p.feasibility >= minProbability && (!bestFeasible || p.objective.mean < bestFeasible.p.objective.mean)) bestFeasible = { x, p };
    if (!mostLikely || p.feasibility > mostLikely.p.feasibility) mostLikely = { x, p };
  }
  const chosen = bestFeasible ?? mostLikely;
  if (!chosen) throw new Error('suggestFeasible: the space yielded no candidate');
  return { params: decodeParameters(model.layout, chosen.x), predicted: chosen.p, likelyFeasible: bestFeasible !== null };
}
