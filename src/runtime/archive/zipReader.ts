import { Inflate } from 'fflate';
import {
  ArchiveError,
  checkDirectory,
  crc32,
  EOCD_SEARCH_SIZE,
  formatBytes,
  LOCAL_HEADER_SIZE,
  localDataOffset,
  MANIFEST_PATH,
  MAX_MANIFEST_BYTES,
  readCentralDirectory,
  readEndOfCentralDirectory,
  utf8Decode,
  validateManifest,
  type ArchiveManifest,
  type ZipEntry,
} from '../../storage/archive';

/**
 * Reads an archive from a Blob without trusting it: the central directory first (names and declared
 * sizes, nothing inflated), then manifest.json (capped), then the directory is checked against the
 * manifest and the size cap, and only then each file is inflated — from Blob slices, in small input
 * chunks, into a buffer of exactly the stated size, stopping the moment it would grow past it (a zip
 * bomb that lies about its sizes is caught after at most one chunk's expansion) — and its CRC-32
 * checked. Reading the directory (rather than fflate's Unzip, which walks local headers) is what lets
 * every check happen before any large allocation; fflate's Inflate does the decompression.
 */

/** Compressed bytes per Inflate push: deflate expands at most ~1032×, so one push yields ≤ ~17 MB. */
const INPUT_CHUNK = 16 * 1024;

export interface ReadOptions {
  maxTotalBytes: number;
  onProgress?: (done: number, total: number) => void;
  /** Throws when the caller cancelled (checked between chunks). */
  checkCancelled?: () => void;
}

async function sliceBytes(blob: Blob, start: number, end: number): Promise<Uint8Array> {
  return new Uint8Array(await blob.slice(start, end).arrayBuffer());
}

/** Inflates one entry into exactly `entry.uncompressedSize` bytes, or throws an ArchiveError naming it. */
export async function inflateEntry(blob: Blob, entry: ZipEntry, options: { checkCancelled?: () => void; onBytes?: (n: number) => void } = {}): Promise<Uint8Array> {
  const name = entry.name;
  const start = localDataOffset(await sliceBytes(blob, entry.localHeaderOffset, entry.localHeaderOffset + LOCAL_HEADER_SIZE), entry);
  const end = start + entry.compressedSize;
  if (end > blob.size) throw new ArchiveError(name, 'is truncated: its data runs past the end of the ZIP');
  const out = new Uint8Array(entry.uncompressedSize);
  let written = 0;
  if (entry.compression === 0) {
    out.set(await sliceBytes(blob, start, end));
    written = out.length;
    options.onBytes?.(written);
  } else {
    let ended = false;
    const inflater = new Inflate((chunk, final) => {
      if (written + chunk.length > out.length) {
        throw new ArchiveError(name, `unpacks to more than the ${formatBytes(out.length)} that manifest.json states (stopped: a damaged file or a zip bomb)`);
      }
      out.set(chunk, written);
      written += chunk.length;
      options.onBytes?.(chunk.length);
      if (final) ended = true;
    });
    for (let pos = start; pos < end; pos += INPUT_CHUNK) {
      options.checkCancelled?.();
      const stop = Math.min(end, pos + INPUT_CHUNK);
      const input = await sliceBytes(blob, pos, stop);
      try {
        inflater.push(input, stop === end);
      } catch (e) {
        if (e instanceof ArchiveError) throw e;
        throw new ArchiveError(name, `is not valid deflate data (${(e as Error).message})`);
      }
    }
    if (entry.compressedSize === 0) {
      try {
        inflater.push(new Uint8Array(0), true);
      } catch (e) {
        throw new ArchiveError(name, `is not valid deflate data (${(e as Error).message})`);
      }
    }
    if (!ended) throw new ArchiveError(name, 'is truncated: its compressed data ends early');
  }
  if (written !== out.length) {
    throw new ArchiveError(name, `unpacks to ${written} bytes but manifest.json states ${out.length}`);
  }
  if (crc32(out) !== entry.crc32) throw new ArchiveError(name, 'fails its CRC-32 check (the file is damaged)');
  return out;
}

export interface ArchiveFiles {
  manifest: ArchiveManifest;
  files: Map<string, Uint8Array>;
}

/** Reads and verifies every file of the archive (see above). Throws ArchiveError. */
export async function readArchiveFiles(blob: Blob, options: ReadOptions): Promise<ArchiveFiles> {
  const tail = await sliceBytes(blob, Math.max(0, blob.size - EOCD_SEARCH_SIZE), blob.size);
  const eocd = readEndOfCentralDirectory(tail, blob.size);
  const directory = await sliceBytes(blob, eocd.directoryOffset, eocd.directoryOffset + eocd.directorySize);
  const entries = readCentralDirectory(directory, eocd);
  const manifestEntry = entries.find((e) => e.name === MANIFEST_PATH);
  if (!manifestEntry) throw new ArchiveError(null, 'was not exported by Latent Calibration Studio: it has no manifest.json');
  if (manifestEntry.uncompressedSize > MAX_MANIFEST_BYTES) {
    throw new ArchiveError(MANIFEST_PATH, `is ${formatBytes(manifestEntry.uncompressedSize)}, over the ${formatBytes(MAX_MANIFEST_BYTES)} limit for a manifest`);
  }
  const manifestBytes = await inflateEntry(blob, manifestEntry, { checkCancelled: options.checkCancelled });
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8Decode(manifestBytes));
  } catch (e) {
    throw new ArchiveError(MANIFEST_PATH, `is not valid JSON (${(e as Error).message})`);
  }
  const manifest = validateManifest(parsed);
  const ordered = checkDirectory(entries, manifest, { maxTotalBytes: options.maxTotalBytes });
  const total = ordered.reduce((s, e) => s + e.uncompressedSize, 0);
  let done = 0;
  options.onProgress?.(0, total);
  const files = new Map<string, Uint8Array>();
  for (const entry of ordered) {
    options.checkCancelled?.();
    files.set(entry.name, await inflateEntry(blob, entry, { checkCancelled: options.checkCancelled, onBytes: (n) => (done += n) }));
    options.onProgress?.(done, total);
  }
  return { manifest, files };
}
