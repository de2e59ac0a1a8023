/**
 * Equal-width bins shared by the tables a chart overlays. `edges` has one more entry than there are
 * bins; a value falls in bin ⌊(v − edges[0]) / width⌋, the last bin closed on the right (numpy's
 * histogram).
 */
export interface Bins {
  readonly edges: readonly number[];
}

/**
 * At most `maxBins` equal-width bins over [low, high]. A whole-number column spanning fewer values gets
 * one bin per whole number (edges at the half-integers), so no bin holds two integers and none is
 * empty between them; a single value gets one bin of width 1 around it. No bins without a range.
 */
export function equalWidthBins(low: number, high: number, maxBins: number, wholeNumbers = false): Bins {
  if (!(low <= high) || !Number.isFinite(low) || !Number.isFinite(high)) return { edges: [] };
  if (wholeNumbers && high - low + 1 <= maxBins) {
    return { edges: Array.from({ length: high - low + 2 }, (_, i) => low - 0.5 + i) };
  }
  if (high === low) return { edges: [low - 0.5, low + 0.5] };
  const width = (high - low) / maxBins;
  return { edges: Array.from({ length: maxBins + 1 }, (_, i) => (i === maxBins ? high : low + i * width)) };
}

/** How many of the present (non-NaN) `values` fall in each bin; values outside the edges are not counted. */
export function binCounts(bins: Bins, values: ArrayLike<number>): number[] {
  const edges = bins.edges;
  const count = edges.length - 1;
  const out = new Array<number>(Math.max(count, 0)).fill(0);
  if (count < 1) return out;
  const low = edges[0];
  const high = edges[count];
  const width = (high - low) / count;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v >= low && v <= high)) continue;
    out[Math.min(count - 1, Math.floor((v - low) / width))]++;
  }
  return out;
}
