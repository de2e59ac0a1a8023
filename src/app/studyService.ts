import { importedConfig, importedDomain, type ImportedConfig } from '../domains/imported/domain';
import { EXPERIMENT_SCHEMA_VERSION, type ExperimentRecord, type IterationRecord, type ParamSetRecord, type SampleRecord } from '../engine/experiment/records';
import { formatParamSetId } from '../engine/experiment/sample';
import type { Matrix } from '../engine/linalg/matrix';
import { checkConvergence } from '../engine/optimizer';
import { sobolPoints } from '../engine/optimizer/sampling/sobol';
import { confirmationDelta, confirmationTestInput } from '../engine/pipeline/confirmationTest';
import { bestToConfirm, planConfirmation, wasConfirmed } from '../engine/pipeline/confirmationPlan';
import { confirmationRecord } from '../engine/experiment/confirmationRecord';
import { confirm } from '../engine/trust/confirmation';
import { CONFIRMATION_SAMPLES_RANGE } from '../engine/config/experimentConfig';
import { convergenceHistory, parameterSetFloor } from '../engine/pipeline/observations';
import { realSetProblem } from '../engine/pipeline/realSet';
import { hashSeed } from '../engine/random/rng';
import { assertInSpace, decodeFromUnitCube, defineSpace, encodedDimension, type ParameterSet, type ParameterSpace, type ParameterSpec, type ParameterValue } from '../engine/space/space';
import { StudyInputError } from '../engine/studyInputError';
import type { ExperimentStore } from './experimentService';
import { embeddingMatrix, realSetMatrix } from './matrices';
import type { AnalysisService, PipelineServices } from './pipelineServices';

/**
 * Ask/tell studies over the user's own generator and encoder (the imported domain). A study is an
 * experiment: iteration 0 holds the real set, the initial design and what the client attached before
 * the first model-based proposal; the projection and the kernel bandwidth are fixed when that proposal
 * is asked for, and each later ask opens the next iteration with its proposals pending. Told sets are
 * scored at once with the fixed kernel (before that, when the first model-based ask fixes it).
 *
 * The service reads and writes through an ExperimentStore; a command line flushes a study folder after
 * each command, under the study's lock.
 */

export interface StudyInit {
  space: ParameterSpace;
  real: Matrix<Float32Array>;
  name?: string;
  batch?: number;
  replicates?: number;
  /** Sets of the initial design (default 2 × batch). */
  initial?: number;
  seed?: number;
}

export interface AskedSet {
  param_set_id: string;
  params: ParameterSet;
  /** A confirmation of the best set: evaluate it this many times (m); absent for an ordinary set. */
  samples?: number;
}

/** One told sample: its parameter set (null: a set of its own), its parameters as given, its vector. */
export interface ToldSample {
  sample_id: string;
  param_set_id: string | null;
  params: Partial<Record<string, ParameterValue>>;
  vector: Float32Array;
  /** Where it was read from, for messages (e.g. row 4 of samples.csv). */
  row: number;
}

export interface StudyStatus {
  iterations: number;
  observations: number;
  samples: number;
  pending: string[];
  best: { param_set_id: string; params: ParameterSet; score: number; posterior_mean: number | null } | null;
  noise_floor: { mean: number; high: number } | null;
  converged: boolean;
  reason: string | null;
  statement: string | null;
  /** A pending confirmation of the best set: its id and how many samples of it to tell. */
  confirming: { param_set_id: string; samples: number } | null;
}

/** How a space edit is given: the values earlier sets had for new parameters, the file for messages. */
export interface SpaceEditOptions {
  /** Parameter name → the value every stored set had for it; required for each parameter new to the study, refused for any other. */
  values?: Readonly<Record<string, ParameterValue>>;
  /** Where the new space was read from, for messages (e.g. NEW.yaml). */
  file?: string;
}

export interface SpaceEditResult {
  /** Parameters the study did not have, in the new space's order. */
  added: string[];
  /** Told sets the old space held and the new one leaves out, now kept as attached observations. */
  attached: string[];
  /** One line per set in `attached`. */
  warnings: string[];
}

/** Relative tolerance under which a repeated parameter value matches its proposal. */
const SAME_VALUE = 1e-9;

export class StudyService {
  private readonly now: () => string;

