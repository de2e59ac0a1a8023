import { expectedFeasibleImprovement, probabilityOfFeasibility, type ConstrainedAcquisition } from './constrained';

/**
 * The constrained acquisitions proposeConstrained can use, by name: the registry pattern of
 * registry.ts for acquisitions over several posteriors. A name is registered once; the returned
 * function removes it again.
 */
export const CONSTRAINED_ACQUISITIONS = ['ei_feasible', 'feasibility'] as const;
export type BuiltInConstrainedAcquisition = (typeof CONSTRAINED_ACQUISITIONS)[number];

const BUILT_IN: Record<BuiltInConstrainedAcquisition, ConstrainedAcquisition> = {
  ei_feasible: expectedFeasibleImprovement,
  feasibility: probabilityOfFeasibility,
};

const registry = new Map<string, ConstrainedAcquisition>();

export function registerConstrainedAcquisition(acquisition: ConstrainedAcquisition): () => void {
  if (!acquisition.name) throw new Error('a constrained acquisition needs a name');
  if (registry.has(acquisition.name)) throw new Error(`constrained acquisition "${acquisition.name}" is already registered`);
  registry.set(acquisition.name, acquisition);
  return () => {
    if (registry.get(acquisition.name) === acquisition) registry.delete(acquisition.name);
  };
}

for (const name of CONSTRAINED_ACQUISITIONS) {
  if (BUILT_IN[name].name !== name) throw new Error(`built-in constrained acquisition "${name}" is named "${BUILT_IN[name].name}"`);
  registerConstrainedAcquisition(BUILT_IN[name]);
}

/** The registered constrained acquisition `name`; throws for an unknown name. */
export function getConstrainedAcquisition(name: string): ConstrainedAcquisition {
  const acquisition = registry.get(name);
  if (!acquisition) throw new Error(`unknown constrained acquisition "${String(name)}"`);
  return acquisition;
}

/** Names of every registered constrained acquisition, built-ins first. */
export function constrainedAcquisitionNames(): string[] {
  return [...registry.keys()];
}
