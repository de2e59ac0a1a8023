import { encodeParameters } from '../optimizer/encoding';
import { correlation } from '../optimizer/gp/kernel';
import { untransformOutput } from '../optimizer/gp/outputTransform';
import { predictScore, type Surrogate } from '../optimizer/surrogate';
import type { ParameterRelevance } from '../optimizer/types';
import type { ParameterSet, ParameterSpace } from '../space/space';
import { plausibleRegion, type MeanFirstPosterior, type PlausibleRegion } from './plausibleRegion';

/**
 * The plausible region that comes with a proposal: computed from the surrogate the proposal was made
 * with (not its batch fantasies), so the region and current_best describe one model. The pairwise view
 * shows the two most relevant parameters, those with the shortest fitted lengthscales (the score
 * changes fastest along them, so their joint plausible set has the most shape).
 *
 * Cost: 4096 points a proposal. The GP's mean is O(n) a point and its std an O(n²) triangular solve, so
 * the region reads the means everywhere and the std only at the plausible points (plausibleRegion.ts,
 * MeanFirstPosterior).
 */

/** Bins of a parameter's density strip. */
export const REGION_BINS = 20;
/** Bins per numeric axis of the pairwise histogram: 4096 points over 10 × 10 cells, ~41 a cell. */
export const REGION_PAIR_BINS = 10;

/** The two parameters with the highest relevance (1/ℓ), in that order; ties keep the space's order. Null with fewer than two. */
export function mostRelevantPair(relevance: readonly ParameterRelevance[]): [string, string] | null {
  if (relevance.length < 2) return null;
  const ranked = relevance.map((r, i) => ({ r, i })).sort((a, b) => b.r.relevance - a.r.relevance || a.i - b.i);
  return [ranked[0].r.name, ranked[1].r.name];
}

/**
 * The surrogate's score posterior with its mean alone beside it: μ(x) = c + Σ_i σ_f² κ(r²(x, x_i)) α_i
 * (Rasmussen & Williams Alg. 2.1), r² = Σ_c (x_c − x_ic)²/ℓ_c², back-transformed as predictScore does.
 * The training inputs are read coordinate by coordinate (transposed once), which the JIT runs about
 * 1.5× faster than GpPosterior's row loop; every sum keeps GpPosterior.predict's order and expressions,
 * so `mean(p)` equals `predict(p).mean` to the bit.
 */
export function meanFirstPosterior(surrogate: Surrogate): MeanFirstPosterior {
  const { posterior, layout, transform } = surrogate;
  const { X, D, groups } = posterior.inputs;
  const n = posterior.n;
  const { outputscale, lengthscales, mean: constant } = posterior.hyperparameters;
  const inverseSquared = Float64Array.from(groups, (g) => 1 / lengthscales[g] ** 2);
  const columns = new Float64Array(n * D);
  for (let i = 0; i < n; i++) for (let c = 0; c < D; c++) columns[c * n + i] = X[i * D + c];
  const r2 = new Float64Array(n);
  return {
    mean(params: ParameterSet) {
      const x = encodeParameters(layout, params);
      r2.fill(0);
      for (let c = 0; c < D; c++) {
        const xc = x[c];
        const w = inverseSquared[c];
        const base = c * n;
        for (let i = 0; i < n; i++) {
          const d = xc - columns[base + i];
          r2[i] += d * d * w;
        }
      }
      let latent = constant;
      for (let i = 0; i < n; i++) latent += outputscale * correlation(surrogate.kernel, r2[i]) * posterior.alpha[i];
      return untransformOutput(transform, latent);
    },
    predict: (params) => predictScore(surrogate, params),
  };
}

/** The region {P(score ≤ δ) > ½} under the fitted surrogate, at tolerance δ (score units), seeded. */
export function proposalRegion(
  space: ParameterSpace,
  surrogate: Surrogate,
  relevance: readonly ParameterRelevance[],
  options: { tolerance: number; seed: number; count?: number },
): PlausibleRegion {
  const pair = mostRelevantPair(relevance);
  return plausibleRegion(space, meanFirstPosterior(surrogate), {
    tolerance: options.tolerance,
    seed: options.seed,
    ...(options.count !== undefined ? { count: options.count } : {}),
    bins: REGION_BINS,
    pairBins: REGION_PAIR_BINS,
    ...(pair ? { pair } : {}),
  });
}
