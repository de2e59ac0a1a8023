/**
 * Record identity across reloads: after a stage commits, the store re-reads the experiment's records
 * from IndexedDB, which gives new objects for unchanged records too. Keeping the old objects where
 * nothing changed lets memoised views and charts skip their work (React compares by identity).
 */

/**
 * `next` with each record whose version equals the one in `previous` replaced by the previous object;
 * `previous` itself when nothing changed.
 */
export function keepUnchanged<T>(previous: readonly T[], next: T[], version: (record: T) => string): T[] {
  const byVersion = new Map(previous.map((r) => [version(r), r]));
  let changed = previous.length !== next.length;
  const out = next.map((r, i) => {
    const old = byVersion.get(version(r));
    if (!old) {
      changed = true;
      return r;
    }
    if (old !== previous[i]) changed = true;
    return old;
  });
  return changed ? out : (previous as T[]);
}
