import { describe, expect, it } from 'vitest';
import { IMAGE_STATISTICS_DIM, IMAGE_STATISTICS_FEATURES, IMAGE_STATISTICS_LABEL, findDarkBlobs, imageStatisticsEmbedding, workingLuminance } from '../../../src/embedders/imageStatistics';
import type { RgbaPixels } from '../../../src/embedders/rgbaImage';
import { fixtureImageNames, loadFixtureImage } from './fixtures';

/** A grey chip (value 180) with dark discs (value 180·factor) at the given centres (fractions of size). */
function chipWithVoids(size: number, voids: Array<[number, number]>, radius: number, factor = 0.5): RgbaPixels {
  const pixels = new Uint8ClampedArray(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const inVoid = voids.some(([cx, cy]) => Math.hypot(x - cx * size, y - cy * size) < radius);
      const v = inVoid ? 180 * factor : 180;
      pixels.set([v, v, v, 255], (y * size + x) * 4);
    }
  }
  return { width: size, height: size, pixels };
}

const feature = (v: Float32Array, name: string) => v[IMAGE_STATISTICS_FEATURES.indexOf(name)];

describe('image-statistics embedder (not DINOv2)', () => {
  it('is labelled as not DINOv2 and has a fixed length with a name per feature', () => {
    expect(IMAGE_STATISTICS_LABEL).toMatch(/not DINOv2/);
    expect(IMAGE_STATISTICS_DIM).toBe(57);
    expect(new Set(IMAGE_STATISTICS_FEATURES).size).toBe(57);
    for (const name of fixtureImageNames()) {
      const v = imageStatisticsEmbedding(loadFixtureImage(name));
      expect(v).toHaveLength(57);
      expect(v.every(Number.isFinite)).toBe(true);
      expect(Math.max(...v.map(Math.abs))).toBeLessThan(2);
    }
  });

  it('counts dark blobs, their size, depth and position', () => {
    const three = imageStatisticsEmbedding(chipWithVoids(256, [[0.25, 0.25], [0.5, 0.7], [0.75, 0.3]], 12));
    const none = imageStatisticsEmbedding(chipWithVoids(256, [], 12));
    expect(findDarkBlobs(workingLuminance(chipWithVoids(256, [[0.25, 0.25], [0.5, 0.7], [0.75, 0.3]], 12)))).toHaveLength(3);
    expect(feature(three, 'blob_count_log')).toBeCloseTo(Math.log(4) / Math.log(65), 6);
    expect(feature(none, 'blob_count_log')).toBe(0);
    expect(feature(three, 'blob_centroid_x_mean')).toBeCloseTo(0.5, 1);
    // Depth ≈ 1 − 0.5/background: a 0.5 brightness factor reads as roughly half-dark.
    expect(feature(three, 'blob_depth_mean')).toBeGreaterThan(0.35);
    expect(feature(three, 'blob_depth_mean')).toBeLessThan(0.6);
    const bigger = imageStatisticsEmbedding(chipWithVoids(256, [[0.25, 0.25], [0.5, 0.7], [0.75, 0.3]], 20));
    expect(feature(bigger, 'blob_size_mean')).toBeGreaterThan(feature(three, 'blob_size_mean'));
    const fainter = imageStatisticsEmbedding(chipWithVoids(256, [[0.25, 0.25], [0.5, 0.7], [0.75, 0.3]], 12, 0.75));
    expect(feature(fainter, 'blob_depth_mean')).toBeLessThan(feature(three, 'blob_depth_mean'));
  });

  it('does not depend on resolution for the same scene', () => {
    const small = imageStatisticsEmbedding(chipWithVoids(256, [[0.3, 0.4], [0.7, 0.6]], 14));
    const large = imageStatisticsEmbedding(chipWithVoids(512, [[0.3, 0.4], [0.7, 0.6]], 28));
    const distance = Math.hypot(...small.map((v, i) => v - large[i]));
    const other = imageStatisticsEmbedding(chipWithVoids(256, [[0.3, 0.4]], 30));
    expect(distance).toBeLessThan(0.1);
    expect(Math.hypot(...small.map((v, i) => v - other[i]))).toBeGreaterThan(3 * distance);
  });

  it('reports a uniform image as flat: one histogram bin, no gradient, no blobs', () => {
    const v = imageStatisticsEmbedding(chipWithVoids(64, [], 1));
    expect(feature(v, `hist_${Math.floor((180 / 255) * 16)}`)).toBeCloseTo(1, 6);
    expect(feature(v, 'grad_mean')).toBeCloseTo(0, 12);
    expect(feature(v, 'blob_area_fraction')).toBe(0);
    expect(feature(v, 'blob_centroid_x_mean')).toBe(0.5);
  });
});
