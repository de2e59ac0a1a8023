import { describe, expect, it } from 'vitest';
import { fitModel, proposeBatch, type Observation } from '../../../src/engine/optimizer';
import { initialDesign } from '../../../src/engine/optimizer/baselines';
import { fitOutputTransform } from '../../../src/engine/optimizer/gp/outputTransform';
import { noiseVarianceLowerBound } from '../../../src/engine/optimizer/surrogate';
import type { ParameterSet } from '../../../src/engine/space/space';
import { createRng } from '../../../src/engine/random/rng';
import { voidSpace } from './voidSpace';


/** MMD²-shaped: 0 at the target, saturating with distance (a Gaussian-kernel MMD² does). */
function mmdLike(p: ParameterSet): number {
  const d2 =
    (p.void_shape === 'ellipse' ? 0 : 0.2) +
    ((Number(p.void_count) - 8) / 17) ** 2 +
    ((Number(p.base_size) - 20) / 35) ** 2 +
    ((Number(p.brightness_factor) - 0.6) / 0.5) ** 2 +
    ((Number(p.size_std) - 7) / 15) ** 2 +
    ((Number(p.position_spread) - 0.5) / 0.7) ** 2;
  return 0.6 * (1 - Math.exp(-d2 / 0.3));
}

/** Noise sd of one score: the demo's single-set floor band −0.16…0.20 is about ±2 sd of 0.09. */
const NOISE_SD = 0.09;

function iterationZero(seed: number, n = 16): Observation[] {
  const rng = createRng(seed);
  return initialDesign(voidSpace, n, seed).map((params) => ({ params, score: mmdLike(params) + NOISE_SD * rng.normal() }));
}

describe('known score noise (the noise floor’s sd) bounds the learned noise', () => {
  it('converts the score-unit sd through the output transform', () => {
    const transform = fitOutputTransform([0, 4], 'standardize'); // scale 2
    expect(noiseVarianceLowerBound(0.1, transform, 0)).toBeCloseTo(0.0025, 15);
    expect(noiseVarianceLowerBound(undefined, transform, 0)).toBe(1e-8);
    expect(noiseVarianceLowerBound(0, transform, 0)).toBe(1e-8);
  });

  it.each([0, 1, 2])('iteration 0 of a noisy MMD²-like objective: the best is not reported as its luckiest observation (seed %i)', (seed) => {
    const observations = iterationZero(seed);
    const out = fitModel({ space: voidSpace, observations, seed, scoreNoiseStd: NOISE_SD });
    expect(out.model!.noiseStdScore).toBeGreaterThanOrEqual(NOISE_SD * (1 - 1e-9));
    const best = out.current_best[0];
    // One observation of sd 0.09 and no close neighbours: the latent sd cannot be far below the noise.
    expect(best.posteriorStd!).toBeGreaterThan(NOISE_SD / 3);
    // The model shrinks a lucky low score towards its neighbours instead of echoing it.
    expect(best.posteriorMean - best.observed).toBeGreaterThan(0.01);
  });

  it('proposeBatch passes it to the model and rejects a negative value', () => {
    const observations = iterationZero(4);
    const input = { space: voidSpace, observations, iteration: 1, maxIterations: 10, acquisition: 'ucb' as const, batchSize: 4, seed: 4 };
    const out = proposeBatch({ ...input, scoreNoiseStd: NOISE_SD });
    expect(out.diagnostics.model!.noiseStdScore).toBeGreaterThanOrEqual(NOISE_SD * (1 - 1e-9));
    expect(out.next_params).toHaveLength(4);
    expect(() => proposeBatch({ ...input, scoreNoiseStd: -1 })).toThrow(/scoreNoiseStd/);
  });
});
