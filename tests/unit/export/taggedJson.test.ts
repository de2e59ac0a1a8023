import { describe, expect, it } from 'vitest';
import { fromTaggedJson, toTaggedJson } from '../../../src/storage/archive/taggedJson';
import { utf8Decode, utf8Encode } from '../../../src/storage/archive/utf8';

describe('tagged JSON', () => {
  it('keeps NaN, ±Infinity, −0 and typed arrays that plain JSON loses', () => {
    const value = {
      nan: NaN,
      inf: [Infinity, -Infinity],
      negativeZero: -0,
      plain: 1.2345678901234567,
      f64: Float64Array.from([1.5, NaN, -Infinity]),
      i32: Int32Array.from([-1, 2]),
      u8: Uint8Array.from([0, 255]),
      nested: { f32: Float32Array.from([0.1]) },
    };
    const back = fromTaggedJson<typeof value>(toTaggedJson(value));
    expect(back.nan).toBeNaN();
    expect(back.inf).toEqual([Infinity, -Infinity]);
    expect(Object.is(back.negativeZero, -0)).toBe(true);
    expect(back.plain).toBe(value.plain);
    expect(back.f64).toBeInstanceOf(Float64Array);
    expect(Array.from(back.f64)).toEqual([1.5, NaN, -Infinity]);
    expect(back.i32).toEqual(value.i32);
    expect(back.u8).toEqual(value.u8);
    expect(back.nested.f32).toEqual(value.nested.f32);
    // and writing it again gives the same text
    expect(toTaggedJson(back)).toBe(toTaggedJson(value));
  });

  it('is plain JSON that any JSON reader parses', () => {
    const parsed = JSON.parse(toTaggedJson({ x: NaN, a: Float64Array.from([2]) }));
    expect(parsed).toEqual({ x: { $number: 'NaN' }, a: { $typed: 'Float64Array', values: [2] } });
  });
});

describe('utf8', () => {
  it('round-trips text outside ASCII and rejects malformed bytes', () => {
    const text = 'demo chip ü #2 — 𝔵 ✓';
    expect(utf8Decode(utf8Encode(text))).toBe(text);
    expect(utf8Encode(text)).toEqual(new Uint8Array(Buffer.from(text, 'utf8')));
    expect(() => utf8Decode(Uint8Array.from([0x61, 0xc3]))).toThrow(/invalid UTF-8 at byte 1/);
    expect(() => utf8Decode(Uint8Array.from([0xc0, 0x80]))).toThrow(/invalid UTF-8/);
  });
});
