import { assertInSpace, parameterSetKey, type ParameterSpace, type ParameterValue } from '../space/space';
import { createRng } from '../random/rng';
import { proposalRegion } from '../trust/proposalRegion';
import type { AcquisitionState } from './acquisition/acquisition';
import { DEFAULT_BETA_SCHEDULE } from './acquisition/betaSchedule';
import { getAcquisition, modelAcquisition } from './acquisition/registry';
import { krigingBelieverBatch } from './batch/krigingBeliever';
import {
  boundaryShare,
  boundaryWarning,
  leaveOneOutQuality,
  leaveOneOutWarning,
  parameterRelevance,
} from './diagnostics';
import { decodeParameters, encodeParameters, spaceLayout, type SpaceLayout } from './encoding';
import type { GpHyperparameters } from './gp/hyperparameters';
import { transformOutput, untransformDerivative } from './gp/outputTransform';
import { CandidatePool } from './optimize/candidatePool';
import { DEFAULT_ACQUISITION_OPTIMIZER } from './optimize/acquisitionOptimizer';
import { ExclusionSet } from './optimize/exclusion';
import { rawCandidates } from './optimize/rawCandidates';
import { trustRegion, type TrustRegion } from './optimize/trustRegion';
import { readNoise, type NoiseReading } from './noise';
import { replicateTarget } from './replicate';
import { referenceReplicates } from './replicates';
import { MODEL_FREE_FALLBACK, type ProposalStrategy } from './strategies';
import { bestByObservation, bestByObservedMean, bestByPosteriorMean, gaussianProcess, groupObservations, latentMeans, observedMean, type EvaluatedSet, type Surrogate } from './surrogate';
import type {
  BestCandidate,
  LeaveOneOutQuality,
  Observation,
  OptimizerDiagnostics,
  OptimizerSettings,
  ParameterRelevance,
  ProposeBatchInput,
  ProposeBatchOutput,
  Proposal,
} from './types';

/**
 * Defaults, chosen on bench/bo.ts (8-seed screens on all four functions, with and without noise, before
 * the 20-seed run that bench/results/bo.json reports):
 * - standardize rather than power: as good without noise, clearly better with it (the fitted
 *   Yeo–Johnson λ drifts negative as samples concentrate near the optimum, which stretches the noise
 *   there: void-like+noise median regret 1.3e-2 with power vs 5.2e-3 standardized);
 * - batchBetaRatio 10: a UCB batch hedges over exploration levels β_t … 10·β_t (a single β per batch
 *   collapsed late batches onto one point; ratio 4 lost on noisy Branin, 25 on Ackley);
 * - fantasyNoise 'none': a fantasy conditions on f itself, so its variance reduction reaches as far as
 *   the lengthscale whatever the noise; with σ_n² fantasies noisy batches piled up next to one point
 *   (10 seeds: Hartmann-6+noise median 3.6e-2 → 1.9e-2, void-like+noise 7.0e-3 → 4.9e-3; noiseless
 *   unchanged). Across iterations replicates near the optimum still happen when the model wants them.
 * - kernel Matérn-5/2, not RBF, and not the kernel with the higher marginal likelihood × prior of the two
 *   (screened with `bench:bo --settings`, seeds 0–19, medians of final regret, with the β schedule's end
 *   fixed at 0.2 as it then was): RBF won on Branin+noise (0.150 vs 0.275) and Hartmann-6+noise (0.025 vs
 *   0.059) but doubled it on the void-like function with noise
 *   (0.0134 vs 0.0069, the app's case) and lost on Ackley-6 (2.26 vs 1.53); picking by evidence chose RBF
 *   on every noisy void-like fit and inherited that loss.
 * - replicateContenders on: on 2-D BBOB with additive noise (60 COCO instances, `bench:bo --suite bbob`),
 *   the reported best's regret was lower in 267 of 480 runs and higher in 190 (geometric-mean ratio 0.81),
 *   noiseless runs unchanged (docs/decisions.md, 'Replicates under noise').
 * - searchRegion 'trust' (a TuRBO-style trust region for the acquisition search): on BBOB at 5 and 10
 *   dimensions (`bench:bo --suite bbob`, 10 COCO instances, plain and noisy) the final regret was lower in
 *   207 of 320 paired runs and higher in 111 (geometric-mean ratio 0.81); at 2 dimensions no change on
 *   average (41 / 39 of 80); on the 8 default problems lower in 93 of 160 and higher in 67 (geometric mean
 *   0.55) (docs/decisions.md, 'A trust region for the acquisition search').
 * - batchPortfolio on (EI members in UCB batches from PORTFOLIO_MIN_PARAMETERS on): on BBOB instances 1–5,
 *   which its choice did not use, the final regret at 10 dimensions was lower in 47 of 80 paired runs and
 *   higher in 33 (geometric-mean ratio 0.71), at 5 dimensions 41 / 39 (0.93); the 8 default problems stay
 *   ahead of every peer (docs/decisions.md, 'A portfolio of acquisitions in each batch').
 */
