/**
 * DINOv2-shaped stand-in models, built with onnx-proto: the real export's input and output
 * names and shapes, the real architecture (Conv 14/14 patch embedding, CLS + position embeddings,
 * optional register tokens, pre-LN blocks with MatMul attention, Softmax, Erf-GELU, LayerScale, final
 * LayerNorm), random weights. They exercise the real loading and inference code where the real weights
 * cannot be downloaded.
 *
 *   npx tsx scripts/build-standin.ts            tiny fixtures → tests/fixtures/models/ (committed): the
 *                                               stand-in in fp32, int8 and fp16, an MNIST-shaped
 *                                               non-embedder, and three broken exports (CLS blind to the
 *                                               image; output blind to it; output blind to everything
 *                                               but colour)
 *   npx tsx scripts/build-standin.ts --vits14   ViT-S/14-sized in fp32, int8 and fp16 (≈ 87, 23, 44 MB)
 *                                               → models/standin/ (git-ignored)
 *
 * Weights are N(0, 1/fan_in) (so every layer passes signal on: with ViT's usual 0.02 the random CLS
 * output hardly depends on the image, which would make tests blind), learned tokens N(0, 0.02²),
 * LayerNorm γ = 1, β = 0, LayerScale 1, from a fixed seed: the files are byte-identical on every run.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRng } from '../src/engine/random/rng';
import { FLOAT_TYPES, GraphBuilder, encodeModel, float, int, ints, valueInfo, type WeightPrecision } from './lib/onnxGraph';

const FLOAT16 = FLOAT_TYPES.FLOAT16;

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const TINY_STANDIN_PATH = join(ROOT, 'tests', 'fixtures', 'models', 'dinov2-tiny.onnx');
export const MNIST_SHAPED_PATH = join(ROOT, 'tests', 'fixtures', 'models', 'mnist-shaped.onnx');
export const NO_TOKEN_MIX_PATH = join(ROOT, 'tests', 'fixtures', 'models', 'dinov2-tiny-notokenmix.onnx');
export const CONSTANT_PATH = join(ROOT, 'tests', 'fixtures', 'models', 'dinov2-tiny-constant.onnx');
export const COLOUR_ONLY_PATH = join(ROOT, 'tests', 'fixtures', 'models', 'dinov2-tiny-colouronly.onnx');
export const VITS14_STANDIN_PATH = join(ROOT, 'models', 'standin', 'dinov2-vits14-standin.onnx');
/** The tiny stand-in stored as the quantized and fp16 exports store it (committed fixtures, tens of KB). */
export const TINY_VARIANT_PATHS: Record<WeightPrecision, string> = {
  fp32: TINY_STANDIN_PATH,
  int8: join(ROOT, 'tests', 'fixtures', 'models', 'dinov2-tiny-int8.onnx'),
  fp16: join(ROOT, 'tests', 'fixtures', 'models', 'dinov2-tiny-fp16.onnx'),
};
/** The ViT-S/14-sized stand-in in each precision, built on demand (git-ignored; ≈ 87 / 23 / 44 MB). */
export const VITS14_VARIANT_PATHS: Record<WeightPrecision, string> = {
  fp32: VITS14_STANDIN_PATH,
  int8: join(ROOT, 'models', 'standin', 'dinov2-vits14-standin-int8.onnx'),
  fp16: join(ROOT, 'models', 'standin', 'dinov2-vits14-standin-fp16.onnx'),
};

export interface StandinConfig {
  /** Embedding width D. */
  dim: number;
  depth: number;
  heads: number;
  /** MLP hidden width as a multiple of D. */
  mlpRatio: number;
  patchSize: number;
  /** Input side the position embeddings are made for (the stand-in does not interpolate them). */
  imageSize: number;
  registers: number;
  seed: string;
  /**
   * Broken exports for the load-time check that the output depends on the image (absent in the good
   * stand-ins, so their bytes do not change):
   * - 'cls-isolated': the CLS query attends only to itself, so CLS (and pooler_output) is the same for
   *   every image while the patch tokens still see their patches and each other;
   * - 'ignores-input': pixel_values is multiplied by 0 before the patch embedding, so every output is.
   * - 'colour-only': the patch embedding sees only the colour differences of each pixel (R−G, G−B, B−R
   *   of the 0..255 samples, recovered exactly from the normalised input), so every grey image (R = G = B)
   *   gives the patch tokens exactly zero and the same output, while coloured images differ: a model that
   *   passes the load-time probe (coloured images) and still cannot tell grey images apart.
   */
  defect?: 'cls-isolated' | 'ignores-input' | 'colour-only';
}

