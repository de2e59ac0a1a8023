/**
 * The format of tests/fixtures/storage/v2-database.json.gz: every record of every store of a version-2
 * 'latent-calibration-studio' database, written by scripts/make-v2-fixture.ts.
 *
 * The text is the repository's tagged JSON (typed arrays as {"$typed": "Float32Array", "values": [...]},
 * NaN, ±Infinity and −0 as {"$number": "NaN"}) plus three tags for what the records hold and JSON
 * cannot say: {"$blob": {"type": "image/png", "base64": "..."}} for a Blob, {"$arrayBuffer": "..."}
 * (base64) for an ArrayBuffer, and {"$undefined": true} for a property present with the value
 * undefined (IndexedDB keeps such properties, JSON would drop them). A tag is an object with exactly
 * the tag's keys; no record has keys starting with '$'.
 *
 * This module has no imports from src/: the reader must keep reading the file when the record types
 * and the export code move or change (the file stays the version-2 content it was made as). It runs in
 * Node and in a browser page.
 */

/** The five stores of schema version 2, in the order they are listed in the file. */
export const V2_STORE_NAMES = ['experiments', 'iterations', 'samples', 'chips', 'realImages'] as const;
export type V2StoreName = (typeof V2_STORE_NAMES)[number];

/** A record as stored: plain data with typed arrays, Blobs and ArrayBuffers inside. */
export type V2Record = Record<string, unknown>;

export interface V2FixtureSummary {
  experiments: Array<{
    id: string;
    name: string;
    target: string;
    status: string;
    /** [iteration, stage] for each iteration record. */
    iterations: Array<[number, string]>;
    /** Samples per iteration (an iteration's samples can exist before its record reaches 'sampled'). */
    samplesPerIteration: Record<string, number>;
    chips: number;
    realImages: number;
    /** What this experiment is in the fixture for. */
    note: string;
  }>;
  records: Record<V2StoreName, number>;
}

export interface V2Fixture {
  format: 'latent-calibration-studio IndexedDB fixture';
  formatVersion: 1;
  database: { name: string; version: 2 };
  madeFrom: {
    /** `git rev-parse HEAD` when the file was written. */
    commit: string;
    /** Files under src/ that differed from that commit (git status --porcelain), if any. */
    uncommittedSrcChanges: string[];
    script: string;
    node: string;
    writtenAt: string;
  };
  summary: V2FixtureSummary;
  /** Every record of each store, in key order. */
  stores: Record<V2StoreName, V2Record[]>;
}

const typedArrays = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
} as const;

function hasExactKeys(record: Record<string, unknown>, keys: string[]): boolean {
  const own = Object.keys(record);
  return own.length === keys.length && keys.every((k) => own.includes(k));
}

export function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function base64ToBytes(text: string): Uint8Array<ArrayBuffer> {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** One tagged value back to what it stands for; anything else is returned as it is. */
function untag(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  if (hasExactKeys(record, ['$number']) && typeof record.$number === 'string') {
    const n = Number(record.$number);
    if (Number.isNaN(n) && record.$number !== 'NaN') throw new Error(`v2 fixture: bad $number ${record.$number}`);
    return n;
  }
  if (hasExactKeys(record, ['$typed', 'values']) && typeof record.$typed === 'string' && Array.isArray(record.values)) {
    const Type = typedArrays[record.$typed as keyof typeof typedArrays];
    if (!Type) throw new Error(`v2 fixture: unknown typed array ${record.$typed}`);
    return new Type(record.values as number[]);
  }
  if (hasExactKeys(record, ['$blob']) && record.$blob && typeof record.$blob === 'object') {
    const { type, base64 } = record.$blob as { type: string; base64: string };
    return new Blob([base64ToBytes(base64)], { type });
  }
  if (hasExactKeys(record, ['$arrayBuffer']) && typeof record.$arrayBuffer === 'string') return base64ToBytes(record.$arrayBuffer).buffer;
  return value;
}

const UNDEFINED = Symbol('undefined');

/**
 * Parses the fixture text. Property values tagged $undefined become properties with the value
 * undefined (present, as in the stored record), array elements likewise.
 */
export function parseV2Fixture(text: string): V2Fixture {
  const parsed = JSON.parse(text, (_key, value: unknown) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && hasExactKeys(value as Record<string, unknown>, ['$undefined'])) return UNDEFINED;
    return untag(value);
  }) as unknown;
  // JSON.parse drops a property whose reviver result is undefined, so $undefined is a marker first.
  const restore = (value: unknown): unknown => {
    if (value === UNDEFINED) return undefined;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = restore(value[i]);
      return value;
    }
    if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) record[key] = restore(record[key]);
    }
    return value;
  };
  const fixture = restore(parsed) as V2Fixture;
  if (fixture.format !== 'latent-calibration-studio IndexedDB fixture' || fixture.formatVersion !== 1 || fixture.database?.version !== 2) {
    throw new Error('not a version-2 database fixture (format, formatVersion or database.version differ)');
  }
  return fixture;
}

/** Gunzips when the bytes are gzip (magic 1f 8b), else reads them as UTF-8 JSON. Browser and Node. */
export async function fixtureText(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return new TextDecoder().decode(bytes);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text();
}
