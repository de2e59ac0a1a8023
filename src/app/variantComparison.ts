import type { ImagePixels } from '../engine/domain';
import type { ExperimentRecord, IterationRecord, ModelVariantDescription, SampleRecord, VariantComparisonRecord } from '../engine/experiment/records';
import type { Matrix } from '../engine/linalg/matrix';
import { medianHeuristicBandwidth } from '../engine/metrics';
import { hashSeed } from '../engine/random/rng';
import { floorAtSizes } from '../engine/trust/floorAtSizes';
import { variantDrift } from '../engine/trust/variantDrift';
import { domainOf, type DomainRegistry } from './domains';
import { embeddingMatrix } from './matrices';
import type { CallOptions, EmbeddingPairOut, PipelineServices } from './pipelineServices';

/**
 * "Compare model variants": embeds an experiment's real set (and iteration 0's samples when it exists)
 * with two variants of its model, measures the drift between them against the experiment's noise floor
 * (engine/trust/variantDrift.ts) and stores the result with the experiment.
 *
 * Yardstick. With iteration 0: the experiment's fixed bandwidth σ and iteration 0's noise floor — the
 * upper edge (95th percentile) of real-vs-real MMD² over splits of the real set, the band every curve of
 * the experiment shows. Before iteration 0 (a user's real images only): both as iteration 0 would make
 * them, from the reference variant's real embeddings (σ by the median heuristic, the floor as the 95th
 * percentile over splits into halves), said to be provisional.
 *
 * The comparison holds the experiment's run lock: a run started meanwhile would write its own copy of
 * the experiment record over the stored comparison.
 */
export interface VariantEmbedder {
  /** Loads the variant when needed and embeds the images in order (it may take their pixels). */
  embed(images: ImagePixels[], call: CallOptions): Promise<{ items: EmbeddingPairOut[]; description: ModelVariantDescription }>;
}

export interface ModelVariants {
  reference: VariantEmbedder;
  candidate: VariantEmbedder;
}

export interface VariantComparisonProgress {
  stage: 'images' | 'reference' | 'candidate' | 'drift';
  done: number;
  total: number;
}

export interface CompareVariantsOptions {
  signal?: AbortSignal;
  onProgress?(progress: VariantComparisonProgress): void;
  /** Share of the floor under which the candidate is safe (default 10 %). */
  share?: number;
}

export interface VariantComparisonDeps {
  store: Pick<PipelineServices['store'], 'getIterations' | 'getSamples' | 'getRealImages'> & {
    getExperiment(id: string): Promise<ExperimentRecord | undefined>;
    putExperiment(record: ExperimentRecord): Promise<void>;
  };
  pipeline: Pick<PipelineServices, 'decodeImage'>;
  domains: DomainRegistry;
  locks: { acquire(experimentId: string, waitMs: number): Promise<(() => void) | null> };
  now(): string;
}

export class VariantComparisonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VariantComparisonError';
  }
}

const bySampleId = (a: SampleRecord, b: SampleRecord) => (a.sample_id < b.sample_id ? -1 : a.sample_id > b.sample_id ? 1 : 0);

interface ComparedImages {
  real: ImagePixels[];
  iteration0: ImagePixels[];
}

async function experimentImages(deps: VariantComparisonDeps, experiment: ExperimentRecord, report: (done: number, total: number) => void): Promise<ComparedImages> {
  const { store, pipeline } = deps;
  const stored = (await store.getSamples(experiment.id, 0)).filter((s) => s.png).sort(bySampleId);
  const decodeSample = (s: SampleRecord) => s.png!.arrayBuffer().then((bytes) => pipeline.decodeImage(s.sample_id, bytes));
  const realSamples = stored.filter((s) => s.metadata.dataset_type === 'real');
  if (realSamples.length > 0) {
    const synthetic = stored.filter((s) => s.metadata.dataset_type !== 'real');
    const all = [...realSamples, ...synthetic];
    const decoded: ImagePixels[] = [];
    for (const s of all) {
      decoded.push(await decodeSample(s));
      report(decoded.length, all.length);
    }
    return { real: decoded.slice(0, realSamples.length), iteration0: decoded.slice(realSamples.length) };
  }
  const inputs = experiment.target.kind === 'user' ? await store.getRealImages(experiment.id) : [];
  if (inputs.length === 0) throw new VariantComparisonError('There are no images to compare yet: a simulated target makes its real set in iteration 0, so run iteration 0 first.');
  const real: ImagePixels[] = [];
  for (const input of inputs) {
    real.push(await pipeline.decodeImage(input.id, input.bytes));
    report(real.length, inputs.length);
  }
  return { real, iteration0: [] };
}

