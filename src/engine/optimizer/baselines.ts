import { sampleUniform } from '../space/sampling';
import type { ParameterSet, ParameterSpace } from '../space/space';
import type { Rng } from '../random/rng';
import type { ModelFreeAcquisition } from './acquisition/acquisition';
import { decodeParameters, encodeParameters, inputFromUniform, spaceLayout, type SpaceLayout } from './encoding';
import type { ExclusionSet } from './optimize/exclusion';
import { sobolPoints } from './sampling/sobol';

/**
 * Model-free proposals, selectable by the user and used as the benchmark's floor:
 * - random: uniform over the space (sampleUniform), re-drawn on a duplicate, as the first user's
 *   placeholder optimizer drew (see docs/decisions.md, 'Random baseline');
 * - sobol: one scrambled Sobol sequence per experiment seed, continued across iterations from index
 *   (evaluated + pending) so successive batches fill the space evenly.
 */
const MAX_REDRAWS = 1000;

export function randomProposals(space: ParameterSpace, layout: SpaceLayout, count: number, exclusion: ExclusionSet, rng: Rng): Float64Array[] {
  const out: Float64Array[] = [];
  for (let tries = 0; out.length < count && tries < count * MAX_REDRAWS; tries++) {
    const x = encodeParameters(layout, sampleUniform(space, rng));
    if (exclusion.has(x)) continue;
    exclusion.add(x);
    out.push(x);
  }
  return out;
}

export function sobolProposals(layout: SpaceLayout, count: number, skip: number, seed: number, exclusion: ExclusionSet): Float64Array[] {
  const out: Float64Array[] = [];
  const dimension = layout.parameters.length;
  let index = skip;
  while (out.length < count && index < skip + count * MAX_REDRAWS) {
    const chunk = sobolPoints(dimension, count, index, { seed });
    index += count;
    for (const u of chunk) {
      const x = inputFromUniform(layout, u);
      if (out.length >= count || exclusion.has(x)) continue;
      exclusion.add(x);
      out.push(x);
    }
  }
  return out;
}

export const randomSearch: ModelFreeAcquisition = {
  name: 'random',
  needsModel: false,
  propose: ({ space, layout, count, exclusion, rng }) => randomProposals(space, layout, count, exclusion, rng.fork('random')),
};

export const sobolSequence: ModelFreeAcquisition = {
  name: 'sobol',
  needsModel: false,
  propose: ({ layout, count, skip, seed, exclusion }) => sobolProposals(layout, count, skip, seed, exclusion),
};

/**
 * A space-filling initial design: the first `count` points of a scrambled Sobol sequence (use a power
 * of two, e.g. 16, for the balance properties), de-duplicated.
 */
export function initialDesign(space: ParameterSpace, count: number, seed: number): ParameterSet[] {
  const layout = spaceLayout(space);
  const seen = new Set<string>();
  const out: ParameterSet[] = [];
  const dimension = layout.parameters.length;
  for (let index = 0; out.length < count && index < count * MAX_REDRAWS; index += count) {
    for (const u of sobolPoints(dimension, count, index, { seed })) {
      const set = decodeParameters(layout, inputFromUniform(layout, u));
      const key = JSON.stringify(set);
      if (out.length >= count || seen.has(key)) continue;
      seen.add(key);
      out.push(set);
    }
  }
  return out;
}
