import { ArchiveError } from './errors';
import { utf8Decode } from './utf8';

/**
 * Reads a ZIP's central directory (PKWARE APPNOTE.TXT §4.3.12–4.3.16) without inflating anything, so
 * an import can check every entry's name and declared size against the manifest and the size cap
 * before it spends memory on it. Only what this tool writes and reads is accepted: one disk, no
 * ZIP64, no encryption, methods 0 (stored) and 8 (deflate).
 */

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflate. */
  compression: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export interface EndOfCentralDirectory {
  entryCount: number;
  directoryOffset: number;
  directorySize: number;
  /** Offset of the EOCD record itself. */
  offset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
export const EOCD_MIN_SIZE = 22;
/** The EOCD is within the last 22 + 65535 (maximum comment) bytes. */
export const EOCD_SEARCH_SIZE = EOCD_MIN_SIZE + 0xffff;
export const LOCAL_HEADER_SIZE = 30;

const u16 = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8);
const u32 = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000;

/**
 * Finds the end-of-central-directory record in the archive's last bytes.
 * `tail` is the last min(size, EOCD_SEARCH_SIZE) bytes of an archive of `archiveSize` bytes.
 */
export function readEndOfCentralDirectory(tail: Uint8Array, archiveSize: number): EndOfCentralDirectory {
  const tailStart = archiveSize - tail.length;
  for (let i = tail.length - EOCD_MIN_SIZE; i >= 0; i--) {
    if (u32(tail, i) !== EOCD_SIGNATURE) continue;
    const commentLength = u16(tail, i + 20);
    if (i + EOCD_MIN_SIZE + commentLength !== tail.length) continue; // a signature inside the comment or data
    const disk = u16(tail, i + 4);
    const directoryDisk = u16(tail, i + 6);
    const entriesOnDisk = u16(tail, i + 8);
    const entryCount = u16(tail, i + 10);
    const directorySize = u32(tail, i + 12);
    const directoryOffset = u32(tail, i + 16);
    if (i >= 20 && u32(tail, i - 20) === ZIP64_LOCATOR_SIGNATURE) {
      throw new ArchiveError(null, 'is a ZIP64 archive, which this tool does not read (its own archives stay under 4 GB)');
    }
    if (entryCount === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
      throw new ArchiveError(null, 'is a ZIP64 archive, which this tool does not read (its own archives stay under 4 GB)');
    }
    if (disk !== 0 || directoryDisk !== 0 || entriesOnDisk !== entryCount) {
      throw new ArchiveError(null, 'is a multi-part (spanned) ZIP, which this tool does not read');
    }
    const offset = tailStart + i;
    if (directoryOffset + directorySize > offset) {
      throw new ArchiveError(null, `is a damaged ZIP: its central directory (offset ${directoryOffset}, ${directorySize} bytes) runs past the end record at ${offset}`);
    }
    return { entryCount, directoryOffset, directorySize, offset };
  }
  throw new ArchiveError(null, 'is not a ZIP archive (no end-of-central-directory record): it may be truncated or another kind of file');
}

/** Parses the central directory bytes (`directorySize` bytes from `directoryOffset`). */
export function readCentralDirectory(directory: Uint8Array, eocd: EndOfCentralDirectory): ZipEntry[] {
  const entries: ZipEntry[] = [];
  let o = 0;
  for (let n = 0; n < eocd.entryCount; n++) {
    if (o + 46 > directory.length || u32(directory, o) !== CENTRAL_SIGNATURE) {
      throw new ArchiveError(null, `is a damaged ZIP: central directory entry ${n + 1} of ${eocd.entryCount} is missing or malformed`);
    }
    const flags = u16(directory, o + 8);
    const compression = u16(directory, o + 10);
    const crc32 = u32(directory, o + 16);
    const compressedSize = u32(directory, o + 20);
    const uncompressedSize = u32(directory, o + 24);
    const nameLength = u16(directory, o + 28);
    const extraLength = u16(directory, o + 30);
    const commentLength = u16(directory, o + 32);
    const localHeaderOffset = u32(directory, o + 42);
    const end = o + 46 + nameLength + extraLength + commentLength;
    if (end > directory.length) throw new ArchiveError(null, `is a damaged ZIP: central directory entry ${n + 1} runs past the directory`);
    const nameBytes = directory.subarray(o + 46, o + 46 + nameLength);
    let name: string;
    try {
      // Bit 11: UTF-8 names. Without it the name is CP437; this tool writes ASCII names there.
      name = utf8Decode(nameBytes);
    } catch {
      throw new ArchiveError(null, `is a damaged ZIP: the name of entry ${n + 1} is not valid text`);
    }
    if (flags & 1) throw new ArchiveError(name, 'is encrypted, which this tool does not read');
    if (compression !== 0 && compression !== 8) {
      throw new ArchiveError(name, `uses compression method ${compression}; only stored (0) and deflate (8) are read`);
    }
    if (compression === 0 && compressedSize !== uncompressedSize) {
      throw new ArchiveError(name, `is stored uncompressed but its sizes disagree (${compressedSize} vs ${uncompressedSize} bytes)`);
    }
    if (localHeaderOffset + LOCAL_HEADER_SIZE + compressedSize > eocd.directoryOffset) {
      throw new ArchiveError(name, 'is a damaged ZIP entry: its data runs past the central directory');
    }
    entries.push({ name, compression, flags, crc32, compressedSize, uncompressedSize, localHeaderOffset });
    o = end;
  }
  return entries;
}

/** Offset of an entry's data, from its local header (whose name and extra lengths may differ from the central ones). */
export function localDataOffset(localHeader: Uint8Array, entry: ZipEntry): number {
  if (localHeader.length < LOCAL_HEADER_SIZE || u32(localHeader, 0) !== LOCAL_SIGNATURE) {
    throw new ArchiveError(entry.name, 'is a damaged ZIP entry: no local header where the directory points');
  }
  return entry.localHeaderOffset + LOCAL_HEADER_SIZE + u16(localHeader, 26) + u16(localHeader, 28);
}
