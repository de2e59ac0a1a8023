import { describe, expect, it } from 'vitest';
import { float16ArrayToFloat32, float32ToFloat16Array, fromFloat16Bits, toFloat16Bits } from '../../../src/embedders/float16';

describe('float16', () => {
  it('encodes known values exactly', () => {
    const cases: Array<[number, number]> = [[0, 0x0000], [1, 0x3c00], [-2, 0xc000], [65504, 0x7bff], [2 ** -24, 0x0001], [0.5, 0x3800], [Infinity, 0x7c00], [1e6, 0x7c00], [1e-9, 0]];
    for (const [value, bits] of cases) expect(toFloat16Bits(value), String(value)).toBe(bits);
    expect(toFloat16Bits(NaN) & 0x7c00).toBe(0x7c00);
  });
  it('rounds to nearest, ties to even', () => {
    expect(toFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie, even mantissa stays
    expect(toFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie, odd mantissa rounds up
    expect(toFloat16Bits(2047.9)).toBe(0x6800); // rounds up into the next exponent (2048)
  });
  it('round-trips every finite half value', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      if ((bits & 0x7c00) === 0x7c00) continue;
      expect(toFloat16Bits(fromFloat16Bits(bits))).toBe(bits === 0x8000 ? 0x8000 : bits);
    }
  });
  it('converts arrays within half precision', () => {
    const values = Float32Array.from([-2.2, 0.485, 1.7, 3.1]);
    const back = float16ArrayToFloat32(float32ToFloat16Array(values));
    values.forEach((v, i) => expect(Math.abs(back[i] - v)).toBeLessThanOrEqual(Math.abs(v) * 2 ** -11));
  });
});
