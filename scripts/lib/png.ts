import { deflateSync } from 'node:zlib';

/**
 * A minimal PNG writer (Node only: scripts and test fixtures). Colour types 0 (grey), 2 (RGB) and
 * 6 (RGBA), bit depth 8 or 16 (16-bit samples big-endian, as the PNG spec requires); filter 0 per row.
 */
export function encodePng(width: number, height: number, channels: 1 | 3 | 4, samples: Uint8Array | Uint16Array, bitDepth: 8 | 16 = 8): Buffer {
  if (samples.length !== width * height * channels) throw new Error(`encodePng: expected ${width * height * channels} samples, got ${samples.length}`);
  const bytesPerSample = bitDepth / 8;
  const rowBytes = width * channels * bytesPerSample;
  const raw = Buffer.alloc((rowBytes + 1) * height);
  for (let y = 0; y < height; y++) {
    const o = y * (rowBytes + 1);
    raw[o] = 0;
    for (let i = 0; i < width * channels; i++) {
      const v = samples[y * width * channels + i];
      if (bitDepth === 8) raw[o + 1 + i] = v;
      else raw.writeUInt16BE(v, o + 1 + i * 2);
    }
  }
  const colourType = channels === 1 ? 0 : channels === 3 ? 2 : 6;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = bitDepth;
  ihdr[9] = colourType;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
