/**
 * Per-image cosines between two variants sit so close to 1 that a linear histogram shows one bar: count
 * them by decade of 1 − cosine instead (< 1e-6, 1e-6…1e-5, …, ≥ 1e-2).
 */
export interface CosineBin {
  label: string;
  count: number;
}

const EDGES = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2];
const exponent = (v: number) => `1e${Math.round(Math.log10(v))}`;

export function cosineGapHistogram(cosines: readonly number[]): CosineBin[] {
  const counts = new Array<number>(EDGES.length + 1).fill(0);
  for (const c of cosines) {
    const gap = 1 - c;
    const bin = EDGES.findIndex((edge) => gap < edge);
    counts[bin === -1 ? EDGES.length : bin]++;
  }
  return counts.map((count, i) => ({
    label: i === 0 ? `<${exponent(EDGES[0])}` : i === EDGES.length ? `≥${exponent(EDGES[i - 1])}` : `${exponent(EDGES[i - 1])}–${exponent(EDGES[i])}`,
    count,
  }));
}
