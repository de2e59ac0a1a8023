/**
 * The largest table the page reads: the text, its parse and the columns live in the tab at once (about
 * four times the file), and browsers cap a tab's memory near 4 GB; past this a file is refused before it
 * is read.
 */
export const MAX_TABLE_BYTES = 256 * 1024 * 1024;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Why a file of this size is refused before it is read, or null when it may be read. */
export function tableSizeProblem(file: string, bytes: number, limit = MAX_TABLE_BYTES): string | null {
  return bytes > limit ? `${file}: the file is ${mb(bytes)}, more than this page reads (${mb(limit)}); nothing was read or stored` : null;
}
