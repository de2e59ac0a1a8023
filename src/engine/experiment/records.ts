import type { ExperimentConfig } from '../config/experimentConfig';
import type { IterationScores, ParameterSetScore, ScoringConfig } from '../../engine/metrics';
import type { ConvergenceResult, ProposeBatchOutput } from '../../engine/optimizer';
import type { ProjectionModel } from '../../engine/projection';
import type { ParameterSet } from '../../engine/space/space';
import type { VoidLayout } from '../voids/geometry';
import type { DatasetType, SampleMetadata } from './sample';

/**
 * What an experiment stores (IndexedDB) and exports (ZIP). Plain, structured-clone-able objects: typed
 * arrays and Blobs are stored as they are.
 */

/** Where the "real" set comes from. */
export type ExperimentTarget =
  /** Generated from the config's hidden real distribution; the parameters are never shown to the optimizer. */
  | { kind: 'simulated' }
  /** The user's own real images (stored as samples with dataset_type 'real', no parameters). */
  | { kind: 'user'; imageCount: number };

/** The embedder an experiment was run with; the same one must embed every iteration. */
export interface EmbedderDescription {
  /** Catalog id (e.g. dinov2-small), 'image-statistics', or 'file:<name>' for a dropped .onnx. */
  id: string;
  label: string;
  dimension: number;
  /** Whether vectors were L2-normalised before scoring (DESIGN §3 default: yes). */
  normalized: boolean;
  backend?: string;
}

/** The stages of one iteration, in order. A stage is committed atomically with its outputs. */
export const ITERATION_STAGES = ['planned', 'sampled', 'analysed', 'proposed'] as const;
export type IterationStage = (typeof ITERATION_STAGES)[number];

export type ExperimentStatus = 'ready' | 'running' | 'paused' | 'converged' | 'finished' | 'stopped' | 'failed';

export interface ExperimentRecord {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  config: ExperimentConfig;
  target: ExperimentTarget;
  embedder: EmbedderDescription;
  /** Base chip ids (file names) the run draws from; their bytes are stored in `chips`. */
  chipIds: string[];
  status: ExperimentStatus;
  /** Human-readable reason when paused, stopped or failed (e.g. "storage is full"). */
  statusDetail?: string;
  /** Fitted once at iteration 0 and never refitted. */
  projection?: ProjectionModel;
  /** Kernel bandwidth, PCA-k reduction and the other fixed scoring choices from iteration 0. */
  scoring?: ScoringConfig;
  /** Simulated target only: the hidden real parameter sets (for the parameter-recovery report). */
  hiddenRealParamSets?: Array<{ param_set_id: string; params: ParameterSet }>;
  /** The last committed convergence check. */
  convergence?: ConvergenceResult;
  schemaVersion: number;
}

/** One parameter set of an iteration, with its score once analysed. */
export interface ParamSetRecord {
  param_set_id: string;
  dataset_type: DatasetType;
  params: ParameterSet;
  /** Per-parameter-set score against the real set (what the GP models); absent for 'real' sets. */
  score?: ParameterSetScore;
  /** Acquisition value when the optimizer proposed it. */
  acquisitionValue?: number;
}

export interface StageTimings {
  generate_ms?: number;
  embed_ms?: number;
  score_ms?: number;
  propose_ms?: number;
  store_ms?: number;
}

export interface IterationRecord {
  experimentId: string;
  iteration: number;
  stage: IterationStage;
  paramSets: ParamSetRecord[];
  /** The whole synthetic batch against the real set (iteration 0: close+far), with noise floors. */
  scores?: IterationScores;
  /** The optimizer's output after this iteration: next_params, current_best, diagnostics. */
  proposal?: ProposeBatchOutput;
  convergence?: ConvergenceResult;
  timings: StageTimings;
  startedAt: string;
  finishedAt?: string;
}

export interface SampleRecord {
  experimentId: string;
  sample_id: string;
  iteration: number;
  metadata: SampleMetadata & { position_rule?: string };
  /** Void geometry as painted (absent for the user's real images). */
  geometry?: VoidLayout;
  png: Blob;
  width: number;
  height: number;
  /** The embedding as scored (L2-normalised CLS unless the embedder says otherwise). */
  embedding: Float32Array;
  /** The raw embedding, before normalisation. */
  rawEmbedding: Float32Array;
  /** Position in the fixed 2-D map. */
  projection2d?: [number, number];
  /** Distance to the nearest real sample (Euclidean, embedding units). */
  nearestRealDistance?: number;
}

/** A base chip's bytes, kept with the experiment so a run can resume or be exported without the user. */
export interface ChipRecord {
  experimentId: string;
  id: string;
  bytes: ArrayBuffer;
  width: number;
  height: number;
}

export const EXPERIMENT_SCHEMA_VERSION = 1;
