import type { ParameterSet } from '../../engine/space/space';

/** Where a sample came from: iteration 0's three sets, or an optimizer proposal (seed 001). */
export type DatasetType = 'real' | 'close' | 'far' | 'synthetic';

/** Per-image randomness the user cannot control (seed 001: rotation U(0, 360°), edge blur 2 px). */
export interface UncontrolledParams {
  rotation: number;
  edge_blur: number;
}

/** Seed 001's per-sample metadata record, field for field. */
export interface SampleMetadata {
  sample_id: string;
  iteration: number;
  dataset_type: DatasetType;
  param_set_id: string;
  replication_seed: number;
  base_image_id: string;
  params: ParameterSet;
  uncontrolled_params: UncontrolledParams;
  /** ISO-8601, UTC. */
  timestamp: string;
}

/** `iter0_real_000`: the seed's sample id format (iteration, dataset type, running index). */
export function formatSampleId(iteration: number, datasetType: DatasetType, index: number): string {
  return `iter${iteration}_${datasetType}_${String(index).padStart(3, '0')}`;
}

/** `ps_000`: the seed's parameter-set id format. */
export function formatParamSetId(index: number): string {
  return `ps_${String(index).padStart(3, '0')}`;
}
