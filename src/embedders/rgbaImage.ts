/**
 * The embedder's input: 8-bit RGBA pixels, row-major, 4 bytes per pixel. Structurally the same as the
 * generator's RgbaImage (src/runtime/generate/types.ts), so generated images go in as they come out.
 */
export interface RgbaPixels {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8ClampedArray | Uint8Array;
  /** The model input made from these pixels ahead of embedding (preprocess.ts, prepareModelInput). */
  readonly prepared?: PreparedInput;
}

/**
 * One image's pixel_values [3, cropHeight, cropWidth], made where the image was made (the generator
 * worker) so that resizing and normalising overlap the model's run instead of delaying it; `specKey`
 * names the preprocessing it was made with, and the embedder uses it only when that is its own.
 */
export interface PreparedInput {
  readonly specKey: string;
  readonly data: Float32Array;
}

/** Throws with the image's index and the reason when the buffer does not hold width × height RGBA pixels. */
export function assertRgbaPixels(image: RgbaPixels, label = 'image'): void {
  const { width, height, pixels } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`${label}: size ${width}×${height} is not a positive whole number of pixels`);
  }
  if (!pixels || pixels.length !== width * height * 4) {
    throw new Error(`${label}: ${width}×${height} RGBA needs ${width * height * 4} bytes, got ${pixels?.length ?? 'none'}`);
  }
}
