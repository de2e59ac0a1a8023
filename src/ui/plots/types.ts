import type { DatasetType } from '../../engine/experiment/sample';
import type { ParameterSet } from '../../engine/space/space';

/** A low–high band with its centre (a noise floor). */
export interface Band {
  low: number;
  high: number;
  mean: number;
}

/** One sample as the plots and the gallery show it. */
export interface SampleView {
  sample_id: string;
  iteration: number;
  dataset_type: DatasetType;
  param_set_id: string;
  /** Empty for the user's own real images. */
  params: ParameterSet;
  base_image_id?: string;
  replication_seed?: number;
  /** The parameter set's score (unbiased MMD² vs the real set); absent for real samples. */
  score?: number | null;
  /** Whether that score is inside its noise floor band. */
  withinFloor?: boolean | null;
  /** Euclidean distance to the nearest real sample (embedding units). */
  nearestRealDistance?: number | null;
  /** The image: a Blob (the component makes and revokes an object URL) or a URL the caller owns. */
  thumbnail?: Blob | string;
  width?: number;
  height?: number;
}

/** A sample placed in the fixed 2-D map. */
export interface LatentPoint extends SampleView {
  x: number;
  y: number;
}

export interface AxisRanges {
  x: [number, number];
  y: [number, number];
}
