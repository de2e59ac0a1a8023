import type { ImageFormat } from '../../embedders/images/header';
import type { PreprocessSpec } from '../../embedders/preprocess';
import type { PreparedInput } from '../../embedders/rgbaImage';
import type { DomainJob } from '../../engine/domain';
import type { ExperimentConfig } from '../../engine/config/experimentConfig';
import type { ProgressCallback } from '../bridge/protocol';

/** RGBA pixels, 8 bits per channel: what the generator paints on and what the embedder reads. */
export interface RgbaImage {
  width: number;
  height: number;
  pixels: Uint8ClampedArray<ArrayBuffer>;
  /** The embedding model's input, when the generator was asked to prepare it (GenerateOptions.prepareFor). */
  prepared?: PreparedInput;
}

export interface DecodedImageInfo {
  name: string;
  format: ImageFormat;
  width: number;
  height: number;
  /** Bits per sample in the file (8 or 16); decoding always yields 8-bit RGBA. */
  bitDepth: number;
  /** SHA-256 of the file's bytes, hex: duplicate detection. */
  sha256: string;
  /** A small PNG preview for the UI (longest side 160 px). */
  thumbnail: Blob;
}

export type DecodeOutcome = ({ ok: true } & DecodedImageInfo) | { ok: false; name: string; reason: string };

/** A generated sample as it leaves the worker: an image domain's with its pixels (and PNG when asked). */
export interface HostedSample {
  image?: RgbaImage;
  vector?: Float32Array;
  metadata: Record<string, unknown>;
  detail?: unknown;
  png?: Blob;
}

export interface GenerateOptions {
  /** The experiment's configuration (what the domain's generator reads); its default when absent. */
  config?: ExperimentConfig;
  encodePng: boolean;
  /** The bridge's job id: what its cancelJob stops. */
  jobId?: number;
  /** Wall-clock time written into each metadata record (ISO-8601); defaults to now. */
  timestamp?: string;
  /** Also make each image's model input for this preprocessing (the loaded embedding model's). */
  prepareFor?: PreprocessSpec;
}

/** The generator worker's interface (one worker of the pool). */
export interface GeneratorWorkerApi {
  /** Validates and decodes files; bad files get a reason, good ones a thumbnail. Registers nothing. */
  inspectImages(files: Array<{ name: string; bytes: ArrayBuffer }>): Promise<DecodeOutcome[]>;
  /** Decodes a base chip and keeps its pixels under `id` for generation. */
  registerChip(id: string, bytes: ArrayBuffer): Promise<{ width: number; height: number }>;
  unregisterChip(id: string): void;
  /** Makes one sample per job with the domain's generator; results in job order. */
  generate(domainId: string, jobs: DomainJob[], options: GenerateOptions, onProgress?: ProgressCallback): Promise<HostedSample[]>;
  /** Decodes any supported image to RGBA (real images for embedding). */
  decodeToRgba(name: string, bytes: ArrayBuffer): Promise<RgbaImage>;
  /** RGBA pixels → PNG (the user's real images are stored and exported as PNG). */
  encodePng(image: RgbaImage): Promise<Blob>;
}