  constructor(
    private readonly deps: { store: ExperimentStore; analysis: AnalysisService; propose: PipelineServices['propose']; now?: () => string },
  ) {
    this.now = deps.now ?? (() => new Date().toISOString());
  }

  /** A new study: the space, the real set as iteration-0 samples, the loop settings. */
  async init(id: string, input: StudyInit): Promise<ExperimentRecord> {
    const problem = realSetProblem(input.real.rows);
    if (problem) throw inputError({ file: 'real set', detail: problem });
    const batch = input.batch ?? 8;
    const config: ImportedConfig = {
      ...importedConfig(input.space, {
        experiment_name: input.name ?? id,
        iteration_batch_size: batch,
        replications_per_iteration: input.replicates ?? 3,
        random_seed: input.seed ?? 0,
        max_iterations: 200,
      }),
      initial_design: input.initial ?? 2 * batch,
    };
    const now = this.now();
    const experiment: ExperimentRecord = {
      id,
      name: input.name ?? id,
      domain: importedDomain.id,
      createdAt: now,
      updatedAt: now,
      config,
      target: { kind: 'user', imageCount: input.real.rows },
      embedder: { id: 'client', label: 'vectors computed by the client', dimension: input.real.cols, normalized: false },
      chipIds: [],
      status: 'ready',
      schemaVersion: EXPERIMENT_SCHEMA_VERSION,
    };
    const real: SampleRecord[] = [];
    for (let i = 0; i < input.real.rows; i++) {
      const vector = input.real.data.slice(i * input.real.cols, (i + 1) * input.real.cols);
      const sample_id = `real_${String(i).padStart(4, '0')}`;
      real.push({
        experimentId: id,
        sample_id,
        iteration: 0,
        metadata: { sample_id, iteration: 0, dataset_type: 'real', param_set_id: 'real', replication_seed: i, params: {}, timestamp: now },
        embedding: vector,
        rawEmbedding: vector,
      });
    }
    await this.deps.store.createExperiment(experiment, []);
    const zero: IterationRecord = { experimentId: id, iteration: 0, stage: 'planned', paramSets: [], timings: {}, startedAt: now };
    await this.deps.store.commitStage({ experiment, iteration: zero, samples: real });
    return experiment;
  }