export const DEFAULT_OPTIMIZER_SETTINGS: OptimizerSettings = {
  kernel: 'matern52',
  outputTransform: 'standardize',
  betaSchedule: DEFAULT_BETA_SCHEDULE,
  rawSamples: 1024,
  localSamples: 256,
  polishStarts: 6,
  fitStarts: 3,
  batchBetaRatio: 10,
  fantasyNoise: 'none',
  noiseProbe: true,
  replicateContenders: true,
  searchRegion: 'trust',
  batchPortfolio: true,
};

/**
 * The fewest parameters for which a UCB batch mixes in EI members (settings.batchPortfolio). Measured on
 * BBOB instances 11–30 (docs/decisions.md, 'A portfolio of acquisitions in each batch'): the EI members
 * help at 5 and 10 parameters and hurt at 2, where the high-β UCB members they replace keep a small,
 * well-covered space explored.
 */
export const PORTFOLIO_MIN_PARAMETERS = 5;

function usesPortfolio(settings: OptimizerSettings, acquisition: string, space: ParameterSpace): boolean {
  return settings.batchPortfolio && acquisition === 'ucb' && space.parameters.length >= PORTFOLIO_MIN_PARAMETERS;
}

/** Top-k reported as current_best: the top 5 parameter sets so far (see docs/decisions.md, 'Formats follow the first user's Python pipeline'). */
const CURRENT_BEST_COUNT = 5;
/** Incumbents whose neighbourhoods are sampled for raw candidates. */
const LOCAL_INCUMBENTS = 5;

export interface ProposeProgress {
  stage: 'fit' | 'propose' | 'region';
  done: number;
  total: number;
}

function validate(input: ProposeBatchInput): void {
  if (!Number.isInteger(input.batchSize) || input.batchSize < 1) throw new Error(`batchSize ${input.batchSize} must be a positive integer`);
  if (!Number.isInteger(input.iteration) || input.iteration < 0) throw new Error(`iteration ${input.iteration} must be a non-negative integer`);
  if (!Number.isInteger(input.maxIterations) || input.maxIterations < 1) throw new Error(`maxIterations ${input.maxIterations} must be a positive integer`);
  getAcquisition(input.acquisition); // throws for an unregistered name
  if (input.scoreNoiseStd !== undefined && !(input.scoreNoiseStd >= 0 && Number.isFinite(input.scoreNoiseStd))) throw new Error(`scoreNoiseStd ${input.scoreNoiseStd} must be a finite non-negative number`);
  if (input.regionTolerance !== undefined && !Number.isFinite(input.regionTolerance)) throw new Error(`regionTolerance ${input.regionTolerance} must be a finite number`);
  (input.pending ?? []).forEach((p, i) => {
    try {
      assertInSpace(input.space, p);
    } catch (error) {
      throw new Error(`pending set ${i}: ${(error as Error).message}`);
    }
  });
}

/**
 * One iteration's proposals as a generator: it yields progress after the model fit and after each
 * batch member, so a worker can report progress and honour a cancel between steps. `proposeBatch`
 * runs it to completion. Deterministic for a given input (every random draw comes from `seed` and
 * `iteration`).
 */
