/**
 * Bicubic resampling that reproduces Pillow's Image.resize(size, BICUBIC) on 8-bit images bit for bit
 * (Pillow 9–11, src/libImaging/Resample.c). Hugging Face's DINOv2 processor resizes with exactly this,
 * so matching it makes our pixel_values equal to theirs, not merely close.
 *
 * What Pillow does, and we do:
 * - Separable filter, horizontal pass first (only over the source rows the vertical pass needs), then
 *   vertical; the intermediate image is 8-bit (rounded and clamped), like Pillow's temporary image.
 * - Cubic kernel with a = −0.5 (Keys), support 2. When downscaling by s > 1 the kernel is stretched
 *   (support 2s, argument divided by s): Pillow's antialiasing.
 * - Per output pixel: centre = (x + 0.5)·scale; taps from trunc(centre − support + 0.5) to
 *   trunc(centre + support + 0.5), clipped to the image; weights normalised to sum 1, then converted to
 *   fixed point with 22 fraction bits (PRECISION_BITS = 32 − 8 − 2), rounding half away from zero.
 * - Accumulate integers starting from 2^21 (rounding), shift right by 22 (floor), clamp to 0..255.
 */
const PRECISION_BITS = 22;
const ONE = 1 << PRECISION_BITS;
const HALF = 1 << (PRECISION_BITS - 1);
const CUBIC_A = -0.5;
const CUBIC_SUPPORT = 2;

function cubic(x: number): number {
  const t = Math.abs(x);
  if (t < 1) return ((CUBIC_A + 2) * t - (CUBIC_A + 3)) * t * t + 1;
  if (t < 2) return (((t - 5) * t + 8) * t - 4) * CUBIC_A;
  return 0;
}

interface Coefficients {
  /** Taps per output sample (fixed stride into `weights`). */
  ksize: number;
  /** First source index per output sample. */
  start: Int32Array;
  /** Number of taps per output sample. */
  count: Int32Array;
  /** Fixed-point weights, ksize per output sample. */
  weights: Int32Array;
}

/** Pillow's precompute_coeffs + normalize_coeffs_8bpc for one axis (box = the whole input). */
function coefficients(inSize: number, outSize: number): Coefficients {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = CUBIC_SUPPORT * filterScale;
  const ksize = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Int32Array(outSize * ksize);
  const taps = new Float64Array(ksize);
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    const ss = 1 / filterScale;
    // C's (int) cast truncates toward zero; Math.trunc does the same.
    let xmin = Math.trunc(center - support + 0.5);
    if (xmin < 0) xmin = 0;
    let xmax = Math.trunc(center + support + 0.5);
    if (xmax > inSize) xmax = inSize;
    xmax -= xmin;
    let total = 0;
    for (let x = 0; x < xmax; x++) {
      const w = cubic((x + xmin - center + 0.5) * ss);
      taps[x] = w;
      total += w;
    }
    for (let x = 0; x < xmax; x++) {
      const w = total !== 0 ? taps[x] / total : taps[x];
      weights[xx * ksize + x] = w < 0 ? Math.trunc(-0.5 + w * ONE) : Math.trunc(0.5 + w * ONE);
    }
    start[xx] = xmin;
    count[xx] = xmax;
  }
  return { ksize, start, count, weights };
}

function clip8(sum: number): number {
  const v = Math.floor(sum / ONE); // arithmetic shift right by 22, exact for |sum| < 2^53
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/**
 * Resizes interleaved 8-bit samples (`channels` per pixel, row-major) to outWidth × outHeight.
 * Returns a copy when the size is unchanged (Pillow does the same).
 */
export function resizeBicubicPil(
  src: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  channels: number,
  outWidth: number,
  outHeight: number,
): Uint8Array {
  if (src.length !== width * height * channels) {
    throw new Error(`resizeBicubicPil: ${width}×${height}×${channels} needs ${width * height * channels} samples, got ${src.length}`);
  }
  if (!(outWidth >= 1 && outHeight >= 1)) throw new Error(`resizeBicubicPil: output size ${outWidth}×${outHeight} is empty`);
  const needHorizontal = outWidth !== width;
  const needVertical = outHeight !== height;
  if (!needHorizontal && !needVertical) return Uint8Array.from(src);

  const vertical = needVertical ? coefficients(height, outHeight) : null;
  // Source rows the vertical pass reads: the horizontal pass only produces those.
  let firstRow = 0;
  let lastRow = height;
  if (vertical) {
    firstRow = vertical.start[0];
    const last = outHeight - 1;
    lastRow = vertical.start[last] + vertical.count[last];
  }

  let current: Uint8Array | Uint8ClampedArray = src;
  if (needHorizontal) {
    const h = coefficients(width, outWidth);
    const rows = lastRow - firstRow;
    const out = new Uint8Array(outWidth * rows * channels);
    for (let y = 0; y < rows; y++) {
      const inRow = (y + firstRow) * width * channels;
      const outRow = y * outWidth * channels;
      for (let xx = 0; xx < outWidth; xx++) {
        const xmin = h.start[xx];
        const n = h.count[xx];
        const k = xx * h.ksize;
        for (let c = 0; c < channels; c++) {
          let sum = HALF;
          for (let x = 0; x < n; x++) sum += src[inRow + (x + xmin) * channels + c] * h.weights[k + x];
          out[outRow + xx * channels + c] = clip8(sum);
        }
      }
    }
    current = out;
  } else {
    firstRow = 0;
  }
  // Horizontal only: `current` is the freshly written output.
  if (!vertical) return current as Uint8Array;

  const rowStride = outWidth * channels;
  const out = new Uint8Array(outWidth * outHeight * channels);
  for (let yy = 0; yy < outHeight; yy++) {
    // Bounds are shifted by firstRow because `current` starts at that source row.
    const ymin = vertical.start[yy] - firstRow;
    const n = vertical.count[yy];
    const k = yy * vertical.ksize;
    for (let i = 0; i < rowStride; i++) {
      let sum = HALF;
      for (let y = 0; y < n; y++) sum += current[(y + ymin) * rowStride + i] * vertical.weights[k + y];
      out[yy * rowStride + i] = clip8(sum);
    }
  }
  return out;
}
