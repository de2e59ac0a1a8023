/**
 * Builds ZIP files byte by byte (APPNOTE.TXT 4.3.7 local header, 4.3.12 central directory, 4.3.16 end
 * record) so tests can make archives that lie: sizes that disagree with the data, a zip bomb. Pure TS.
 */
import { crc32 } from '../../src/storage/archive/crc32';

export interface CraftedEntry {
  name: string;
  /** The bytes stored in the ZIP (already deflated when method is 8). */
  data: Uint8Array;
  method: 0 | 8;
  /** What the headers claim. */
  uncompressedSize: number;
  crc: number;
}

export function storedEntry(name: string, content: Uint8Array): CraftedEntry {
  return { name, data: content, method: 0, uncompressedSize: content.length, crc: crc32(content) };
}

export function craftZip(entries: readonly CraftedEntry[]): Uint8Array {
  const le16 = (v: number) => [v & 255, (v >> 8) & 255];
  const le32 = (v: number) => [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255];
  // Headers as small arrays, entry data as the given views: an entry of many MB is copied once.
  const parts: Uint8Array[] = [];
  const central: number[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Array.from(new TextEncoder().encode(e.name));
    const common = [...le16(20), ...le16(0), ...le16(e.method), ...le16(0), ...le16(0x21), ...le32(e.crc), ...le32(e.data.length), ...le32(e.uncompressedSize), ...le16(name.length), ...le16(0)];
    const local = Uint8Array.from([...le32(0x04034b50), ...common, ...name]);
    central.push(...le32(0x02014b50), ...le16(20), ...common, ...le16(0), ...le16(0), ...le16(0), ...le32(0), ...le32(offset), ...name);
    parts.push(local, e.data);
    offset += local.length + e.data.length;
  }
  const end = [...le32(0x06054b50), ...le16(0), ...le16(0), ...le16(entries.length), ...le16(entries.length), ...le32(central.length), ...le32(offset), ...le16(0)];
  parts.push(Uint8Array.from(central), Uint8Array.from(end));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
