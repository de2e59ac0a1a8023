import type { ChipRecord, ExperimentRecord, IterationRecord, SampleRecord } from '../../core/experiment/records';
import type { Matrix } from '../../engine/linalg/matrix';
import type { IterationScores, ParameterSetScore, ScoringConfig } from '../../engine/metrics';
import type { ProposeBatchInput, ProposeBatchOutput } from '../../engine/optimizer';
import type { FitProjectionOptions, ProjectionModel } from '../../engine/projection';
import type { Progress } from '../../runtime/lib/jobs';
import type { GeneratedImage, GenerationJob, RgbaImage } from '../../runtime/generatorPool';

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

export interface AnalysisService {
  /** Fits the fixed map and the fixed scoring choices (bandwidth, PCA-k, …) on iteration-0 embeddings. */
  fitIterationZero(
    embeddings: Matrix,
    realCount: number,
    options: { projection: FitProjectionOptions; seed: number },
    call?: CallOptions,
  ): Promise<{ projection: ProjectionModel; scoring: ScoringConfig }>;
  project(model: ProjectionModel, embeddings: Matrix, call?: CallOptions): Promise<Matrix>;
  scoreParameterSets(real: Matrix, sets: Matrix[], scoring: ScoringConfig, call?: CallOptions): Promise<ParameterSetScore[]>;
  scoreIteration(real: Matrix, synthetic: Matrix, scoring: ScoringConfig, call?: CallOptions): Promise<IterationScores>;
}

export interface PipelineServices {
  store: PipelineStore;
  generate(jobs: readonly GenerationJob[], call: CallOptions & { encodePng: boolean }): Promise<GeneratedImage[]>;
  decodeImage(name: string, bytes: ArrayBuffer): Promise<RgbaImage>;
  encodePng(image: RgbaImage): Promise<Blob>;
  /** Embeds images in order. Takes the pixels: they may be transferred to a worker, so do not read them afterwards. */
  embed(images: readonly RgbaImage[], call?: CallOptions): Promise<EmbeddingPairOut[]>;
  analysis: AnalysisService;
  propose(input: ProposeBatchInput, call?: CallOptions): Promise<ProposeBatchOutput>;
  /** ISO-8601 clock (metadata timestamps, iteration times). */
  now(): string;
}
