import type { ParameterSet, ParameterSpace } from '../../space/space';
import { hashSeed } from '../../random/rng';
import { normalCdf } from '../acquisition/normal';
import { encodeParameters, spaceLayout, type SpaceLayout } from '../encoding';
import { transformOutput, untransformDerivative, untransformOutput } from '../gp/outputTransform';
import type { GpPosterior, Prediction } from '../gp/posterior';
import { DEFAULT_OPTIMIZER_SETTINGS } from '../proposeBatch';
import { gaussianProcess, type Surrogate } from '../surrogate';
import type { OptimizerSettings } from '../types';

/**
 * The surrogate of a constrained problem — minimise f(x) subject to c_k(x) ≤ 0 for every k — as
 * independent GPs: one for f and one per constraint, each fitted like the unconstrained optimizer's
 * (surrogate.ts: output transform, Matérn kernel, priors), each on every observation. Independent
 * models are the usual choice (Gardner et al. 2014; Gelbart et al. 2014): the constraints of a
 * calibration are different metrics of one evaluation, and a joint model would need their correlation
 * from a few dozen points.
 *
 * A constraint whose every observation has the same value is not modelled (a GP of a constant says
 * nothing): its probability of holding is 1 where that value is ≤ 0, else 0, everywhere; the
 * acquisition leaves it out, since a constant factor does not move the maximiser.
 */
export interface ConstrainedObservation {
  params: ParameterSet;
  /** The objective, lower is better. */
  objective: number;
  /** One value per constraint, in the problem's order; the constraint holds when its value is ≤ 0. */
  constraints: readonly number[];
}

export interface ConstraintModel {
  name: string;
  /** The fitted GP, or null for a constraint observed constant. */
  surrogate: Surrogate | null;
  /** The latent bound t = T(0) (the output transform of 0); 0 for an unmodelled constraint. */
  threshold: number;
  /** The observed value of a constraint not modelled; null for a modelled one. */
  constant: number | null;
}

export interface ConstrainedModel {
  space: ParameterSpace;
  layout: SpaceLayout;
  objective: Surrogate;
  constraints: ConstraintModel[];
  /** The lowest latent objective mean among observations whose every constraint held; null when none did. */
  incumbent: number | null;
  /** The observations the model was fitted to. */
  observations: readonly ConstrainedObservation[];
}

export interface FitConstrainedOptions {
  seed: number;
  settings?: Partial<OptimizerSettings>;
}

/** Whether an observation met every constraint. */
export function isFeasible(observation: ConstrainedObservation): boolean {
  return observation.constraints.every((c) => c <= 0);
}

function checkObservations(observations: readonly ConstrainedObservation[], names: readonly string[]): void {
  observations.forEach((o, i) => {
    if (!Number.isFinite(o.objective)) throw new Error(`observation ${i}: objective ${o.objective} is not a finite number`);
    if (o.constraints.length !== names.length) throw new Error(`observation ${i}: ${o.constraints.length} constraint values, the problem has ${names.length}`);
    o.constraints.forEach((c, k) => {
      if (!Number.isFinite(c)) throw new Error(`observation ${i}: constraint ${names[k]} value ${c} is not a finite number`);
    });
  });
}