  /**
   * The next `n` parameter sets to evaluate, recorded as pending. Before any observation: the initial
   * design (scrambled Sobol points, continuing the sequence on a second ask). After: the optimizer's
   * batch given every scored set, with every pending set as pending.
   */
  async ask(id: string, n?: number): Promise<AskedSet[]> {
    const { store } = this.deps;
    let experiment = await this.study(id);
    const iterations = await store.getIterations(id);
    const space = importedDomain.space(experiment.config);
    const all = iterations.flatMap((it) => it.paramSets);
    const toldSamples = (await store.getSamples(id)).filter((s) => s.metadata.dataset_type !== 'real');
    const toldSets = new Set(toldSamples.map((s) => s.metadata.param_set_id));
    if (toldSets.size === 0) {
      const zero = iterations[0];
      const initialSoFar = zero.paramSets.filter((p) => p.origin === 'initial').length;
      const count = n ?? (initialSoFar === 0 ? ((experiment.config as Partial<ImportedConfig>).initial_design ?? 2 * experiment.config.iteration_batch_size) : experiment.config.iteration_batch_size);
      const points = sobolPoints(encodedDimension(space), count, initialSoFar, { scramble: true, seed: experiment.config.random_seed });
      const sets: ParamSetRecord[] = points.map((u, i) => ({
        param_set_id: formatParamSetId(all.length + i),
        dataset_type: 'synthetic',
        params: decodeFromUnitCube(space, u),
        origin: 'initial',
        pending: true,
      }));
      experiment = { ...experiment, updatedAt: this.now() };
      await store.commitStage({ experiment, iteration: { ...zero, paramSets: [...zero.paramSets, ...sets] } });
      return sets.map(({ param_set_id, params }) => ({ param_set_id, params }));
    }
    experiment = await this.fixIterationZero(experiment);
    const history = await store.getIterations(id);
    const last = history[history.length - 1];
    // The optimizer models the space: a set outside it (an attached observation, or one a space edit left
    // outside) keeps its samples and score but is not fitted.
    const observations = history
      .flatMap((it) => it.paramSets)
      .filter((p) => p.score && Number.isFinite(p.score.score) && !outsideSpace(space, p.params))
      .map((p) => ({ params: p.params, score: p.score!.score, replicates: p.score!.sizes.synthetic }));
    const pending = history.flatMap((it) => it.paramSets).filter((p) => p.pending && !p.abandoned).map((p) => p.params);
    const floor = parameterSetFloor(history);
    const noise = scoreNoise(history);
    const previous = [...history].reverse().find((it) => it.proposal)?.proposal;
    const delta = await this.confirmationDelta(experiment);
    const iteration = last.iteration + 1;
    const proposal = await this.deps.propose({
      space,
      observations,
      pending,
      iteration,
      maxIterations: experiment.config.max_iterations,
      acquisition: experiment.config.acquisition_function,
      batchSize: n ?? experiment.config.iteration_batch_size,
      seed: hashSeed(experiment.config.random_seed, 'ask', iteration),
      // The noise of one score is the floor's sd at its set's sample count: the count the GP's noise is stated at.
      ...(noise ? { scoreNoiseStd: noise.sd, referenceReplicates: noise.replicates } : { referenceReplicates: experiment.config.replications_per_iteration }),
      // Replicates of one set that differ: the generator samples at random, so a score is a noisy statistic
      // even before the floor gives its scale. Otherwise (a deterministic generator, or one replicate per
      // set) the optimizer reads the noise from a set observed twice (engine/optimizer/noise.ts).
      ...(replicatesDiffer(toldSamples) ? { noisyScores: true } : {}),
      // Last fit's hyperparameters start this one (fewer starts: the optimum rarely moves far between asks).
      ...(previous?.diagnostics.model ? { warmStart: previous.diagnostics.model.hyperparameters } : {}),
      // The plausible region at the confirmation's δ, as the page's loop has it.
      regionTolerance: delta.delta,
    });
    const firstIndex = history.reduce((k, it) => k + it.paramSets.length, 0);
    const sets: ParamSetRecord[] = proposal.next_params.map((p, i) => ({
      param_set_id: formatParamSetId(firstIndex + i),
      dataset_type: 'synthetic',
      params: { ...p.params },
      ...(p.acquisitionValue !== null && p.acquisitionValue !== undefined ? { acquisitionValue: p.acquisitionValue } : {}),
      origin: 'proposed',
      pending: true,
    }));
    // The fit that made these proposals is the optimizer's view after the last iteration.
    const best = bestToConfirm({ proposal });
    const confirmationPending = history.some((it) => it.confirming && it.paramSets.some((p) => p.param_set_id === it.confirming!.param_set_id && p.pending && !p.abandoned));
    const convergence = checkConvergence({
      history: convergenceHistory([...history.slice(0, -1), { ...last, proposal }]),
      rule: experiment.config.convergence_rule,
      threshold: experiment.config.convergence_threshold,
      noiseFloor: floor,
      tolerance: experiment.config.convergence_rule === 'absolute' ? null : delta,
      bestConfirmed: best !== null && (confirmationPending || wasConfirmed(history, space, best)),
      patience: experiment.config.early_stop_patience,
      maxIterations: experiment.config.max_iterations,
    });
    const now = this.now();
    experiment = { ...experiment, convergence, updatedAt: now };
    await store.commitStage({ experiment, iteration: { ...last, stage: last.stage === 'planned' ? 'planned' : 'proposed', proposal, convergence } });
    if (convergence.confirmationDue && best) {
      // The threshold holds for a best set not confirmed yet: this ask is its confirmation — m samples of
      // that set, which the next tell tests against the real set — instead of a batch.
      const plan = planConfirmation(iteration, best, firstIndex, experiment.config, 'threshold');
      const confirmation: ParamSetRecord = { ...plan.paramSets[0], origin: 'proposed', pending: true, samples: plan.confirming.samples };
      await store.commitStage({ experiment, iteration: { experimentId: id, iteration, stage: 'planned', paramSets: [confirmation], confirming: plan.confirming, timings: {}, startedAt: now } });
      return [{ param_set_id: confirmation.param_set_id, params: confirmation.params, samples: plan.confirming.samples }];
    }
    await store.commitStage({ experiment, iteration: { experimentId: id, iteration, stage: 'planned', paramSets: sets, timings: {}, startedAt: now } });
    return sets.map(({ param_set_id, params }) => ({ param_set_id, params }));
  }

