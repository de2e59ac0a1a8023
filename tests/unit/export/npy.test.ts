import { describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy, NpyFormatError } from '../../../src/storage/archive/npy';

// np.save(f, np.arange(6, dtype=np.float32).reshape(2, 3)) with numpy 1.24.2 (Debian /usr/bin/python3),
// all 152 bytes: a 128-byte header (magic, v1.0, header length 0x76, dict, spaces, '\n'), then 6 float32 LE.
const NUMPY_2x3_F4_HEX =
  '934e554d5059010076007b276465736372273a20273c6634272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028322c2033292c207d' +
  '20'.repeat(58) +
  '0a' +
  '000000000000803f0000004000004040000080400000a040';

const hex = (b: Uint8Array) => Array.from(b, (v) => v.toString(16).padStart(2, '0')).join('');
const ascii = (b: Uint8Array) => String.fromCharCode(...b);

describe('encodeNpy', () => {
  it("writes np.save's bytes exactly for a 2×3 float32 array", () => {
    const bytes = encodeNpy(Float32Array.from([0, 1, 2, 3, 4, 5]), [2, 3]);
    expect(bytes.length).toBe(152);
    expect(hex(bytes)).toBe(NUMPY_2x3_F4_HEX);
  });

  it('pads every header so the data starts on a 64-byte boundary, with numpy header text', () => {
    for (const [shape, data] of [
      [[0, 8], new Float32Array(0)],
      [[5], new Float64Array(5)],
      [[3, 2], new Float64Array(6)],
      [[1234567, 0], new Float32Array(0)],
    ] as const) {
      const bytes = encodeNpy(data, shape);
      const headerLength = bytes[8] | (bytes[9] << 8);
      expect((10 + headerLength) % 64).toBe(0);
      const header = ascii(bytes.subarray(10, 10 + headerLength));
      expect(header.endsWith('\n')).toBe(true);
      const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
      expect(header).toContain(`'shape': ${shapeText}, }`);
    }
  });

  it('rejects a shape that does not hold the data', () => {
    expect(() => encodeNpy(new Float32Array(5), [2, 3])).toThrow(/holds 6 values but 5/);
  });
});

describe('decodeNpy', () => {
  it('reads numpy output and round-trips float32 and float64 values bit for bit', () => {
    const golden = Uint8Array.from(NUMPY_2x3_F4_HEX.match(/../g)!.map((h) => parseInt(h, 16)));
    const parsed = decodeNpy(golden);
    expect(parsed.descr).toBe('<f4');
    expect(parsed.shape).toEqual([2, 3]);
    expect(Array.from(parsed.data)).toEqual([0, 1, 2, 3, 4, 5]);

    const f32 = Float32Array.from([Math.PI, -0, NaN, Infinity, 1e-40, -3.5]);
    const back32 = decodeNpy(encodeNpy(f32, [3, 2]));
    expect(back32.data).toBeInstanceOf(Float32Array);
    expect(new Uint8Array(back32.data.buffer)).toEqual(new Uint8Array(f32.buffer));

    const f64 = Float64Array.from([Math.E, -1e300, NaN, 5e-324]);
    const back64 = decodeNpy(encodeNpy(f64, [2, 2]));
    expect(back64.descr).toBe('<f8');
    expect(new Uint8Array(back64.data.buffer)).toEqual(new Uint8Array(f64.buffer));
  });

  it('names the file and the reason for each malformed input', () => {
    const good = encodeNpy(new Float32Array(6), [2, 3]);
    const cases: Array<[Uint8Array, RegExp]> = [
      [Uint8Array.from([1, 2, 3]), /only 3 bytes/],
      [Uint8Array.from([...good.subarray(0, 1), 0x4f, ...good.subarray(2)]), /magic/],
      [Uint8Array.from([...good.subarray(0, 6), 3, 0, ...good.subarray(8)]), /version 3\.0/],
      [good.subarray(0, good.length - 4), /needs 24 data bytes but the file has 20/],
      [Uint8Array.from(ascii(good).replace("'<f4'", "'<i4'"), (c) => c.charCodeAt(0)), /dtype '<i4' is not supported/],
      [Uint8Array.from(ascii(good).replace("'<f4'", "'>f4'"), (c) => c.charCodeAt(0)), /dtype '>f4'/],
      [Uint8Array.from(ascii(good).replace("False", "True "), (c) => c.charCodeAt(0)), /Fortran-ordered/],
      [Uint8Array.from(ascii(good).replace("(2, 3)", "(2, x)"), (c) => c.charCodeAt(0)), /axis "x"/],
    ];
    for (const [bytes, reason] of cases) {
      let error: unknown;
      try {
        decodeNpy(bytes, 'iteration_0/embeddings.npy');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(NpyFormatError);
      expect((error as Error).message).toMatch(/^iteration_0\/embeddings\.npy: not a valid \.npy file: /);
      expect((error as Error).message).toMatch(reason);
    }
  });
});
