import type * as Ort from 'onnxruntime-web';
import type { Backend } from '../backendChoice';
import { chooseBatchSize } from '../backendChoice';
import { float16ArrayToFloat32, float32ToFloat16Array } from '../float16';
import {
  ModelContractError,
  checkOutputDims,
  planEmbeddingModel,
  type EmbeddingModelPlan,
  type ModelSignature,
  type TensorSignature,
} from '../modelContract';
import { ModelFileError, inspectOnnxFile, type OnnxFileSummary } from '../onnxFile';
import { clsEmbedding, clsMeanPatchEmbedding, clsToken, meanPatchToken, patchTokenCount, type EmbeddingPair } from '../pooling';
import { DINOV2_PREPROCESS, preprocessBatch, preprocessSpecForInput, type PreprocessSpec } from '../preprocess';
import { chooseReadout, probeImages, type ReadoutKind, type ReadoutProbe } from '../readout';
import type { RgbaPixels } from '../rgbaImage';
import type { GraphOptimizationLevel, Pooling } from '../protocol';

/** onnxruntime's graph optimisation level for every session the app opens (bench:embed compares the levels). */
export const GRAPH_OPTIMIZATION_LEVEL: GraphOptimizationLevel = 'all';

/** The onnxruntime module (onnxruntime-web in the worker; the same API under Node in tests). */
export type OrtModule = Pick<typeof Ort, 'InferenceSession' | 'Tensor' | 'env'>;

export interface OnnxEmbedderOptions {
  /** Names the model in every message. */
  label: string;
  backend: Backend;
  pooling: Pooling;
  patchSize: number;
  batchSize?: number;
  graphOptimization?: GraphOptimizationLevel;
  /** For the WebGPU batch-size rule. */
  maxStorageBufferBindingSize?: number;
}

function signatureOf(session: Ort.InferenceSession): ModelSignature {
  const describe = (names: readonly string[], metadata: readonly Ort.InferenceSession.ValueMetadata[] | undefined): TensorSignature[] =>
    names.map((name, i) => {
      const m = metadata?.[i];
      if (m && m.isTensor) return { name, type: m.type, shape: m.shape };
      return { name, type: m ? 'non-tensor' : 'float32', shape: [] };
    });
  return { inputs: describe(session.inputNames, session.inputMetadata), outputs: describe(session.outputNames, session.outputMetadata) };
}

/**
 * One loaded embedding model: validation, warm-up, the check that the readout depends on the image,
 * batched inference, CLS (or fallback mean-patch) readout. The same code runs in the embed worker
 * (onnxruntime-web, WebGPU or WASM) and in the Node tests (onnxruntime-web, WASM).
 */
export class OnnxEmbedder {
  private constructor(
    private readonly ort: OrtModule,
    private readonly session: Ort.InferenceSession,
    readonly options: OnnxEmbedderOptions,
    readonly file: OnnxFileSummary,
    readonly plan: EmbeddingModelPlan,
    readonly spec: PreprocessSpec,
    /** Tokens per image of the output the readout uses (1 when it reads pooler_output), learned at warm-up. */
    readonly tokens: number,
    /** The model's vector width D. */
    readonly modelDim: number,
    readonly batchSize: number,
    readonly warmupMs: number,
    /** The readout actually used: the requested one unless it did not change with the image. */
    readonly readoutKind: ReadoutKind,
    /** Why readoutKind differs from the requested readout; null when it does not. */
    readonly readoutNote: string | null,
  ) {}

