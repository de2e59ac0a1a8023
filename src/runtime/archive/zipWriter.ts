import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { shouldDeflate, zipEntryTime, type ArchiveFile, type ManifestFile } from '../../storage/archive';

/**
 * A ZIP written as it goes with fflate's streaming Zip: each file is compressed and its bytes handed
 * on at once, and every few megabytes the pending chunks are sealed into a Blob part, so the archive
 * lives once, in Blob storage (which the browser may keep on disk), never as one big array.
 * Deterministic: fixed deflate settings and every entry's mtime from the experiment record.
 */
const FLUSH_BYTES = 8 * 1024 * 1024;

export class StreamingZip {
  private readonly zip: Zip;
  private readonly parts: Blob[] = [];
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private error: Error | null = null;
  private ended = false;
  private readonly mtime: Date;
  /** Every file written, in order, with its uncompressed size (for the manifest). */
  readonly files: ManifestFile[] = [];
  bytesWritten = 0;

  constructor(updatedAt: string) {
    const t = zipEntryTime(updatedAt);
    // fflate writes the DOS time from local-time getters; a Date built from the UTC fields in local
    // time makes those getters return the UTC fields on every machine.
    this.mtime = new Date(t.year, t.month, t.day, t.hours, t.minutes, t.seconds);
    this.zip = new Zip((err, chunk, final) => {
      if (err) {
        this.error = err;
        return;
      }
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      this.bytesWritten += chunk.length;
      if (final) this.ended = true;
    });
  }

  private check(): void {
    if (this.error) throw this.error;
  }

  add(file: ArchiveFile): void {
    this.check();
    const entry = shouldDeflate(file.path) ? new ZipDeflate(file.path, { level: 6, mem: 8 }) : new ZipPassThrough(file.path);
    entry.mtime = this.mtime;
    this.zip.add(entry);
    entry.push(file.bytes, true);
    this.files.push({ path: file.path, bytes: file.bytes.length });
    this.check();
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }

  /** Seals the pending chunks into a Blob part and drops them from the JS heap. */
  flush(): void {
    if (this.pending.length === 0) return;
    this.parts.push(new Blob(this.pending as BlobPart[]));
    this.pending = [];
    this.pendingBytes = 0;
  }

  finish(): Blob {
    this.check();
    this.zip.end();
    this.check();
    if (!this.ended) throw new Error('the ZIP stream did not end (a file is still open)');
    this.flush();
    return new Blob(this.parts, { type: 'application/zip' });
  }

  terminate(): void {
    this.zip.terminate();
    this.pending = [];
    this.parts.length = 0;
  }
}
