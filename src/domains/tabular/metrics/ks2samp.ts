import { kolmogorovSf } from './kolmogorov';

export interface KsResult {
  /** D = sup |F₁ − F₂| of the two empirical CDFs. */
  statistic: number;
  pValue: number;
  /** Which p-value scipy's `method='auto'` chose (and kept, after a failed exact attempt). */
  method: 'exact' | 'asymp';
}

/** ks_2samp's `auto` is exact while both samples have at most this many values. */
const MAX_AUTO_N = 10000;

/**
 * The two-sample Kolmogorov–Smirnov test, two-sided, as scipy.stats.ks_2samp(a, b, method='auto')
 * computes it (scipy 1.10, scipy/stats/_stats_py.py):
 *  - D = max over the pooled values v of |#{a ≤ v}/n₁ − #{b ≤ v}/n₂| (ties handled by counting ≤);
 *  - exact when max(n₁, n₂) ≤ 10000: with g = gcd, lcm = n₁n₂/g, h = round(D·lcm) (D snapped to h/lcm),
 *    p = P(D ≥ h/lcm) by counting lattice paths — Hodges' closed series for n₁ = n₂
 *    (_compute_prob_outside_square), else the "inside" recursion for 1 − p of Viehmann (2021)
 *    (_compute_outer_prob_inside_method); a result outside [0, 1] falls back to asymptotic;
 *  - asymptotic otherwise: p = kstwo.sf(D, round(n₁n₂/(n₁+n₂))), the one-sample two-sided distribution
 *    at the effective size (kolmogorovSf).
 * Inputs are the present values only (docs/tabular.md: KS uses each column's present values); NaN is refused.
 */
export function ks2samp(a: ArrayLike<number>, b: ArrayLike<number>): KsResult {
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new Error('ks2samp: a sample is empty');
  if (Number.isNaN(x[n1 - 1]) || Number.isNaN(y[n2 - 1])) throw new Error('ks2samp: NaN in a sample (pass present values only)');
  let d = ksStatistic(x, y);
  const g = gcd(n1, n2);
  let method: KsResult['method'] = Math.max(n1, n2) <= MAX_AUTO_N ? 'exact' : 'asymp';
  let p = NaN;
  if (method === 'exact') {
    const lcm = (n1 / g) * n2;
    const h = roundHalfEven(d * lcm);
    d = h / lcm;
    if (h === 0) p = 1;
    else {
      p = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
      if (!(p >= 0 && p <= 1)) method = 'asymp';
    }
  }
  if (method === 'asymp') {
    const m = Math.max(n1, n2);
    const n = Math.min(n1, n2);
    p = kolmogorovSf(roundHalfEven((m * n) / (m + n)), d);
  }
  return { statistic: d, pValue: Math.min(1, Math.max(0, p)), method };
}

/** D of two sorted samples: the largest gap between their empirical CDFs over the pooled values. */
export function ksStatistic(x: Float64Array, y: Float64Array): number {
  const n1 = x.length;
  const n2 = y.length;
  let i = 0;
  let j = 0;
  let maxDiff = 0;
  let minDiff = 0;
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && x[i] <= y[j]) ? x[i] : y[j];
    while (i < n1 && x[i] <= v) i++;
    while (j < n2 && y[j] <= v) j++;
    const diff = i / n1 - j / n2;
    if (diff > maxDiff) maxDiff = diff;
    if (diff < minDiff) minDiff = diff;
  }
  return Math.max(maxDiff, Math.min(1, -minDiff));
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** numpy's round: to the nearest integer, halves to even. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * P(D_{n,n} ≥ h/n) for equal sizes: 2·Σ_k (−1)^{k+1} C(2n, n − kh)/C(2n, n), evaluated as scipy does by a
 * Horner-like nesting of ratios so the alternating sum does not cancel.
 */
function probOutsideSquare(n: number, h: number): number {
  let P = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1 - P);
  }
  return 2 * P;
}

/**
 * 1 − (the share of lattice paths from (0,0) to (m,n) staying strictly inside |x/m − y/n| < h/lcm), by
 * Viehmann's recursion for the complement ("Numerically more stable computation of the p-values for the
 * two-sample Kolmogorov-Smirnov test", 2021), one sliding column at a time — scipy's
 * _compute_outer_prob_inside_method, step for step.
 */
function outerProbInside(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  for (let k = minj; k < Math.min(maxj, lenA); k++) A[k] = 0;
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj] * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) for (let k = maxj - minj; k < Math.min(maxj - minj + (lastlen - curlen), lenA); k++) A[k] = 1;
  }
  return A[maxj - minj - 1];
}
