/**
 * What a usable embedding model looks like, and the message when one does not.
 *
 * DINOv2 exports (Hugging Face / optimum / transformers.js) have one input pixel_values
 * [batch, 3, height, width] and an output last_hidden_state [batch, 1 + registers + patches, dim], often
 * also pooler_output [batch, dim] (= last_hidden_state[:, 0] after the final LayerNorm). We accept:
 * - input: exactly one tensor input, float32 or float16, rank 4 with 3 channels (named pixel_values in
 *   DINOv2 exports; any name is fine when it is the only input);
 * - output: last_hidden_state (rank 3) and/or pooler_output (rank 2); failing those names, a single float
 *   output of rank 3 (tokens) or rank 2 (pooled).
 * Shapes may be symbolic (strings) or unknown (empty); the warm-up run checks the real shapes.
 */
export interface TensorSignature {
  name: string;
  /** onnxruntime's type name: float32, float16, int64, … */
  type: string;
  /** Dimensions; a string is a symbolic dimension; an empty array means unknown. */
  shape: ReadonlyArray<number | string>;
}

export interface ModelSignature {
  inputs: readonly TensorSignature[];
  outputs: readonly TensorSignature[];
}

export type FloatType = 'float32' | 'float16';

export interface EmbeddingModelPlan {
  inputName: string;
  inputType: FloatType;
  /** Fixed spatial size from the model, when the dimension is a number; null = any (we use 224). */
  inputHeight: number | null;
  inputWidth: number | null;
  /** A fixed batch dimension (some exports are batch-1 only); null = dynamic. */
  fixedBatch: number | null;
  tokens: { name: string; type: FloatType } | null;
  pooled: { name: string; type: FloatType } | null;
  /** Embedding dimension when the output shape states it. */
  embeddingDim: number | null;
}

export class ModelContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelContractError';
  }
}

export const EXPECTED_CONTRACT =
  'an image embedding model needs one float input [batch, 3, height, width] (pixel_values in DINOv2 exports) ' +
  'and an output last_hidden_state [batch, tokens, dim] or a pooled output [batch, dim]';

export function describeTensor(t: TensorSignature): string {
  const shape = t.shape.length === 0 ? '[shape unknown]' : `[${t.shape.join(', ')}]`;
  return `${t.name} ${t.type} ${shape}`;
}

export function describeSignature(signature: ModelSignature): string {
  const list = (ts: readonly TensorSignature[]) => (ts.length ? ts.map(describeTensor).join(', ') : 'none');
  return `inputs: ${list(signature.inputs)}; outputs: ${list(signature.outputs)}`;
}

/**
 * Limits on what a model may declare, checked before anything is allocated for it: the input side
 * (DINOv2 exports use 224 or 518; one image at 2048 × 2048 is already 48 MB of float32 input), a fixed
 * batch (exports fix 1 or leave it free; the probe pads to the fixed batch), and the embedding width
 * (ViT-g is 1536). A model declaring dimensions in the billions is refused with its numbers instead of
 * making the tab try to allocate them.
 */
export const MAX_MODEL_INPUT_SIDE = 2048;
export const MAX_MODEL_FIXED_BATCH = 256;
export const MAX_MODEL_EMBEDDING_DIM = 65536;

const isFloat = (type: string): type is FloatType => type === 'float32' || type === 'float16';
const staticDim = (d: number | string | undefined): number | null => (typeof d === 'number' && d > 0 ? d : null);

/**
 * Decides how to feed and read a model from its declared inputs and outputs; throws ModelContractError
 * whose message names `label`, says what was expected and what was found.
 */
