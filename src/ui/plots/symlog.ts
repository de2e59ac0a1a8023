/**
 * A symmetric-log axis for values that can be negative (the unbiased MMD² is): y ↦ sign(y)·log10(1 + |y|/c).
 * Linear within about ±c, logarithmic beyond, so a falling curve spanning decades and a noise-floor band
 * around 0 are both readable. plotly.js has no symlog axis: values are transformed and the ticks are
 * labelled with the original numbers.
 */
export function symlog(y: number, c: number): number {
  return Math.sign(y) * Math.log10(1 + Math.abs(y) / c);
}

/** A linear threshold c from the noise floor (its largest edge), else 1e-3 of the largest value. */
export function symlogThreshold(floorEdges: readonly number[], values: readonly number[]): number {
  const edge = Math.max(0, ...floorEdges.filter(Number.isFinite).map(Math.abs));
  if (edge > 0) return edge;
  const top = Math.max(0, ...values.filter(Number.isFinite).map(Math.abs));
  return top > 0 ? top * 1e-3 : 1e-3;
}

/**
 * Tick values (in transformed units) and their labels (original units) covering [min, max] of the
 * original values: 0 and ±{1, 5, 2, 3}·10^k (in that preference), no two closer than 1/9 of the transformed span.
 */
export function symlogTicks(min: number, max: number, c: number, format: (v: number) => string): { tickvals: number[]; ticktext: string[] } {
  const lo = Math.min(min, 0);
  const hi = Math.max(max, 0);
  const tLo = symlog(lo, c);
  const tHi = symlog(hi, c);
  const gap = Math.max((tHi - tLo) / 9, 1e-9);
  const candidates: number[] = [0];
  for (const m of [1, 5, 2, 3]) {
    for (let k = -9; k <= 6; k++) {
      const v = m * 10 ** k;
      candidates.push(v, -v);
    }
  }
  const accepted: number[] = [];
  for (const v of candidates) {
    if (v < lo - 1e-12 * Math.abs(lo) || v > hi + 1e-12 * Math.abs(hi)) continue;
    const t = symlog(v, c);
    if (accepted.every((a) => Math.abs(symlog(a, c) - t) >= gap)) accepted.push(v);
  }
  accepted.sort((a, b) => a - b);
  return { tickvals: accepted.map((v) => symlog(v, c)), ticktext: accepted.map(format) };
}
