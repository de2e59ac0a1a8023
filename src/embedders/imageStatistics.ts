import { assertRgbaPixels, type RgbaPixels } from './rgbaImage';

/**
 * The offline "image statistics" embedder. NOT DINOv2: a fixed-length vector of hand-made statistics,
 * the fallback when no DINOv2 model can be loaded, so the app works without a network. Distances in
 * this space say whether intensity, layout, edges and dark blobs (voids) match, nothing more.
 *
 * The image is reduced to luminance (ITU-R 601: 0.299 R + 0.587 G + 0.114 B, what PIL's convert("L")
 * uses), scaled to 0..1 and area-resampled to 128×128 so every feature is resolution-independent.
 * Every feature lies roughly in 0..1, so no single group dominates a Euclidean distance.
 */
export const IMAGE_STATISTICS_ID = 'image-statistics-v1';
export const IMAGE_STATISTICS_LABEL = 'Image statistics (offline, not DINOv2)';

const WORK = 128;
const HIST_BINS = 16;
const GRID = 4;
const ORIENT_BINS = 8;
/** Background window for blob detection: 33 px at 128 (a quarter of the side), wider than most voids. */
const BACKGROUND_RADIUS = 16;
/** A pixel is "dark" when it is below this fraction of its local background. */
const DARK_RATIO = 0.85;
/** Components smaller than this (pixels at 128×128) are noise. */
const MIN_BLOB_AREA = 4;

export const IMAGE_STATISTICS_FEATURES: readonly string[] = [
  ...Array.from({ length: HIST_BINS }, (_, i) => `hist_${i}`),
  ...Array.from({ length: GRID * GRID }, (_, i) => `grid_mean_r${Math.floor(i / GRID)}c${i % GRID}`),
  'grad_mean',
  'grad_std',
  'grad_p50',
  'grad_p90',
  'grad_p99',
  ...Array.from({ length: ORIENT_BINS }, (_, i) => `grad_orient_${i}`),
  'blob_count_log',
  'blob_area_fraction',
  'blob_size_mean',
  'blob_size_std',
  'blob_depth_mean',
  'blob_depth_std',
  'blob_centroid_x_mean',
  'blob_centroid_y_mean',
  'blob_centroid_x_std',
  'blob_centroid_y_std',
  'blob_elongation_mean',
  'blob_nn_distance_mean',
];

export const IMAGE_STATISTICS_DIM = IMAGE_STATISTICS_FEATURES.length;

/** Area-resampling weights for one axis: output i covers [i·s, (i+1)·s) of the input, s = in/out. */
function areaWeights(inSize: number, outSize: number): Array<Array<[number, number]>> {
  const scale = inSize / outSize;
  const weights: Array<Array<[number, number]>> = [];
  for (let i = 0; i < outSize; i++) {
    const lo = i * scale;
    const hi = (i + 1) * scale;
    const taps: Array<[number, number]> = [];
    for (let j = Math.floor(lo); j < Math.min(inSize, Math.ceil(hi)); j++) {
      const overlap = Math.min(hi, j + 1) - Math.max(lo, j);
      if (overlap > 0) taps.push([j, overlap / scale]);
    }
    weights.push(taps);
  }
  return weights;
}

/** Luminance 0..1 at WORK × WORK. */
export function workingLuminance(image: RgbaPixels): Float64Array {
  assertRgbaPixels(image);
  const { width, height, pixels } = image;
  const lum = new Float64Array(width * height);
  for (let i = 0; i < width * height; i++) lum[i] = (0.299 * pixels[i * 4] + 0.587 * pixels[i * 4 + 1] + 0.114 * pixels[i * 4 + 2]) / 255;
  const wx = areaWeights(width, WORK);
  const wy = areaWeights(height, WORK);
  const rows = new Float64Array(height * WORK);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < WORK; x++) {
      let s = 0;
      for (const [j, w] of wx[x]) s += lum[y * width + j] * w;
      rows[y * WORK + x] = s;
    }
  }
  const out = new Float64Array(WORK * WORK);
  for (let y = 0; y < WORK; y++) {
    for (let x = 0; x < WORK; x++) {
      let s = 0;
      for (const [j, w] of wy[y]) s += rows[j * WORK + x] * w;
      out[y * WORK + x] = s;
    }
  }
  return out;
}

