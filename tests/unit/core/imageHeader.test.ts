import { describe, expect, it } from 'vitest';
import { readImageHeader, sniffFormat } from '../../../src/embedders/images/header';
import { encodeBmp, encodeTiffGrey, greyPng } from '../../helpers/imageFiles';

const u8 = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.length);

describe('readImageHeader', () => {
  it('reads format and size of PNG, BMP and TIFF', () => {
    expect(readImageHeader(u8(greyPng(40, 30)))).toEqual({ format: 'png', width: 40, height: 30 });
    expect(readImageHeader(u8(encodeBmp(33, 17, () => 0)))).toEqual({ format: 'bmp', width: 33, height: 17 });
    expect(readImageHeader(u8(encodeTiffGrey(50, 40, 16, () => 0)))).toEqual({ format: 'tiff', width: 50, height: 40 });
  });

  it('reads JPEG frame headers and requires the end-of-image marker', () => {
    // SOI, APP0 (length 16), SOF0 (8-bit, 120 high, 300 wide, 1 component), EOI.
    const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, ...new Array(14).fill(0), 0xff, 0xc0, 0, 11, 8, 0, 120, 1, 44, 1, 1, 0x11, 0, 0xff, 0xd9]);
    expect(readImageHeader(jpeg)).toEqual({ format: 'jpeg', width: 300, height: 120 });
    expect(() => readImageHeader(jpeg.subarray(0, jpeg.length - 2))).toThrow(/^truncated JPEG/);
  });

  it('gives a reason for each kind of bad file', () => {
    const png = u8(greyPng(10, 10));
    expect(() => readImageHeader(new Uint8Array(0))).toThrow('the file is empty (0 bytes)');
    expect(() => readImageHeader(new TextEncoder().encode('GIF89a...'))).toThrow(/not a supported image/);
    expect(() => readImageHeader(png.subarray(0, 40))).toThrow(/^truncated PNG/);
    expect(() => readImageHeader(png.subarray(0, png.length - 1))).toThrow(/^truncated PNG/);
    expect(() => readImageHeader(u8(greyPng(8193, 2)))).toThrow('the image is 8193×2 px; the limit is 8192 px on a side');
    expect(() => readImageHeader(u8(encodeBmp(4, 4, () => 0)).subarray(0, 60))).toThrow(/^truncated BMP/);
    expect(sniffFormat(Uint8Array.from([0x4d, 0x4d, 0, 0x2a]))).toBe('tiff');
  });
});
