import type { Matrix } from '../linalg/matrix';
import { assertPositiveFinite, assertSameDimension, assertSample } from '../linalg/validateMatrix';

/**
 * Argument checks of the confirmation test. Every refusal names the function and the argument or
 * option, e.g. "permutationTest: option `permutations` = 500 is below 1000 …", so a bad call from a page
 * or a script says what to fix.
 */

const pairsNeeded = 'the unbiased MMD² averages over pairs i ≠ j within each sample';

/** Two finite samples of ≥ 2 rows each with the same dimension, and a finite bandwidth > 0. */
export function checkSamples(fn: string, real: Matrix, synthetic: Matrix, bandwidth: number): void {
  assertSample(fn, 'real', real, 2, pairsNeeded);
  assertSample(fn, 'synthetic', synthetic, 2, pairsNeeded);
  assertSameDimension(fn, 'real', real, 'synthetic', synthetic);
  assertPositiveFinite(fn, 'bandwidth', bandwidth);
}

export function checkSeed(fn: string, seed: unknown): number {
  if (typeof seed !== 'number' || !Number.isInteger(seed)) {
    throw new Error(`${fn}: option \`seed\` must be an integer (the confirmation test is always seeded), got ${String(seed)}`);
  }
  return seed;
}

/** An integer ≥ min (and ≤ max); `why` says where the lower limit comes from. */
export function checkCount(fn: string, option: string, value: number, min: number, why: string, max = 100_000_000): number {
  if (!Number.isInteger(value)) throw new Error(`${fn}: option \`${option}\` must be an integer, got ${value}`);
  if (value < min) throw new Error(`${fn}: option \`${option}\` = ${value} is below ${min} (${why})`);
  if (value > max) throw new Error(`${fn}: option \`${option}\` = ${value} is above ${max}`);
  return value;
}

/** A number strictly between 0 and 1 (a level, a quantile, a significance level, a power). */
export function checkOpenUnit(fn: string, option: string, value: number): number {
  if (!(typeof value === 'number' && value > 0 && value < 1)) {
    throw new Error(`${fn}: option \`${option}\` must be a number strictly between 0 and 1, got ${value}`);
  }
  return value;
}