  /**
   * Results for pending sets, and observations of the client's own parameters (attached). Everything is
   * checked before anything is stored: one bad row leaves the study as it was.
   */
  async tell(id: string, samples: readonly ToldSample[], file = 'samples'): Promise<{ sets: string[]; attached: string[]; warnings: string[] }> {
    const { store } = this.deps;
    let experiment = await this.study(id);
    const space = importedDomain.space(experiment.config);
    const iterations = await store.getIterations(id);
    const dimension = experiment.embedder.dimension;
    const stored = new Set((await store.getSamples(id)).map((s) => s.sample_id));
    const byId = new Map(iterations.flatMap((it) => it.paramSets.map((p) => [p.param_set_id, { set: p, iteration: it.iteration }] as const)));
    const groups = new Map<string, ToldSample[]>();
    const seen = new Map<string, number>();
    let nextIndex = iterations.reduce((k, it) => k + it.paramSets.length, 0);
    const attachedIds = new Map<string, string>();
    const warnings: string[] = [];
    for (const s of samples) {
      const where = { file, row: s.row };
      if (s.vector.length !== dimension) throw inputError({ ...where, detail: `the embedding has ${s.vector.length} values, the real set's have ${dimension}` });
      if (stored.has(s.sample_id)) throw inputError({ ...where, column: 'sample_id', detail: `sample_id "${s.sample_id}" is already stored in the study` });
      if (seen.has(s.sample_id)) throw inputError({ ...where, column: 'sample_id', detail: `sample_id "${s.sample_id}" is used by row ${seen.get(s.sample_id)} and row ${s.row}` });
      seen.set(s.sample_id, s.row);
      let key = s.param_set_id;
      const known = key !== null ? byId.get(key) : undefined;
      if (known) {
        if (!known.set.pending || known.set.abandoned) {
          throw inputError({ ...where, column: 'param_set_id', detail: `${key} is not pending (${known.set.abandoned ? 'abandoned' : 'its results were told already'})` });
        }
        for (const p of space.parameters) {
          const given = s.params[p.name];
          if (given !== undefined && !sameValue(given, known.set.params[p.name])) {
            throw inputError({ ...where, column: p.name, detail: `${String(given)} is not ${key}'s proposed ${String(known.set.params[p.name])}` });
          }
        }
      } else {
        const missing = space.parameters.filter((p) => s.params[p.name] === undefined).map((p) => p.name);
        if (missing.length) throw inputError({ ...where, column: missing[0], detail: `a new parameter set needs every parameter; ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} empty` });
        if (key === null) key = `row:${s.row}`;
        if (!attachedIds.has(key)) attachedIds.set(key, formatParamSetId(nextIndex++));
        const outside = outsideBounds(space, s.params as ParameterSet);
        if (outside.length) warnings.push(`${file}, row ${s.row}: ${outside.join(', ')} outside the space's bounds (kept as an attached observation)`);
      }
      const list = groups.get(key!) ?? [];
      list.push(s);
      groups.set(key!, list);
    }
    // A confirmation is a test at m samples: fewer than the smallest m it allows cannot carry it.
    for (const it of iterations) {
      const rows = it.confirming ? groups.get(it.confirming.param_set_id) : undefined;
      if (rows && rows.length < CONFIRMATION_SAMPLES_RANGE[0]) {
        throw inputError({ file, row: rows[0].row, column: 'param_set_id', detail: `${it.confirming!.param_set_id} confirms the best set: tell ${it.confirming!.samples} samples of it (at least ${CONFIRMATION_SAMPLES_RANGE[0]}), not ${rows.length}` });
      }
    }
    // Attached sets join the newest iteration; pending ones stay in theirs.
    const updated = new Map(iterations.map((it) => [it.iteration, { ...it, paramSets: [...it.paramSets] }]));
    const newest = iterations[iterations.length - 1].iteration;
    const now = this.now();
    const records: SampleRecord[] = [];
    const toldSets: string[] = [];
    for (const [key, rows] of groups) {
      const known = byId.get(key);
      const param_set_id = known ? key : attachedIds.get(key)!;
      const iteration = known ? known.iteration : newest;
      const record = updated.get(iteration)!;
      const params = known ? known.set.params : (rows[0].params as ParameterSet);
      if (known) record.paramSets = record.paramSets.map((p) => (p.param_set_id === key ? { ...p, pending: false } : p));
      else record.paramSets.push({ param_set_id, dataset_type: 'synthetic', params, origin: 'attached' });
      rows.forEach((s, r) =>
        records.push({
          experimentId: id,
          sample_id: s.sample_id,
          iteration,
          metadata: { sample_id: s.sample_id, iteration, dataset_type: 'synthetic', param_set_id, replication_seed: r, params: { ...params }, timestamp: now },
          embedding: s.vector,
          rawEmbedding: s.vector,
        }),
      );
      toldSets.push(param_set_id);
    }
    experiment = { ...experiment, updatedAt: now };
    await store.putSamples(records);
    for (const record of updated.values()) await store.commitStage({ experiment, iteration: record });
    if (experiment.scoring) await this.scoreTold(experiment);
    await this.testConfirmations(id, toldSets);
    return { sets: toldSets, attached: [...attachedIds.values()], warnings };
  }

