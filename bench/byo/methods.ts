import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readStudyFolder } from '../../src/cli/studyFolder';
import type { Matrix } from '../../src/engine/linalg/matrix';
import { medianHeuristicBandwidth, mmdSquaredUnbiased } from '../../src/engine/metrics';
import { createRng, hashSeed, type Rng } from '../../src/engine/random/rng';
import type { ParameterSet } from '../../src/engine/space/space';
import type { PeerProcess } from '../bo/peers';
import { cli, journalScores, writeTellFiles, type AskedSet, type StatusJson } from './cli';
import { createProblem, npyBytes, randomPoint, REPLICATES, simulate, SPACE, spaceYaml, stack, type Problem } from './simulator';

/** The budget: an initial design of 16 sets, then 10 iterations × 8 sets, 3 replicates each. */
export const BUDGET = { initial: 16, iterations: 10, batch: 8, replicates: REPLICATES } as const;

export interface Evaluation {
  id: string;
  params: ParameterSet;
  embeddings: Matrix<Float32Array>;
  score: number;
}

export interface OursRun {
  problem: Problem;
  /** The shared iteration 0: the study's initial design and the replicates told for it. */
  initial: Evaluation[];
  evaluations: Evaluation[];
  status: StatusJson;
  /** σ the study stored in its scoring config (experiment.scoring.bandwidth). */
  studyBandwidth: number;
  /** σ recomputed here, median heuristic on the iteration-0 rows (real + initial replicates). */
  iteration0Bandwidth: number;
  /** max |journal score − mmdSquaredUnbiased(real, set, σ)| over every told set. */
  scoreCheck: number;
  /** Samples told for confirmations the study asked for, beside the 16 + 10 × 8 sets × 3 budget. */
  confirmationSamples: number;
  seconds: number;
}

/**
 * Ours, driven only through the command line (in-process `calibrate()` calls): init, the initial
 * design (ask 16, tell), then 10 × (ask 8, tell 8 × 3). Scores come back from `export --optuna-journal`,
 * the best and the noise floor from `status --json`; the stored bandwidth is read from the folder.
 */
export async function runOurs(seed: number, dir: string): Promise<OursRun> {
  const started = performance.now();
  const problem = createProblem(seed);
  const study = join(dir, `study-${seed}`);
  const spacePath = join(dir, 'space.yaml');
  const realPath = join(dir, `real-${seed}.npy`);
  writeFileSync(spacePath, spaceYaml());
  writeFileSync(realPath, npyBytes(problem.real));
  await cli(['init', study, '--space', spacePath, '--real', realPath, '--batch', String(BUDGET.batch), '--replicates', String(BUDGET.replicates), '--initial', String(BUDGET.initial), '--seed', String(seed)]);
  const noise = createRng(hashSeed('byo-noise', seed, 'ours'));
  const told: Omit<Evaluation, 'score'>[] = [];
  const round = async (tag: string, n: number) => {
    const asked = JSON.parse(await cli(['ask', study, '--n', String(n), '--format', 'json'])) as AskedSet[];
    // A confirmation of the best set comes alone and asks for its own sample count; the client evaluates it as asked.
    const confirmation = asked.length === 1 && asked[0].samples !== undefined;
    if (!confirmation && asked.length !== n) throw new Error(`ask ${tag}: expected ${n} sets, got ${asked.length}`);
    const rng = tag === 'initial' ? initialNoise(seed) : noise;
    const sets = asked.map((a) => ({ id: a.param_set_id, params: a.params, embeddings: simulate(problem, a.params, a.samples ?? BUDGET.replicates, rng) }));
    const files = writeTellFiles(dir, SPACE, sets.map((s) => ({ param_set_id: s.id, embeddings: s.embeddings })), `${seed}-${tag}`);
    await cli(['tell', study, '--samples', files.samples, '--embeddings', files.embeddings]);
    told.push(...sets);
    return { sets, confirmation };
  };
  // Until something is told, ask returns the initial design (--initial 16).
  const initial = (await round('initial', BUDGET.initial)).sets;
  // Ten batches; a confirmation the study asks for on the way is told too (its samples are counted
  // beside the budget, as a user would spend them) and does not count as a batch.
  let confirmationSamples = 0;
  for (let batch = 1, asks = 0; batch <= BUDGET.iterations && asks < BUDGET.iterations + 10; asks++) {
    const { sets, confirmation } = await round(`it${batch}${confirmationSuffix(asks, batch)}`, BUDGET.batch);
    if (confirmation) confirmationSamples += sets[0].embeddings.rows;
    else batch++;
  }
  const status = JSON.parse(await cli(['status', study, '--json'])) as StatusJson;
  const journalPath = join(dir, `journal-${seed}.jsonl`);
  await cli(['export', study, '--optuna-journal', journalPath]);
  const scores = journalScores(readFileSync(journalPath, 'utf8'));
  const evaluations = told.map((t) => {
    const score = scores.get(t.id);
    if (score === undefined) throw new Error(`seed ${seed}: ${t.id} was told but the journal has no score for it`);
    return { ...t, score };
  });
  if (scores.size !== evaluations.length) throw new Error(`seed ${seed}: the journal scores ${scores.size} sets, ${evaluations.length} were told`);
  const bundle = await readStudyFolder(study);
  const studyBandwidth = bundle.experiment.scoring?.bandwidth;
  if (studyBandwidth === undefined) throw new Error(`seed ${seed}: the study stored no scoring config`);
  const iteration0Bandwidth = iteration0Sigma(problem, initial);
  const scoreCheck = Math.max(...evaluations.map((e) => Math.abs(e.score - mmdSquaredUnbiased(problem.real, e.embeddings, studyBandwidth))));
  return {
    problem,
    initial: evaluations.slice(0, BUDGET.initial),
    evaluations,
    status,
    studyBandwidth,
    iteration0Bandwidth,
    scoreCheck,
    confirmationSamples,
    seconds: (performance.now() - started) / 1000,
  };
}

