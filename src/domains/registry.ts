import type { Domain } from '../engine/domain';
import { importedDomain } from './imported/domain';
import { tabularDomain } from './tabular/domain';
import { voidsDomain } from './voids/domain';

/** Every domain of the app. Adding a domain is its folder under src/domains/ and one line here. */
export const DOMAINS: readonly Domain[] = [voidsDomain, importedDomain, tabularDomain];

/** The domain whose experiments the page creates (choosing one comes with the second domain in the page). */
export const PAGE_DOMAIN = 'voids';

/** A domain by id, or undefined when this build has no such domain. */
export function domainById(id: string): Domain | undefined {
  return DOMAINS.find((d) => d.id === id);
}
