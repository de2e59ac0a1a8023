import type { SampleRequest } from '../domain';

/**
 * Where a sample came from: iteration 0's three sets, an optimizer proposal, or a confirmation of the
 * best set (m fresh samples tested against the real set; engine/pipeline/confirmationPlan.ts).
 */
export type DatasetType = 'real' | 'close' | 'far' | 'synthetic' | 'confirmation';

/**
 * A sample's metadata record: the generic fields every domain has, and the domain's own (voids: the
 * base chip, the uncontrolled rotation and blur, the position rule), exported beside them.
 */
export interface SampleMetadata extends SampleRequest {
  /** ISO-8601, UTC. */
  timestamp: string;
  [domainField: string]: unknown;
}

/**
 * `iter0_real_000` (iteration, dataset type, running index): the sample ids the first user's Python
 * scripts read (see docs/decisions.md, 'Formats follow the first user's Python pipeline').
 */
export function formatSampleId(iteration: number, datasetType: DatasetType, index: number): string {
  return `iter${iteration}_${datasetType}_${String(index).padStart(3, '0')}`;
}

/** `ps_000`: the parameter-set ids of the same pipeline. */
export function formatParamSetId(index: number): string {
  return `ps_${String(index).padStart(3, '0')}`;
}