export const TINY_CONFIG: StandinConfig = { dim: 16, depth: 2, heads: 2, mlpRatio: 4, patchSize: 14, imageSize: 224, registers: 0, seed: 'dinov2-tiny' };
export const NO_TOKEN_MIX_CONFIG: StandinConfig = { ...TINY_CONFIG, seed: 'dinov2-tiny-notokenmix', defect: 'cls-isolated' };
export const CONSTANT_CONFIG: StandinConfig = { ...TINY_CONFIG, seed: 'dinov2-tiny-constant', defect: 'ignores-input' };
export const COLOUR_ONLY_CONFIG: StandinConfig = { ...TINY_CONFIG, seed: 'dinov2-tiny-colouronly', defect: 'colour-only' };
export const VITS14_CONFIG: StandinConfig = { dim: 384, depth: 12, heads: 6, mlpRatio: 4, patchSize: 14, imageSize: 224, registers: 0, seed: 'dinov2-vits14' };

/**
 * A DINOv2-shaped ViT: pixel_values [batch, 3, H, W] → last_hidden_state [batch, tokens, D], pooler_output
 * [batch, D], with its weights stored as one of the Hugging Face exports stores them:
 * - fp32 (model.onnx);
 * - int8 (model_quantized.onnx): every MatMul with a weight and the patch-embedding Conv become
 *   DynamicQuantizeLinear + MatMulInteger / ConvInteger with uint8 weights, their scales and zero points
 *   as initializers (scripts/lib/onnxGraph.ts); the attention's activation-by-activation MatMuls stay
 *   float (the quantiser's MatMulConstBOnly), as do LayerNorm, biases and the learned tokens;
 * - fp16 (model_fp16.onnx): every float initializer in float16 and the graph computing in float16, with
 *   float32 kept at the boundary (the float16 converter's keep_io_types, which transformers.js's
 *   conversion uses): Cast pixel_values → pixel_values_fp16 first, and each output computed as NAME_fp16
 *   then Cast to float32 NAME. Input and output names, dtypes and shapes are those of the fp32 file.
 * The same seed draws the same weights for every precision.
 */
