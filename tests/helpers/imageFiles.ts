/** Image files of every accepted format, built byte by byte for the bad-input and decoding tests. */
import { encodePng } from '../../scripts/lib/png';

export { encodePng };

/** A 24-bit uncompressed BMP (BITMAPINFOHEADER, bottom-up rows padded to 4 bytes). */
export function encodeBmp(width: number, height: number, grey: (x: number, y: number) => number): Buffer {
  const rowBytes = Math.ceil((width * 3) / 4) * 4;
  const size = 54 + rowBytes * height;
  const b = Buffer.alloc(size);
  b.write('BM', 0, 'ascii');
  b.writeUInt32LE(size, 2);
  b.writeUInt32LE(54, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(width, 18);
  b.writeInt32LE(height, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(24, 28);
  b.writeUInt32LE(rowBytes * height, 34);
  for (let y = 0; y < height; y++) {
    const row = 54 + (height - 1 - y) * rowBytes;
    for (let x = 0; x < width; x++) b.fill(grey(x, y), row + x * 3, row + x * 3 + 3);
  }
  return b;
}

/** An uncompressed greyscale TIFF (little-endian, one strip), 8 or 16 bits per sample. */
export function encodeTiffGrey(width: number, height: number, bitDepth: 8 | 16, value: (x: number, y: number) => number): Buffer {
  const bytesPerSample = bitDepth / 8;
  const pixelBytes = width * height * bytesPerSample;
  const entries: Array<[tag: number, type: number, value: number]> = [
    [256, 4, width], // ImageWidth (LONG)
    [257, 4, height], // ImageLength
    [258, 3, bitDepth], // BitsPerSample (SHORT)
    [259, 3, 1], // Compression: none
    [262, 3, 1], // Photometric: BlackIsZero
    [273, 4, 8], // StripOffsets: pixels right after the 8-byte header
    [277, 3, 1], // SamplesPerPixel
    [278, 4, height], // RowsPerStrip
    [279, 4, pixelBytes], // StripByteCounts
  ];
  const ifdOffset = 8 + pixelBytes + (pixelBytes % 2);
  const b = Buffer.alloc(ifdOffset + 2 + entries.length * 12 + 4);
  b.write('II', 0, 'ascii');
  b.writeUInt16LE(42, 2);
  b.writeUInt32LE(ifdOffset, 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = 8 + (y * width + x) * bytesPerSample;
      if (bitDepth === 8) b[o] = value(x, y);
      else b.writeUInt16LE(value(x, y), o);
    }
  }
  b.writeUInt16LE(entries.length, ifdOffset);
  entries.forEach(([tag, type, v], i) => {
    const e = ifdOffset + 2 + i * 12;
    b.writeUInt16LE(tag, e);
    b.writeUInt16LE(type, e + 2);
    b.writeUInt32LE(1, e + 4);
    if (type === 3) b.writeUInt16LE(v, e + 8);
    else b.writeUInt32LE(v, e + 8);
  });
  return b;
}

/** A greyscale PNG with a gradient, 8 or 16 bits. */
export function greyPng(width: number, height: number, bitDepth: 8 | 16 = 8): Buffer {
  const max = bitDepth === 8 ? 255 : 65535;
  const samples = bitDepth === 8 ? new Uint8Array(width * height) : new Uint16Array(width * height);
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(((i % width) / Math.max(1, width - 1)) * max);
  return encodePng(width, height, 1, samples, bitDepth);
}
