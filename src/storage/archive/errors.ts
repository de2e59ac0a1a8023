/**
 * Why an archive cannot be imported, naming the file inside the ZIP (null when the ZIP as a whole is
 * at fault) and the reason in words a user can act on.
 */
export class ArchiveError extends Error {
  constructor(
    readonly file: string | null,
    readonly reason: string,
  ) {
    super(file ? `${file}: ${reason}` : reason);
    this.name = 'ArchiveError';
  }
}