  static async create(ort: OrtModule, bytes: Uint8Array, options: OnnxEmbedderOptions): Promise<OnnxEmbedder> {
    const { label } = options;
    const file = inspectOnnxFile(bytes, label);
    let session: Ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, {
        executionProviders: options.backend === 'webgpu' ? ['webgpu'] : ['wasm'],
        graphOptimizationLevel: options.graphOptimization ?? GRAPH_OPTIMIZATION_LEVEL,
      });
    } catch (error) {
      throw new ModelFileError(`onnxruntime could not load ${label} on ${options.backend === 'webgpu' ? 'WebGPU' : 'WASM'}: ${messageOf(error)}`);
    }
    try {
      const plan = planEmbeddingModel(signatureOf(session), label);
      if (options.pooling === 'cls+meanpatch' && !plan.tokens) {
        throw new ModelContractError(`${label} has only a pooled output (${plan.pooled!.name}); CLS ⊕ mean patch needs the token output last_hidden_state. Choose CLS pooling.`);
      }
      const height = plan.inputHeight ?? DINOV2_PREPROCESS.cropHeight;
      const width = plan.inputWidth ?? DINOV2_PREPROCESS.cropWidth;
      const spec = preprocessSpecForInput(height, width);

      // Warm-up on two different images: the first run compiles kernels (shaders on WebGPU), the outputs
      // give the real shapes and show whether the readout depends on the image at all.
      const started = performance.now();
      const requested = options.pooling === 'cls+meanpatch' ? 'cls+meanpatch' : plan.pooled ? 'pooler' : 'cls';
      const probe = await probeModel(ort, session, plan, spec, label, requested === 'pooler', options.patchSize);
      const warmupMs = performance.now() - started;
      const choice = chooseReadout(requested, probe.vectors, label);
      const tokens = choice.kind === 'pooler' ? 1 : probe.tokenDims![1];
      const modelDim = choice.kind === 'pooler' ? probe.pooledDims![1] : probe.tokenDims![2];
      if (plan.embeddingDim !== null && plan.embeddingDim !== modelDim) {
        throw new ModelContractError(`${label} declares an embedding width of ${plan.embeddingDim} but produced ${modelDim}.`);
      }
      const batchSize = chooseBatchSize({
        backend: options.backend,
        tokens: Math.max(tokens, (height / options.patchSize) * (width / options.patchSize) + 1),
        dim: modelDim,
        maxStorageBufferBindingSize: options.maxStorageBufferBindingSize,
        fixedBatch: plan.fixedBatch,
        requested: options.batchSize,
      });
      return new OnnxEmbedder(ort, session, options, file, plan, spec, tokens, modelDim, batchSize, warmupMs, choice.kind, choice.note);
    } catch (error) {
      await session.release().catch(() => undefined);
      if (error instanceof ModelContractError || error instanceof ModelFileError) throw error;
      throw new ModelFileError(`${label} failed its test run on ${options.backend === 'webgpu' ? 'WebGPU' : 'WASM'}: ${messageOf(error)}`);
    }
  }

  /** Length of each embedding: D, or 2D for CLS ⊕ mean patch. */
  get embeddingDim(): number {
    return this.readoutKind === 'cls+meanpatch' ? 2 * this.modelDim : this.modelDim;
  }

  /** The output tensor the readout reads. */
  private get outputName(): string {
    return this.readoutKind === 'pooler' ? this.plan.pooled!.name : this.plan.tokens!.name;
  }

  /** The readout in words and indices, as the UI and the experiment record show it. */
  get readout(): string {
    const name = this.outputName;
    switch (this.readoutKind) {
      case 'pooler':
        return name;
      case 'cls':
        return `${name}[:, 0]`;
      case 'cls+meanpatch':
        return `${name}[:, 0] ⊕ mean(${name}[:, −${this.patchTokens}:])`;
      case 'meanpatch':
        return `mean of patch tokens: mean(${name}[:, −${this.patchTokens}:])`;
    }
  }

  /** Patch tokens at the end of the token output (excludes CLS and any registers). */
  get patchTokens(): number {
    return patchTokenCount(this.tokens, this.spec.cropHeight, this.spec.cropWidth, this.options.patchSize);
  }

  /**
   * Embeds up to batchSize images in one run (a fixed-batch model gets zero padding). Returns the pairs
   * and the time spent in session.run.
   */
  async embedBatch(images: readonly RgbaPixels[]): Promise<{ items: EmbeddingPair[]; inferenceMs: number }> {
    const n = images.length;
    const runBatch = this.plan.fixedBatch ?? n;
    if (n > runBatch) throw new Error(`embedBatch: ${n} images for a model with a fixed batch of ${runBatch}`);
    const pixels = preprocessBatch(images, this.spec);
    const input = runBatch === n ? pixels : padded(pixels, runBatch * pixels.length / n);
    const name = this.outputName;
    const kind = this.readoutKind === 'pooler' ? 'pooled' : 'tokens';
    const started = performance.now();
    const output = (await runOnce(this.ort, this.session, this.plan, input, runBatch, this.spec, [name]))[name];
    const inferenceMs = performance.now() - started;
    checkOutputDims(this.options.label, name, kind, output.dims, runBatch);
    const items: EmbeddingPair[] = [];
    for (let b = 0; b < n; b++) {
      if (kind === 'pooled') {
        const dim = output.dims[1];
        items.push(clsEmbedding(output.data.slice(b * dim, (b + 1) * dim)));
        continue;
      }
      const layout = { tokens: output.dims[1], dim: output.dims[2] };
      if (this.readoutKind === 'meanpatch') {
        // Same treatment as CLS alone: raw = the vector, embedding = vector / ‖vector‖.
        items.push(clsEmbedding(meanPatchToken(output.data, layout, b, this.patchTokens)));
        continue;
      }
      const cls = clsToken(output.data, layout, b);
      items.push(this.readoutKind === 'cls+meanpatch' ? clsMeanPatchEmbedding(cls, meanPatchToken(output.data, layout, b, this.patchTokens)) : clsEmbedding(cls));
    }
    return { items, inferenceMs };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

interface ModelProbe {
  vectors: ReadoutProbe;
  /** Actual dims of the token / pooled output for the probe batch; null when not fetched. */
  tokenDims: number[] | null;
  pooledDims: number[] | null;
}

/**
 * Runs the model on the two probe images (one batch of two, or two runs for a batch-1 model; a larger
 * fixed batch is padded with zeros), checks the output shapes, and returns each candidate readout's
 * vector for both images. pooler_output is fetched when it is the requested readout (it is CLS after
 * the final LayerNorm: cheaper to fetch, same numbers); the token output whenever the model has one,
 * for CLS and the mean of the patch tokens.
 */
async function probeModel(
  ort: OrtModule,
  session: Ort.InferenceSession,
  plan: EmbeddingModelPlan,
  spec: PreprocessSpec,
  label: string,
  withPooled: boolean,
  patchSize: number,
): Promise<ModelProbe> {
  const names = [...(withPooled && plan.pooled ? [plan.pooled.name] : []), ...(plan.tokens ? [plan.tokens.name] : [])];
  const images = probeImages(spec.cropHeight, spec.cropWidth);
  const pixels = preprocessBatch(images, spec);
  const perImage = pixels.length / 2;
  const runBatch = plan.fixedBatch ?? 2;
  const runs: Array<{ outputs: Record<string, { dims: number[]; data: Float32Array }>; slot: number }> = [];
  if (runBatch === 1) {
    for (let k = 0; k < 2; k++) {
      runs.push({ outputs: await runOnce(ort, session, plan, pixels.slice(k * perImage, (k + 1) * perImage), 1, spec, names), slot: 0 });
    }
  } else {
    const outputs = await runOnce(ort, session, plan, runBatch === 2 ? pixels : padded(pixels, runBatch * perImage), runBatch, spec, names);
    runs.push({ outputs, slot: 0 }, { outputs, slot: 1 });
  }
  const vectors: ReadoutProbe = {};
  let tokenDims: number[] | null = null;
  let pooledDims: number[] | null = null;
  const pair = <T>(f: (run: (typeof runs)[number]) => T): [T, T] => [f(runs[0]), f(runs[1])];
  if (withPooled && plan.pooled) {
    const name = plan.pooled.name;
    for (const run of runs) checkOutputDims(label, name, 'pooled', run.outputs[name].dims, runBatch);
    pooledDims = runs[0].outputs[name].dims;
    const dim = pooledDims[1];
    vectors.pooler = pair(({ outputs, slot }) => outputs[name].data.slice(slot * dim, (slot + 1) * dim));
  }
  if (plan.tokens) {
    const name = plan.tokens.name;
    for (const run of runs) checkOutputDims(label, name, 'tokens', run.outputs[name].dims, runBatch);
    tokenDims = runs[0].outputs[name].dims;
    const layout = { tokens: tokenDims[1], dim: tokenDims[2] };
    vectors.cls = pair(({ outputs, slot }) => clsToken(outputs[name].data, layout, slot));
    if (layout.tokens >= 2) {
      const patches = patchTokenCount(layout.tokens, spec.cropHeight, spec.cropWidth, patchSize);
      vectors.meanPatch = pair(({ outputs, slot }) => meanPatchToken(outputs[name].data, layout, slot, patches));
    }
  }
  return { vectors, tokenDims, pooledDims };
}

function padded(data: Float32Array, length: number): Float32Array {
  const out = new Float32Array(length);
  out.set(data);
  return out;
}

/** One session.run fetching `outputNames`; each output as float32 with its dims. */
async function runOnce(
  ort: OrtModule,
  session: Ort.InferenceSession,
  plan: EmbeddingModelPlan,
  pixels: Float32Array,
  batch: number,
  spec: PreprocessSpec,
  outputNames: readonly string[],
): Promise<Record<string, { dims: number[]; data: Float32Array }>> {
  const dims = [batch, 3, spec.cropHeight, spec.cropWidth];
  const input = plan.inputType === 'float16' ? new ort.Tensor('float16', float32ToFloat16Array(pixels), dims) : new ort.Tensor('float32', pixels, dims);
  const results = await session.run({ [plan.inputName]: input }, [...outputNames]);
  input.dispose();
  try {
    const out: Record<string, { dims: number[]; data: Float32Array }> = {};
    for (const name of outputNames) {
      const tensor = results[name];
      const raw = tensor.data;
      const data = raw instanceof Float32Array ? raw : raw instanceof Uint16Array ? float16ArrayToFloat32(raw) : Float32Array.from(raw as ArrayLike<number>);
      out[name] = { dims: tensor.dims.map(Number), data };
    }
    return out;
  } finally {
    for (const t of Object.values(results)) t.dispose();
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
