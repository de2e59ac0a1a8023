import { createRng } from '../../random/rng';
import { assertInSpace, type ParameterSet, type ParameterSpace, type ParameterValue } from '../../space/space';
import type { ConstrainedState } from '../acquisition/constrained';
import { getConstrainedAcquisition } from '../acquisition/constrainedRegistry';
import { sobolProposals } from '../baselines';
import { decodeParameters, encodeParameters, spaceLayout } from '../encoding';
import { DEFAULT_ACQUISITION_OPTIMIZER } from '../optimize/acquisitionOptimizer';
import { ExclusionSet } from '../optimize/exclusion';
import { rawCandidates } from '../optimize/rawCandidates';
import { DEFAULT_OPTIMIZER_SETTINGS } from '../proposeBatch';
import type { OptimizerSettings } from '../types';
import { ConstrainedAcquisitionFunction, maximizeConstrained } from './maximize';
import { fitConstrainedModel, isFeasible, modelPosteriors, predictAtInput, type ConstrainedModel, type ConstrainedObservation, type ConstrainedPrediction, type ModelPosteriors } from './model';

export interface ProposeConstrainedInput {
  space: ParameterSpace;
  observations: readonly ConstrainedObservation[];
  /** The constraints' names, in the order of each observation's `constraints`. */
  constraintNames: readonly string[];
  /** Parameter sets proposed earlier and not yet evaluated: Kriging-believer fantasies, never re-proposed. */
  pending?: readonly ParameterSet[];
  batchSize: number;
  /** The iteration being proposed: with `seed`, the source of every random draw. */
  iteration: number;
  seed: number;
  /** A registered constrained acquisition (constrainedRegistry.ts); default `ei_feasible`. */
  acquisition?: string;
  /**
   * Parameters held at these values in every proposal; the acquisition is maximised over the others.
   * For a conditional space: a caller proposes once per level of a choice, holding the parameters that
   * level makes irrelevant at the fixed values its observations carry, and keeps the proposal with the
   * highest acquisition value (the models and the incumbent are the same in every call).
   */
  fixed?: Readonly<Record<string, ParameterValue>>;
  settings?: Partial<OptimizerSettings>;
}

export interface ConstrainedProposal {
  params: Record<string, ParameterValue>;
  /** The acquisition's value when chosen (given the fantasies before it); null for the model-free fallback. */
  acquisitionValue: number | null;
  /** The model's prediction at the proposal (before any fantasy); null without a model. */
  predicted: ConstrainedPrediction | null;
}

export interface ProposeConstrainedOutput {
  next_params: ConstrainedProposal[];
  diagnostics: {
    /** The acquisition used, or `sobol` while there are too few observations for a model. */
    strategy: string;
    /** Whether some evaluated set met every constraint (EI then improves on it; else feasibility is sought). */
    feasibleFound: boolean;
    /** Constraints with a GP, and those observed constant (not modelled). */
    modelled: string[];
    constant: string[];
    warnings: string[];
  };
  /** The fitted model (for predictions and suggestions); null with fewer than two observations. */
  model: ConstrainedModel | null;
}

/** Incumbents for local raw candidates: the feasible observations by objective, else those nearest to feasibility. */
function incumbentInputs(model: ConstrainedModel, count: number): Float64Array[] {
  const scored = model.observations.map((o) => ({
    x: encodeParameters(model.layout, o.params),
    feasible: isFeasible(o),
    objective: o.objective,
    worst: Math.max(...o.constraints.map((c) => Math.max(c, 0)), 0),
  }));
  scored.sort((a, b) => (a.feasible === b.feasible ? (a.feasible ? a.objective - b.objective : a.worst - b.worst) : a.feasible ? -1 : 1));
  return scored.slice(0, count).map((s) => s.x);
}

/**
 * The next batch of a constrained problem: fits the objective and constraint models (model.ts) and
 * maximises the registered constrained acquisition, one member at a time; after each member (and for
 * each pending set) every model is conditioned on its own posterior mean there (Kriging believer, as
 * proposeBatch does), and the incumbent becomes that fantasy's objective when all its fantasised
 * constraints hold. With fewer than two observations the batch is quasi-random (Sobol). Deterministic for
 * a given input.
 */
