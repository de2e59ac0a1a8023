/**
 * The smallest real set the tool scores against. The noise floor splits the real set in two
 * (real-vs-real), and each half needs two samples for an unbiased MMD² (its U-statistic averages over
 * distinct pairs), so 4 is the least that gives a floor at all; about 16 is typical.
 */
export const MIN_REAL_SAMPLES = 4;

/** Why a real set of `count` samples cannot be scored against, or null when it can. */
export function realSetProblem(count: number): string | null {
  return count >= MIN_REAL_SAMPLES ? null : `the real set has ${count} sample(s); scoring and its noise floor need at least ${MIN_REAL_SAMPLES}`;
}
