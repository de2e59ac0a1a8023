/** The key a missing categorical cell counts under (no CSV text can produce it). */
export const MISSING_KEY = '\u0000missing';

/** Relative frequency of each value over all rows, missing cells under MISSING_KEY. */
export function categoryFrequencies(values: ReadonlyArray<string | null>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) {
    const key = v ?? MISSING_KEY;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const [k, c] of counts) counts.set(k, c / values.length);
  return counts;
}
