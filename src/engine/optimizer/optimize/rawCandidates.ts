import type { Rng } from '../../random/rng';
import { categoryOf, inputFromUniform, integerLevelOf, integerUnit, setCategory, type SpaceLayout } from '../encoding';
import { sobolPoints } from '../sampling/sobol';
import { clipToRegion, scaleIntoRegion, type TrustRegion } from './trustRegion';

/**
 * Raw candidates for acquisition optimisation: a scrambled Sobol set over the whole space (one Sobol
 * coordinate per parameter) plus perturbations of the incumbents — BoTorch's `sample_around_best`: the
 * optimum of a late-iteration acquisition is usually near the current best points, and a global
 * quasi-random set of ~1,000 points in 6-D rarely lands close enough to them.
 *
 * Perturbations: continuous coordinates + N(0, s²) clipped to [0, 1], s alternating 0.1 and 0.02
 * (coarse and fine); an integer moves by ±1 or ±2 levels with probability ½; a categorical switches
 * to a random level with probability ⅕.
 *
 * With a trust region (trustRegion.ts) the Sobol set covers the region's box and the perturbations are
 * clipped into it, along the continuous coordinates.
 */
export interface RawCandidateOptions {
  sobolCount: number;
  localCount: number;
  /** Model inputs of the incumbents (best posterior means first). */
  incumbents: readonly Float64Array[];
  seed: number;
  rng: Rng;
  region?: Pick<TrustRegion, 'lower' | 'upper'>;
}

export function rawCandidates(layout: SpaceLayout, options: RawCandidateOptions): Float64Array[] {
  const out: Float64Array[] = [];
  const dimension = layout.parameters.length;
  if (options.sobolCount > 0 && dimension > 0) {
    for (const u of sobolPoints(dimension, options.sobolCount, 0, { seed: options.seed })) {
      const x = inputFromUniform(layout, u);
      out.push(options.region ? scaleIntoRegion(x, options.region, layout) : x);
    }
  }
  const { incumbents, rng } = options;
  if (incumbents.length === 0) return out;
  for (let k = 0; k < options.localCount; k++) {
    const x = Float64Array.from(incumbents[k % incumbents.length]);
    const scale = k % 2 === 0 ? 0.1 : 0.02;
    for (const p of layout.parameters) {
      if (p.kind === 'continuous') {
        x[p.column] = Math.min(1, Math.max(0, x[p.column] + scale * rng.normal()));
      } else if (p.kind === 'integer') {
        if (rng.next() < 0.5) {
          const step = (rng.next() < 0.5 ? -1 : 1) * (rng.next() < 0.5 ? 1 : 2);
          const level = Math.min(p.levels - 1, Math.max(0, integerLevelOf(x[p.column], p) + step));
          x[p.column] = integerUnit(level, p);
        }
      } else if (rng.next() < 0.2) {
        setCategory(x, p, rng.int(0, p.choices.length - 1));
      } else {
        setCategory(x, p, categoryOf(x, p));
      }
    }
    out.push(options.region ? clipToRegion(x, options.region, layout) : x);
  }
  return out;
}
