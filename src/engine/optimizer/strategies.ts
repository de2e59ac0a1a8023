/**
 * The built-in proposal strategies (an experiment's `acquisition_function`): the one spelling of the
 * list. The configuration schema, the optimizer's types, its registry (acquisition/registry.ts, which
 * must hold an implementation for every name here) and the benchmark import it from this module, which
 * imports nothing, so that the configuration and the UI can read it without loading the optimizer.
 */
export const PROPOSAL_STRATEGIES = ['ucb', 'ei', 'pi', 'random', 'sobol'] as const;

export type BuiltInStrategy = (typeof PROPOSAL_STRATEGIES)[number];

/**
 * The name of a registered acquisition: a built-in one, or any name given to registerAcquisition
 * (`string & {}` keeps the built-in names as completions and a `Record<ProposalStrategy, …>` required
 * to cover every built-in).
 */
export type ProposalStrategy = BuiltInStrategy | (string & {});

/** What a model-based strategy falls back to while there are too few observations for a model. */
export const MODEL_FREE_FALLBACK = 'sobol' satisfies BuiltInStrategy;
