import type { ParameterSet } from '../../src/engine/space/space';
import { initialDesign } from '../../src/engine/optimizer/baselines';
import { createRng, hashSeed } from '../../src/engine/random/rng';
import { noiseStd, type TestFunction } from './functions';

/**
 * The benchmark protocol: 16 space-filling initial points (the same scrambled-Sobol design for
 * every method of a seed), then 10 iterations × a batch of 8 (bench:bo's --iterations changes the count). After each iteration, every method names
 * its recommendation; simple regret = f(recommendation) − f* on the noiseless function.
 * Recommendation rules: the GP methods (ours, scikit-learn) — the evaluated set with the lowest posterior
 * mean; model-free methods (random search, Optuna TPE) — the lowest observed value (study.best_trial).
 */
export interface Protocol {
  initialPoints: number;
  iterations: number;
  batchSize: number;
}

export const PROTOCOL: Protocol = { initialPoints: 16, iterations: 10, batchSize: 8 };

export interface Problem {
  fn: TestFunction;
  /** Additive N(0, σ²) noise, σ = noiseStd(fn). */
  noisy: boolean;
  /**
   * Multiplicative noise with this β: f_opt + (f − f_opt)·exp(β N(0, 1)), COCO's Gaussian noise model
   * (Hansen et al., "Real-parameter black-box optimization benchmarking 2009: noisy functions definitions").
   */
  multiplicativeBeta?: number;
  /** Problems with random instances (the BBOB suite): the function seed s runs on. `fn` then names the problem. */
  instance?: (seed: number) => TestFunction;
}

export function problemName(p: Problem): string {
  return `${p.fn.name}${p.noisy ? '+noise' : ''}${p.multiplicativeBeta ? '+mulnoise' : ''}`;
}

/** The problem a run of seed `seed` sees: its own instance where the problem has random instances. */
export function problemForSeed(p: Problem, seed: number): Problem {
  return p.instance ? { fn: p.instance(seed), noisy: p.noisy, ...(p.multiplicativeBeta ? { multiplicativeBeta: p.multiplicativeBeta } : {}) } : p;
}

export interface RunRecord {
  method: string;
  problem: string;
  seed: number;
  /** Simple regret of the recommendation after the initial design (index 0) and after each iteration. */
  regret: number[];
  /** Regret of the best evaluated point by the noiseless function (what an oracle would pick). */
  bestEvaluatedRegret: number[];
  /** Wall time of each propose step (fit + propose), ms. */
  proposeMs: number[];
  /** Evaluations that repeated an earlier parameter set. */
  duplicates: number;
}

/** The noisy (or not) oracle of one run: noise draws depend on (problem, seed, method, call count). */
export function makeObjective(problem: Problem, seed: number, method: string): (p: ParameterSet) => number {
  const sigma = problem.noisy ? noiseStd(problem.fn) : 0;
  const beta = problem.multiplicativeBeta ?? 0;
  const rng = createRng(hashSeed(problemName(problem), seed, method, 'noise'));
  const fopt = problem.fn.optimum;
  return (p) => {
    let value = problem.fn.value(p);
    if (beta > 0) value = fopt + (value - fopt) * Math.exp(beta * rng.normal());
    return value + (sigma > 0 ? sigma * rng.normal() : 0);
  };
}

export function initialPoints(problem: Problem, seed: number, protocol: Protocol = PROTOCOL): ParameterSet[] {
  return initialDesign(problem.fn.space, protocol.initialPoints, hashSeed('initial-design', problem.fn.name, seed));
}

export function regretOf(problem: Problem, p: ParameterSet): number {
  return problem.fn.value(p) - problem.fn.optimum;
}