  /** Pending sets the client will not evaluate: never scored, no longer pending. */
  async abandon(id: string, ids: readonly string[]): Promise<void> {
    const { store } = this.deps;
    const experiment = await this.study(id);
    const iterations = await store.getIterations(id);
    const pending = new Set(iterations.flatMap((it) => it.paramSets.filter((p) => p.pending && !p.abandoned).map((p) => p.param_set_id)));
    for (const pid of ids) if (!pending.has(pid)) throw inputError({ file: 'abandon', parameter: pid, detail: `${pid} is not a pending parameter set` });
    for (const it of iterations) {
      if (!it.paramSets.some((p) => ids.includes(p.param_set_id))) continue;
      const paramSets = it.paramSets.map((p) => (ids.includes(p.param_set_id) ? { ...p, pending: false, abandoned: true } : p));
      await store.commitStage({ experiment: { ...experiment, updatedAt: this.now() }, iteration: { ...it, paramSets } });
    }
  }

  /**
   * Edits the space of a running study. Numeric bounds may widen or narrow (down to low = high, which
   * fixes the parameter), choices may be added or dropped, and parameters may be added with the value
   * every stored set had for them; a parameter cannot be removed (nor renamed: that reads as a removal)
   * nor change its type, and no pending set may fall outside the new space (the client is evaluating it
   * as proposed). Told sets outside the new space are kept as attached observations: their samples
   * stay, but the optimizer, which models the space only, no longer fits them. Every stored parameter
   * set (samples' copies and the optimizer's outputs included) then has every parameter, in the new
   * order. The projection and the kernel live in the embedding space and stay as they are. Everything is
   * checked before anything is stored.
   */
  async space(id: string, newSpace: ParameterSpace, options: SpaceEditOptions = {}): Promise<SpaceEditResult> {
    const { store } = this.deps;
    const file = options.file ?? 'space';
    const values = options.values ?? {};
    let experiment = await this.study(id);
    const old = importedDomain.space(experiment.config);
    const space = defineSpace([...newSpace.parameters]);
    const oldByName = new Map(old.parameters.map((p) => [p.name, p]));
    const newNames = new Set(space.parameters.map((p) => p.name));
    const added = space.parameters.filter((p) => !oldByName.has(p.name)).map((p) => p.name);
    for (const p of old.parameters) {
      if (!newNames.has(p.name)) {
        const hint = added.length ? ` (a renamed parameter reads as removed: ${added.join(', ')} ${added.length > 1 ? 'are' : 'is'} new)` : '';
        throw inputError({ file, parameter: p.name, detail: `a parameter cannot be removed from a study${hint}; keep it, or fix it at one value (low = high, or a single choice)` });
      }
    }
    for (const p of space.parameters) {
      const before = oldByName.get(p.name);
      if (before && before.kind !== p.kind) throw inputError({ file, parameter: p.name, detail: `a parameter cannot change its type (${typeName(before.kind)} in the study, ${typeName(p.kind)} here)` });
      if (before && values[p.name] !== undefined) throw inputError({ file, parameter: p.name, detail: '"value" is only for a parameter new to the study; this one is in it already' });
      if (!before && values[p.name] === undefined) throw inputError({ file, parameter: p.name, detail: 'a new parameter needs "value": the value the study\'s earlier parameter sets had for it' });
    }
    for (const name of Object.keys(values)) {
      if (!newNames.has(name)) throw inputError({ file, parameter: name, detail: '"value" is given for a parameter the space does not have' });
    }
    // Every stored set, in the new order, with the new parameters' values.
    const extend = (params: ParameterSet): ParameterSet => Object.fromEntries(space.parameters.map((p) => [p.name, params[p.name] ?? values[p.name]]));
    const iterations = await store.getIterations(id);
    for (const set of iterations.flatMap((it) => it.paramSets)) {
      if (set.dataset_type === 'real' || !set.pending || set.abandoned) continue;
      const problem = outsideSpace(space, extend(set.params));
      if (problem) {
        throw inputError({ file, parameter: problem.name, detail: `pending set ${set.param_set_id} would fall outside the new space (${problem.detail}); abandon it first (calibrate abandon STUDY ${set.param_set_id})` });
      }
    }
    const attached: string[] = [];
    const warnings: string[] = [];
    const now = this.now();
    const samples = await store.getSamples(id);
    experiment = { ...experiment, config: { ...experiment.config, space: [...space.parameters] } as ImportedConfig, updatedAt: now };
    for (const it of iterations) {
      const paramSets = it.paramSets.map((set): ParamSetRecord => {
        if (set.dataset_type === 'real') return set;
        const params = extend(set.params);
        const problem = set.pending || set.abandoned ? null : outsideSpace(space, params);
        if (!problem) return { ...set, params };
        // A set the old space had left out already was reported then; only newly excluded sets are news.
        if (outsideSpace(old, set.params)) return { ...set, params, origin: 'attached' };
        attached.push(set.param_set_id);
        warnings.push(`${set.param_set_id}: ${problem.detail}, outside the new space (kept as an attached observation)`);
        return { ...set, params, origin: 'attached' };
      });
      const proposal = it.proposal && {
        ...it.proposal,
        next_params: it.proposal.next_params.map((p) => ({ ...p, params: extend(p.params) })),
        current_best: it.proposal.current_best.map((b) => ({ ...b, params: extend(b.params) })),
      };
      const told = samples
        .filter((s) => s.iteration === it.iteration && s.metadata.dataset_type !== 'real')
        .map((s) => ({ ...s, metadata: { ...s.metadata, params: { ...extend(s.metadata.params) } } }));
      await store.commitStage({ experiment, iteration: { ...it, paramSets, ...(proposal ? { proposal } : {}) }, samples: told });
    }
    await store.putExperiment(experiment);
    return { added, attached, warnings };
  }

