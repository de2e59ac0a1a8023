import { describe, expect, it } from 'vitest';
import { fitModel, fitSurrogate, proposeBatch } from '../../../src/engine/optimizer';
import { untransformDerivative } from '../../../src/engine/optimizer/gp/outputTransform';
import { chiSquareQuantile, replicateNoiseLowerBound } from '../../../src/engine/optimizer/noise';
import { replicateTarget } from '../../../src/engine/optimizer/replicate';
import { createRng } from '../../../src/engine/random/rng';
import type { ParameterSet } from '../../../src/engine/space/space';
import { design, fitOptions, key, rastrigin, space } from './twoDimensionalStudy';



/** f plus N(0, sd²) noise, seeded. */
function noisy(f: (p: ParameterSet) => number, sd: number, seed: number): (p: ParameterSet) => number {
  const rng = createRng(seed);
  return (p) => f(p) + sd * rng.normal();
}

const bowl = (p: ParameterSet) => (Number(p.x) - 1) ** 2 + (Number(p.y) + 2) ** 2;


const base = { space, iteration: 2, maxIterations: 10, acquisition: 'ucb' as const, seed: 3 };

describe('the replicates’ lower bound on the noise', () => {
  it('uses χ²_k’s 90 % quantile (tabulated values)', () => {
    // scipy.stats.chi2.ppf(0.9, k) = 2.705543, 6.251389, 15.987179 for k = 1, 3, 10.
    expect(chiSquareQuantile(1, 0.9)).toBeCloseTo(2.705543, 5);
    expect(chiSquareQuantile(3, 0.9)).toBeCloseTo(6.251389, 5);
    expect(chiSquareQuantile(10, 0.9)).toBeCloseTo(15.987179, 5);
  });

  it('is SS / χ²_k(0.9) of the repeats, and 0 without repeats or with exact ones', () => {
    const once = design(bowl, 12, 1);
    const plain = fitSurrogate(space, once, fitOptions);
    expect(replicateNoiseLowerBound(plain.evaluated, 1)).toBe(0);
    const exact = fitSurrogate(space, [...once, ...once.slice(0, 3)], fitOptions);
    expect(replicateNoiseLowerBound(exact.evaluated, 1)).toBe(0);
    // Two sets repeated: scatter (1, 3) and (5, 5, 8): SS = 2 + 6 = 8 with 1 + 2 = 3 degrees of freedom.
    const repeated = [
      { params: once[0].params, score: 1 },
      { params: once[0].params, score: 3 },
      { params: once[1].params, score: 5 },
      { params: once[1].params, score: 5 },
      { params: once[1].params, score: 8 },
      ...once.slice(2),
    ];
    const surrogate = fitSurrogate(space, repeated, fitOptions);
    expect(replicateNoiseLowerBound(surrogate.evaluated, 1)).toBeCloseTo(8 / 6.251389, 5);
  });

  it('keeps the fitted noise at or above the bound when asked, and leaves an exact-repeat fit unchanged', () => {
    // A smooth bowl whose repeats scatter with sd 2: the bound holds the noise up whatever the likelihood says.
    const objective = noisy(bowl, 2, 5);
    const first = design(objective, 16, 2);
    const observations = [...first, ...first.slice(0, 4).map((o) => ({ params: o.params, score: objective(o.params) }))];
    const bounded = fitSurrogate(space, observations, { ...fitOptions, replicateNoiseBound: true });
    const bound = replicateNoiseLowerBound(bounded.evaluated, 1);
    expect(bound).toBeGreaterThan(0);
    const slope = untransformDerivative(bounded.transform, 0);
    expect(bounded.hyperparameters.noise * slope * slope).toBeGreaterThanOrEqual(bound * (1 - 1e-9));

    const exact = design(rastrigin, 16, 2);
    const withRepeats = [...exact, ...exact.slice(0, 3)];
    expect(fitSurrogate(space, withRepeats, { ...fitOptions, replicateNoiseBound: true }).hyperparameters).toEqual(fitSurrogate(space, withRepeats, fitOptions).hyperparameters);
  });
});

