import { initialDesign, proposeConstrained, type ConstrainedProposal } from '../../../engine/optimizer';
import { createRng, hashSeed } from '../../../engine/random/rng';
import { sampleUniform } from '../../../engine/space/sampling';
import { parameterSetKey, type ParameterSet, type ParameterSpace } from '../../../engine/space/space';
import type { GatePreset } from '../gates';
import type { Evaluation, EvaluationOrigin, PredictedOutcome } from './evaluation';
import type { FailureGroup } from './failureTypes';
import { handRule } from './handRules';
import { modelledGates, toObservations } from './observations';
import { inactiveParameters, searchedGenerators, type SettingsContext } from './settingsSpace';

/** The three ways to choose the next settings, with the same budget and seed. */
export const STRATEGY_NAMES = ['bo', 'rules', 'random'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

export interface Proposal {
  params: ParameterSet;
  origin: EvaluationOrigin;
  note: string | null;
  predicted?: PredictedOutcome | null;
}

export interface StrategyContext {
  space: ParameterSpace;
  context: SettingsContext;
  defaults: ParameterSet;
  preset: GatePreset;
  budget: number;
  seed: number;
  /** The failure groups of an evaluation (failureTypes.failureGroups with the floor). */
  failuresOf(evaluation: Evaluation): FailureGroup[];
}

export interface SearchStrategy {
  readonly name: StrategyName;
  /** The next settings to evaluate, or null to stop before the budget is spent. */
  next(history: readonly Evaluation[]): Proposal | null;
}

/** Initial evaluations of `bo` (the defaults included): a quarter of the budget, 2 to 8. */
export function initialCount(budget: number): number {
  return Math.min(8, Math.max(2, Math.round(budget / 4)));
}

/**
 * `bo`: the users' defaults first, then a Sobol design of the space up to initialCount(budget), then
 * one constrained-BO proposal per evaluation — the engine's GPs of −utility and of every applicable
 * gate's constraint value, and the expected improvement weighted by the probability that every gate
 * passes (ei_feasible), maximised for each generator in turn over the settings it reads. It spends the whole budget: after the first all-green table the search goes on
 * for a higher utility among all-green ones.
 */
function boStrategy(s: StrategyContext): SearchStrategy {
  const design = initialDesign(s.space, Math.max(1, initialCount(s.budget) - 1), hashSeed('tabular-bo-design', s.seed));
  return {
    name: 'bo',
    next(history) {
      if (history.length === 0) return { params: s.defaults, origin: 'default', note: null };
      if (history.length < initialCount(s.budget)) return { params: design[history.length - 1], origin: 'initial', note: null };
      const gates = modelledGates(s.preset, history);
      const observations = toObservations(history, gates);
      // One search per generator, the other generators' settings held at the defaults every
      // evaluation carries (canonicalSettings); the same models score both, so the higher value wins.
      let proposal: ConstrainedProposal | null = null;
      for (const generator of searchedGenerators(s.context)) {
        const fixed = Object.fromEntries([['generator', generator], ...inactiveParameters(s.space, generator).map((name) => [name, s.defaults[name]])]);
        const out = proposeConstrained({
          space: s.space,
          observations,
          constraintNames: gates.map((g) => g.metric),
          batchSize: 1,
          iteration: history.length,
          seed: hashSeed('tabular-bo', s.seed),
          fixed,
        });
        const candidate = out.next_params[0];
        if (candidate && (proposal === null || (candidate.acquisitionValue ?? -Infinity) > (proposal.acquisitionValue ?? -Infinity))) proposal = candidate;
      }
      if (!proposal) return null;
      const predicted = proposal.predicted ? { utility: -proposal.predicted.objective.mean, p_all_green: proposal.predicted.feasibility } : null;
      return { params: proposal.params, origin: 'model', note: null, predicted };
    },
  };
}

/**
 * `rules`: the users' retry loop — the defaults first; after a failed evaluation, the hand rule of its
 * first failure type (FAILURE_TYPES order) applied to that evaluation's settings; a rule whose result
 * was evaluated already, or that cannot change anything, gives way to the next type's. It stops at the
 * first all-green table (their loop retried only on failure) or when no rule is left.
 */
function rulesStrategy(s: StrategyContext): SearchStrategy {
  return {
    name: 'rules',
    next(history) {
      if (history.length === 0) return { params: s.defaults, origin: 'default', note: null };
      const last = history[history.length - 1];
      if (last.gates.all_green) return null;
      const tried = new Set(history.map((e) => parameterSetKey(s.space, e.params)));
      for (const group of s.failuresOf(last)) {
        const rule = handRule(group, last.params, s.context);
        if (rule && !tried.has(parameterSetKey(s.space, rule.params))) return { params: rule.params, origin: 'rule', note: rule.note };
      }
      return null;
    },
  };
}

/** `random`: every evaluation drawn uniformly over the space (the floor any search must beat). */
function randomStrategy(s: StrategyContext): SearchStrategy {
  return {
    name: 'random',
    next(history) {
      return { params: sampleUniform(s.space, createRng(hashSeed('tabular-random', s.seed, history.length))), origin: 'random', note: null };
    },
  };
}

export function createStrategy(name: StrategyName, context: StrategyContext): SearchStrategy {
  if (name === 'bo') return boStrategy(context);
  if (name === 'rules') return rulesStrategy(context);
  return randomStrategy(context);
}
