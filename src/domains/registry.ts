import type { Domain } from '../engine/domain';
import { voidsDomain } from './voids/domain';

/** Every domain of the app. Adding a domain is its folder under src/domains/ and one line here. */
export const DOMAINS: readonly Domain[] = [voidsDomain];
