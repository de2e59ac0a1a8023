/**
 * The one-sided Kolmogorov–Smirnov survival function, scipy.special.smirnov(n, x) = P(D_n⁺ ≥ x) for a
 * sample of size n (the exact Smirnov–Birnbaum–Tingey sum):
 *
 *   P(D_n⁺ ≥ x) = x · Σ_{v=0}^{⌊n(1−x)⌋} C(n, v) (x + v/n)^{v−1} (1 − x − v/n)^{n−v}
 *
 * with scipy's special cases (x ≤ 1/n: 1 − x(1+x)^{n−1}; x ≥ 1 − 1/n: (1−x)^n; −2nx² below the
 * smallest exp argument: 0; n > 10⁶: exp(−(6nx+1)²/(18n))) and its stopping rule (stop once
 * 4·(terms left)·term < ε·sum). scipy evaluates each term in double-double arithmetic; here each term is
 * exp of a sum of logarithms in double, which keeps a relative error near |log term|·ε (~1e-12 for
 * n ≤ 10⁴) — far inside the p-value tolerance of the goldens. scipy switches to the reversed ("upper")
 * sum only for x ≤ 0.5/√n with at most three upper terms, a region where ks_2samp never calls smirnov
 * (it does so for n·x² ≥ 2.2 or x ≥ 0.5), so only the lower sum is implemented.
 */
const MINLOG = -708.3964185322641;
const EPSILON = 2.220446049250313e-16;
const MAX_COMPUTE_N = 1000000;

/** n·x as an exact floor and fraction (Dekker's two-product: the rounding of n·x must not cross an integer). */
function floorAndFraction(n: number, x: number): [number, number] {
  const hi = n * x;
  const split = (a: number): [number, number] => {
    const c = 134217729 * a; // 2^27 + 1
    const big = c - (c - a);
    return [big, a - big];
  };
  const [nh, nl] = split(n);
  const [xh, xl] = split(x);
  const lo = nh * xh - hi + nh * xl + nl * xh + nl * xl;
  let fl = Math.floor(hi);
  let alpha = hi - fl + lo;
  if (alpha < 0) {
    fl -= 1;
    alpha += 1;
  }
  if (alpha >= 1) {
    fl += 1;
    alpha -= 1;
  }
  return [fl, alpha];
}

export function smirnovSf(n: number, x: number): number {
  if (!(n > 0 && x >= 0 && x <= 1)) return NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const [nxfl, alpha] = floorAndFraction(n, x);
  let n1mxfl = n - nxfl - (alpha === 0 ? 0 : 1);
  if (alpha === 0) n1mxfl -= 1;
  if (nxfl === 0 || (nxfl === 1 && alpha === 0)) {
    const cdf = x * Math.pow(1 + x, n - 1);
    return clamp01(1 - cdf);
  }
  if (-2 * n * x * x < MINLOG) return 0;
  if (nxfl >= n - 1) return clamp01(Math.pow(1 - x, n));
  if (n > MAX_COMPUTE_N) {
    const logp = -Math.pow(6 * n * x + 1, 2) / 18 / n;
    return clamp01(logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp));
  }
  const nTerms = n1mxfl + 1;
  const vmid = Math.floor(n / 2);
  // v = 0: (1 − x)^n / x
  let sum = Math.exp(n * Math.log1p(-x)) / x;
  let logBinomial = Math.log(n); // log C(n, 1)
  for (let v = 1; v < nTerms; v++) {
    const a = x + v / n;
    const b = (n - v) / n - x;
    const term = b > 0 ? Math.exp(logBinomial + (v - 1) * Math.log(a) + (n - v) * Math.log(b)) : 0;
    sum += term;
    if (term !== 0) {
      if (4 * (nTerms - v) * term < EPSILON * sum && v !== nTerms - 1) break;
    } else if (v > vmid) break;
    logBinomial += Math.log((n - v) / (v + 1));
  }
  return clamp01(x * sum);
}

function clamp01(p: number): number {
  return Math.min(1, Math.max(0, p));
}
