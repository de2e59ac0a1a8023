import type { DatasetType, SampleMetadata } from '../../engine/experiment/sample';
import type { ParameterSet } from '../../engine/space/space';
import type { PositionRule, VoidLayout } from './geometry';

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

/** Seed 001's metadata record for a generated image (plus the position rule, recorded per DESIGN §2). */
export function sampleMetadataFor(job: GenerationJob, layout: VoidLayout, timestamp: string): VoidSampleMetadata & { position_rule: PositionRule } {
  return {
    sample_id: job.sample_id,
    iteration: job.iteration,
    dataset_type: job.dataset_type,
    param_set_id: job.param_set_id,
    replication_seed: job.replication_seed,
    base_image_id: job.base_image_id,
    params: { ...job.params },
    uncontrolled_params: { rotation: layout.rotation, edge_blur: layout.edgeBlur },
    timestamp,
    position_rule: job.position_rule,
  };
}