export function* proposeBatchSteps(input: ProposeBatchInput): Generator<ProposeProgress, ProposeBatchOutput, void> {
  validate(input);
  const settings: OptimizerSettings = { ...DEFAULT_OPTIMIZER_SETTINGS, ...input.settings };
  const layout = spaceLayout(input.space);
  const rng = createRng(input.seed).fork(`iteration-${input.iteration}`);
  const warnings: string[] = [];
  // Progress: the fit, each batch member, and the plausible region when asked for.
  const total = input.batchSize + 1 + (input.regionTolerance !== undefined ? 1 : 0);
  const started = Date.now();

  let surrogate: Surrogate | null = null;
  if (input.observations.length >= 2) {
    surrogate = gaussianProcess.fit(input.space, input.observations, {
      kernel: settings.kernel,
      outputTransform: settings.outputTransform,
      fitStarts: settings.fitStarts,
      seed: rng.fork('fit').seed,
      warmStart: input.warmStart,
      priors: settings.priors,
      scoreNoiseStd: input.scoreNoiseStd,
      referenceReplicates: input.referenceReplicates,
      replicateNoiseBound: settings.replicateContenders,
    });
  }
  const evaluated = surrogate ? surrogate.evaluated : groupObservations(input.space, layout, input.observations, referenceReplicates(input.observations, input.referenceReplicates));
  const fitMs = Date.now() - started;
  yield { stage: 'fit', done: 1, total };

  const noise = readNoise(surrogate, evaluated, input);
  const exclusion = new ExclusionSet(layout);
  for (const set of evaluated) exclusion.add(set.x);
  const pendingInputs = (input.pending ?? []).map((p) => encodeParameters(layout, p));
  // A pending set that repeats an evaluated one is a probe already under way (noise.ts).
  const probePending = pendingInputs.some((x) => exclusion.has(x));
  for (const x of pendingInputs) exclusion.add(x);

  let acquisition = getAcquisition(input.acquisition);
  let strategy: ProposalStrategy = input.acquisition;
  if (!surrogate && acquisition.needsModel) {
    warnings.push(`Only ${input.observations.length} observation(s): too few for a surrogate model; this batch is quasi-random (Sobol).`);
    strategy = MODEL_FREE_FALLBACK;
    acquisition = getAcquisition(MODEL_FREE_FALLBACK);
  }

  const chosen: { x: Float64Array; value: number | null; acquisition?: string; params?: Record<string, ParameterValue> }[] = [];
  let beta: number | null = null;
  let probe = false;
  let replicated = false;
  let searchBox: TrustRegion | undefined;
  if (!acquisition.needsModel) {
    const context = {
      space: input.space,
      layout,
      count: input.batchSize,
      exclusion,
      skip: input.observations.length + pendingInputs.length,
      seed: input.seed,
      rng,
    };
    for (const x of acquisition.propose(context)) chosen.push({ x, value: null, acquisition: acquisition.name });
  } else if (surrogate) {
    const posteriorMeans = latentMeans(surrogate);
    // On a deterministic objective the value at an evaluated set is its observation (noise.ts): the
    // incumbents, and EI's f*, are the best observed sets; otherwise the best posterior means.
    const means = noise.deterministic ? surrogate.evaluated.map((set) => transformOutput(surrogate!.transform, observedMean(set))) : posteriorMeans;
    let incumbent = Math.min(...means);
    beta =
      acquisition.explorationWeight?.({
        schedule: settings.betaSchedule,
        iteration: input.iteration,
        maxIterations: input.maxIterations,
        noise: surrogate.hyperparameters.noise,
      }) ?? null;
    // Pending evaluations enter as Kriging-believer fantasies, like earlier members of this batch (and
    // are excluded above, so none is proposed again), with the noise of an observation at the reference
    // replicate count (withObservation's default σ_n²).
    let posterior = surrogate.posterior;
    for (const x of pendingInputs) {
      const believed = posterior.predict(x).mean;
      posterior = posterior.withObservation(x, believed);
      incumbent = Math.min(incumbent, believed);
    }
    const state: AcquisitionState = { beta: beta ?? 0, incumbent };
    const incumbents = surrogate.evaluated
      .map((set, i) => ({ x: set.x, mean: means[i] }))
      .sort((a, b) => a.mean - b.mean)
      .slice(0, LOCAL_INCUMBENTS)
      .map((e) => e.x);
    if (settings.searchRegion === 'trust') {
      // Each observation valued as its set is (the values that rank the incumbents), in the caller's order;
      // the batches after the initial design are the last (iteration − 1) chunks of batchSize.
      const indexOfKey = new Map(surrogate.evaluated.map((set, i) => [set.key, i]));
      const values = input.observations.map((o) => means[indexOfKey.get(parameterSetKey(input.space, o.params)) ?? 0]);
      searchBox = trustRegion({
        layout,
        centre: incumbents[0],
        lengthscales: surrogate.hyperparameters.lengthscales,
        values,
        initialCount: input.observations.length - (input.iteration - 1) * input.batchSize,
        batchSize: input.batchSize,
      });
    }
    const raw = rawCandidates(layout, {
      sobolCount: settings.rawSamples,
      localCount: settings.localSamples,
      incumbents,
      seed: rng.fork('raw').seed,
      rng: rng.fork('local'),
      ...(searchBox ? { region: searchBox } : {}),
    });
    const pool = new CandidatePool(raw, posterior, input.batchSize);
    const options = { ...DEFAULT_ACQUISITION_OPTIMIZER, starts: settings.polishStarts, ...(searchBox ? { region: searchBox } : {}) };
    let done = 1;
    // While the noise is unknown, the last member re-evaluates the best set (by posterior mean) once.
    probe = settings.noiseProbe && noise.source === 'unknown' && !probePending && input.batchSize >= 2;
    // On a noisy objective, the last member may re-measure a contender for the reported best (replicate.ts);
    // not while a repeat is pending, as for the probe.
    const replicate = settings.replicateContenders && !probe && !noise.deterministic && noise.source !== 'unknown' && !probePending && input.batchSize >= 2 ? replicateTarget(surrogate) : -1;
    const q = input.batchSize - (probe || replicate >= 0 ? 1 : 0);
    const memberBetas = beta === null ? undefined : Array.from({ length: q }, (_, j) => state.beta * Math.pow(settings.batchBetaRatio, q > 1 ? j / (q - 1) : 0));
    const fantasyNoise = settings.fantasyNoise === 'none' ? 1e-6 * surrogate.hyperparameters.outputscale : undefined;
    const memberAcquisitions = usesPortfolio(settings, acquisition.name, input.space) ? Array.from({ length: q }, (_, j) => (j % 2 === 1 ? modelAcquisition('ei') : acquisition)) : undefined;
    for (const member of krigingBelieverBatch(posterior, acquisition, state, layout, q, pool, exclusion, options, memberBetas, fantasyNoise, memberAcquisitions)) {
      chosen.push(member);
      yield { stage: 'propose', done: ++done, total };
    }
    if (probe) {
      const best = surrogate.evaluated[posteriorMeans.indexOf(Math.min(...posteriorMeans))];
      // The caller's exact values, so that a deterministic objective sees the same input again.
      chosen.push({ x: best.x, value: null, params: best.params });
      yield { stage: 'propose', done: ++done, total };
    }
    if (replicate >= 0) {
      const set = surrogate.evaluated[replicate];
      chosen.push({ x: set.x, value: null, params: set.params });
      replicated = true;
      yield { stage: 'propose', done: ++done, total };
    }
  }
  if (chosen.length < input.batchSize) {
    warnings.push(`Only ${chosen.length} of ${input.batchSize} proposals could be made without repeating an evaluated or pending parameter set.`);
  }

  const next_params: Proposal[] = chosen.map(({ x, value, acquisition: chooser, params }) => ({
    params: params ? { ...params } : decodeParameters(layout, x),
    acquisitionValue: value,
    ...(chooser ? { acquisition: chooser } : {}),
  }));
  const share = boundaryShare(layout, chosen.map((c) => c.x));
  const shareWarning = boundaryWarning(share);
  if (shareWarning) warnings.push(shareWarning);

  const summary = modelSummary(surrogate, layout, evaluated, warnings, noise);
  const proposeMs = Date.now() - started - fitMs;
  let region: ProposeBatchOutput['region'];
  let regionMs: number | undefined;
  if (input.regionTolerance !== undefined && surrogate) {
    const regionStarted = Date.now();
    region = proposalRegion(input.space, surrogate, summary.relevance, { tolerance: input.regionTolerance, seed: rng.fork('region').seed });
    regionMs = Date.now() - regionStarted;
    yield { stage: 'region', done: total, total };
  }
  const output: ProposeBatchOutput = {
    next_params,
    current_best: summary.current_best,
    diagnostics: {
      strategy,
      beta,
      model: summary.model,
      relevance: summary.relevance,
      leaveOneOut: summary.leaveOneOut,
      noise: { ...noise, probe, replicate: replicated },
      ...(searchBox ? { trustRegion: { length: searchBox.length, restarts: searchBox.restarts } } : {}),
      boundaryShare: share,
      warnings,
      timingsMs: { fit: fitMs, propose: proposeMs, ...(regionMs !== undefined ? { region: regionMs } : {}) },
    },
    ...(region ? { region } : {}),
  };
  return output;
}