function quantile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function meanStd(values: readonly number[]): [number, number] {
  if (values.length === 0) return [0, 0];
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  return [mean, Math.sqrt(variance)];
}

function histogramFeatures(lum: Float64Array, out: number[]): void {
  const hist = new Array<number>(HIST_BINS).fill(0);
  for (const v of lum) hist[Math.min(HIST_BINS - 1, Math.max(0, Math.floor(v * HIST_BINS)))]++;
  for (const h of hist) out.push(h / lum.length);
}

function gridFeatures(lum: Float64Array, out: number[]): void {
  const cell = WORK / GRID;
  for (let gy = 0; gy < GRID; gy++) {
    for (let gx = 0; gx < GRID; gx++) {
      let s = 0;
      for (let y = gy * cell; y < (gy + 1) * cell; y++) for (let x = gx * cell; x < (gx + 1) * cell; x++) s += lum[y * WORK + x];
      out.push(s / (cell * cell));
    }
  }
}

/** Sobel gradients (borders replicated); magnitude divided by 4 so a unit step gives 1. */
function gradientFeatures(lum: Float64Array, out: number[]): void {
  const at = (x: number, y: number) => lum[Math.min(WORK - 1, Math.max(0, y)) * WORK + Math.min(WORK - 1, Math.max(0, x))];
  const magnitude = new Float64Array(WORK * WORK);
  const orient = new Array<number>(ORIENT_BINS).fill(0);
  let total = 0;
  for (let y = 0; y < WORK; y++) {
    for (let x = 0; x < WORK; x++) {
      const gx = at(x + 1, y - 1) + 2 * at(x + 1, y) + at(x + 1, y + 1) - at(x - 1, y - 1) - 2 * at(x - 1, y) - at(x - 1, y + 1);
      const gy = at(x - 1, y + 1) + 2 * at(x, y + 1) + at(x + 1, y + 1) - at(x - 1, y - 1) - 2 * at(x, y - 1) - at(x + 1, y - 1);
      const m = Math.hypot(gx, gy) / 4;
      magnitude[y * WORK + x] = m;
      // Unsigned orientation in [0, π), weighted by magnitude.
      let angle = Math.atan2(gy, gx);
      if (angle < 0) angle += Math.PI;
      orient[Math.min(ORIENT_BINS - 1, Math.floor((angle / Math.PI) * ORIENT_BINS))] += m;
      total += m;
    }
  }
  const values = Array.from(magnitude);
  const [mean, std] = meanStd(values);
  const sorted = Float64Array.from(magnitude).sort();
  out.push(mean, std, quantile(sorted, 0.5), quantile(sorted, 0.9), quantile(sorted, 0.99));
  for (const o of orient) out.push(total > 0 ? o / total : 0);
}

/** Box mean over a (2r+1)² window, clipped at the borders, via a summed-area table. */
function boxMean(lum: Float64Array, r: number): Float64Array {
  const n = WORK + 1;
  const sat = new Float64Array(n * n);
  for (let y = 0; y < WORK; y++) {
    for (let x = 0; x < WORK; x++) sat[(y + 1) * n + x + 1] = lum[y * WORK + x] + sat[y * n + x + 1] + sat[(y + 1) * n + x] - sat[y * n + x];
  }
  const out = new Float64Array(WORK * WORK);
  for (let y = 0; y < WORK; y++) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(WORK, y + r + 1);
    for (let x = 0; x < WORK; x++) {
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(WORK, x + r + 1);
      const sum = sat[y1 * n + x1] - sat[y0 * n + x1] - sat[y1 * n + x0] + sat[y0 * n + x0];
      out[y * WORK + x] = sum / ((y1 - y0) * (x1 - x0));
    }
  }
  return out;
}

interface Blob {
  area: number;
  cx: number;
  cy: number;
  depth: number;
  elongation: number;
}

