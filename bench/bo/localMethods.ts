import { performance } from 'node:perf_hooks';
import { fitModel, getAcquisition, proposeBatch } from '../../src/engine/optimizer';
import type { GpHyperparameters, Observation, OptimizerSettings, ProposalStrategy } from '../../src/engine/optimizer';
import { parameterSetKey, type ParameterSet } from '../../src/engine/space/space';
import { hashSeed } from '../../src/engine/random/rng';
import { initialPoints, makeObjective, problemForSeed, problemName, PROTOCOL, regretOf, type Problem, type Protocol, type RunRecord } from './protocol';

/** Runs this repository's optimizer (GP strategies or its random/Sobol baselines) through the protocol. */
export function runLocal(
  method: string,
  strategy: ProposalStrategy,
  suiteProblem: Problem,
  seed: number,
  settings: Partial<OptimizerSettings> = {},
  protocol: Protocol = PROTOCOL,
): RunRecord {
  const name = problemName(suiteProblem);
  const problem = problemForSeed(suiteProblem, seed);
  const objective = makeObjective(problem, seed, method);
  const space = problem.fn.space;
  const observations: Observation[] = initialPoints(problem, seed, protocol).map((params) => ({ params, score: objective(params) }));
  const record: RunRecord = { method, problem: name, seed, regret: [], bestEvaluatedRegret: [], proposeMs: [], duplicates: 0 };
  const seen = new Set(observations.map((o) => parameterSetKey(space, o.params)));
  const usesModel = getAcquisition(strategy).needsModel;
  let warmStart: GpHyperparameters | undefined;
  const bestEvaluated = () => Math.min(...observations.map((o) => regretOf(problem, o.params)));
  const bestObserved = (): ParameterSet => observations.reduce((a, b) => (b.score < a.score ? b : a)).params;

  for (let iteration = 1; iteration <= protocol.iterations; iteration++) {
    const started = performance.now();
    const out = proposeBatch({
      space,
      observations,
      iteration,
      maxIterations: protocol.iterations,
      acquisition: strategy,
      batchSize: protocol.batchSize,
      seed: hashSeed(method, seed),
      settings,
      warmStart,
    });
    record.proposeMs.push(performance.now() - started);
    warmStart = out.diagnostics.model?.hyperparameters;
    // Recommendation after the previous iteration (the fit above saw exactly those observations).
    record.regret.push(regretOf(problem, usesModel ? out.current_best[0].params : bestObserved()));
    record.bestEvaluatedRegret.push(bestEvaluated());
    for (const proposal of out.next_params) {
      const key = parameterSetKey(space, proposal.params);
      if (seen.has(key)) record.duplicates++;
      seen.add(key);
      observations.push({ params: proposal.params, score: objective(proposal.params) });
    }
  }
  if (usesModel) {
    // The app's report after the last batch: fitModel's current best (the lowest posterior mean, or on an
    // objective the noise probe found deterministic the best observed set; src/engine/optimizer/noise.ts).
    const final = fitModel({ space, observations, seed: hashSeed(method, seed, 'final'), settings, warmStart });
    record.regret.push(regretOf(problem, final.current_best[0].params));
  } else {
    record.regret.push(regretOf(problem, bestObserved()));
  }
  record.bestEvaluatedRegret.push(bestEvaluated());
  return record;
}
