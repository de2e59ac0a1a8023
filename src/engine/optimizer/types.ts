import type { ParameterSet, ParameterSpace, ParameterValue } from '../space/space';
import type { PlausibleRegion } from '../trust/plausibleRegion';
import type { BetaSchedule } from './acquisition/betaSchedule';
import type { GpHyperparameters, HyperparameterPriors } from './gp/hyperparameters';
import type { KernelKind } from './gp/kernel';
import type { OutputTransform, OutputTransformKind } from './gp/outputTransform';
import type { NoiseReading } from './noise';
import type { ProposalStrategy } from './strategies';

/**
 * The optimizer's input and output: plain, JSON-serialisable objects (the state layer stores them in
 * IndexedDB). The output names (next_params, current_best) are those the first user's Python scripts
 * read (see docs/decisions.md, 'Formats follow the first user's Python pipeline').
 */

export type { ProposalStrategy };

/** One evaluated parameter set: its score (lower is better; e.g. the unbiased MMD² vs the real set). */
export interface Observation {
  params: ParameterSet;
  score: number;
  /**
   * Number of replicate samples the score was computed from (a whole number ≥ 1). The GP gives this
   * observation noise variance σ_n² · r_ref / replicates (replicates.ts). Absent: the study's usual count,
   * ProposeBatchInput.referenceReplicates.
   */
  replicates?: number;
}

export interface OptimizerSettings {
  kernel: KernelKind;
  outputTransform: OutputTransformKind;
  betaSchedule: BetaSchedule;
  /** Quasi-random raw candidates per batch. */
  rawSamples: number;
  /** Perturbations of the incumbents added to the raw candidates. */
  localSamples: number;
  /** Raw candidates polished by gradient + discrete search, per batch member. */
  polishStarts: number;
  /** Starts of the hyperparameter fit (warm start, prior mode, prior draws). */
  fitStarts: number;
  /**
   * UCB batches: β of the last member over β of the first (geometric in between); 1 = one β for the
   * whole batch.
   */
  batchBetaRatio: number;
  /**
   * Noise of Kriging-believer fantasies: 'observation' (σ_n², as a real evaluation at the reference
   * replicate count) or 'none' (f itself).
   */
  fantasyNoise: 'observation' | 'none';
  /**
   * While no set has been observed twice and the caller gave no scoreNoiseStd, re-evaluate the best set
   * once (the last member of one batch) to tell measurement noise from structure (noise.ts).
   */
  noiseProbe: boolean;
  /**
   * On a noisy objective (noise known, or read from repeats as noisy), the last member of a model-based
   * batch of two or more re-measures a close contender for the reported best instead of proposing a new
   * point, when the incumbent's posterior sd exceeds its lead over the runner-up (replicate.ts); and the
   * scatter of repeated scores bounds the GP's noise from below (noise.ts, replicateNoiseLowerBound).
   */
  replicateContenders: boolean;
  /**
   * 'global': the acquisition is maximised over the whole space. 'trust': inside a TuRBO-style trust
   * region around the incumbent whose size follows the batches' successes and failures
   * (optimize/trustRegion.ts).
   */
  searchRegion: 'global' | 'trust';
  /**
   * In a space of PORTFOLIO_MIN_PARAMETERS (5) parameters or more, a UCB batch alternates its members
   * between UCB (at the member's β) and EI: the 2nd, 4th, … members maximise expected improvement given the
   * fantasies of the members before them (batch/krigingBeliever.ts; docs/decisions.md, 'A portfolio of
   * acquisitions in each batch'). Other acquisitions, and smaller spaces, are not mixed.
   */
  batchPortfolio: boolean;
  /** Overrides of the hyperparameter priors (defaultPriors in gp/hyperparameters.ts). */
  priors?: Partial<HyperparameterPriors>;
}

export interface ProposeBatchInput {
  space: ParameterSpace;
  observations: readonly Observation[];
  /** Parameter sets proposed earlier and not yet scored: treated as fantasies and never re-proposed. */
  pending?: readonly ParameterSet[];
  /** The iteration being proposed (1 = first after iteration 0); drives the UCB β schedule. */
  iteration: number;
  maxIterations: number;
  /** A registered acquisition (acquisition/registry.ts): a built-in strategy or a registered one. */
  acquisition: ProposalStrategy;
  batchSize: number;
  seed: number;
  /** Overrides of the defaults (DEFAULT_OPTIMIZER_SETTINGS). */
  settings?: Partial<OptimizerSettings>;
  /** Last iteration's fitted hyperparameters (diagnostics.model.hyperparameters): the first fit start. */
  warmStart?: GpHyperparameters;
  /**
   * Known noise scale of one score, in score units, when the caller has one: for the app, the standard
   * deviation of the real-vs-real noise floor (what a perfect generator's score scatters by). The GP's
   * noise variance is then kept at or above scoreNoiseStd² (see noiseVarianceLowerBound in surrogate.ts). Omitted: the noise is
   * learned from the data and the priors alone. It is the noise of a score at the reference replicate
   * count (referenceReplicates); an observation with r replicates gets its bound times r_ref / r.
   */
  scoreNoiseStd?: number;
  /**
   * The caller knows its scores are noisy without knowing the noise's scale: each is a statistic of random
   * samples (an MMD² of generated images). The model's noise is then read as measurement noise and no set
   * is re-evaluated to find out whether the objective is deterministic (noise.ts; settings.noiseProbe).
   * Omitted: scoreNoiseStd says the noise is known; without either, repeated observations of a set tell.
   */
  noisyScores?: boolean;
  /**
   * The reference replicate count r_ref: what an observation without `replicates` was computed from (the
   * study's usual count), and the count at which σ_n² and scoreNoiseStd are stated. Omitted: the median
   * of the observations' counts; required when some observations have a count and others do not.
   */
  referenceReplicates?: number;
  /**
   * δ in score units: with it, the output carries the plausible region {P(score ≤ δ) > ½} of the fitted
   * surrogate (engine/trust/proposalRegion.ts). The app passes the confirmation's δ (the real-vs-real
   * floor at the confirmation's sizes, or the config's δ: pipeline/confirmationTest.ts).
   */
  regionTolerance?: number;
}