/** Dark blobs: 4-connected components of pixels below DARK_RATIO × local background. */
export function findDarkBlobs(lum: Float64Array): Blob[] {
  const background = boxMean(lum, BACKGROUND_RADIUS);
  const ratio = new Float64Array(WORK * WORK);
  const dark = new Uint8Array(WORK * WORK);
  for (let i = 0; i < dark.length; i++) {
    ratio[i] = lum[i] / Math.max(background[i], 1 / 255);
    dark[i] = ratio[i] < DARK_RATIO ? 1 : 0;
  }
  const label = new Int32Array(WORK * WORK).fill(-1);
  const blobs: Blob[] = [];
  const stack: number[] = [];
  for (let seed = 0; seed < dark.length; seed++) {
    if (!dark[seed] || label[seed] >= 0) continue;
    let area = 0;
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let syy = 0;
    let sxy = 0;
    let depth = 0;
    stack.push(seed);
    label[seed] = blobs.length;
    while (stack.length) {
      const p = stack.pop()!;
      const x = p % WORK;
      const y = (p - x) / WORK;
      area++;
      sx += x;
      sy += y;
      sxx += x * x;
      syy += y * y;
      sxy += x * y;
      depth += 1 - ratio[p];
      const neighbours = [x > 0 ? p - 1 : -1, x < WORK - 1 ? p + 1 : -1, y > 0 ? p - WORK : -1, y < WORK - 1 ? p + WORK : -1];
      for (const q of neighbours) {
        if (q >= 0 && dark[q] && label[q] < 0) {
          label[q] = blobs.length;
          stack.push(q);
        }
      }
    }
    const cx = sx / area;
    const cy = sy / area;
    // Second central moments → eigenvalues of the covariance; elongation = 1 − λmin/λmax.
    const vxx = sxx / area - cx * cx;
    const vyy = syy / area - cy * cy;
    const vxy = sxy / area - cx * cy;
    const tr = vxx + vyy;
    const disc = Math.sqrt(Math.max(0, (vxx - vyy) ** 2 / 4 + vxy * vxy));
    const lmax = tr / 2 + disc;
    const lmin = tr / 2 - disc;
    const elongation = lmax > 0 ? 1 - Math.max(0, lmin) / lmax : 0;
    blobs.push({ area, cx: (cx + 0.5) / WORK, cy: (cy + 0.5) / WORK, depth: depth / area, elongation });
  }
  return blobs.filter((b) => b.area >= MIN_BLOB_AREA);
}

function blobFeatures(lum: Float64Array, out: number[]): void {
  const blobs = findDarkBlobs(lum);
  const n = blobs.length;
  const pixels = WORK * WORK;
  // log1p(count)/log(65): 0 for none, 1 for 64 blobs.
  out.push(Math.log1p(n) / Math.log(65));
  out.push(blobs.reduce((s, b) => s + b.area, 0) / pixels);
  // Size as equivalent radius over the side: sqrt(area / pixels).
  const [sizeMean, sizeStd] = meanStd(blobs.map((b) => Math.sqrt(b.area / pixels)));
  out.push(sizeMean, sizeStd);
  const [depthMean, depthStd] = meanStd(blobs.map((b) => b.depth));
  out.push(depthMean, depthStd);
  const [cxMean, cxStd] = meanStd(blobs.map((b) => b.cx));
  const [cyMean, cyStd] = meanStd(blobs.map((b) => b.cy));
  // No blobs: centroid features sit at the centre with no spread, so "none" is not "top-left".
  out.push(n ? cxMean : 0.5, n ? cyMean : 0.5, cxStd, cyStd);
  out.push(meanStd(blobs.map((b) => b.elongation))[0]);
  const nn = blobs.map((a, i) => Math.min(...blobs.filter((_, j) => j !== i).map((b) => Math.hypot(a.cx - b.cx, a.cy - b.cy))));
  out.push(n >= 2 ? meanStd(nn)[0] : 0);
}

/** The image-statistics vector (IMAGE_STATISTICS_DIM values, named by IMAGE_STATISTICS_FEATURES). */
export function imageStatisticsEmbedding(image: RgbaPixels): Float32Array {
  const lum = workingLuminance(image);
  const out: number[] = [];
  histogramFeatures(lum, out);
  gridFeatures(lum, out);
  gradientFeatures(lum, out);
  blobFeatures(lum, out);
  if (out.length !== IMAGE_STATISTICS_DIM) throw new Error(`image statistics: ${out.length} features, expected ${IMAGE_STATISTICS_DIM}`);
  return Float32Array.from(out);
}
