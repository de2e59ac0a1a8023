import { describe, expect, it } from 'vitest';
import { initialDesign, PROPOSAL_STRATEGIES, proposeBatch, type Observation, type ProposeBatchInput } from '../../../src/engine/optimizer';
import { encodeParameters, spaceLayout } from '../../../src/engine/optimizer/encoding';
import { ExclusionSet } from '../../../src/engine/optimizer/optimize/exclusion';
import { createRng } from '../../../src/engine/random/rng';
import { parameterSetKey, type ParameterSet } from '../../../src/engine/space/space';
import { voidSpace } from './voidSpace';

/** A noisy bowl with its minimum inside the space (ellipse, 8, 20, 0.6, 7, 0.5). */
function bowl(p: ParameterSet): number {
  return (
    (p.void_shape === 'ellipse' ? 0 : 0.3) +
    ((Number(p.void_count) - 8) / 17) ** 2 +
    ((Number(p.base_size) - 20) / 35) ** 2 +
    ((Number(p.brightness_factor) - 0.6) / 0.5) ** 2 +
    ((Number(p.size_std) - 7) / 15) ** 2 +
    ((Number(p.position_spread) - 0.5) / 0.7) ** 2
  );
}

const rng = createRng(2);
const observations: Observation[] = initialDesign(voidSpace, 24, 1).map((params) => ({ params, score: bowl(params) + 0.02 * rng.normal() }));
const layout = spaceLayout(voidSpace);
const keys = (sets: readonly ParameterSet[]) => new Set(sets.map((p) => parameterSetKey(voidSpace, p)));

describe('pending parameter sets (proposed, not yet scored)', () => {
  describe.each(PROPOSAL_STRATEGIES)('%s', (acquisition) => {
    const base: ProposeBatchInput = { space: voidSpace, observations, iteration: 4, maxIterations: 10, acquisition, batchSize: 8, seed: 5 };
    // The hardest pending set: exactly the batch the optimizer proposes without it.
    const without = proposeBatch(base);
    const pending = without.next_params.map((p) => p.params);

    it('never re-proposes a pending set, and the batch differs from the one without them', () => {
      const withPending = proposeBatch({ ...base, pending });
      expect(withPending.next_params).toHaveLength(8);
      const taken = keys(pending);
      for (const { params } of withPending.next_params) expect(taken.has(parameterSetKey(voidSpace, params))).toBe(false);
      // Nor one that repeats it in all but name (continuous coordinates within 1e-6 of their range).
      const near = new ExclusionSet(layout);
      for (const p of pending) near.add(encodeParameters(layout, p));
      for (const { params } of withPending.next_params) expect(near.has(encodeParameters(layout, params))).toBe(false);
      expect(keys(withPending.next_params.map((p) => p.params))).not.toEqual(keys(pending));
      expect(withPending.next_params).not.toEqual(without.next_params);
    });

    it('excludes a pending set that differs from a proposal only in the last bits', () => {
      const nudged = pending.map((p) => ({ ...p, base_size: Math.min(40, Number(p.base_size) + 1e-9) }));
      const out = proposeBatch({ ...base, pending: nudged });
      const near = new ExclusionSet(layout);
      for (const p of pending) near.add(encodeParameters(layout, p));
      for (const { params } of out.next_params) expect(near.has(encodeParameters(layout, params))).toBe(false);
    });
  });

  it('enters the model as a fantasy: the next UCB proposal leaves the neighbourhood of the pending set', () => {
    // A Kriging-believer fantasy keeps the mean and shrinks the variance near the pending point, so
    // −(μ − βσ) falls there; exclusion alone would leave its neighbourhood as attractive as before.
    for (const seed of [5, 6, 7]) {
      const base: ProposeBatchInput = { space: voidSpace, observations, iteration: 4, maxIterations: 10, acquisition: 'ucb', batchSize: 1, seed };
      const alone = proposeBatch(base).next_params[0];
      const after = proposeBatch({ ...base, pending: [alone.params] }).next_params[0];
      expect(after.acquisitionValue!).toBeLessThan(alone.acquisitionValue!);
      // Exclusion alone would move the next proposal by ~1e-6 (its tolerance), not out of the neighbourhood.
      const a = encodeParameters(layout, alone.params);
      const b = encodeParameters(layout, after.params);
      expect(Math.hypot(...a.map((v, c) => v - b[c]))).toBeGreaterThan(0.01);
    }
  });
});
