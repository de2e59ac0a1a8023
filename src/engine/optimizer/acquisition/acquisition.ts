import type { ParameterSpace } from '../../space/space';
import type { Rng } from '../../random/rng';
import type { BetaSchedule } from './betaSchedule';
import type { SpaceLayout } from '../encoding';
import type { ExclusionSet } from '../optimize/exclusion';
import { modelAcquisition } from './registry';

/**
 * What proposes a batch, kept apart from the model that informs it (surrogate.ts) and from the search
 * that maximises it (optimize/): BoTorch's split of models, acquisition functions and optim. Every
 * implementation is registered by name (registry.ts) and proposeBatch looks the requested one up there,
 * so a new acquisition is one `registerAcquisition` call.
 *
 * Two kinds:
 * - model-based: a function of the surrogate's latent posterior mean μ(x) and variance σ²(x) (in the
 *   model's standardised output units) and of the iteration's state (incumbent, exploration weight),
 *   to be MAXIMISED; the acquisition optimiser (optimize/acquisitionOptimizer.ts) needs its gradient
 *   over x, which the implementation gives through μ and σ² (∇μ and ∇σ² come from the posterior);
 * - model-free: proposes the batch itself (the random and Sobol baselines), and works with no model.
 */

/** The iteration's state an acquisition is evaluated with. */
export interface AcquisitionState {
  /** Exploration weight β of this batch member (multiplies σ); 0 for an acquisition without one. */
  beta: number;
  /** Incumbent f*: the lowest latent posterior mean among evaluated points and fantasies. */
  incumbent: number;
}

/** What an acquisition's exploration weight may depend on. */
export interface ExplorationContext {
  /** The iteration being proposed (1 = first after iteration 0). */
  iteration: number;
  maxIterations: number;
  schedule: BetaSchedule;
  /** The fitted model's latent noise variance. */
  noise: number;
}

export interface ModelAcquisition {
  readonly name: string;
  readonly needsModel: true;
  /**
   * The exploration weight of the batch's first member; later members hedge up to batchBetaRatio times
   * it (proposeBatch.ts). Absent: the acquisition has none (state.beta is 0, diagnostics.beta null).
   */
  explorationWeight?(context: ExplorationContext): number;
  value(state: AcquisitionState, mean: number, variance: number): number;
  /** The value, with its gradient over x written to `out` (chain rule through ∇μ and ∇σ²). */
  valueAndGradient(
    state: AcquisitionState,
    mean: number,
    variance: number,
    gradMean: ArrayLike<number>,
    gradVariance: ArrayLike<number>,
    out: Float64Array,
  ): number;
}

/** What a model-free acquisition proposes from. */
export interface ModelFreeContext {
  space: ParameterSpace;
  layout: SpaceLayout;
  /** Number of proposals wanted. */
  count: number;
  /** Evaluated and pending sets; a proposal must not be in it and is added to it once made. */
  exclusion: ExclusionSet;
  /** Number of evaluated observations plus pending sets: where a sequence continues from. */
  skip: number;
  /** The experiment's seed (a sequence shared by all iterations). */
  seed: number;
  /** This iteration's random stream. */
  rng: Rng;
}

export interface ModelFreeAcquisition {
  readonly name: string;
  readonly needsModel: false;
  /** Up to `count` model inputs (fewer when the space is exhausted). */
  propose(context: ModelFreeContext): Float64Array[];
}

export type Acquisition = ModelAcquisition | ModelFreeAcquisition;

/** A registered model-based acquisition by name, with its state: plain data. */
export interface AcquisitionSpec extends AcquisitionState {
  kind: string;
}

/** The value of the registered acquisition `spec.kind`. */
export function acquisitionValue(spec: AcquisitionSpec, mean: number, variance: number): number {
  return modelAcquisition(spec.kind).value(spec, mean, variance);
}

/** The value and gradient of the registered acquisition `spec.kind`. */
export function acquisitionValueAndGradient(
  spec: AcquisitionSpec,
  mean: number,
  variance: number,
  gradMean: ArrayLike<number>,
  gradVariance: ArrayLike<number>,
  out: Float64Array,
): number {
  return modelAcquisition(spec.kind).valueAndGradient(spec, mean, variance, gradMean, gradVariance, out);
}