interface ModelSummary {
  current_best: BestCandidate[];
  model: OptimizerDiagnostics['model'];
  relevance: ParameterRelevance[];
  leaveOneOut: LeaveOneOutQuality | null;
}

/** current_best and the model's diagnostics; appends the leave-one-out warning to `warnings`. */
function modelSummary(surrogate: Surrogate | null, layout: SpaceLayout, evaluated: readonly EvaluatedSet[], warnings: string[], noise: NoiseReading): ModelSummary {
  if (!surrogate) return { current_best: bestByObservedMean(evaluated, CURRENT_BEST_COUNT), model: null, relevance: [], leaveOneOut: null };
  const leaveOneOut = leaveOneOutQuality(surrogate.posterior);
  const looWarning = leaveOneOutWarning(leaveOneOut, surrogate.posterior.n);
  if (looWarning) warnings.push(looWarning);
  const bestLatent = Math.min(...latentMeans(surrogate));
  return {
    current_best: noise.deterministic ? bestByObservation(surrogate, CURRENT_BEST_COUNT, noise.replicateVariance ?? 0) : bestByPosteriorMean(surrogate, CURRENT_BEST_COUNT),
    model: {
      kernel: surrogate.kernel,
      hyperparameters: surrogate.hyperparameters,
      outputTransform: surrogate.transform,
      noiseStdScore: Math.sqrt(surrogate.hyperparameters.noise) * Math.abs(untransformDerivative(surrogate.transform, bestLatent)),
    },
    relevance: parameterRelevance(layout, surrogate.hyperparameters),
    leaveOneOut,
  };
}

