import { randomSearch, sobolSequence } from '../baselines';
import { PROPOSAL_STRATEGIES, type BuiltInStrategy } from '../strategies';
import type { Acquisition, ModelAcquisition } from './acquisition';
import { expectedImprovement, probabilityOfImprovement, upperConfidenceBound } from './analytic';

/**
 * The acquisitions proposeBatch can use, by name. The built-ins are typed against the strategy list
 * (strategies.ts), so a name without an implementation, or an implementation without a name there, does
 * not compile; anything else (an experimental acquisition, a test's) is one `registerAcquisition` call.
 */
const BUILT_IN: Record<BuiltInStrategy, Acquisition> = {
  ucb: upperConfidenceBound,
  ei: expectedImprovement,
  pi: probabilityOfImprovement,
  random: randomSearch,
  sobol: sobolSequence,
};

const registry = new Map<string, Acquisition>();

/**
 * Makes `acquisition` available to proposeBatch under its name. A name is registered once (a second
 * registration throws rather than silently changing what an experiment's strategy means). Returns a
 * function that removes it again.
 */
export function registerAcquisition(acquisition: Acquisition): () => void {
  if (!acquisition.name) throw new Error('an acquisition needs a name');
  if (registry.has(acquisition.name)) throw new Error(`acquisition "${acquisition.name}" is already registered`);
  registry.set(acquisition.name, acquisition);
  return () => {
    if (registry.get(acquisition.name) === acquisition) registry.delete(acquisition.name);
  };
}

for (const name of PROPOSAL_STRATEGIES) {
  if (BUILT_IN[name].name !== name) throw new Error(`built-in acquisition "${name}" is named "${BUILT_IN[name].name}"`);
  registerAcquisition(BUILT_IN[name]);
}

export function isRegisteredAcquisition(name: string): boolean {
  return registry.has(name);
}

/** The registered acquisition `name`; throws for an unknown name. */
export function getAcquisition(name: string): Acquisition {
  const acquisition = registry.get(name);
  if (!acquisition) throw new Error(`unknown acquisition "${String(name)}"`);
  return acquisition;
}

/** The registered model-based acquisition `name`; throws for an unknown or model-free one. */
export function modelAcquisition(name: string): ModelAcquisition {
  const acquisition = getAcquisition(name);
  if (!acquisition.needsModel) throw new Error(`acquisition "${name}" is model-free: it has no value at a point`);
  return acquisition;
}

/** Names of every registered acquisition, built-ins first in the strategy list's order. */
export function acquisitionNames(): string[] {
  return [...registry.keys()];
}
