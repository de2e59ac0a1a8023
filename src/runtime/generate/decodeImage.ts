import * as UTIF from 'utif2';
import { ImageFileError, readImageHeader, type ImageHeader } from '../../embedders/images/header';
import type { RgbaImage } from './types';

/**
 * Decodes an image file to 8-bit RGBA in a worker. The header is checked first (format, size limit,
 * truncation). PNG, JPEG, WebP and BMP go through the browser's decoder (createImageBitmap, with colour
 * management and premultiplication off, so pixel values are the file's own); TIFF through UTIF (the
 * browser has no TIFF decoder), which also covers 16-bit greyscale X-ray exports (scaled to 8 bits).
 */
export async function decodeImage(bytes: ArrayBuffer): Promise<{ header: ImageHeader; image: RgbaImage; bitDepth: number }> {
  const view = new Uint8Array(bytes);
  const header = readImageHeader(view);
  if (header.format === 'tiff') return { header, ...decodeTiff(bytes, header) };
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes]), { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch {
    throw new ImageFileError(`the ${header.format.toUpperCase()} data is corrupt and could not be decoded`);
  }
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('OffscreenCanvas 2D is not available in this browser');
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  return { header, image: { width: canvas.width, height: canvas.height, pixels: data }, bitDepth: pngBitDepth(view) ?? 8 };
}

function decodeTiff(bytes: ArrayBuffer, header: ImageHeader): { image: RgbaImage; bitDepth: number } {
  try {
    const ifds = UTIF.decode(bytes);
    const ifd = ifds[0];
    if (!ifd) throw new Error('no image directory');
    UTIF.decodeImage(bytes, ifd);
    const bps = Array.isArray(ifd.t258) ? Number(ifd.t258[0]) : 8;
    const rgba = UTIF.toRGBA8(ifd);
    if (rgba.length !== ifd.width * ifd.height * 4) throw new Error('pixel data is shorter than the image');
    return {
      image: { width: ifd.width, height: ifd.height, pixels: new Uint8ClampedArray(rgba.buffer as ArrayBuffer, rgba.byteOffset, rgba.length) },
      bitDepth: bps,
    };
  } catch (e) {
    void header;
    throw new ImageFileError(`the TIFF data is corrupt or uses an unsupported encoding (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** PNG bit depth from IHDR (byte 24), for the info line; other formats report 8. */
function pngBitDepth(b: Uint8Array): number | null {
  return b.length > 24 && b[0] === 0x89 && b[1] === 0x50 ? b[24] : null;
}

/** A PNG thumbnail with the longest side at most `maxSide`. */
export async function thumbnailPng(image: RgbaImage, maxSide = 160): Promise<Blob> {
  const scale = Math.min(1, maxSide / Math.max(image.width, image.height));
  const source = new OffscreenCanvas(image.width, image.height);
  source.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(image.pixels), image.width, image.height), 0, 0);
  const target = new OffscreenCanvas(Math.max(1, Math.round(image.width * scale)), Math.max(1, Math.round(image.height * scale)));
  const ctx = target.getContext('2d')!;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(source, 0, 0, target.width, target.height);
  return target.convertToBlob({ type: 'image/png' });
}

/** RGBA pixels → PNG blob. */
export async function encodePngBlob(image: RgbaImage): Promise<Blob> {
  const canvas = new OffscreenCanvas(image.width, image.height);
  canvas.getContext('2d')!.putImageData(new ImageData(image.pixels, image.width, image.height), 0, 0);
  return canvas.convertToBlob({ type: 'image/png' });
}

export async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