export interface Proposal {
  params: Record<string, ParameterValue>;
  /**
   * Acquisition value when chosen (given the fantasies of earlier members): ucb = −(μ − βσ), ei = log EI,
   * pi = log PI, all in the model's standardised output units (another registered acquisition: its
   * value); null for a model-free acquisition (random, sobol) and for the noise probe (a re-evaluation of
   * the best set; diagnostics.noise.probe) and for a re-measured contender (diagnostics.noise.replicate).
   */
  acquisitionValue: number | null;
  /**
   * The acquisition that chose this member, and so the meaning of acquisitionValue: the requested one, or
   * 'ei' for the EI members of a UCB batch (settings.batchPortfolio); absent for a re-evaluation (the noise
   * probe, a re-measured contender). Absent in records made before it existed.
   */
  acquisition?: string;
}

export interface BestCandidate {
  params: Record<string, ParameterValue>;
  /**
   * Posterior mean in score units (the back-transformed latent mean: the posterior median of the score);
   * on a deterministic objective (diagnostics.noise.deterministic) the observed mean, with posteriorStd
   * the spread of repeated scores.
   */
  posteriorMean: number;
  /** Posterior standard deviation in score units (delta method through the output transform); null without a model. */
  posteriorStd: number | null;
  /** Mean of the observed scores of this parameter set (weighted by replicate count when the counts differ). */
  observed: number;
  observationCount: number;
}

export interface ParameterRelevance {
  name: string;
  /** Lengthscale in unit-cube units (a categorical: a level change is distance 1). */
  lengthscale: number;
  /** (1/ℓ) / max(1/ℓ): 1 for the most influential parameter. */
  relevance: number;
}

export interface LeaveOneOutQuality {
  /** Spearman rank correlation between leave-one-out predictions and observations. */
  spearman: number;
  /** 1 − Σ(y − μ₋ᵢ)² / Σ(y − ȳ)², in the model's output units. */
  rSquared: number;
  /** Share of observations inside their leave-one-out 95% predictive interval. */
  coverage95: number;
}

export interface OptimizerDiagnostics {
  /** The acquisition used: the requested one, or the model-free fallback while there is no model. */
  strategy: ProposalStrategy;
  /**
   * Exploration weight β of the batch's first member (later members up to batchBetaRatio × β): UCB's;
   * null for an acquisition without one.
   */
  beta: number | null;
  model: {
    kernel: KernelKind;
    hyperparameters: GpHyperparameters;
    outputTransform: OutputTransform;
    /** Noise standard deviation in score units (at the best point, through the transform) of a score at the reference replicate count. */
    noiseStdScore: number;
  } | null;
  relevance: ParameterRelevance[];
  leaveOneOut: LeaveOneOutQuality | null;
  /**
   * How the model's noise was read (noise.ts): known from the caller, from repeated observations (and
   * whether they show a deterministic objective, whose best set is then the best observed one), or unknown;
   * `probe`: this batch's last member re-evaluates the best set to find out; `replicate`: on a noisy
   * objective, this batch's last member re-measures a close contender for the reported best
   * (settings.replicateContenders). Absent in records made before they existed.
   */
  noise?: NoiseReading & { probe: boolean; replicate?: boolean };
  /** The trust region's base side length and its restarts (settings.searchRegion 'trust'); absent otherwise. */
  trustRegion?: { length: number; restarts: number };
  /** Share of proposals with a numeric parameter on a bound of its range. */
  boundaryShare: number;
  warnings: string[];
  /** `region`: computing the plausible region (only when it was asked for and a model was fitted). */
  timingsMs: { fit: number; propose: number; region?: number };
}

export interface ProposeBatchOutput {
  next_params: Proposal[];
  /**
   * Top 5 evaluated parameter sets: by posterior mean; by observed mean when no model could be fitted, or
   * when repeated observations show a deterministic objective (diagnostics.noise.deterministic: the GP's
   * noise is then structure it does not resolve, and the value at an evaluated set is what was observed
   * there; noise.ts).
   */
  current_best: BestCandidate[];
  diagnostics: OptimizerDiagnostics;
  /**
   * The plausible region of the fitted surrogate at `regionTolerance` (share of the space, per-parameter
   * intervals, densities and identifiability, the pairwise density of the two most relevant parameters,
   * a statement when no point is plausible). Absent without `regionTolerance` or without a model.
   */
  region?: PlausibleRegion;
}