  async status(id: string): Promise<StudyStatus> {
    const { store } = this.deps;
    const experiment = await this.study(id);
    const iterations = await store.getIterations(id);
    const samples = await store.getSamples(id);
    const sets = iterations.flatMap((it) => it.paramSets);
    const scored = sets.filter((p) => p.score && Number.isFinite(p.score.score));
    const lastFit = [...iterations].reverse().find((it) => it.proposal)?.proposal;
    const bestSet = lastFit?.current_best[0]
      ? scored.find((p) => sameParams(p.params, lastFit.current_best[0].params))
      : [...scored].sort((a, b) => a.score!.score - b.score!.score)[0];
    const floor = parameterSetFloor(iterations);
    return {
      iterations: iterations.length,
      observations: scored.length,
      samples: samples.filter((s) => s.metadata.dataset_type !== 'real').length,
      pending: sets.filter((p) => p.pending && !p.abandoned).map((p) => p.param_set_id),
      best: bestSet
        ? {
            param_set_id: bestSet.param_set_id,
            params: bestSet.params,
            score: bestSet.score!.score,
            posterior_mean: lastFit?.current_best[0] && sameParams(lastFit.current_best[0].params, bestSet.params) ? lastFit.current_best[0].posteriorMean : null,
          }
        : null,
      noise_floor: floor ? { mean: floor.mean, high: floor.high } : null,
      converged: experiment.convergence?.converged ?? false,
      reason: experiment.convergence?.converged ? experiment.convergence.detail : null,
      statement: experiment.confirmation?.statement ?? null,
      confirming: pendingConfirmation(iterations),
    };
  }

