import type { ConfigSection, ExperimentConfig } from './config/experimentConfig';
import type { DatasetType } from './experiment/sample';
import type { ParameterSet, ParameterSpace } from './space/space';

/**
 * The contract between the engine and a domain (docs/architecture.md). The engine sees an experiment as
 * a parameter space, a real set of vectors and iterations of samples — (parameters, parameter-set id,
 * replicate seed, vector) — and never pixels, chips or rows. A domain says what its samples are and how
 * one is made; where that code runs (a worker pool in the page, in-process in Node) is the runtime's
 * choice, so everything here is pure and synchronous per sample.
 */

/** One sample the engine's plan asks for: everything that determines it, in domain-free terms. */
export interface SampleRequest {
  sample_id: string;
  iteration: number;
  dataset_type: DatasetType;
  param_set_id: string;
  /**
   * The sample's own seed with the parameters: the replicate index 0…r−1, or for a confirmation's samples
   * a hash of the experiment seed, iteration and index (never the seeds of the set's earlier samples).
   */
  replication_seed: number;
  params: ParameterSet;
}

/**
 * A request with the domain's own per-sample choices added (voids: which base chip, which position
 * rule), made by `Domain.job`; a pure function of the request and the experiment, so that a resumed
 * stage rebuilds the same jobs.
 */
export type DomainJob = SampleRequest & { readonly fields: Readonly<Record<string, unknown>> };

/** 8-bit RGBA pixels, row-major: what an image domain paints and an embedder reads. */
export interface ImagePixels {
  width: number;
  height: number;
  pixels: Uint8ClampedArray<ArrayBuffer>;
}

/** What a domain's generator makes of one job. */
export interface GeneratedSample {
  /** observation 'image': the pixels, embedded by the experiment's embedder. */
  image?: ImagePixels;
  /** observation 'vector': the vector as scored. */
  vector?: Float32Array;
  /** Fields the sample's metadata record carries besides the generic ones (exported as they are). */
  metadata: Record<string, unknown>;
  /** The domain's description of what it made (voids: the painted layout), kept with the sample. */
  detail?: unknown;
}

/** The inputs a generator reads, by id (voids: decoded base chips). */
export interface GenerateContext {
  config: ExperimentConfig;
  input(id: string): ImagePixels;
}

/** Something the user provides: base chips, real images, real vectors, a table. */
export interface InputSpec {
  id: string;
  label: string;
  kind: 'images' | 'vectors';
  /** The smallest count that lets an experiment start. */
  min: number;
  /** 'always', or only when the target is the user's own real set. */
  when: 'always' | 'user-target';
}

export type ObservationKind = 'image' | 'vector';

/** How a parameter is named to a person: a label, a unit and a sentence of help. */
export interface ParameterLabel {
  label: string;
  unit?: string;
  help: string;
}

export interface Domain {
  id: string;
  label: string;
  /** image → an embedder makes the vector; vector → the generator's output is scored as it is. */
  observation: ObservationKind;
  inputs: readonly InputSpec[];
  /** The domain's own keys of the experiment config, beside the shared ones (voids: position_rule). */
  configSection?: ConfigSection;
  /** The experiment configuration a new experiment of this domain starts from. */
  defaultConfig(): ExperimentConfig;
  /** The parameter space of a configuration. */
  space(config: ExperimentConfig): ParameterSpace;
  /** Labels of the domain's own parameters (others show their config name). */
  parameterLabels?: Readonly<Record<string, ParameterLabel>>;
  /** Adds the domain's per-sample choices to a request; `inputIds` are the experiment's stored inputs. */
  job(request: SampleRequest, config: ExperimentConfig, inputIds: readonly string[]): DomainJob;
  /** Makes one sample. Absent: the client generates and tells (ask/tell). */
  generate?(job: DomainJob, context: GenerateContext): GeneratedSample;
  /** The domain's metadata fields of a real sample the user provided (by its input id). */
  realInputMetadata?(inputId: string): Record<string, unknown>;
}
