import type { ChipRecord, ExperimentRecord, IterationRecord, SampleRecord } from '../engine/experiment/records';
import type { Matrix } from '../engine/linalg/matrix';
import type { IterationScores, ParameterSetScore, ScoringConfig } from '../engine/metrics';
import type { ProposeBatchInput, ProposeBatchOutput } from '../engine/optimizer';
import type { ProjectionModel, UmapSettings } from '../engine/projection';
import type { Progress } from '../runtime/lib/jobs';
import type { Domain, DomainJob, GeneratedSample, ImagePixels } from '../engine/domain';
import type { Confirmation, ConfirmInput } from '../engine/trust/confirmation';
import type { DistributionRecipe, RecipeInput } from '../engine/trust/recipe';

/**
 * What the pipeline needs from the layers below it. The app wires these to the workers and IndexedDB
 * (see runtime.ts); tests and the loop benchmark wire the same real implementations, timed.
 */
export interface CallOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

export interface PipelineStore {
  getIterations(experimentId: string): Promise<IterationRecord[]>;
  getSamples(experimentId: string, iteration?: number): Promise<SampleRecord[]>;
  getSampleIds(experimentId: string, iteration: number): Promise<string[]>;
  /** Atomic per call; putting a sample twice replaces it. */
  putSamples(samples: SampleRecord[]): Promise<void>;
  /** One transaction: the experiment, the iteration and any samples land together or not at all. */
  commitStage(input: { experiment: ExperimentRecord; iteration: IterationRecord; samples?: SampleRecord[] }): Promise<void>;
  /** The user's real images of an experiment with a user target (bytes as dropped). */
  getRealImages(experimentId: string): Promise<ChipRecord[]>;
}

export interface EmbeddingPairOut {
  embedding: Float32Array;
  raw: Float32Array;
}

/** How the fixed map is fitted (plain data: it crosses to the analyze worker, which owns umap-js). */
export type MapFitOptions = { kind: 'pca'; components?: number } | ({ kind: 'umap' } & Partial<UmapSettings>);

export interface AnalysisService {
  /** Fits the fixed map and the fixed scoring choices (bandwidth, PCA-k, …) on iteration-0 embeddings. */
  fitIterationZero(
    embeddings: Matrix,
    realCount: number,
    options: { projection: MapFitOptions; seed: number },
    call?: CallOptions,
  ): Promise<{ projection: ProjectionModel; scoring: ScoringConfig }>;
  project(model: ProjectionModel, embeddings: Matrix, call?: CallOptions): Promise<Matrix>;
  scoreParameterSets(real: Matrix, sets: Matrix[], scoring: ScoringConfig, call?: CallOptions): Promise<ParameterSetScore[]>;
  scoreIteration(real: Matrix, synthetic: Matrix, scoring: ScoringConfig, call?: CallOptions): Promise<IterationScores>;
  /**
   * The confirmation test (engine/trust/confirmation.ts; about half a second at 32 vs 16 samples, most
   * of it the detectable-shift simulation). Absent: the pipeline runs it on the calling thread.
   */
  confirm?(input: ConfirmInput, call?: CallOptions): Promise<Confirmation>;
  /**
   * The distribution recipe over scored sets (engine/trust/recipe.ts: kernel means over every pooled
   * pair, then the simplex QP). Absent: the service runs it on the calling thread.
   */
  recipe?(input: RecipeInput, call?: CallOptions): Promise<DistributionRecipe>;
}

/** What `embed` returns: the vectors in order, and how long the model itself ran when the embedder times it. */
export interface EmbeddedImages {
  items: EmbeddingPairOut[];
  /** Milliseconds inside the inference session's runs (absent: the embedder does not time them). */
  inferenceMs?: number;
}

/** A generated sample as the pipeline stores it: an image domain's sample comes with its PNG. */
export type GeneratedOut = GeneratedSample & { png?: Blob };

export interface PipelineServices {
  store: PipelineStore;
  /** Makes the domain's samples for these jobs, in order (a worker pool in the page, in-process in Node). */
  generate(experiment: ExperimentRecord, domain: Domain, jobs: readonly DomainJob[], call?: CallOptions): Promise<GeneratedOut[]>;
  decodeImage(name: string, bytes: ArrayBuffer): Promise<ImagePixels>;
  encodePng(image: ImagePixels): Promise<Blob>;
  /** Embeds images in order. Takes the pixels: they may be transferred to a worker, so do not read them afterwards. */
  embed(images: readonly ImagePixels[], call?: CallOptions): Promise<EmbeddedImages>;
  analysis: AnalysisService;
  propose(input: ProposeBatchInput, call?: CallOptions): Promise<ProposeBatchOutput>;
  /** ISO-8601 clock (metadata timestamps, iteration times). */
  now(): string;
}