  private async study(id: string): Promise<ExperimentRecord> {
    const experiment = await this.deps.store.getExperiment(id);
    if (!experiment) throw new Error(`study ${id} is not stored`);
    if (experiment.domain !== importedDomain.id) throw inputError({ file: id, detail: `is a ${experiment.domain ?? 'voids'} experiment, not an ask/tell study (made with calibrate init)` });
    return experiment;
  }

  /**
   * Tests each confirmation set just told (m samples of the best set) against the real set with the
   * fixed kernel, as the page's loop does, and stores the record on its iteration and the study. A pass
   * ("indistinguishable within δ") converges the study; otherwise the set's samples are one observation
   * of m replicates (it is scored like any set) and asking goes on.
   */
  private async testConfirmations(id: string, told: readonly string[]): Promise<void> {
    const { store, analysis } = this.deps;
    let experiment = await this.study(id);
    const scoring = experiment.scoring;
    if (!scoring) return;
    for (const it of await store.getIterations(id)) {
      const plan = it.confirming;
      if (!plan || it.confirmation || !told.includes(plan.param_set_id)) continue;
      const set = it.paramSets.find((p) => p.param_set_id === plan.param_set_id)!;
      const samples = await store.getSamples(id);
      const real = realSetMatrix(samples.filter((s) => s.iteration === 0));
      const synthetic = embeddingMatrix(samples.filter((s) => s.metadata.param_set_id === set.param_set_id).map((s) => s.embedding));
      const input = confirmationTestInput(experiment.config, real, synthetic, scoring.bandwidth);
      const result = analysis.confirm ? await analysis.confirm(input) : confirm(input);
      const record = confirmationRecord(result, { iteration: it.iteration, trigger: plan.trigger, param_set_id: set.param_set_id, params: set.params, seed: input.seed });
      const passed = record.verdict === 'indistinguishable';
      const convergence = passed
        ? { converged: true, reason: 'threshold' as const, detail: `converged: ${record.statement}`, statement: record.statement }
        : { converged: false, reason: null, detail: `the confirmation read "${record.verdict}"; its samples joined the model's data` };
      experiment = { ...experiment, confirmation: record, convergence, updatedAt: this.now() };
      await store.commitStage({ experiment, iteration: { ...it, stage: 'analysed', confirmation: record, convergence } });
    }
  }

  /** Fixes the map and the kernel on iteration 0 (real + told) the first time a model is asked for. */
  private async fixIterationZero(experiment: ExperimentRecord): Promise<ExperimentRecord> {
    if (experiment.scoring && experiment.projection) return experiment;
    const { store, analysis } = this.deps;
    const zero = (await store.getSamples(experiment.id, 0)).sort((a, b) => (a.sample_id < b.sample_id ? -1 : 1));
    const realCount = zero.filter((s) => s.metadata.dataset_type === 'real').length;
    const fitted = await analysis.fitIterationZero(embeddingMatrix(zero.map((s) => s.embedding)), realCount, {
      projection: experiment.config.projection === 'umap' ? { kind: 'umap', nComponents: 2, seed: experiment.config.random_seed } : { kind: 'pca', components: 2 },
      seed: experiment.config.random_seed,
    });
    const fixed = { ...experiment, projection: fitted.projection, scoring: fitted.scoring, updatedAt: this.now() };
    await store.putExperiment(fixed);
    await this.scoreTold(fixed);
    return fixed;
  }

  /** δ at the confirmation's sizes with the fixed kernel (engine/pipeline/confirmationTest.ts); the kernel must be fixed. */
  private async confirmationDelta(experiment: ExperimentRecord) {
    return confirmationDelta(experiment.config, realSetMatrix(await this.deps.store.getSamples(experiment.id, 0)), experiment.scoring!.bandwidth);
  }

