/**
 * Reads an image file's format and size from its header, without decoding pixels, and checks that the
 * file is structurally complete. This runs before any decoder so that an oversized, truncated or
 * mislabelled file gets a precise message (browsers' decoders silently render a truncated JPEG as grey).
 */
export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'bmp' | 'tiff';

export interface ImageHeader {
  format: ImageFormat;
  width: number;
  height: number;
}

/** Largest accepted side, in pixels. */
export const MAX_IMAGE_SIDE = 8192;

export class ImageFileError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ImageFileError';
  }
}

const fail = (reason: string): never => {
  throw new ImageFileError(reason);
};

export function sniffFormat(b: Uint8Array): ImageFormat | null {
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return 'webp';
  if (b.length >= 2 && b[0] === 0x42 && b[1] === 0x4d) return 'bmp';
  if (b.length >= 4 && ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a && b[3] === 0) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && b[3] === 0x2a))) return 'tiff';
  return null;
}

/**
 * Format and size from the header; throws ImageFileError with a reason for an empty file, an unknown
 * format, a truncated file, or a side over MAX_IMAGE_SIDE.
 */
export function readImageHeader(b: Uint8Array): ImageHeader {
  if (b.length === 0) fail('the file is empty (0 bytes)');
  const format = sniffFormat(b);
  if (!format) fail('not a supported image: expected PNG, JPEG, WebP, BMP or TIFF');
  const header = HEADER_READERS[format!](b);
  if (!(header.width > 0 && header.height > 0)) fail(`the ${format!.toUpperCase()} header gives a size of ${header.width}×${header.height}`);
  if (header.width > MAX_IMAGE_SIDE || header.height > MAX_IMAGE_SIDE) {
    fail(`the image is ${header.width}×${header.height} px; the limit is ${MAX_IMAGE_SIDE} px on a side`);
  }
  return header;
}

const HEADER_READERS: Record<ImageFormat, (b: Uint8Array) => ImageHeader> = {
  png(b) {
    if (b.length < 33 || ascii(b, 12, 4) !== 'IHDR') fail('truncated or corrupt PNG: no IHDR chunk');
    const header = { format: 'png' as const, width: u32be(b, 16), height: u32be(b, 20) };
    // Walk the chunks: every chunk must fit in the file, and the last one must be IEND.
    let offset = 8;
    let sawIend = false;
    while (offset + 8 <= b.length) {
      const length = u32be(b, offset);
      const type = ascii(b, offset + 4, 4);
      if (offset + 12 + length > b.length) fail(`truncated PNG: the ${type} chunk runs past the end of the file`);
      offset += 12 + length;
      if (type === 'IEND') {
        sawIend = true;
        break;
      }
    }
    if (!sawIend) fail('truncated PNG: the file ends before its IEND chunk');
    return header;
  },
  jpeg(b) {
    // Scan marker segments to the first start-of-frame (SOF0..SOF15 but DHT C4, JPG C8, DAC CC).
    let offset = 2;
    let size: ImageHeader | null = null;
    while (offset + 4 <= b.length) {
      if (b[offset] !== 0xff) fail('corrupt JPEG: bad marker structure');
      const marker = b[offset + 1];
      if (marker === 0xff) {
        offset++;
        continue;
      }
      const length = u16be(b, offset + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        if (offset + 9 > b.length) break;
        size = { format: 'jpeg', height: u16be(b, offset + 5), width: u16be(b, offset + 7) };
        break;
      }
      offset += 2 + length;
    }
    if (!size) fail('truncated or corrupt JPEG: no frame header');
    // A complete JPEG ends with EOI (FFD9); allow trailing padding some writers add.
    let end = b.length - 1;
    while (end > 0 && b[end] === 0x00) end--;
    if (!(b[end - 1] === 0xff && b[end] === 0xd9)) fail('truncated JPEG: the file ends before its end-of-image marker');
    return size!;
  },
  webp(b) {
    const riffSize = u32le(b, 4);
    if (riffSize + 8 > b.length) fail(`truncated WebP: the header announces ${riffSize + 8} bytes, the file has ${b.length}`);
    const chunk = ascii(b, 12, 4);
    if (chunk === 'VP8 ' && b.length >= 30) return { format: 'webp', width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
    if (chunk === 'VP8L' && b.length >= 25) {
      const bits = u32le(b, 21);
      return { format: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
    }
    if (chunk === 'VP8X' && b.length >= 30) return { format: 'webp', width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
    return fail('corrupt WebP: unknown or truncated image chunk');
  },
  bmp(b) {
    if (b.length < 26) fail('truncated BMP: the header is incomplete');
    const fileSize = u32le(b, 2);
    if (fileSize > b.length) fail(`truncated BMP: the header announces ${fileSize} bytes, the file has ${b.length}`);
    const dibSize = u32le(b, 14);
    if (dibSize === 12) return { format: 'bmp', width: u16le(b, 18), height: u16le(b, 20) };
    const height = (b[22] | (b[23] << 8) | (b[24] << 16) | (b[25] << 24)) as number;
    return { format: 'bmp', width: Math.abs(u32le(b, 18) | 0), height: Math.abs(height) };
  },
  tiff(b) {
    const little = b[0] === 0x49;
    const u16 = (o: number) => (little ? u16le(b, o) : u16be(b, o));
    const u32 = (o: number) => (little ? u32le(b, o) : u32be(b, o));
    const ifd = u32(4);
    if (ifd + 2 > b.length) fail('truncated TIFF: the first image directory lies past the end of the file');
    const count = u16(ifd);
    if (ifd + 2 + count * 12 > b.length) fail('truncated TIFF: the image directory runs past the end of the file');
    let width = 0;
    let height = 0;
    for (let i = 0; i < count; i++) {
      const e = ifd + 2 + i * 12;
      const tag = u16(e);
      const type = u16(e + 2);
      const value = type === 3 ? u16(e + 8) : u32(e + 8);
      if (tag === 256) width = value;
      if (tag === 257) height = value;
    }
    return { format: 'tiff', width, height };
  },
};

function ascii(b: Uint8Array, offset: number, length: number): string {
  return String.fromCharCode(...b.subarray(offset, offset + length));
}
const u16be = (b: Uint8Array, o: number) => (b[o] << 8) | b[o + 1];
const u16le = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8);
const u24le = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8) | (b[o + 2] << 16);
const u32be = (b: Uint8Array, o: number) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
const u32le = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
