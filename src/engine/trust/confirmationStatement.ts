/**
 * The sentence of a confirmation: it starts with the verdict word and carries every number the verdict
 * rests on (MMD², the interval, p, δ and where it came from, the sizes, the detectable shift).
 */

export type Verdict = 'indistinguishable' | 'distinguishable' | 'not enough evidence';

/** Two significant digits; plain decimals down to 1e-4, exponent form below; a real minus sign. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const text = Math.abs(x) >= 1e-4 ? String(Number(x.toPrecision(2))) : x.toExponential(1);
  return text.replace(/-/g, '−');
}

export function formatPercent(share: number): string {
  return String(Math.round(share * 1000) / 10);
}

export interface StatementInput {
  verdict: Verdict;
  mmd2: number;
  pValue: number;
  interval: { low: number; high: number; level: number };
  alpha: number;
  delta: number;
  /** Where δ came from, as a phrase ("the real-vs-real floor, …" or "set by the user"). */
  deltaOrigin: string;
  sizes: { real: number; synthetic: number };
  /** The detectable-shift sentence, or null when it was not computed. */
  detectable: string | null;
}

export function confirmationStatement(s: StatementInput): string {
  const f = formatNumber;
  const within = s.interval.high < s.delta;
  const numbers = `MMD² ${f(s.mmd2)} (${formatPercent(s.interval.level)} % interval ${f(s.interval.low)} to ${f(s.interval.high)}), permutation p = ${f(s.pValue)}`;
  const sizes = `${s.sizes.synthetic} synthetic vs ${s.sizes.real} real`;
  let head: string;
  if (s.verdict === 'indistinguishable') {
    head = `indistinguishable within δ = ${f(s.delta)}: ${numbers} (≥ α = ${f(s.alpha)}), ${sizes}`;
  } else if (s.verdict === 'distinguishable') {
    const though = within ? `, though the difference is below δ = ${f(s.delta)} (interval upper end ${f(s.interval.high)} < δ)` : `, δ = ${f(s.delta)}`;
    head = `distinguishable at α = ${f(s.alpha)}${though}: ${numbers}, ${sizes}`;
  } else {
    head = `not enough evidence: ${numbers} ≥ α = ${f(s.alpha)} and the interval's upper end ${f(s.interval.high)} ≥ δ = ${f(s.delta)}, ${sizes}`;
  }
  return `${head}; δ: ${s.deltaOrigin}${s.detectable ? `; ${s.detectable}` : ''}.`;
}
