import { describe, expect, it } from 'vitest';
import { createRng, hashSeed } from '../../../src/engine/random/rng';

describe('createRng', () => {
  it('gives the same stream for the same seed and different streams for different seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xs = Array.from({ length: 100 }, () => a.next());
    const ys = Array.from({ length: 100 }, () => b.next());
    const zs = Array.from({ length: 100 }, () => c.next());
    expect(xs).toEqual(ys);
    expect(xs).not.toEqual(zs);
  });

  it('matches the xoshiro128** reference stream for a known state', () => {
    // Golden values from this implementation, pinned so an accidental change to the generator fails here.
    const rng = createRng(0);
    const first = Array.from({ length: 4 }, () => rng.uint32());
    expect(first).toMatchInlineSnapshot(`
      [
        3809008728,
        1133695204,
        53579671,
        2891528803,
      ]
    `);
  });

  it('is uniform on [0,1): mean, variance and a chi-square test on 20 bins', () => {
    const rng = createRng(7);
    const n = 200_000;
    const bins = new Array(20).fill(0);
    let sum = 0;
    let sumSq = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.next();
      if (!(x >= 0 && x < 1)) outside++;
      sum += x;
      sumSq += x * x;
      bins[Math.floor(x * 20)]++;
    }
    expect(outside).toBe(0);
    const mean = sum / n;
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(sumSq / n - mean * mean).toBeCloseTo(1 / 12, 3);
    const expected = n / 20;
    const chi2 = bins.reduce((s, o) => s + (o - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(43.8); // χ²(19) 0.999 quantile
  });

  it('draws normals with the requested mean and standard deviation', () => {
    const rng = createRng(11);
    const n = 100_000;
    const xs = Array.from({ length: n }, () => rng.normal(3, 2));
    const mean = xs.reduce((s, x) => s + x, 0) / n;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
    expect(Math.abs(mean - 3)).toBeLessThan(4 * (2 / Math.sqrt(n)));
    expect(Math.abs(sd - 2)).toBeLessThan(0.03);
    const within1 = xs.filter((x) => Math.abs(x - 3) < 2).length / n;
    expect(within1).toBeCloseTo(0.6827, 2);
  });

  it('draws integers over the whole inclusive range and weighted indices in proportion', () => {
    const rng = createRng(3);
    const counts = new Map<number, number>();
    for (let i = 0; i < 18_000; i++) {
      const k = rng.int(3, 20);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 18 }, (_, i) => i + 3));
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(150);

    const w = [0.2, 0.5, 0.3, 0];
    const hits = [0, 0, 0, 0];
    for (let i = 0; i < 50_000; i++) hits[rng.weightedIndex(w)]++;
    expect(hits[3]).toBe(0);
    hits.slice(0, 3).forEach((h, i) => expect(h / 50_000).toBeCloseTo(w[i], 2));
    expect(() => rng.weightedIndex([0, 0])).toThrow(/zero/);
    expect(() => rng.int(5, 1)).toThrow(/low ≤ high/);
  });

  it('forks independent, reproducible streams without advancing the parent', () => {
    const parent = createRng(5);
    const f1 = parent.fork('generator');
    const before = parent.next();
    const again = createRng(5);
    again.fork('generator');
    expect(again.next()).toBe(before);
    expect(createRng(5).fork('generator').next()).toBe(f1.next());
    expect(createRng(5).fork('a').next()).not.toBe(createRng(5).fork('b').next());
  });
});

describe('hashSeed', () => {
  it('is deterministic, sensitive to every part and to part boundaries', () => {
    expect(hashSeed('chip_1', 'ps_000', 0)).toBe(hashSeed('chip_1', 'ps_000', 0));
    expect(hashSeed('chip_1', 'ps_000', 0)).not.toBe(hashSeed('chip_1', 'ps_000', 1));
    expect(hashSeed('chip_1', 'ps_000', 0)).not.toBe(hashSeed('chip_2', 'ps_000', 0));
    expect(hashSeed('ab', 'c')).not.toBe(hashSeed('a', 'bc'));
    expect(hashSeed(1)).toBe(hashSeed(1.0));
    const h = hashSeed('x');
    expect(Number.isInteger(h) && h >= 0 && h < 2 ** 32).toBe(true);
  });
});
