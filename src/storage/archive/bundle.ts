import type { ChipRecord, ExperimentRecord, IterationRecord, SampleRecord } from '../../engine/experiment/records';

/** Everything one experiment stores: what storage writes and reads, and what an archive carries. */
export interface ExperimentBundle {
  experiment: ExperimentRecord;
  iterations: IterationRecord[];
  samples: SampleRecord[];
  chips: ChipRecord[];
  /** The user's own real images as dropped (user target only; empty otherwise). */
  realImages: ChipRecord[];
  /**
   * The real table as dropped (input role 'table': a table calibration's one input). Absent means none:
   * what the image domains and the command line's study folders build has no tables.
   */
  tables?: ChipRecord[];
}

/** A sample with its image (image domains) as bytes, not a Blob: the form the archive code works on. */
export type ArchiveSample = Omit<SampleRecord, 'png'> & { image?: Uint8Array };

/** An experiment as read back from an archive, images as bytes. */
export interface ArchiveContents {
  experiment: ExperimentRecord;
  iterations: IterationRecord[];
  samples: ArchiveSample[];
  chips: ChipRecord[];
  realImages: ChipRecord[];
  /** Empty for an archive without data/tables (every archive from before tables). */
  tables: ChipRecord[];
}

/** One file of an archive. */
export interface ArchiveFile {
  path: string;
  bytes: Uint8Array;
}

/** A projected sample, kept for the report's latent map while the archive streams. */
export interface MapPoint {
  sample_id: string;
  iteration: number;
  dataset_type: string;
  param_set_id: string;
  x: number;
  y: number;
}
