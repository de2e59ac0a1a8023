import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, inflateSync } from 'node:zlib';
import type { RgbaPixels } from '../../../src/embedders/rgbaImage';

export const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');
export const IMAGE_DIR = join(FIXTURES, 'images');
export const TINY_MODEL = join(FIXTURES, 'models', 'dinov2-tiny.onnx');

export function fixtureImageNames(): string[] {
  return readdirSync(IMAGE_DIR).filter((f) => f.endsWith('.png')).sort();
}

/**
 * A minimal PNG decoder for the committed fixtures (8-bit, non-interlaced; grey, grey+alpha, RGB, RGBA;
 * all five row filters), to RGBA as a browser's getImageData gives it for an opaque image.
 */
export function decodePng(bytes: Uint8Array): RgbaPixels {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 8;
  let width = 0;
  let height = 0;
  let colourType = 0;
  const idat: Uint8Array[] = [];
  while (offset < bytes.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = view.getUint32(offset + 8);
      height = view.getUint32(offset + 12);
      if (data[8] !== 8 || data[12] !== 0) throw new Error('decodePng: only 8-bit non-interlaced PNGs');
      colourType = data[9];
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    offset += 12 + length;
  }
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[colourType];
  if (!channels) throw new Error(`decodePng: colour type ${colourType} not supported`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const samples = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? samples[y * stride + i - channels] : 0;
      const b = y > 0 ? samples[(y - 1) * stride + i] : 0;
      const c = y > 0 && i >= channels ? samples[(y - 1) * stride + i - channels] : 0;
      let predictor = 0;
      if (filter === 1) predictor = a;
      else if (filter === 2) predictor = b;
      else if (filter === 3) predictor = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      samples[y * stride + i] = (line[i] + predictor) & 0xff;
    }
  }
  const pixels = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    const s = samples.subarray(p * channels, (p + 1) * channels);
    const [r, g, b, alpha] = channels === 1 ? [s[0], s[0], s[0], 255] : channels === 2 ? [s[0], s[0], s[0], s[1]] : channels === 3 ? [s[0], s[1], s[2], 255] : [s[0], s[1], s[2], s[3]];
    pixels.set([r, g, b, alpha], p * 4);
  }
  return { width, height, pixels };
}

export function loadFixtureImage(name: string): RgbaPixels {
  return decodePng(readFileSync(join(IMAGE_DIR, name)));
}

/** Reads a gzipped little-endian float32 .npy written by scripts/preprocess_goldens.py. */
export function loadGolden(imageName: string): { shape: number[]; data: Float32Array } {
  const npy = gunzipSync(readFileSync(join(IMAGE_DIR, 'goldens', imageName.replace(/\.png$/, '.pixel_values.npy.gz'))));
  if (npy.subarray(0, 6).toString('latin1') !== '\x93NUMPY') throw new Error(`${imageName}: golden is not a .npy file`);
  const headerLength = npy.readUInt16LE(8);
  const header = npy.subarray(10, 10 + headerLength).toString('latin1');
  if (!header.includes("'descr': '<f4'") || !header.includes("'fortran_order': False")) throw new Error(`${imageName}: golden header ${header}`);
  const shape = (/'shape': \(([^)]*)\)/.exec(header)?.[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const body = npy.subarray(10 + headerLength);
  const data = new Float32Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
  return { shape, data };
}
