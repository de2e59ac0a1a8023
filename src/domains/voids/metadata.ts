import type { DatasetType, SampleMetadata } from '../../engine/experiment/sample';
import type { ParameterSet } from '../../engine/space/space';
import type { PositionRule } from './geometry';

/** Per-image randomness the user cannot control: rotation U(0, 360°), edge blur 2 px. */
export interface UncontrolledParams {
  rotation: number;
  edge_blur: number;
}

/** The metadata record of a void image: the generic fields and the void domain's. */
export type VoidSampleMetadata = SampleMetadata & { base_image_id: string; uncontrolled_params: UncontrolledParams; position_rule?: PositionRule };

/** One image to generate: everything that determines its pixels, plus the labels of its metadata record. */
export interface GenerationJob {
  sample_id: string;
  iteration: number;
  dataset_type: DatasetType;
  param_set_id: string;
  replication_seed: number;
  base_image_id: string;
  params: ParameterSet;
  position_rule: PositionRule;
}
