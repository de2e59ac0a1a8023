import type { Rng } from '../random/rng';
import type { ParameterSet, ParameterSpace, ParameterValue } from './space';

/**
 * How a parameter is drawn for a dataset (the config's `param_distributions`): numeric parameters from a
 * normal clipped to the bounds, categoricals from a probability vector over the choices.
 */
export type ParameterDistribution =
  | { kind: 'normal'; mean: number; std: number }
  | { kind: 'categorical'; probabilities: Readonly<Record<string, number>> };

export type SpaceDistribution = Readonly<Record<string, ParameterDistribution>>;

/**
 * Draws one parameter set. Numeric: x ~ N(mean, std²), then clipped to [low, high] (clipping, not
 * truncation: mass beyond a bound lands on the bound; see docs/decisions.md, 'Close and far sets:
 * clipped normal draws'); integers are rounded
 * before clipping. Categorical: a choice with the configured probability. Parameters without a
 * distribution are drawn uniformly over their bounds.
 */
export function sampleParameterSet(space: ParameterSpace, distribution: SpaceDistribution, rng: Rng): ParameterSet {
  const out: Record<string, ParameterValue> = {};
  for (const p of space.parameters) {
    const d = distribution[p.name];
    if (p.kind === 'categorical') {
      if (d && d.kind !== 'categorical') throw new Error(`parameter "${p.name}" is categorical but its distribution is not`);
      const weights = p.choices.map((c) => (d ? (d.probabilities[c] ?? 0) : 1));
      out[p.name] = p.choices[rng.weightedIndex(weights)];
    } else {
      if (d && d.kind !== 'normal') throw new Error(`parameter "${p.name}" is numeric but its distribution is categorical`);
      let x = d ? rng.normal(d.mean, d.std) : rng.uniform(p.low, p.high);
      if (p.kind === 'integer') x = Math.round(x);
      out[p.name] = Math.min(p.high, Math.max(p.low, x));
    }
  }
  return out;
}

/** Draws one parameter set uniformly over the space (integers uniform over their whole numbers). */
export function sampleUniform(space: ParameterSpace, rng: Rng): ParameterSet {
  const out: Record<string, ParameterValue> = {};
  for (const p of space.parameters) {
    if (p.kind === 'categorical') out[p.name] = p.choices[rng.int(0, p.choices.length - 1)];
    else if (p.kind === 'integer') out[p.name] = rng.int(p.low, p.high);
    else out[p.name] = rng.uniform(p.low, p.high);
  }
  return out;
}
