// Shared by the storage and archive harness pages: the fixture as stored records, and a digest of
// records that is equal exactly when the records are (Blob bytes and typed arrays included).
import type { SampleRecord } from '../../../src/engine/experiment/records';
import { toTaggedJson, type ExperimentBundle } from '../../../src/storage/archive';
import { buildSyntheticExperiment, type FixtureOptions } from '../../helpers/experimentFixture';

export function fixtureBundle(options: FixtureOptions = {}): ExperimentBundle {
  const x = buildSyntheticExperiment(options);
  return {
    experiment: x.experiment,
    iterations: x.iterations,
    chips: x.chips,
    realImages: x.realImages,
    samples: x.samples.map(({ image, ...rest }) => ({ ...rest, png: new Blob([image as BlobPart], { type: 'image/png' }) })),
  };
}

export function samplesOf(bundle: ExperimentBundle, iteration: number): SampleRecord[] {
  return bundle.samples.filter((s) => s.iteration === iteration);
}

async function hex(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

const byKey = (key: (r: never) => string) => (a: unknown, b: unknown) => {
  const ka = key(a as never);
  const kb = key(b as never);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

/** Plain data with every object's keys sorted (so key order, which records do not promise, is ignored). */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(Object.keys(record).filter((k) => record[k] !== undefined).sort().map((k) => [k, sortKeys(record[k])]));
}

/** A canonical text of records (sorted; Blobs and ArrayBuffers as SHA-256), for equality checks. */
export async function recordsDigest(parts: Partial<ExperimentBundle>): Promise<string> {
  const samples = await Promise.all(
    [...(parts.samples ?? [])].sort(byKey((s: SampleRecord) => s.sample_id)).map(async ({ png, ...rest }) => ({ ...rest, png: png ? { type: png.type, sha256: await hex(await png.arrayBuffer()) } : null })),
  );
  const images = async (list: ExperimentBundle['chips'] | undefined) =>
    Promise.all([...(list ?? [])].sort(byKey((c: { id: string }) => c.id)).map(async ({ bytes, ...rest }) => ({ ...rest, sha256: await hex(bytes) })));
  return toTaggedJson(
    sortKeys({
      experiment: parts.experiment ?? null,
      iterations: [...(parts.iterations ?? [])].sort((a, b) => a.iteration - b.iteration),
      samples,
      chips: await images(parts.chips),
      realImages: await images(parts.realImages),
    }),
    0,
  );
}

export function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function base64ToBytes(text: string): Uint8Array {
  const s = atob(text);
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}