export function buildDinov2Standin(config: StandinConfig, precision: WeightPrecision = 'fp32'): Uint8Array {
  const { dim: D, depth, heads, patchSize: P, imageSize, registers } = config;
  const g = new GraphBuilder(createRng(config.seed), precision);
  const grid = imageSize / P;
  const headDim = D / heads;
  if (!Number.isInteger(grid) || !Number.isInteger(headDim)) throw new Error('imageSize must be a multiple of patchSize and dim of heads');
  const fp16 = precision === 'fp16';
  /** The graph's own name for an output: NAME_fp16 before the float32 Cast in the fp16 export. */
  const inner = (name: string) => (fp16 ? `${name}_fp16` : name);

  const input = fp16 ? g.op('Cast', ['pixel_values'], [int('to', FLOAT16)], 'pixel_values_fp16') : 'pixel_values';
  let pixels = config.defect === 'ignores-input' ? g.op('Mul', [input, g.constant('defect.zero', [], 0)]) : input;
  if (config.defect === 'colour-only') pixels = colourDifferences(g, pixels);
  // Patch embedding: Conv 14×14 stride 14 → [B, D, h, w] → [B, D, h·w] → [B, h·w, D].
  const patches = g.conv(pixels, 'embeddings.patch_embeddings.projection.weight', [D, 3, P, P], 3 * P * P, () => g.constant('embeddings.patch_embeddings.projection.bias', [D], 0), [
    ints('kernel_shape', [P, P]),
    ints('strides', [P, P]),
  ]);
  const flat = g.op('Reshape', [patches, g.int64('shape_flatten', [0, D, -1])]);
  const tokens = g.op('Transpose', [flat], [ints('perm', [0, 2, 1])]);

  // [B, 1, 1] from the input's batch dimension, to expand the learned tokens per image.
  const inputShape = g.op('Shape', [input]);
  const batch = g.op('Slice', [inputShape, g.int64('slice_start_0', [0]), g.int64('slice_end_1', [1])]);
  const expandShape = g.op('Concat', [batch, g.int64('ones_2', [1, 1])], [int('axis', 0)]);
  const cls = g.op('Expand', [g.random('embeddings.cls_token', [1, 1, D], 0.02), expandShape]);
  let x = g.op('Concat', [cls, tokens], [int('axis', 1)]);
  x = g.op('Add', [x, g.random('embeddings.position_embeddings', [1, 1 + grid * grid, D], 0.02)]);
  if (registers > 0) {
    // DINOv2 with registers: [CLS, registers, patches]; registers get no position embedding.
    const reg = g.op('Expand', [g.random('embeddings.register_tokens', [1, registers, D], 0.02), expandShape]);
    const axis1 = g.int64('axis_1', [1]);
    const head = g.op('Slice', [x, g.int64('tok_start_0', [0]), g.int64('tok_end_1', [1]), axis1]);
    const tail = g.op('Slice', [x, g.int64('tok_start_1', [1]), g.int64('tok_end_max', [2 ** 31 - 1]), axis1]);
    x = g.op('Concat', [head, reg, tail], [int('axis', 1)]);
  }

  const eps = float('epsilon', 1e-6);
  const lnAxis = int('axis', -1);
  const split5 = g.int64('shape_qkv', [0, 0, 3, heads, headDim]);
  const merge3 = g.int64('shape_merge', [0, 0, D]);
  const idx = [0, 1, 2].map((i) => g.int64(`index_${i}`, [i], true));
  const scale = g.constant('attention_scale', [], 1 / Math.sqrt(headDim));
  const invSqrt2 = g.constant('gelu_inv_sqrt2', [], Math.SQRT1_2);
  const one = g.constant('gelu_one', [], 1);
  const half = g.constant('gelu_half', [], 0.5);
  const hidden = D * config.mlpRatio;
  let clsMask: string | null = null;
  if (config.defect === 'cls-isolated') {
    // Additive attention mask [T, T] = isCls[T, 1] · isOther[1, T] · (−1e9): row 0 (the CLS query) gets
    // −1e9 on every other key, whose softmax weight then underflows to exactly 0 in float32.
    const T = 1 + registers + grid * grid;
    const isCls = new Float32Array(T);
    isCls[0] = 1;
    const isOther = new Float32Array(T).fill(1);
    isOther[0] = 0;
    clsMask = g.op('Mul', [g.op('Mul', [g.float('defect.mask_rows', [T, 1], isCls), g.float('defect.mask_cols', [1, T], isOther)]), g.constant('defect.mask_value', [], -1e9)]);
  }

  for (let i = 0; i < depth; i++) {
    const p = `encoder.layer.${i}`;
    const n1 = g.op('LayerNormalization', [x, g.constant(`${p}.norm1.weight`, [D], 1), g.constant(`${p}.norm1.bias`, [D], 0)], [lnAxis, eps]);
    const qkv = g.op('Add', [g.matMul(n1, `${p}.attention.qkv.weight`, [D, 3 * D], D), g.constant(`${p}.attention.qkv.bias`, [3 * D], 0)]);
    const qkv5 = g.op('Transpose', [g.op('Reshape', [qkv, split5])], [ints('perm', [2, 0, 3, 1, 4])]); // [3, B, heads, T, hd]
    const [q, k, v] = idx.map((index) => g.op('Gather', [qkv5, index], [int('axis', 0)]));
    const scores = g.op('MatMul', [g.op('Mul', [q, scale]), g.op('Transpose', [k], [ints('perm', [0, 1, 3, 2])])]);
    const attn = g.op('Softmax', [clsMask ? g.op('Add', [scores, clsMask]) : scores], [int('axis', -1)]);
    const context = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [attn, v])], [ints('perm', [0, 2, 1, 3])]), merge3]);
    const projected = g.op('Add', [g.matMul(context, `${p}.attention.output.weight`, [D, D], D), g.constant(`${p}.attention.output.bias`, [D], 0)]);
    x = g.op('Add', [x, g.op('Mul', [projected, g.constant(`${p}.layer_scale1.lambda1`, [D], 1)])]);

    const n2 = g.op('LayerNormalization', [x, g.constant(`${p}.norm2.weight`, [D], 1), g.constant(`${p}.norm2.bias`, [D], 0)], [lnAxis, eps]);
    const h = g.op('Add', [g.matMul(n2, `${p}.mlp.fc1.weight`, [D, hidden], D), g.constant(`${p}.mlp.fc1.bias`, [hidden], 0)]);
    // Exact GELU: 0.5 · h · (1 + erf(h / √2)).
    const gelu = g.op('Mul', [g.op('Mul', [h, g.op('Add', [g.op('Erf', [g.op('Mul', [h, invSqrt2])]), one])]), half]);
    const out = g.op('Add', [g.matMul(gelu, `${p}.mlp.fc2.weight`, [hidden, D], hidden), g.constant(`${p}.mlp.fc2.bias`, [D], 0)]);
    x = g.op('Add', [x, g.op('Mul', [out, g.constant(`${p}.layer_scale2.lambda1`, [D], 1)])]);
  }
  g.op('LayerNormalization', [x, g.constant('layernorm.weight', [D], 1), g.constant('layernorm.bias', [D], 0)], [lnAxis, eps], inner('last_hidden_state'));
  g.op('Gather', [inner('last_hidden_state'), idx[0]], [int('axis', 1)], inner('pooler_output'));
  if (fp16) {
    ['last_hidden_state', 'pooler_output'].forEach((name, i) => g.node('Cast', [inner(name)], [name], `${inner(name)}_input_cast${i}`, [int('to', FLOAT_TYPES.FLOAT)]));
  }

  return encodeModel(
    g,
    `dinov2_standin_d${D}_l${depth}${precision === 'fp32' ? '' : `_${precision}`}`,
    [valueInfo('pixel_values', ['batch_size', 3, 'height', 'width'])],
    [valueInfo('last_hidden_state', ['batch_size', 'sequence_length', D]), valueInfo('pooler_output', ['batch_size', D])],
    `DINOv2-shaped stand-in with RANDOM weights (not DINOv2)${precision === 'fp32' ? '' : `, ${precision} weights`}: ${JSON.stringify(config)}`,
  );
}

