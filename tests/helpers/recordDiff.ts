/**
 * Exact comparison of stored records, for the storage fixture checks: every difference is reported
 * with its path, nothing is rounded. Typed arrays must have the same type and every element the same
 * value (Object.is: NaN equals NaN, 0 and −0 differ); Blobs the same type and the same bytes;
 * ArrayBuffers the same bytes; objects the same own keys (a key present with the value undefined is
 * not a missing key). No imports from src/; runs in Node and in a browser page.
 */

const MAX_REPORTED_ELEMENTS = 3;

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'array';
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  if (value instanceof ArrayBuffer) return 'ArrayBuffer';
  if (typeof Blob !== 'undefined' && value instanceof Blob) return 'Blob';
  return typeof value;
}

function show(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return kind(value);
}

function diffBytes(path: string, expected: Uint8Array, actual: Uint8Array, out: string[]): void {
  if (expected.length !== actual.length) {
    out.push(`${path}: ${actual.length} bytes, expected ${expected.length}`);
    return;
  }
  for (let i = 0; i < expected.length; i++) {
    if (expected[i] !== actual[i]) {
      out.push(`${path}: byte ${i} is ${actual[i]}, expected ${expected[i]}`);
      return;
    }
  }
}

/**
 * The differences between `expected` and `actual`, one line each ("samples[3].embedding[17]: …").
 * An empty list means the two are equal exactly.
 */
export async function diffRecords(expected: unknown, actual: unknown, path = '$'): Promise<string[]> {
  const out: string[] = [];
  const blobs: Array<{ path: string; expected: Blob; actual: Blob }> = [];
  const walk = (e: unknown, a: unknown, p: string): void => {
    const ke = kind(e);
    const ka = kind(a);
    if (ke !== ka) {
      out.push(`${p}: ${ka}${ka === 'number' || ka === 'string' ? ` ${show(a)}` : ''}, expected ${ke}${ke === 'number' || ke === 'string' ? ` ${show(e)}` : ''}`);
      return;
    }
    if (ke === 'Blob') {
      blobs.push({ path: p, expected: e as Blob, actual: a as Blob });
      return;
    }
    if (ke === 'ArrayBuffer') {
      diffBytes(p, new Uint8Array(e as ArrayBuffer), new Uint8Array(a as ArrayBuffer), out);
      return;
    }
    if (ArrayBuffer.isView(e)) {
      const ev = e as unknown as ArrayLike<number>;
      const av = a as unknown as ArrayLike<number>;
      if (ev.length !== av.length) {
        out.push(`${p}: length ${av.length}, expected ${ev.length}`);
        return;
      }
      let reported = 0;
      for (let i = 0; i < ev.length && reported < MAX_REPORTED_ELEMENTS; i++) {
        if (!Object.is(ev[i], av[i])) {
          out.push(`${p}[${i}]: ${show(av[i])}, expected ${show(ev[i])}`);
          reported++;
        }
      }
      return;
    }
    if (ke === 'array') {
      const ea = e as unknown[];
      const aa = a as unknown[];
      if (ea.length !== aa.length) out.push(`${p}: length ${aa.length}, expected ${ea.length}`);
      for (let i = 0; i < Math.min(ea.length, aa.length); i++) walk(ea[i], aa[i], `${p}[${i}]`);
      return;
    }
    if (ke === 'object') {
      const eo = e as Record<string, unknown>;
      const ao = a as Record<string, unknown>;
      for (const key of Object.keys(eo)) {
        if (!Object.prototype.hasOwnProperty.call(ao, key)) out.push(`${p}.${key}: missing (expected ${show(eo[key])})`);
        else walk(eo[key], ao[key], `${p}.${key}`);
      }
      for (const key of Object.keys(ao)) {
        if (!Object.prototype.hasOwnProperty.call(eo, key)) out.push(`${p}.${key}: unexpected (${show(ao[key])})`);
      }
      return;
    }
    if (!Object.is(e, a)) out.push(`${p}: ${show(a)}, expected ${show(e)}`);
  };
  walk(expected, actual, path);
  for (const b of blobs) {
    if (b.expected.type !== b.actual.type) out.push(`${b.path}.type: ${show(b.actual.type)}, expected ${show(b.expected.type)}`);
    const [eb, ab] = await Promise.all([b.expected.arrayBuffer(), b.actual.arrayBuffer()]);
    diffBytes(b.path, new Uint8Array(eb), new Uint8Array(ab), out);
  }
  return out;
}
