import { defineSpace, type ParameterSet, type ParameterSpace } from '../../src/engine/space/space';
import { sampleUniform } from '../../src/engine/space/sampling';
import { createRng } from '../../src/engine/random/rng';

/**
 * Benchmark problems (all minimised). Noisy variants add N(0, σ²) to every observation with
 * σ = 10% of the function's standard deviation over the domain (estimated once from 20,000 uniform
 * draws with a fixed seed); regret is always measured on the noiseless function.
 */
export interface TestFunction {
  name: string;
  space: ParameterSpace;
  value(params: ParameterSet): number;
  /** The global minimum value. */
  optimum: number;
}

const num = (p: ParameterSet, name: string) => Number(p[name]);

/** Branin–Hoo on [−5, 10] × [0, 15]; three global minima, f* = 5/(4π) ≈ 0.397887. */
export const branin: TestFunction = {
  name: 'branin',
  space: defineSpace([
    { kind: 'continuous', name: 'x1', low: -5, high: 10 },
    { kind: 'continuous', name: 'x2', low: 0, high: 15 },
  ]),
  value(p) {
    const x1 = num(p, 'x1');
    const x2 = num(p, 'x2');
    const b = 5.1 / (4 * Math.PI ** 2);
    const c = 5 / Math.PI;
    const t = 1 / (8 * Math.PI);
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
  },
  optimum: 0.39788735772973816,
};

const HARTMANN_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const HARTMANN_P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
].map((r) => r.map((v) => v * 1e-4));
const HARTMANN_ALPHA = [1, 1.2, 3, 3.2];

/** Hartmann-6 on [0, 1]^6, f* = −3.32237 (Surjanovic & Bingham's virtual library constants). */
export const hartmann6: TestFunction = {
  name: 'hartmann6',
  space: defineSpace(Array.from({ length: 6 }, (_, i) => ({ kind: 'continuous' as const, name: `x${i + 1}`, low: 0, high: 1 }))),
  value(p) {
    let s = 0;
    for (let i = 0; i < 4; i++) {
      let inner = 0;
      for (let j = 0; j < 6; j++) inner += HARTMANN_A[i][j] * (num(p, `x${j + 1}`) - HARTMANN_P[i][j]) ** 2;
      s += HARTMANN_ALPHA[i] * Math.exp(-inner);
    }
    return -s;
  },
  optimum: -3.322368011415515,
};

/**
 * Ackley-6 on the asymmetric box [−5, 10]^6 (as TuRBO, Eriksson et al. 2019): the optimum (the origin,
 * f* = 0) is then not the centre of the box, which a space-filling design or a centre-biased method
 * would otherwise find for free.
 */
export const ackley6: TestFunction = {
  name: 'ackley6',
  space: defineSpace(Array.from({ length: 6 }, (_, i) => ({ kind: 'continuous' as const, name: `x${i + 1}`, low: -5, high: 10 }))),
  value(p) {
    const d = 6;
    let sq = 0;
    let cos = 0;
    for (let j = 1; j <= d; j++) {
      const x = num(p, `x${j}`);
      sq += x * x;
      cos += Math.cos(2 * Math.PI * x);
    }
    return -20 * Math.exp(-0.2 * Math.sqrt(sq / d)) - Math.exp(cos / d) + 20 + Math.E;
  },
  optimum: 0,
};

/**
 * A 6-parameter mixed function shaped like the void space (1 categorical of 3, 1 integer 3..20, 4
 * continuous), behaving like an MMD² against a target: it saturates far from the target (a Gaussian-kernel
 * MMD does), the target's void count and size trade off (total void area is what the features see:
 * a narrow valley along count + size), the best size and brightness depend on the shape, and a small
 * ripple adds local minima. Optimum 0 at (ellipse, 8, 20, 0.6, 7, 0.5), the means of the default config's real distribution.
 */
const SHAPES = ['circle', 'ellipse', 'irregular'] as const;
const SHAPE_OFFSET: Record<string, number> = { circle: 0.15, ellipse: 0, irregular: 0.05 };
const SHAPE_SIZE_SHIFT: Record<string, number> = { circle: 0.1, ellipse: 0, irregular: -0.05 };
const SHAPE_BRIGHTNESS_SHIFT: Record<string, number> = { circle: -0.1, ellipse: 0, irregular: 0 };

export const voidLike: TestFunction = {
  name: 'void_mixed',
  space: defineSpace([
    { kind: 'categorical', name: 'void_shape', choices: SHAPES },
    { kind: 'integer', name: 'void_count', low: 3, high: 20 },
    { kind: 'continuous', name: 'base_size', low: 5, high: 40 },
    { kind: 'continuous', name: 'brightness_factor', low: 0.3, high: 0.8 },
    { kind: 'continuous', name: 'size_std', low: 0, high: 15 },
    { kind: 'continuous', name: 'position_spread', low: 0.1, high: 0.8 },
  ]),
  value(p) {
    const shape = String(p.void_shape);
    const count = (num(p, 'void_count') - 8) / 17;
    const size = (num(p, 'base_size') - 20) / 35 - SHAPE_SIZE_SHIFT[shape];
    const brightness = (num(p, 'brightness_factor') - 0.6) / 0.5 - SHAPE_BRIGHTNESS_SHIFT[shape];
    const spread = (num(p, 'size_std') - 7) / 15;
    const position = (num(p, 'position_spread') - 0.5) / 0.7;
    const q = 4 * (count + size) ** 2 + 0.5 * (count - size) ** 2 + 3 * brightness ** 2 + spread ** 2 + 1.5 * position ** 2;
    const ripple = 0.02 * [size, brightness, spread, position].reduce((s, d) => s + Math.sin(3 * Math.PI * d) ** 2, 0);
    return SHAPE_OFFSET[shape] + 1 - Math.exp(-q) + ripple;
  },
  optimum: 0,
};

export const TEST_FUNCTIONS: readonly TestFunction[] = [branin, hartmann6, ackley6, voidLike];

const noiseCache = new Map<string, number>();

/** σ of the additive noise: 10% of the standard deviation of f under uniform sampling of the space. */
export function noiseStd(f: TestFunction): number {
  const cached = noiseCache.get(f.name);
  if (cached !== undefined) return cached;
  const rng = createRng('noise-scale');
  const values = Array.from({ length: 20000 }, () => f.value(sampleUniform(f.space, rng)));
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
  const sigma = 0.1 * sd;
  noiseCache.set(f.name, sigma);
  return sigma;
}