/**
 * The 'colour-only' defect's input: the 0..255 samples v = Round((x · std + mean) · 255) (the
 * normalisation undone; its float32 error is ~1e-4 of a step, so Round gives the integer back exactly and
 * a grey pixel's three channels become the same number), then each channel minus the next one, [R−G,
 * G−B, B−R], scaled to about the spread of normalised input. A grey pixel gives exactly 0 in all three.
 */
function colourDifferences(g: GraphBuilder, pixels: string): string {
  const std = g.float('defect.std', [1, 3, 1, 1], Float32Array.from([0.229, 0.224, 0.225]));
  const mean = g.float('defect.mean', [1, 3, 1, 1], Float32Array.from([0.485, 0.456, 0.406]));
  const samples = g.op('Round', [g.op('Mul', [g.op('Add', [g.op('Mul', [pixels, std]), mean]), g.constant('defect.to_255', [], 255)])]);
  const next = g.op('Gather', [samples, g.int64('defect.next_channel', [1, 2, 0])], [int('axis', 1)]);
  return g.op('Mul', [g.op('Sub', [samples, next]), g.constant('defect.scale', [], 1 / (255 * 0.226))]);
}

/**
 * A model with the ONNX model zoo MNIST's interface (Input3 [1, 1, 28, 28] → Plus214_Output_0 [1, 10]):
 * a valid ONNX file that is not an image embedder, for the validation tests.
 */
export function buildMnistShaped(): Uint8Array {
  const g = new GraphBuilder(createRng('mnist-shaped'));
  const pooled = g.op('AveragePool', ['Input3'], [ints('kernel_shape', [4, 4]), ints('strides', [4, 4])]);
  const flat = g.op('Reshape', [pooled, g.int64('shape_49', [1, 49])]);
  g.op('Add', [g.op('MatMul', [flat, g.random('fc.weight', [49, 10], 0.1)]), g.constant('fc.bias', [10], 0)], [], 'Plus214_Output_0');
  return encodeModel(g, 'mnist_shaped', [valueInfo('Input3', [1, 1, 28, 28])], [valueInfo('Plus214_Output_0', [1, 10])], 'MNIST-shaped classifier (random weights): not an embedding model');
}

function write(path: string, bytes: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
  console.log(`wrote ${path} (${(bytes.length / 1024).toFixed(1)} KiB)`);
}

/** Builds the ViT-S/14-sized stand-in into models/standin/ (git-ignored); returns its path. */
export function buildVits14Standin(path = VITS14_STANDIN_PATH, precision: WeightPrecision = 'fp32'): string {
  write(path, buildDinov2Standin(VITS14_CONFIG, precision));
  return path;
}

/** Builds each ViT-S/14-sized variant that is not there yet; returns their paths. */
export function ensureVits14Variants(precisions: readonly WeightPrecision[] = ['fp32', 'int8', 'fp16']): Record<WeightPrecision, string> {
  for (const precision of precisions) {
    if (!existsSync(VITS14_VARIANT_PATHS[precision])) buildVits14Standin(VITS14_VARIANT_PATHS[precision], precision);
  }
  return VITS14_VARIANT_PATHS;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv.includes('--vits14')) for (const precision of ['fp32', 'int8', 'fp16'] as const) buildVits14Standin(VITS14_VARIANT_PATHS[precision], precision);
  else {
    for (const precision of ['fp32', 'int8', 'fp16'] as const) write(TINY_VARIANT_PATHS[precision], buildDinov2Standin(TINY_CONFIG, precision));
    write(MNIST_SHAPED_PATH, buildMnistShaped());
    write(NO_TOKEN_MIX_PATH, buildDinov2Standin(NO_TOKEN_MIX_CONFIG));
    write(CONSTANT_PATH, buildDinov2Standin(CONSTANT_CONFIG));
    write(COLOUR_ONLY_PATH, buildDinov2Standin(COLOUR_ONLY_CONFIG));
  }
}
