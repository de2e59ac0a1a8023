import type { AcquisitionState, ModelAcquisition } from '../acquisition/acquisition';
import type { SpaceLayout } from '../encoding';
import type { GpPosterior } from '../gp/posterior';
import { maximizeAcquisition, type AcquisitionOptimizerOptions } from '../optimize/acquisitionOptimizer';
import type { CandidatePool } from '../optimize/candidatePool';
import type { ExclusionSet } from '../optimize/exclusion';

/**
 * A batch of q proposals by sequential greedy selection with Kriging-believer fantasies (Ginsbourger,
 * Le Riche & Carraro, "Kriging is well-suited to parallelize optimization", 2010): after choosing x_j,
 * pretend it was observed at its posterior mean, condition the GP on that (same noise as a real
 * observation), and maximise the acquisition again. The fantasy leaves the mean unchanged and shrinks the
 * variance around x_j, so the next maximiser moves away from it: with UCB this is GP-BUCB (Desautels,
 * Krause & Burdick, JMLR 2014), which keeps GP-UCB's regret guarantees for batches. Compared with
 * Monte-Carlo q-acquisitions (BoTorch's qLogNEI) it is deterministic, needs no sampling, and costs one
 * O(n²) factor update per member. With a small late-run β the variance reduction alone barely moves the
 * next maximiser, so UCB members can take a portfolio of β values (`memberBetas`, from proposeBatch's
 * batchBetaRatio): the first member exploits at the scheduled β, later ones explore more, as HEBO's
 * batches hedge over acquisition trade-offs.
 *
 * Members may also differ in acquisition (`memberAcquisitions`, from proposeBatch's batchPortfolio):
 * each maximises its own acquisition given the fantasies of the members before it.
 *
 * A fantasy is an observation like any other, so the incumbent of EI/PI becomes
 * min(incumbent, fantasy value). This matters: where the model predicts a large improvement, EI ≈ f* − μ
 * hardly depends on σ, so a variance-only update would leave EI unchanged next to x_j and the batch
 * would collapse onto one point (observed on Ackley-6 before this rule).
 */
export interface BatchMember {
  x: Float64Array;
  /** Acquisition value when it was chosen (given the fantasies of the members before it). */
  value: number;
  /** The acquisition that chose it. */
  acquisition: string;
}

/** Yields the members one at a time (so a caller can report progress or stop between them). */
export function* krigingBelieverBatch(
  posterior: GpPosterior,
  acquisition: ModelAcquisition,
  state: AcquisitionState,
  layout: SpaceLayout,
  batchSize: number,
  pool: CandidatePool,
  exclusion: ExclusionSet,
  options: AcquisitionOptimizerOptions,
  /** β of each member (a portfolio of exploration levels), for an acquisition with one; default state.beta for all. */
  memberBetas?: readonly number[],
  /** Noise variance of a fantasy observation (default: the model's σ_n², an observation at the reference replicate count). */
  fantasyNoise?: number,
  /** The acquisition of each member (a portfolio of acquisitions); default `acquisition` for all. */
  memberAcquisitions?: readonly ModelAcquisition[],
): Generator<BatchMember, void, void> {
  let current = posterior;
  let currentState = state;
  for (let j = 0; j < batchSize; j++) {
    if (memberBetas) currentState = { ...currentState, beta: memberBetas[j] ?? state.beta };
    const memberAcquisition = memberAcquisitions?.[j] ?? acquisition;
    const candidate = maximizeAcquisition(current, memberAcquisition, currentState, layout, pool, exclusion, options);
    if (!candidate) return; // every candidate is a duplicate: a small discrete space is exhausted
    exclusion.add(candidate.x);
    if (j < batchSize - 1) {
      const believed = current.predict(candidate.x).mean;
      current = current.withObservation(candidate.x, believed, fantasyNoise);
      currentState = { ...currentState, incumbent: Math.min(currentState.incumbent, believed) };
      pool.addObservation(current);
    }
    yield { ...candidate, acquisition: memberAcquisition.name };
  }
}