/** A distinct file tag for each ask (a confirmation shares its batch number). */
const confirmationSuffix = (asks: number, batch: number) => (asks + 1 === batch ? '' : `-ask${asks + 1}`);

/** The initial design's replicates: one stream per seed, shared by every method. */
const initialNoise = (seed: number): Rng => createRng(hashSeed('byo-noise', seed, 'initial'));

/**
 * The peers' bandwidth: the median heuristic (medianHeuristicBandwidth) on the iteration-0 rows, i.e.
 * the 16 real embeddings plus the 16 × 3 replicate embeddings of the 16-set initial design; fixed then
 * and used for all 96 scores, as the study does.
 */
export function iteration0Sigma(problem: Problem, initial: readonly Pick<Evaluation, 'embeddings'>[]): number {
  return medianHeuristicBandwidth(stack([problem.real, ...initial.map((e) => e.embeddings)]));
}

export interface PeerRun {
  evaluations: Evaluation[];
  seconds: number;
}

/** The objective every peer is scored on: the same statistic with the same fixed σ. */
function scorer(problem: Problem, sigma: number, rng: Rng) {
  return (params: ParameterSet, id: string): Evaluation => {
    const embeddings = simulate(problem, params, BUDGET.replicates, rng);
    return { id, params, embeddings, score: mmdSquaredUnbiased(problem.real, embeddings, sigma) };
  };
}

/** The peers start from the study's iteration 0 (same 16 sets, same replicates, same scores by σ). */
function sharedInitial(problem: Problem, ours: OursRun, sigma: number): Evaluation[] {
  return ours.initial.map((e) => ({ ...e, score: mmdSquaredUnbiased(problem.real, e.embeddings, sigma) }));
}

/** Optuna TPE (bench/peers/optuna_tpe.py) over the JSON-lines protocol: the 16 shared sets told, then 10 asks of 8. */
export async function runTpe(peer: PeerProcess, seed: number, ours: OursRun, sigma: number): Promise<PeerRun> {
  const started = performance.now();
  const { problem } = ours;
  const evaluate = scorer(problem, sigma, createRng(hashSeed('byo-noise', seed, 'optuna_tpe')));
  const evaluations = sharedInitial(problem, ours, sigma);
  await peer.request({ op: 'start', space: SPACE.parameters, seed, batch_size: BUDGET.batch, initial: evaluations.map((e) => e.params), values: evaluations.map((e) => e.score) });
  for (let i = 1; i <= BUDGET.iterations; i++) {
    const reply = await peer.request({ op: 'ask' });
    const batch = (reply.params as ParameterSet[]).map((p, k) => evaluate(p, `tpe_${i}_${k}`));
    evaluations.push(...batch);
    await peer.request({ op: 'tell', values: batch.map((e) => e.score) });
  }
  return { evaluations, seconds: (performance.now() - started) / 1000 };
}

/** Random search: the 16 shared sets, then 80 uniform random sets (96 evaluations). */
export function runRandom(seed: number, ours: OursRun, sigma: number): PeerRun {
  const started = performance.now();
  const { problem } = ours;
  const evaluate = scorer(problem, sigma, createRng(hashSeed('byo-noise', seed, 'random')));
  const points = createRng(hashSeed('byo-random-points', seed));
  const evaluations = sharedInitial(problem, ours, sigma);
  for (let i = 0; i < BUDGET.iterations * BUDGET.batch; i++) evaluations.push(evaluate(randomPoint(points), `random_${i}`));
  return { evaluations, seconds: (performance.now() - started) / 1000 };
}

/** The set with the lowest observed score. */
export function bestObserved(evaluations: readonly Evaluation[]): Evaluation {
  return evaluations.reduce((a, b) => (b.score < a.score ? b : a));
}

/**
 * The expected score of a parameter set (a fresh estimate, not the lucky draw that made it the best):
 * the mean of `draws` new 3-replicate scores under σ.
 */
export function expectedScore(problem: Problem, params: ParameterSet, sigma: number, label: string, draws = 64): number {
  const rng = createRng(hashSeed('byo-fresh', problem.seed, label));
  let sum = 0;
  for (let i = 0; i < draws; i++) sum += mmdSquaredUnbiased(problem.real, simulate(problem, params, BUDGET.replicates, rng), sigma);
  return sum / draws;
}
