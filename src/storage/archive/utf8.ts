/**
 * UTF-8 text ↔ bytes. Written out because src/core compiles against the ES library alone, which has
 * neither TextEncoder nor TextDecoder (DOM/Node). Decoding is strict: malformed bytes throw.
 */
export function utf8Encode(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

export class Utf8Error extends Error {
  constructor(offset: number) {
    super(`invalid UTF-8 at byte ${offset}`);
    this.name = 'Utf8Error';
  }
}

export function utf8Decode(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk: number[] = [];
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    let c: number;
    let n: number;
    if (b < 0x80) [c, n] = [b, 0];
    else if (b >= 0xc2 && b < 0xe0) [c, n] = [b & 31, 1];
    else if (b >= 0xe0 && b < 0xf0) [c, n] = [b & 15, 2];
    else if (b >= 0xf0 && b < 0xf5) [c, n] = [b & 7, 3];
    else throw new Utf8Error(i);
    if (i + n > bytes.length - 1) throw new Utf8Error(i); // a sequence cut off by the end
    for (let k = 1; k <= n; k++) {
      const cont = bytes[i + k];
      if ((cont & 0xc0) !== 0x80) throw new Utf8Error(i + k);
      c = (c << 6) | (cont & 63);
    }
    if ((n === 2 && (c < 0x800 || (c >= 0xd800 && c < 0xe000))) || (n === 3 && (c < 0x10000 || c > 0x10ffff))) throw new Utf8Error(i);
    chunk.push(c);
    if (chunk.length >= 8192) {
      parts.push(String.fromCodePoint(...chunk));
      chunk = [];
    }
    i += n + 1;
  }
  parts.push(String.fromCodePoint(...chunk));
  return parts.join('');
}