export function planEmbeddingModel(signature: ModelSignature, label = 'the model'): EmbeddingModelPlan {
  const fail = (found: string): never => {
    throw new ModelContractError(`${label} is not a usable image embedding model: ${found}. Expected ${EXPECTED_CONTRACT}. Found ${describeSignature(signature)}.`);
  };

  const { inputs, outputs } = signature;
  if (inputs.length === 0) fail('it has no inputs');
  if (inputs.length > 1) {
    fail(`it has ${inputs.length} inputs (${inputs.map((i) => i.name).join(', ')}) and an image embedder can only provide pixel_values`);
  }
  const input = inputs[0];
  if (!isFloat(input.type)) fail(`its input ${input.name} is ${input.type}, not float32 or float16`);
  if (input.shape.length !== 0 && input.shape.length !== 4) {
    fail(`its input ${input.name} has ${input.shape.length} dimensions, not 4 [batch, 3, height, width]`);
  }
  const channels = staticDim(input.shape[1]);
  if (channels !== null && channels !== 3) {
    fail(`its input ${input.name} takes ${channels} channel${channels === 1 ? '' : 's'}, not 3 (RGB)`);
  }

  const floats = outputs.filter((o) => isFloat(o.type));
  const rankIs = (o: TensorSignature, rank: number) => o.shape.length === 0 || o.shape.length === rank;
  let tokens = floats.find((o) => o.name === 'last_hidden_state' && rankIs(o, 3)) ?? null;
  let pooled = floats.find((o) => o.name === 'pooler_output' && rankIs(o, 2)) ?? null;
  if (!tokens && !pooled) {
    if (outputs.length === 1 && floats.length === 1 && floats[0].shape.length === 3) tokens = floats[0];
    else if (outputs.length === 1 && floats.length === 1 && floats[0].shape.length === 2) pooled = floats[0];
    else if (outputs.length === 1) {
      const o = outputs[0];
      fail(`its output ${o.name} is ${o.type} with ${o.shape.length === 0 ? 'an unknown number of' : o.shape.length} dimensions, not a float [batch, tokens, dim] or [batch, dim]`);
    } else fail('none of its outputs is last_hidden_state or pooler_output');
  }

  const dimOf = (o: TensorSignature | null, axis: number) => (o ? staticDim(o.shape[axis]) : null);
  const embeddingDim = dimOf(pooled, 1) ?? dimOf(tokens, 2);
  const declared = (value: number | null, limit: number, what: string) => {
    if (value !== null && value > limit) fail(`it declares ${what} of ${value.toLocaleString('en')}, over the limit of ${limit.toLocaleString('en')}`);
  };
  declared(staticDim(input.shape[2]), MAX_MODEL_INPUT_SIDE, `an input height (${input.name} axis 2)`);
  declared(staticDim(input.shape[3]), MAX_MODEL_INPUT_SIDE, `an input width (${input.name} axis 3)`);
  declared(staticDim(input.shape[0]), MAX_MODEL_FIXED_BATCH, `a fixed batch (${input.name} axis 0)`);
  declared(embeddingDim, MAX_MODEL_EMBEDDING_DIM, 'an embedding width');
  return {
    inputName: input.name,
    inputType: input.type as FloatType,
    inputHeight: staticDim(input.shape[2]),
    inputWidth: staticDim(input.shape[3]),
    fixedBatch: staticDim(input.shape[0]),
    tokens: tokens ? { name: tokens.name, type: tokens.type as FloatType } : null,
    pooled: pooled ? { name: pooled.name, type: pooled.type as FloatType } : null,
    embeddingDim,
  };
}

/**
 * Checks an output's actual dimensions after a run: tokens [batch, ≥1, dim], pooled [batch, dim].
 */
export function checkOutputDims(label: string, name: string, kind: 'tokens' | 'pooled', dims: readonly number[], batch: number): void {
  const expected = kind === 'tokens' ? `[${batch}, tokens, dim]` : `[${batch}, dim]`;
  const ok = kind === 'tokens' ? dims.length === 3 && dims[0] === batch && dims[1] >= 1 && dims[2] >= 1 : dims.length === 2 && dims[0] === batch && dims[1] >= 1;
  if (!ok) {
    throw new ModelContractError(`${label} is not a usable image embedding model: for a batch of ${batch} its output ${name} has shape [${dims.join(', ')}], expected ${expected}.`);
  }
}
