import type { Domain } from '../engine/domain';
import { domainIdOf, type ExperimentRecord } from '../engine/experiment/records';

/** The domains a service knows, by id (the app's are in src/domains/registry.ts; tests bring their own). */
export type DomainRegistry = ReadonlyMap<string, Domain>;

export function domainRegistry(domains: readonly Domain[]): DomainRegistry {
  return new Map(domains.map((d) => [d.id, d]));
}

/** The domain of an experiment, or an error naming it when this build does not have it. */
export function domainOf(registry: DomainRegistry, experiment: Pick<ExperimentRecord, 'id' | 'domain'>): Domain {
  const id = domainIdOf(experiment);
  const domain = registry.get(id);
  if (!domain) throw new Error(`experiment ${experiment.id} belongs to the domain "${id}", which this build does not have (known: ${[...registry.keys()].join(', ')})`);
  return domain;
}