  /** Scores every told set that has no score yet, and places every told sample in the fixed map. */
  private async scoreTold(experiment: ExperimentRecord): Promise<void> {
    const { store, analysis } = this.deps;
    const samples = await store.getSamples(experiment.id);
    const real = samples.filter((s) => s.metadata.dataset_type === 'real').sort((a, b) => (a.sample_id < b.sample_id ? -1 : 1));
    const realMatrix = embeddingMatrix(real.map((s) => s.embedding));
    const ofSet = (id: string) => samples.filter((s) => s.metadata.param_set_id === id);
    for (const it of await store.getIterations(experiment.id)) {
      // A set told with one sample is scored too (scoreParameterSet's single-sample estimator).
      const unscored = it.paramSets.filter((p) => !p.score && ofSet(p.param_set_id).length > 0);
      const unplaced = samples.filter((s) => s.iteration === it.iteration && !s.projection2d);
      if (unscored.length === 0 && unplaced.length === 0) continue;
      const scores = unscored.length
        ? await analysis.scoreParameterSets(realMatrix, unscored.map((p) => embeddingMatrix(ofSet(p.param_set_id).map((s) => s.embedding))), experiment.scoring!)
        : [];
      const xy = unplaced.length ? await analysis.project(experiment.projection!, embeddingMatrix(unplaced.map((s) => s.embedding))) : null;
      const score = new Map(unscored.map((p, i) => [p.param_set_id, scores[i]]));
      const paramSets = it.paramSets.map((p) => (score.has(p.param_set_id) ? { ...p, score: score.get(p.param_set_id)! } : p));
      const placed = unplaced.map((s, i) => ({ ...s, projection2d: [xy!.data[i * xy!.cols], xy!.data[i * xy!.cols + 1]] as [number, number] }));
      await store.commitStage({ experiment, iteration: { ...it, paramSets }, samples: placed });
    }
  }
}

/** The pending confirmation of the best set, if one was asked for and not told yet. */
function pendingConfirmation(iterations: readonly IterationRecord[]): { param_set_id: string; samples: number } | null {
  for (const it of iterations) {
    const plan = it.confirming;
    if (plan && it.paramSets.some((p) => p.param_set_id === plan.param_set_id && p.pending && !p.abandoned)) return { param_set_id: plan.param_set_id, samples: plan.samples };
  }
  return null;
}

/** Some told set has two replicates whose embeddings are not identical. */
function replicatesDiffer(samples: readonly SampleRecord[]): boolean {
  const first = new Map<string, Float32Array>();
  for (const s of samples) {
    const seen = first.get(s.metadata.param_set_id);
    if (!seen) first.set(s.metadata.param_set_id, s.embedding);
    else if (seen.length !== s.embedding.length || seen.some((v, i) => v !== s.embedding[i])) return true;
  }
  return false;
}

/** The real-vs-real sd of the latest scored set's score and its sample count, or null before any score. */
function scoreNoise(iterations: readonly IterationRecord[]): { sd: number; replicates: number } | null {
  for (const it of [...iterations].reverse()) {
    for (const p of [...it.paramSets].reverse()) {
      const f = p.score?.floor;
      if (p.dataset_type !== 'real' && f?.available && Number.isFinite(f.sd)) return { sd: f.sd, replicates: p.score!.sizes.synthetic };
    }
  }
  return null;
}

function inputError(o: { file: string; detail: string; row?: number; column?: string; parameter?: string }): StudyInputError {
  const { file, detail, ...where } = o;
  return new StudyInputError(file, detail, where);
}

/** The same value within a relative 1e-9 (numbers) or exactly (choices): text formatting never decides. */
function sameValue(a: ParameterValue, b: ParameterValue | undefined): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || Math.abs(a - b) <= SAME_VALUE * Math.max(Math.abs(a), Math.abs(b));
  return String(a) === String(b);
}

function sameParams(a: ParameterSet, b: ParameterSet): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => sameValue(a[k], b[k]));
}

function outsideBounds(space: ParameterSpace, params: ParameterSet): string[] {
  return space.parameters.filter((p) => p.kind !== 'categorical' && (Number(params[p.name]) < p.low || Number(params[p.name]) > p.high)).map((p) => p.name);
}

/** The first parameter of `params` outside `space` (name and what is wrong), or null when it lies inside. */
function outsideSpace(space: ParameterSpace, params: ParameterSet): { name: string; detail: string } | null {
  for (const p of space.parameters) {
    try {
      assertInSpace(defineSpace([p]), params);
    } catch {
      const v = params[p.name];
      const detail = p.kind === 'categorical' ? `${p.name} "${String(v)}" is not one of ${p.choices.join(', ')}` : `${p.name} ${String(v)} is outside [${p.low}, ${p.high}]`;
      return { name: p.name, detail };
    }
  }
  return null;
}

function typeName(kind: ParameterSpec['kind']): string {
  return kind === 'continuous' ? 'float' : kind === 'integer' ? 'int' : 'categorical';
}
