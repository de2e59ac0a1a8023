import type { ExperimentConfig } from '../config/experimentConfig';
import type { IterationScores, ParameterSetScore, ScoringConfig } from '../metrics';
import type { ConvergenceResult, ProposeBatchOutput } from '../optimizer';
import type { ProjectionModel } from '../projection';
import type { ParameterSet } from '../space/space';
import type { ConfirmationPlanRecord, ConfirmationRecord } from './confirmationRecord';
import type { RecipeRecord } from './recipeRecord';
import type { DatasetType, SampleMetadata } from './sample';
import type { VariantComparisonRecord } from './variantComparisonRecord';

export type { ConfirmationPlanRecord, ConfirmationRecord, ConfirmationTrigger, RecipeConfirmationSet } from './confirmationRecord';
export type { RecipeRecord, RecipeSetRecord } from './recipeRecord';
export type { ModelVariantDescription, VariantComparisonRecord } from './variantComparisonRecord';

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
  /** Whether vectors were L2-normalised before scoring (the default: yes; see docs/decisions.md, 'Embedding: the L2-normalised CLS token'). */
  normalized: boolean;
  backend?: string;
  /** Which output the vector is read from (CLS, pooler, mean of patch tokens), as the model's load check chose it. */
  readout?: string;
}

/** The stages of one iteration, in order. A stage is committed atomically with its outputs. */
export const ITERATION_STAGES = ['planned', 'sampled', 'analysed', 'proposed'] as const;
export type IterationStage = (typeof ITERATION_STAGES)[number];

export type ExperimentStatus = 'ready' | 'running' | 'paused' | 'converged' | 'finished' | 'stopped' | 'failed';

export interface ExperimentRecord {
  id: string;
  name: string;
  /** The domain that makes its samples (docs/architecture.md); absent in records of the first releases, which are all 'voids'. */
  domain?: string;
  createdAt: string;
  updatedAt: string;
  config: ExperimentConfig;
  target: ExperimentTarget;
  embedder: EmbedderDescription;
  /** Ids of the domain's stored inputs the generator draws from (voids: base chip file names). */
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
  /** The latest confirmation of a best set (its iteration holds it too); a recipe's is on `recipe`. */
  confirmation?: ConfirmationRecord;
  /** The latest distribution recipe computed from the stored samples, with its confirmation once generated. */
  recipe?: RecipeRecord;
  /** The latest "Compare model variants": two variants' drift on its images against its noise floor. */
  variantComparison?: VariantComparisonRecord;
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
  /**
   * Ask/tell: how the set came in (the initial design, a proposal, or an observation the client attached
   * with its own parameters), and whether it still awaits its samples or was abandoned.
   */
  origin?: 'initial' | 'proposed' | 'attached';
  pending?: boolean;
  abandoned?: boolean;
  /**
   * Samples to make of it when its dataset type's count does not apply: a recipe confirmation's sets
   * each have their own share of the m samples.
   */
  samples?: number;
}

export interface StageTimings {
  generate_ms?: number;
  embed_ms?: number;
  /**
   * Of embed_ms, the time the embedding model's inference session ran (summed over its runs); the rest of
   * the iteration it waited. Absent for embedders that do not time their runs.
   */
  inference_ms?: number;
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
  /**
   * A confirmation iteration: instead of a batch it makes m fresh samples of the best set and tests them
   * against the real set. The plan is set when it is planned, the outcome once it is analysed.
   */
  confirming?: ConfirmationPlanRecord;
  confirmation?: ConfirmationRecord;
  timings: StageTimings;
  startedAt: string;
  finishedAt?: string;
  /** The domain's own record of an iteration the engine's pipeline does not make (a table's evaluation), kept as it is. */
  detail?: unknown;
}

export interface SampleRecord {
  experimentId: string;
  sample_id: string;
  iteration: number;
  metadata: SampleMetadata;
  /** The domain's description of what it made (voids: the painted layout); absent for real inputs. */
  geometry?: unknown;
  /** The sample as an image (image domains): stored in the artifacts store, joined on read. */
  png?: Blob;
  width?: number;
  height?: number;
  /** The embedding as scored (L2-normalised CLS unless the embedder says otherwise). */
  embedding: Float32Array;
  /** The raw embedding, before normalisation. */
  rawEmbedding: Float32Array;
  /** Position in the fixed 2-D map. */
  projection2d?: [number, number];
  /** Distance to the nearest real sample (Euclidean, embedding units). */
  nearestRealDistance?: number;
}

export interface ArtifactRef {
  id: string;
  type: string;
}

/** A sample as the samples store holds it: its artifact is stored apart, named by a reference. */
export type StoredSampleRecord = Omit<SampleRecord, 'png'> & { artifact?: ArtifactRef };

/** A sample's artifact (a PNG), in a store of its own. */
export interface ArtifactRecord {
  experimentId: string;
  id: string;
  type: string;
  blob: Blob;
}

/** The domain's input roles (voids: the base chips, and the user's real images for a user target). */
/** Voids: base chips and the user's real images; tabular: the real table as dropped (width = its columns, height = its rows). */
export type InputRole = 'chips' | 'realImages' | 'table';

/** One domain input as the user gave it (bytes as dropped), under its role. */
export type InputRecord = ChipRecord & { role: InputRole };

/** The domain an experiment belongs to: records of the first releases have none and are voids. */
export function domainIdOf(experiment: Pick<ExperimentRecord, 'domain'>): string {
  return experiment.domain ?? 'voids';
}

/** A base chip's bytes, kept with the experiment so a run can resume or be exported without the user. */
export interface ChipRecord {
  experimentId: string;
  id: string;
  bytes: ArrayBuffer;
  width: number;
  height: number;
}

/** Version 2: records name their domain (version 1 records are voids). */
export const EXPERIMENT_SCHEMA_VERSION = 2;