describe('replicateTarget: which contender to re-measure', () => {
  it('is −1 when the incumbent leads by more than its posterior sd', () => {
    // Noiseless bowl, noise bound tiny: the posterior sd at evaluated sets is far below the gaps.
    const surrogate = fitSurrogate(space, design(bowl, 20, 3), fitOptions);
    expect(replicateTarget(surrogate)).toBe(-1);
  });

  it('is the most uncertain close contender among the five lowest posterior means when the lead is within the sd', () => {
    // Pure noise around a constant, with its scale known: the means shrink together, the leads are within the sd.
    const surrogate = fitSurrogate(space, design(noisy(() => 10, 1, 4), 24, 4), { ...fitOptions, scoreNoiseStd: 1 });
    const rows = surrogate.evaluated
      .map((set, index) => {
        const p = surrogate.posterior.predict(set.x);
        return { index, mean: p.mean, sd: Math.sqrt(p.variance) };
      })
      .sort((a, b) => a.mean - b.mean);
    const target = replicateTarget(surrogate);
    expect(rows[0].sd).toBeGreaterThan(rows[1].mean - rows[0].mean);
    const top = rows.slice(0, 5);
    const chosen = top.find((r) => r.index === target)!;
    expect(chosen).toBeDefined();
    const contenders = top.filter((r) => r.mean - top[0].mean < r.sd + top[0].sd);
    expect(chosen.sd).toBe(Math.max(...contenders.map((r) => r.sd)));
  });
});

describe('proposeBatch: re-measuring a contender on a noisy objective', () => {
  const observations = design(noisy(() => 10, 1, 6), 24, 6);
  const evaluated = new Set(observations.map((o) => key(o.params)));
  const repeats = (out: ReturnType<typeof proposeBatch>) => out.next_params.filter((p) => evaluated.has(key(p.params)));

  it('makes the last member of the batch a repeat of an evaluated set, with the caller’s values', () => {
    const out = proposeBatch({ ...base, observations, batchSize: 4, noisyScores: true });
    expect(out.diagnostics.noise).toMatchObject({ source: 'known', probe: false, replicate: true });
    expect(repeats(out)).toEqual([out.next_params[3]]);
    expect(out.next_params[3].acquisitionValue).toBeNull();
    expect(observations.map((o) => o.params)).toContainEqual(out.next_params[3].params);
  });

  it('not when turned off, with a batch of one, while a repeat is pending, nor on a deterministic reading', () => {
    const off = proposeBatch({ ...base, observations, batchSize: 4, noisyScores: true, settings: { replicateContenders: false } });
    expect(off.diagnostics.noise!.replicate).toBe(false);
    expect(repeats(off)).toHaveLength(0);
    expect(proposeBatch({ ...base, observations, batchSize: 1, noisyScores: true }).diagnostics.noise!.replicate).toBe(false);
    const pending = proposeBatch({ ...base, observations, batchSize: 4, noisyScores: true, pending: [observations[0].params] });
    expect(pending.diagnostics.noise!.replicate).toBe(false);
    expect(repeats(pending)).toHaveLength(0);
    // Exact repeats: read deterministic, the reported best is the best observation, nothing re-measured.
    const exact = design(rastrigin, 16, 4);
    const read = proposeBatch({ ...base, observations: [...exact, exact[0]], batchSize: 4 });
    expect(read.diagnostics.noise).toMatchObject({ source: 'replicates', deterministic: true, probe: false, replicate: false });
  });
});

/** The bench's loop in small: 16 design points, then 5 batches of 6 on 2-D Rastrigin with N(0, 3²) noise. */
function study(seed: number, replicateContenders: boolean) {
  const objective = noisy(rastrigin, 3, seed * 7919 + 1);
  const observations = design(objective, 16, seed);
  let replicated = 0;
  for (let iteration = 1; iteration <= 5; iteration++) {
    // The global search region and UCB members only, the settings this regression was recorded with (the
    // trust region and the portfolio have their own tests).
    const out = proposeBatch({ ...base, observations, iteration, maxIterations: 5, batchSize: 6, seed, settings: { replicateContenders, searchRegion: 'global', batchPortfolio: false } });
    if (out.diagnostics.noise!.replicate) replicated++;
    for (const p of out.next_params) observations.push({ params: p.params, score: objective(p.params) });
  }
  return { replicated, final: fitModel({ space, observations, seed, settings: { replicateContenders } }) };
}

describe('seeded regression: the reported best on a noisy multimodal function', () => {
  it('re-measures contenders and reports a better set than without (2-D Rastrigin + noise, seed 7)', () => {
    // Pinned on one seed: over 12 seeds of this small study the two are about even (the evidence is the
    // bench, docs/decisions.md 'Replicates under noise'); this guards the path, not the average.
    const on = study(7, true);
    const off = study(7, false);
    expect(on.replicated).toBeGreaterThan(0);
    expect(off.replicated).toBe(0);
    expect(rastrigin(on.final.current_best[0].params)).toBeLessThan(0.5 * rastrigin(off.final.current_best[0].params));
  });
});
