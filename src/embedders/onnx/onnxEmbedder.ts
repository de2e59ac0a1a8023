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
import type { RgbaPixels } from '../rgbaImage';
import type { Pooling } from '../protocol';

/** The onnxruntime module (onnxruntime-web in the worker; the same API under Node in tests). */
export type OrtModule = Pick<typeof Ort, 'InferenceSession' | 'Tensor' | 'env'>;

export interface OnnxEmbedderOptions {
  /** Names the model in every message. */
  label: string;
  backend: Backend;
  pooling: Pooling;
  patchSize: number;
  batchSize?: number;
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
 * One loaded embedding model: validation, warm-up, batched inference, CLS readout. The same code runs
 * in the embed worker (onnxruntime-web, WebGPU or WASM) and in the Node tests (onnxruntime-web, WASM).
 */
export class OnnxEmbedder {
  private constructor(
    private readonly ort: OrtModule,
    private readonly session: Ort.InferenceSession,
    readonly options: OnnxEmbedderOptions,
    readonly file: OnnxFileSummary,
    readonly plan: EmbeddingModelPlan,
    readonly spec: PreprocessSpec,
    /** Tokens per image (1 for a pooled-only model), learned at warm-up. */
    readonly tokens: number,
    /** The model's vector width D. */
    readonly modelDim: number,
    readonly batchSize: number,
    readonly warmupMs: number,
  ) {}

  static async create(ort: OrtModule, bytes: Uint8Array, options: OnnxEmbedderOptions): Promise<OnnxEmbedder> {
    const { label } = options;
    const file = inspectOnnxFile(bytes, label);
    let session: Ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, {
        executionProviders: options.backend === 'webgpu' ? ['webgpu'] : ['wasm'],
        graphOptimizationLevel: 'all',
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

      // Warm-up: the first run compiles kernels (shaders on WebGPU) and tells us the real output shape.
      const warmBatch = plan.fixedBatch ?? 1;
      const started = performance.now();
      const { name, kind } = readoutOf(plan, options.pooling);
      const dummy = new Float32Array(warmBatch * 3 * height * width);
      const output = await runOnce(ort, session, plan, dummy, warmBatch, spec, name);
      const warmupMs = performance.now() - started;
      checkOutputDims(label, name, kind, output.dims, warmBatch);
      const tokens = kind === 'tokens' ? output.dims[1] : 1;
      const modelDim = kind === 'tokens' ? output.dims[2] : output.dims[1];
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
      return new OnnxEmbedder(ort, session, options, file, plan, spec, tokens, modelDim, batchSize, warmupMs);
    } catch (error) {
      await session.release().catch(() => undefined);
      if (error instanceof ModelContractError || error instanceof ModelFileError) throw error;
      throw new ModelFileError(`${label} failed its test run on ${options.backend === 'webgpu' ? 'WebGPU' : 'WASM'}: ${messageOf(error)}`);
    }
  }

  /** Length of each embedding: D, or 2D for CLS ⊕ mean patch. */
  get embeddingDim(): number {
    return this.options.pooling === 'cls+meanpatch' ? 2 * this.modelDim : this.modelDim;
  }

  get readout(): string {
    const { name, kind } = readoutOf(this.plan, this.options.pooling);
    if (this.options.pooling === 'cls+meanpatch') return `${name}[:, 0] ⊕ mean(${name}[:, −${this.patchTokens}:])`;
    return kind === 'tokens' ? `${name}[:, 0]` : name;
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
    const { name, kind } = readoutOf(this.plan, this.options.pooling);
    const started = performance.now();
    const output = await runOnce(this.ort, this.session, this.plan, input, runBatch, this.spec, name);
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
      const cls = clsToken(output.data, layout, b);
      items.push(this.options.pooling === 'cls+meanpatch' ? clsMeanPatchEmbedding(cls, meanPatchToken(output.data, layout, b, this.patchTokens)) : clsEmbedding(cls));
    }
    return { items, inferenceMs };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

function readoutOf(plan: EmbeddingModelPlan, pooling: Pooling): { name: string; kind: 'tokens' | 'pooled' } {
  // pooler_output is CLS after the final LayerNorm: cheaper to fetch, same numbers. Mean patch needs tokens.
  if (plan.pooled && pooling === 'cls') return { name: plan.pooled.name, kind: 'pooled' };
  if (plan.tokens) return { name: plan.tokens.name, kind: 'tokens' };
  return { name: plan.pooled!.name, kind: 'pooled' };
}

function padded(data: Float32Array, length: number): Float32Array {
  const out = new Float32Array(length);
  out.set(data);
  return out;
}

async function runOnce(
  ort: OrtModule,
  session: Ort.InferenceSession,
  plan: EmbeddingModelPlan,
  pixels: Float32Array,
  batch: number,
  spec: PreprocessSpec,
  outputName: string,
): Promise<{ dims: number[]; data: Float32Array }> {
  const dims = [batch, 3, spec.cropHeight, spec.cropWidth];
  const input = plan.inputType === 'float16' ? new ort.Tensor('float16', float32ToFloat16Array(pixels), dims) : new ort.Tensor('float32', pixels, dims);
  const results = await session.run({ [plan.inputName]: input }, [outputName]);
  input.dispose();
  const tensor = results[outputName];
  try {
    const raw = tensor.data;
    const data = raw instanceof Float32Array ? raw : raw instanceof Uint16Array ? float16ArrayToFloat32(raw) : Float32Array.from(raw as ArrayLike<number>);
    return { dims: tensor.dims.map(Number), data };
  } finally {
    for (const t of Object.values(results)) t.dispose();
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
