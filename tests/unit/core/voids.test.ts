import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/engine/random/rng';
import { MIN_RADIUS, sampleVoidLayout, signedDistance, type VoidParams } from '../../../src/domains/voids/geometry';
import { normalCdf, paintVoids, voidCoverage } from '../../../src/domains/voids/paint';
import { chooseBaseChip, imageSeed, layoutForImage, toVoidParams } from '../../../src/domains/voids/sampleImage';

const params: VoidParams = { void_shape: 'ellipse', void_count: 8, base_size: 20, brightness_factor: 0.6, size_std: 7, position_spread: 0.5 };
const size = { width: 512, height: 512 };

describe('void layout sampling', () => {
  it('draws exactly void_count voids, radius ≥ the minimum, positions in the centred window', () => {
    const rng = createRng(1);
    for (let t = 0; t < 200; t++) {
      const layout = sampleVoidLayout({ ...params, void_count: 3 + (t % 18), size_std: 15, base_size: 5 }, size, rng);
      expect(layout.voids).toHaveLength(3 + (t % 18));
      for (const v of layout.voids) {
        expect(v.radius).toBeGreaterThanOrEqual(MIN_RADIUS);
        expect(v.cx).toBeGreaterThanOrEqual(128);
        expect(v.cx).toBeLessThanOrEqual(384);
        expect(v.cy).toBeGreaterThanOrEqual(128);
        expect(v.cy).toBeLessThanOrEqual(384);
      }
      expect(layout.rotation >= 0 && layout.rotation < 360).toBe(true);
      expect(layout.edgeBlur).toBe(2);
    }
  });

  it("keeps the original corner rule available: positions in [0, spread × size)", () => {
    const layout = sampleVoidLayout({ ...params, void_count: 50, position_spread: 0.3 }, size, createRng(2), 'corner');
    for (const v of layout.voids) expect(v.cx >= 0 && v.cx < 0.3 * 512 && v.cy >= 0 && v.cy < 0.3 * 512).toBe(true);
  });

  it('draws radii base_size + N(0, size_std)', () => {
    const rng = createRng(3);
    const radii = Array.from({ length: 400 }, () => sampleVoidLayout({ ...params, void_count: 10 }, size, rng).voids.map((v) => v.radius)).flat();
    const mean = radii.reduce((s, r) => s + r, 0) / radii.length;
    const sd = Math.sqrt(radii.reduce((s, r) => s + (r - mean) ** 2, 0) / radii.length);
    expect(mean).toBeCloseTo(20, 0);
    expect(sd).toBeCloseTo(7, 0);
  });

  it('is reproducible from (chip id, params, replication seed) alone', () => {
    const p = { ...params } as Record<string, string | number>;
    const a = layoutForImage('chip_a', size, p, 0, 'centered');
    expect(layoutForImage('chip_a', size, { ...p }, 0, 'centered')).toEqual(a);
    expect(layoutForImage('chip_b', size, p, 0, 'centered')).not.toEqual(a);
    expect(layoutForImage('chip_a', size, p, 1, 'centered')).not.toEqual(a);
    // Key order of the parameter set does not matter.
    const reversed = Object.fromEntries(Object.entries(p).reverse());
    expect(imageSeed('chip_a', reversed, 0)).toBe(imageSeed('chip_a', p, 0));
  });

  it('validates parameters with the name and the problem', () => {
    expect(() => toVoidParams({ ...params, void_shape: 'square' })).toThrow(/void_shape.*square/);
    expect(() => toVoidParams({ ...params, brightness_factor: 1.5 })).toThrow(/brightness_factor.*outside/);
    expect(() => toVoidParams({ ...params, void_count: 2.5 })).toThrow(/void_count.*whole/);
  });

  it('picks base chips reproducibly and spreads them over the chips', () => {
    const chips = ['a', 'b', 'c', 'd', 'e'];
    expect(chooseBaseChip(chips, 0, 'ps_001', 2)).toBe(chooseBaseChip(chips, 0, 'ps_001', 2));
    const picks = new Set(Array.from({ length: 60 }, (_, i) => chooseBaseChip(chips, 0, `ps_${i}`, 0)));
    expect(picks.size).toBe(5);
    expect(() => chooseBaseChip([], 0, 'ps', 0)).toThrow(/base chip/);
  });
});

describe('signed distance and coverage', () => {
  const circle = { shape: 'circle' as const, cx: 50, cy: 50, radius: 10, semiMajor: 10, semiMinor: 10, angle: 0, harmonics: [] };

  it('is exact for circles and ½ on the outline after the blur', () => {
    expect(signedDistance(circle, 50, 50)).toBe(10);
    expect(signedDistance(circle, 65, 50)).toBe(-5);
    const layout = { voids: [circle], rotation: 0, edgeBlur: 2, positionRule: 'centered' as const };
    expect(voidCoverage(layout, 60, 50)).toBeCloseTo(0.5, 6);
    expect(voidCoverage(layout, 50, 50)).toBeCloseTo(1, 6);
    expect(voidCoverage(layout, 75, 50)).toBe(0);
    expect(normalCdf(1)).toBeCloseTo(0.841344746, 6);
    expect(normalCdf(-2)).toBeCloseTo(0.022750132, 6);
  });

  it('is close to the true distance near an ellipse outline', () => {
    const e = { shape: 'ellipse' as const, cx: 0, cy: 0, radius: 10, semiMajor: 14, semiMinor: 7, angle: Math.PI / 6, harmonics: [] };
    // Points on the outline have distance 0; points 2 px outward along the major axis have −2.
    const c = Math.cos(e.angle), s = Math.sin(e.angle);
    expect(signedDistance(e, 14 * c, 14 * s)).toBeCloseTo(0, 9);
    expect(signedDistance(e, 16 * c, 16 * s)).toBeCloseTo(-2, 1);
    expect(signedDistance(e, -7 * s, 7 * c)).toBeCloseTo(0, 9);
  });
});

describe('paintVoids', () => {
  it('multiplies inside pixels by the brightness and leaves far pixels untouched', () => {
    const width = 120, height = 100;
    const pixels = new Uint8ClampedArray(width * height * 4).fill(200);
    const layout = { voids: [{ shape: 'circle' as const, cx: 40, cy: 50, radius: 12, semiMajor: 12, semiMinor: 12, angle: 0, harmonics: [] }], rotation: 0, edgeBlur: 2, positionRule: 'centered' as const };
    paintVoids(pixels, width, height, layout, 0.25);
    const at = (x: number, y: number) => pixels[(y * width + x) * 4];
    expect(at(40, 50)).toBe(50);
    expect(at(100, 50)).toBe(200);
    expect(pixels[(50 * width + 40) * 4 + 3]).toBe(200); // alpha untouched
    // Monotone from inside to outside along a ray.
    const ray = Array.from({ length: 30 }, (_, i) => at(40 + i, 50));
    for (let i = 1; i < ray.length; i++) expect(ray[i]).toBeGreaterThanOrEqual(ray[i - 1]);
  });

  it('darkens overlapping voids once (union), not twice', () => {
    const width = 80, height = 80;
    const pixels = new Uint8ClampedArray(width * height * 4).fill(200);
    const v = { shape: 'circle' as const, cx: 40, cy: 40, radius: 10, semiMajor: 10, semiMinor: 10, angle: 0, harmonics: [] };
    paintVoids(pixels, width, height, { voids: [v, { ...v, cx: 44 }], rotation: 0, edgeBlur: 2, positionRule: 'centered' }, 0.5);
    expect(pixels[(40 * width + 42) * 4]).toBe(100);
  });
});