/** σ and the floor the drift is judged against, and a sentence saying where they come from. */
function yardstick(experiment: ExperimentRecord, iterationZero: IterationRecord | undefined, realReference: Matrix) {
  const result = iterationZero?.scores?.metrics.mmd2_unbiased;
  if (experiment.scoring && result?.floor.available) {
    const f = result.floor;
    return {
      bandwidth: experiment.scoring.bandwidth,
      floor: f.high,
      floorSource: `iteration 0's noise floor: the ${Math.round(f.quantiles[1] * 100)}th percentile of real-vs-real MMD² over ${f.splits} splits of the real set (${f.referenceSize} vs ${f.heldOutSize}); σ fixed at iteration 0`,
    };
  }
  const seed = hashSeed(experiment.config.random_seed, 'variant-comparison');
  const bandwidth = medianHeuristicBandwidth(realReference, { seed });
  const floor = floorAtSizes(realReference, Math.floor(realReference.rows / 2), bandwidth, { seed, sizeAdjustment: 'none' });
  return {
    bandwidth,
    floor: floor.splitQuantile,
    floorSource: `provisional, before iteration 0: the 95th percentile of real-vs-real MMD² over ${floor.splits} splits of the real set (${floor.splitSizes.reference} vs ${floor.splitSizes.heldOut}); σ by the median heuristic on the reference variant's real embeddings`,
  };
}

const copyOf = (images: readonly ImagePixels[]): ImagePixels[] => images.map((im) => ({ width: im.width, height: im.height, pixels: im.pixels.slice() }));

export async function compareModelVariants(deps: VariantComparisonDeps, experimentId: string, variants: ModelVariants, options: CompareVariantsOptions = {}): Promise<VariantComparisonRecord> {
  const experiment = await deps.store.getExperiment(experimentId);
  if (!experiment) throw new Error(`experiment ${experimentId} is not stored`);
  if (domainOf(deps.domains, experiment).observation !== 'image') {
    throw new VariantComparisonError(`“${experiment.name}” scores the vectors its generator gives, not images: it has no embedding model to compare.`);
  }
  const release = await deps.locks.acquire(experimentId, 0);
  if (!release) throw new VariantComparisonError(`“${experiment.name}” is running (here or in another tab): stop it, then compare model variants.`);
  try {
    const progress = (stage: VariantComparisonProgress['stage']) => (done: number, total: number) => options.onProgress?.({ stage, done, total });
    const images = await experimentImages(deps, experiment, progress('images'));
    const all = [...images.real, ...images.iteration0];
    const n = all.length;
    const embedWith = async (variant: VariantEmbedder, stage: 'reference' | 'candidate', pixels: ImagePixels[]) => {
      const report = progress(stage);
      report(0, n);
      const out = await variant.embed(pixels, { signal: options.signal, onProgress: (p) => report(p.done, n) });
      if (out.items.length !== n) throw new Error(`${out.description.label} gave ${out.items.length} embeddings for ${n} images`);
      return { matrix: embeddingMatrix(out.items.map((i) => i.embedding)), description: out.description };
    };
    const reference = await embedWith(variants.reference, 'reference', copyOf(all));
    const candidate = await embedWith(variants.candidate, 'candidate', all);
    if (reference.matrix.cols !== candidate.matrix.cols) {
      throw new VariantComparisonError(`${reference.description.label} gives ${reference.matrix.cols}-d embeddings and ${candidate.description.label} ${candidate.matrix.cols}-d: they are not variants of one model.`);
    }
    progress('drift')(0, 1);
    const iterationZero = (await deps.store.getIterations(experimentId)).find((it) => it.iteration === 0);
    const realReference: Matrix<Float32Array> = { rows: images.real.length, cols: reference.matrix.cols, data: reference.matrix.data.slice(0, images.real.length * reference.matrix.cols) };
    const { bandwidth, floor, floorSource } = yardstick(experiment, iterationZero, realReference);
    if (!(floor > 0)) throw new VariantComparisonError(`The noise floor of “${experiment.name}” is ${floor}: a drift cannot be measured against a floor that is not positive.`);
    const drift = variantDrift({ reference: reference.matrix, candidate: candidate.matrix, bandwidth, floor, share: options.share });
    progress('drift')(1, 1);
    const record: VariantComparisonRecord = {
      comparedAt: deps.now(),
      reference: reference.description,
      candidate: candidate.description,
      images: { real: images.real.length, iteration0: images.iteration0.length },
      cosines: Array.from(drift.cosines),
      cosine: drift.cosine,
      mmd2: drift.mmd2,
      bandwidth,
      floor,
      floorSource,
      share: drift.share,
      ratio: drift.ratio,
      verdict: drift.verdict,
      statement: drift.statement,
    };
    // The latest stored record, not the one read before embedding: nothing else it holds is overwritten.
    const latest = (await deps.store.getExperiment(experimentId)) ?? experiment;
    await deps.store.putExperiment({ ...latest, variantComparison: record });
    return record;
  } finally {
    release();
  }
}
