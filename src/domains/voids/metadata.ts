import type { DatasetType, SampleMetadata } from '../experiment/sample';
import type { ParameterSet } from '../../engine/space/space';
import type { PositionRule, VoidLayout } from './geometry';

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
export function sampleMetadataFor(job: GenerationJob, layout: VoidLayout, timestamp: string): SampleMetadata & { position_rule: PositionRule } {
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
