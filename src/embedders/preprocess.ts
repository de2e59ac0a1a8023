import { resizeBicubicPil } from './pilBicubic';
import { assertRgbaPixels, type PreparedInput, type RgbaPixels } from './rgbaImage';

/**
 * Hugging Face's BitImageProcessor as configured for facebook/dinov2-* (preprocessor_config.json):
 * convert to RGB, resize the shortest edge to 256 with PIL bicubic, centre-crop 224×224, multiply by
 * 1/255, normalise with the ImageNet mean and std, channels first. scripts/preprocess_goldens.py replays
 * the same steps with PIL and numpy; tests/unit/embedding/preprocess.test.ts compares.
 */
export interface PreprocessSpec {
  /** Resize so the shorter side has this length (the longer side keeps the aspect ratio, truncated). */
  shortestEdge: number;
  cropHeight: number;
  cropWidth: number;
  /** Multiplier applied to 0..255 samples (1/255). */
  rescaleFactor: number;
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
}

export const DINOV2_PREPROCESS: PreprocessSpec = {
  shortestEdge: 256,
  cropHeight: 224,
  cropWidth: 224,
  rescaleFactor: 0.00392156862745098,
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
};

/**
 * The spec for a model whose input has a fixed spatial size other than 224: crop to that size and scale
 * the resize edge in proportion (256/224), which is what the DINOv2 recipe does at 224.
 */
export function preprocessSpecForInput(height: number, width: number, base: PreprocessSpec = DINOV2_PREPROCESS): PreprocessSpec {
  if (height === base.cropHeight && width === base.cropWidth) return base;
  const shortestEdge = Math.round((Math.max(height, width) * base.shortestEdge) / base.cropHeight);
  return { ...base, cropHeight: height, cropWidth: width, shortestEdge };
}

/**
 * transformers' get_resize_output_image_size(default_to_square=False): the short side becomes `edge`,
 * the long side int(edge · long / short). Returns [height, width].
 */
export function resizedSize(height: number, width: number, edge: number): [number, number] {
  const [short, long] = width <= height ? [width, height] : [height, width];
  const newLong = Math.trunc((edge * long) / short);
  return width <= height ? [newLong, edge] : [edge, newLong];
}

/** transformers' center_crop offsets: floor((size − crop) / 2) on each axis. */
export function centerCropOffsets(height: number, width: number, cropHeight: number, cropWidth: number): [number, number] {
  return [Math.floor((height - cropHeight) / 2), Math.floor((width - cropWidth) / 2)];
}

/** RGBA → packed RGB, alpha dropped (PIL's convert("RGB") does not composite). */
export function rgbaToRgb(image: RgbaPixels): Uint8Array {
  const n = image.width * image.height;
  const rgb = new Uint8Array(n * 3);
  const src = image.pixels;
  for (let i = 0; i < n; i++) {
    rgb[i * 3] = src[i * 4];
    rgb[i * 3 + 1] = src[i * 4 + 1];
    rgb[i * 3 + 2] = src[i * 4 + 2];
  }
  return rgb;
}

/**
 * Resized and centre-cropped RGB samples (cropHeight × cropWidth × 3, uint8), before rescaling: the
 * step where interpolation happens, kept separate so a test can check it exactly.
 */
export function resizeAndCrop(image: RgbaPixels, spec: PreprocessSpec = DINOV2_PREPROCESS): Uint8Array {
  assertRgbaPixels(image);
  const [h, w] = resizedSize(image.height, image.width, spec.shortestEdge);
  const resized = resizeBicubicPil(rgbaToRgb(image), image.width, image.height, 3, w, h);
  if (h < spec.cropHeight || w < spec.cropWidth) {
    // Only reachable with a spec whose shortest edge is smaller than its crop.
    throw new Error(`preprocess: resized image ${w}×${h} is smaller than the crop ${spec.cropWidth}×${spec.cropHeight}`);
  }
  const [top, left] = centerCropOffsets(h, w, spec.cropHeight, spec.cropWidth);
  const out = new Uint8Array(spec.cropHeight * spec.cropWidth * 3);
  for (let y = 0; y < spec.cropHeight; y++) {
    const from = ((top + y) * w + left) * 3;
    out.set(resized.subarray(from, from + spec.cropWidth * 3), y * spec.cropWidth * 3);
  }
  return out;
}