export function proposeConstrained(input: ProposeConstrainedInput): ProposeConstrainedOutput {
  if (!Number.isInteger(input.batchSize) || input.batchSize < 1) throw new Error(`batchSize ${input.batchSize} must be a positive integer`);
  const acquisition = getConstrainedAcquisition(input.acquisition ?? 'ei_feasible');
  const settings: OptimizerSettings = { ...DEFAULT_OPTIMIZER_SETTINGS, ...input.settings };
  const layout = spaceLayout(input.space);
  const rng = createRng(input.seed).fork(`constrained-${input.iteration}`);
  const exclusion = new ExclusionSet(layout);
  for (const o of input.observations) exclusion.add(encodeParameters(layout, o.params));
  const pending = (input.pending ?? []).map((p, i) => {
    try {
      assertInSpace(input.space, p);
    } catch (error) {
      throw new Error(`pending set ${i}: ${(error as Error).message}`);
    }
    const x = encodeParameters(layout, p);
    exclusion.add(x);
    return x;
  });
  const warnings: string[] = [];
  const fixed = input.fixed ?? {};
  for (const name of Object.keys(fixed)) if (!layout.parameters.some((p) => p.name === name)) throw new Error(`fixed parameter "${name}" is not a parameter of the space`);
  const free = layout.parameters.map((p) => !(p.name in fixed));
  const holdFixed = (x: Float64Array): Float64Array => {
    if (free.every(Boolean)) return x;
    const fixedInput = encodeParameters(layout, { ...decodeParameters(layout, x), ...fixed });
    layout.parameters.forEach((p, index) => {
      if (free[index]) return;
      const width = p.kind === 'categorical' ? p.choices.length : 1;
      for (let c = p.column; c < p.column + width; c++) x[c] = fixedInput[c];
    });
    return x;
  };

  if (input.observations.length < 2) {
    warnings.push(`Only ${input.observations.length} observation(s): too few for a surrogate model; this batch is quasi-random (Sobol).`);
    if (!free.every(Boolean)) throw new Error('fixed parameters need a model: give at least two observations');
    const xs = sobolProposals(layout, input.batchSize, input.observations.length + pending.length, input.seed, exclusion);
    return {
      next_params: xs.map((x) => ({ params: decodeParameters(layout, x), acquisitionValue: null, predicted: null })),
      diagnostics: { strategy: 'sobol', feasibleFound: input.observations.some(isFeasible), modelled: [], constant: [], warnings },
      model: null,
    };
  }

  const model = fitConstrainedModel(input.space, input.observations, input.constraintNames, { seed: rng.fork('fit').seed, settings });
  let posteriors: ModelPosteriors = modelPosteriors(model);
  let state: ConstrainedState = { incumbent: model.incumbent, thresholds: posteriors.thresholds };
  const believe = (x: Float64Array) => {
    const objective = posteriors.objective.predict(x).mean;
    const constraints = posteriors.constraints.map((p) => p.predict(x).mean);
    const constantsHold = model.constraints.every((c) => c.surrogate !== null || (c.constant as number) <= 0);
    const feasible = constantsHold && constraints.every((m, k) => m <= posteriors.thresholds[k]);
    posteriors = {
      ...posteriors,
      objective: posteriors.objective.withObservation(x, objective, 1e-6 * posteriors.objective.hyperparameters.outputscale),
      constraints: posteriors.constraints.map((p, k) => p.withObservation(x, constraints[k], 1e-6 * p.hyperparameters.outputscale)),
    };
    if (feasible) state = { ...state, incumbent: state.incumbent === null ? objective : Math.min(state.incumbent, objective) };
  };
  for (const x of pending) believe(x);

  const raw = rawCandidates(layout, {
    sobolCount: settings.rawSamples,
    localCount: settings.localSamples,
    incumbents: incumbentInputs(model, 5),
    seed: rng.fork('raw').seed,
    rng: rng.fork('local'),
  }).map(holdFixed);
  const options = { ...DEFAULT_ACQUISITION_OPTIMIZER, starts: settings.polishStarts };
  const next: ConstrainedProposal[] = [];
  for (let j = 0; j < input.batchSize; j++) {
    const f = new ConstrainedAcquisitionFunction(posteriors, acquisition, state, layout.dimension);
    const best = maximizeConstrained(f, layout, free, raw, exclusion, options);
    if (!best) break;
    exclusion.add(best.x);
    next.push({ params: decodeParameters(layout, best.x), acquisitionValue: best.value, predicted: predictAtInput(model, best.x) });
    if (j < input.batchSize - 1) believe(best.x);
  }
  if (next.length < input.batchSize) warnings.push(`Only ${next.length} of ${input.batchSize} proposals could be made without repeating an evaluated or pending parameter set.`);
  return {
    next_params: next,
    diagnostics: {
      strategy: acquisition.name,
      feasibleFound: model.incumbent !== null,
      modelled: model.constraints.filter((c) => c.surrogate).map((c) => c.name),
      constant: model.constraints.filter((c) => !c.surrogate).map((c) => c.name),
      warnings,
    },
    model,
  };
}
