import { describe, expect, it } from 'vitest';
import {
  DINOV2_PREPROCESS,
  centerCropOffsets,
  prepareModelInput,
  preprocessBatch,
  preprocessImage,
  preprocessKey,
  preprocessSpecForInput,
  resizedSize,
} from '../../../src/embedders/preprocess';
import { resizeBicubicPil } from '../../../src/embedders/pilBicubic';
import { fixtureImageNames, loadFixtureImage, loadGolden } from './fixtures';

/**
 * Tolerance against the PIL/numpy golden (scripts/preprocess_goldens.py): 1e-6 absolute on normalised
 * values. One 8-bit level is 1/255/0.229 ≈ 0.017 after normalisation, so this admits no level error;
 * the resize reproduces Pillow's fixed-point arithmetic and the tensors come out identical (max |Δ| = 0).
 * Pillow's kernel with a = −0.75 instead of −0.5 already differs by 0.05.
 */
const TOLERANCE = 1e-6;

describe('DINOv2 preprocessing vs the PIL/numpy golden', () => {
  const names = fixtureImageNames();

  it('has the fixtures the golden script covers (grey, RGB, RGBA, upscale, no-resize)', () => {
    expect(names).toEqual(['chip_gray_300x400.png', 'chip_rgb_150x97.png', 'chip_rgb_400x300.png', 'chip_rgba_256x256.png']);
  });

  for (const name of names) {
    it(`${name}: pixel_values equal the golden within ${TOLERANCE}`, () => {
      const image = loadFixtureImage(name);
      const golden = loadGolden(name);
      expect(golden.shape).toEqual([3, 224, 224]);
      const ours = preprocessImage(image);
      expect(ours.length).toBe(golden.data.length);
      let maxDiff = 0;
      let worst = -1;
      for (let i = 0; i < ours.length; i++) {
        const d = Math.abs(ours[i] - golden.data[i]);
        if (d > maxDiff) {
          maxDiff = d;
          worst = i;
        }
      }
      expect(maxDiff, `largest difference at flat index ${worst}`).toBeLessThanOrEqual(TOLERANCE);
    });
  }

  it('a batch is the images one after another', () => {
    const a = loadFixtureImage('chip_rgb_150x97.png');
    const b = loadFixtureImage('chip_gray_300x400.png');
    const batch = preprocessBatch([a, b]);
    const size = 3 * 224 * 224;
    expect(batch.length).toBe(2 * size);
    expect(Array.from(batch.subarray(size, size + 50))).toEqual(Array.from(preprocessImage(b).subarray(0, 50)));
  });

  it('names the bad image in a batch', () => {
    const good = loadFixtureImage('chip_rgb_150x97.png');
    expect(() => preprocessBatch([good, { width: 10, height: 10, pixels: new Uint8ClampedArray(12) }])).toThrow(
      /image 1: .*10×10 RGBA needs 400 bytes, got 12/,
    );
  });
});

describe('resize geometry (transformers get_resize_output_image_size and center_crop)', () => {
  it('scales the short side to 256 and truncates the long side', () => {
    expect(resizedSize(400, 300, 256)).toEqual([341, 256]); // int(256·400/300) = 341
    expect(resizedSize(300, 400, 256)).toEqual([256, 341]);
    expect(resizedSize(97, 150, 256)).toEqual([256, 395]); // int(395.87)
    expect(resizedSize(256, 256, 256)).toEqual([256, 256]);
  });
  it('crops at floor((size − crop) / 2)', () => {
    expect(centerCropOffsets(341, 256, 224, 224)).toEqual([58, 16]);
  });
  it('scales the resize edge for a fixed non-224 input', () => {
    expect(preprocessSpecForInput(224, 224)).toBe(DINOV2_PREPROCESS);
    expect(preprocessSpecForInput(518, 518)).toMatchObject({ cropHeight: 518, cropWidth: 518, shortestEdge: 592 });
  });
});

describe('Pillow bicubic', () => {
  it('keeps a constant image constant (weights sum to one in fixed point)', () => {
    const flat = new Uint8Array(37 * 23).fill(173);
    const out = resizeBicubicPil(flat, 37, 23, 1, 11, 64);
    expect(new Set(out)).toEqual(new Set([173]));
  });
  it('overshoots and clamps at a hard edge (negative lobes, a = −0.5)', () => {
    const step = new Uint8Array(16).map((_, i) => (i < 8 ? 0 : 255));
    const out = resizeBicubicPil(step, 16, 1, 1, 40, 1);
    expect(out[0]).toBe(0);
    expect(out[39]).toBe(255);
    expect(Math.min(...out)).toBe(0);
  });
});

describe('model inputs prepared ahead (prepareModelInput)', () => {
  const image = (k: number) => {
    const pixels = new Uint8ClampedArray(300 * 260 * 4);
    for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7 + k * 31) % 256;
    return { width: 300, height: 260, pixels };
  };

  it('are what preprocessImage makes, and a batch takes them as they are', () => {
    const a = image(1);
    const b = image(2);
    const prepared = prepareModelInput(b, DINOV2_PREPROCESS);
    expect(prepared.specKey).toBe(preprocessKey(DINOV2_PREPROCESS));
    expect(Array.from(prepared.data)).toEqual(Array.from(preprocessImage(b, DINOV2_PREPROCESS)));
    // Marked data shows the batch copied the prepared input instead of preprocessing the pixels again.
    const marked = { specKey: prepared.specKey, data: prepared.data.map((v, i) => (i === 0 ? 42 : v)) };
    const batch = preprocessBatch([a, { ...b, prepared: marked }], DINOV2_PREPROCESS);
    const size = 3 * 224 * 224;
    expect(Array.from(batch.subarray(0, size))).toEqual(Array.from(preprocessImage(a, DINOV2_PREPROCESS)));
    expect(batch[size]).toBe(42);
    expect(Array.from(batch.subarray(size + 1))).toEqual(Array.from(prepared.data.subarray(1)));
  });

  it('are ignored when made for another preprocessing: the pixels are preprocessed for this one', () => {
    const b = image(3);
    const other = preprocessSpecForInput(112, 112);
    const batch = preprocessBatch([{ ...b, prepared: prepareModelInput(b, other) }], DINOV2_PREPROCESS);
    expect(Array.from(batch)).toEqual(Array.from(preprocessImage(b, DINOV2_PREPROCESS)));
    expect(preprocessKey(other)).not.toBe(preprocessKey(DINOV2_PREPROCESS));
  });
});
