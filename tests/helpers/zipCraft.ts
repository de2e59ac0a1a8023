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
  const parts: number[] = [];
  const central: number[] = [];
  const le16 = (v: number) => [v & 255, (v >> 8) & 255];
  const le32 = (v: number) => [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255];
  for (const e of entries) {
    const name = Array.from(new TextEncoder().encode(e.name));
    const offset = parts.length;
    const common = [...le16(20), ...le16(0), ...le16(e.method), ...le16(0), ...le16(0x21), ...le32(e.crc), ...le32(e.data.length), ...le32(e.uncompressedSize), ...le16(name.length), ...le16(0)];
    parts.push(...le32(0x04034b50), ...common, ...name);
    for (const b of e.data) parts.push(b);
    central.push(...le32(0x02014b50), ...le16(20), ...common, ...le16(0), ...le16(0), ...le16(0), ...le32(0), ...le32(offset), ...name);
  }
  const directoryOffset = parts.length;
  const end = [...le32(0x06054b50), ...le16(0), ...le16(0), ...le16(entries.length), ...le16(entries.length), ...le32(central.length), ...le32(directoryOffset), ...le16(0)];
  return Uint8Array.from([...parts, ...central, ...end]);
}