/**
 * Per channel, the float32 value of each 0..255 sample, computed in the same order and precision as
 * transformers: rescale in float64 then cast to float32; (x − mean) / std in float32.
 */
export function normalizationTable(spec: PreprocessSpec = DINOV2_PREPROCESS): Float32Array {
  const table = new Float32Array(3 * 256);
  const f = Math.fround;
  for (let c = 0; c < 3; c++) {
    const mean = f(spec.mean[c]);
    const std = f(spec.std[c]);
    for (let v = 0; v < 256; v++) table[c * 256 + v] = f(f(f(v * spec.rescaleFactor) - mean) / std);
  }
  return table;
}

const tableCache = new WeakMap<PreprocessSpec, Float32Array>();
function cachedTable(spec: PreprocessSpec): Float32Array {
  let table = tableCache.get(spec);
  if (!table) tableCache.set(spec, (table = normalizationTable(spec)));
  return table;
}

/**
 * One image → pixel_values [3, cropHeight, cropWidth] (float32, channels first), written into `out`
 * at `offset` (so a batch fills one buffer) or into a new array.
 */
export function preprocessImage(
  image: RgbaPixels,
  spec: PreprocessSpec = DINOV2_PREPROCESS,
  out?: Float32Array,
  offset = 0,
): Float32Array {
  const plane = spec.cropHeight * spec.cropWidth;
  const target = out ?? new Float32Array(3 * plane);
  if (target.length < offset + 3 * plane) throw new Error(`preprocess: output buffer too small for an image at offset ${offset}`);
  const rgb = resizeAndCrop(image, spec);
  const table = cachedTable(spec);
  for (let i = 0; i < plane; i++) {
    target[offset + i] = table[rgb[i * 3]];
    target[offset + plane + i] = table[256 + rgb[i * 3 + 1]];
    target[offset + 2 * plane + i] = table[512 + rgb[i * 3 + 2]];
  }
  return target;
}

/** Names a preprocessing: two specs with the same key make the same pixel_values. */
export function preprocessKey(spec: PreprocessSpec): string {
  const { shortestEdge, cropHeight, cropWidth, rescaleFactor, mean, std } = spec;
  return JSON.stringify([shortestEdge, cropHeight, cropWidth, rescaleFactor, mean, std]);
}

/** The image's model input, made ahead (where the image is made) for the embedder to take as is. */
export function prepareModelInput(image: RgbaPixels, spec: PreprocessSpec): PreparedInput {
  return { specKey: preprocessKey(spec), data: preprocessImage(image, spec) };
}

/**
 * A batch → pixel_values [n, 3, cropHeight, cropWidth] in one Float32Array. An image that comes with its
 * input prepared for this spec is copied as is; the others are preprocessed here.
 */
export function preprocessBatch(images: readonly RgbaPixels[], spec: PreprocessSpec = DINOV2_PREPROCESS): Float32Array {
  const size = 3 * spec.cropHeight * spec.cropWidth;
  const out = new Float32Array(images.length * size);
  const key = images.some((image) => image.prepared) ? preprocessKey(spec) : null;
  images.forEach((image, i) => {
    const prepared = image.prepared;
    if (prepared && prepared.specKey === key && prepared.data.length === size) {
      out.set(prepared.data, i * size);
      return;
    }
    try {
      preprocessImage(image, spec, out, i * size);
    } catch (error) {
      throw new Error(`image ${i}: ${(error as Error).message}`);
    }
  });
  return out;
}
