import { TabularInputError } from '../tabularInputError';

/**
 * The text of a table file's bytes, which must be UTF-8 (a byte-order mark is allowed and dropped by
 * readTable). Bytes that are not UTF-8 are refused, naming the line (1-based, counting line feeds before
 * the first bad byte) — a Latin-1 or UTF-16 export is the usual cause.
 */
export function decodeTableText(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    let line = 1;
    for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
    const byte = bytes[offset]?.toString(16).padStart(2, '0') ?? 'end of file';
    throw new TabularInputError(file, `byte 0x${byte} at offset ${offset} is not UTF-8: save the file as UTF-8`, { row: line });
  }
}

/**
 * The offset of the first byte that breaks UTF-8 (RFC 3629: shortest forms only, no surrogates, nothing
 * above U+10FFFF), or bytes.length when all are valid.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let need: number;
    let low = 0x80;
    let high = 0xbf;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      const lo = k === 1 ? low : 0x80;
      const hi = k === 1 ? high : 0xbf;
      if (c < lo || c > hi) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}
