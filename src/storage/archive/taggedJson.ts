/**
 * JSON that keeps what plain JSON loses in the experiment records, so that export → import gives the
 * same values: typed arrays (IterationScores.perSample holds Float64Array/Int32Array/Uint8Array) become
 * {"$typed": "Float64Array", "values": [...]}, and NaN, ±Infinity and −0 (metrics report NaN where a
 * value is undefined) become {"$number": "NaN"}. Everything else is ordinary JSON, so Python's json
 * module reads the files; a Python reader takes `values` of a $typed object as a list.
 */

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
type TypedArrayName = keyof typeof typedArrays;

function isTypedArrayName(name: unknown): name is TypedArrayName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(typedArrays, name);
}

function replacer(this: unknown, _key: string, value: unknown): unknown {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { $number: String(value) };
    if (Object.is(value, -0)) return { $number: '-0' };
    return value;
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const name = value.constructor.name;
    if (!isTypedArrayName(name)) throw new Error(`taggedJson: ${name} cannot be written`);
    return { $typed: name, values: Array.from(value as unknown as ArrayLike<number>) };
  }
  if (typeof value === 'bigint') throw new Error('taggedJson: BigInt cannot be written');
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && keys[0] === '$number' && typeof record.$number === 'string') {
    const n = Number(record.$number);
    if (!Number.isNaN(n) || record.$number === 'NaN') return n;
  }
  if (keys.length === 2 && isTypedArrayName(record.$typed) && Array.isArray(record.values)) {
    return new typedArrays[record.$typed](record.values as number[]);
  }
  return value;
}

/** Serialises with the tags above; `indent` as JSON.stringify's. Key order is the objects' own order. */
export function toTaggedJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, replacer, indent) + '\n';
}

/** Parses text written by toTaggedJson (plain JSON too). Throws SyntaxError on malformed text. */
export function fromTaggedJson<T = unknown>(text: string): T {
  return JSON.parse(text, reviver) as T;
}