/** Fits the objective's and every varying constraint's GP (at least two observations). */
export function fitConstrainedModel(space: ParameterSpace, observations: readonly ConstrainedObservation[], names: readonly string[], options: FitConstrainedOptions): ConstrainedModel {
  if (observations.length < 2) throw new Error(`a constrained model needs at least two observations, got ${observations.length}`);
  checkObservations(observations, names);
  const settings: OptimizerSettings = { ...DEFAULT_OPTIMIZER_SETTINGS, ...options.settings };
  // A seed per model, so that adding a constraint does not change the objective's fit.
  const fit = (scores: number[], label: string): Surrogate =>
    gaussianProcess.fit(
      space,
      observations.map((o, i) => ({ params: o.params, score: scores[i] })),
      { kernel: settings.kernel, outputTransform: settings.outputTransform, fitStarts: settings.fitStarts, seed: hashSeed(options.seed, label), priors: settings.priors },
    );
  const objective = fit(observations.map((o) => o.objective), 'objective');
  const constraints = names.map((name, k): ConstraintModel => {
    const values = observations.map((o) => o.constraints[k]);
    if (values.every((v) => v === values[0])) return { name, surrogate: null, threshold: 0, constant: values[0] };
    const surrogate = fit(values, `constraint-${k}`);
    return { name, surrogate, threshold: transformOutput(surrogate.transform, 0), constant: null };
  });
  const layout = spaceLayout(space);
  let incumbent: number | null = null;
  for (const o of observations) {
    if (!isFeasible(o)) continue;
    const mean = objective.posterior.predict(encodeParameters(layout, o.params)).mean;
    incumbent = incumbent === null ? mean : Math.min(incumbent, mean);
  }
  return { space, layout, objective, constraints, incumbent, observations };
}

/** The modelled constraints' posteriors (the objective's first), the shape the acquisition reads. */
export interface ModelPosteriors {
  objective: GpPosterior;
  /** The posteriors of the modelled constraints, in the order of `modelled`. */
  constraints: GpPosterior[];
  /** Indices (into ConstrainedModel.constraints) of the modelled constraints. */
  modelled: number[];
  /** Their latent bounds. */
  thresholds: number[];
}

export function modelPosteriors(model: ConstrainedModel): ModelPosteriors {
  const modelled = model.constraints.flatMap((c, k) => (c.surrogate ? [k] : []));
  return {
    objective: model.objective.posterior,
    constraints: modelled.map((k) => (model.constraints[k].surrogate as Surrogate).posterior),
    modelled,
    thresholds: modelled.map((k) => model.constraints[k].threshold),
  };
}

/** A score-unit posterior: the back-transformed latent mean (the median) and the delta-method sd. */
export interface ValuePrediction {
  mean: number;
  std: number;
}

export interface ConstraintPrediction extends ValuePrediction {
  name: string;
  /** P(c ≤ 0) under the constraint's GP: Φ((t − μ)/σ) in latent units (1 or 0 for a constant one). */
  probability: number;
}

export interface ConstrainedPrediction {
  objective: ValuePrediction;
  constraints: ConstraintPrediction[];
  /** The probability that every constraint holds: the product over the independent models. */
  feasibility: number;
}

function scoreUnits(surrogate: Surrogate, p: Prediction): ValuePrediction {
  const std = Math.sqrt(p.variance);
  return { mean: untransformOutput(surrogate.transform, p.mean), std: Math.abs(untransformDerivative(surrogate.transform, p.mean)) * std };
}

/** The model's prediction at a model input x. */
export function predictAtInput(model: ConstrainedModel, x: ArrayLike<number>): ConstrainedPrediction {
  const objective = scoreUnits(model.objective, model.objective.posterior.predict(x));
  let feasibility = 1;
  const constraints = model.constraints.map((c): ConstraintPrediction => {
    if (!c.surrogate) {
      const probability = (c.constant as number) <= 0 ? 1 : 0;
      feasibility *= probability;
      return { name: c.name, mean: c.constant as number, std: 0, probability };
    }
    const latent = c.surrogate.posterior.predict(x);
    const probability = normalCdf((c.threshold - latent.mean) / Math.sqrt(latent.variance));
    feasibility *= probability;
    return { name: c.name, ...scoreUnits(c.surrogate, latent), probability };
  });
  return { objective, constraints, feasibility };
}

/** The model's prediction at a parameter set of its space. */
export function predictConstrained(model: ConstrainedModel, params: ParameterSet): ConstrainedPrediction {
  return predictAtInput(model, encodeParameters(model.layout, params));
}
