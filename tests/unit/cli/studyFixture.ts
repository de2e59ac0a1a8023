import type { ExperimentBundle } from '../../../src/storage/archive';
import { buildSyntheticExperiment, type FixtureOptions } from '../../helpers/experimentFixture';

/**
 * Plain data without its undefined-valued keys (as any store or file holds it: JSON has no undefined);
 * typed arrays, ArrayBuffers and Blobs kept as they are.
 */
function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutUndefined) as T;
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof Blob) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, withoutUndefined(v)])) as T;
}

/** The storage fixture as stored records: PNGs as Blobs, as the page's store and bundleFromFiles hold them. */
export function fixtureBundle(options: FixtureOptions = {}): ExperimentBundle {
  const x = withoutUndefined(buildSyntheticExperiment(options));
  return {
    experiment: x.experiment,
    iterations: x.iterations,
    chips: x.chips,
    realImages: x.realImages,
    samples: x.samples.map(({ image, ...rest }) => ({ ...rest, ...(image ? { png: new Blob([image as BlobPart], { type: 'image/png' }) } : {}) })),
  };
}

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const bySample = <T extends { sample_id: string }>(a: T, b: T) => (a.sample_id < b.sample_id ? -1 : a.sample_id > b.sample_id ? 1 : 0);

/** A bundle in canonical order (chips by id, iterations by number, samples by id), for comparing. */
export function canonical(b: ExperimentBundle): ExperimentBundle {
  return {
    experiment: b.experiment,
    iterations: [...b.iterations].sort((p, q) => p.iteration - q.iteration),
    chips: [...b.chips].sort(byId),
    realImages: [...b.realImages].sort(byId),
    samples: [...b.samples].sort(bySample),
  };
}