export interface FitModelInput {
  space: ParameterSpace;
  observations: readonly Observation[];
  seed: number;
  settings?: Partial<OptimizerSettings>;
  warmStart?: GpHyperparameters;
  /** As ProposeBatchInput.scoreNoiseStd. */
  scoreNoiseStd?: number;
  /** As ProposeBatchInput.referenceReplicates. */
  referenceReplicates?: number;
  /** As ProposeBatchInput.noisyScores. */
  noisyScores?: boolean;
}

export interface FitModelOutput {
  current_best: BestCandidate[];
  model: OptimizerDiagnostics['model'];
  relevance: ParameterRelevance[];
  leaveOneOut: LeaveOneOutQuality | null;
  noise: NoiseReading;
  warnings: string[];
  timingsMs: { fit: number };
}

/** Fits the surrogate alone (no proposals): the current best (as ProposeBatchOutput.current_best), the noise reading and the model's diagnostics. */
export function fitModel(input: FitModelInput): FitModelOutput {
  const settings: OptimizerSettings = { ...DEFAULT_OPTIMIZER_SETTINGS, ...input.settings };
  const layout = spaceLayout(input.space);
  const started = Date.now();
  const warnings: string[] = [];
  const surrogate =
    input.observations.length >= 2
      ? gaussianProcess.fit(input.space, input.observations, {
          kernel: settings.kernel,
          outputTransform: settings.outputTransform,
          fitStarts: settings.fitStarts,
          seed: createRng(input.seed).fork('fit-model').seed,
          warmStart: input.warmStart,
          priors: settings.priors,
          scoreNoiseStd: input.scoreNoiseStd,
          referenceReplicates: input.referenceReplicates,
          replicateNoiseBound: settings.replicateContenders,
        })
      : null;
  if (!surrogate) warnings.push(`Only ${input.observations.length} observation(s): too few for a surrogate model.`);
  const evaluated = surrogate ? surrogate.evaluated : groupObservations(input.space, layout, input.observations, referenceReplicates(input.observations, input.referenceReplicates));
  const noise = readNoise(surrogate, evaluated, input);
  return { ...modelSummary(surrogate, layout, evaluated, warnings, noise), noise, warnings, timingsMs: { fit: Date.now() - started } };
}

/** Proposes the next batch (next_params, current_best): runs proposeBatchSteps to completion. */
export function proposeBatch(input: ProposeBatchInput): ProposeBatchOutput {
  const steps = proposeBatchSteps(input);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
