import { describe, expect, it } from 'vitest';
import { BBOB_FUNCTIONS, bbobFopt, bbobInstance, bbobRotation, bbobUnif, bbobXopt, fPen, lambdaDiag, tAsy, tOsz } from '../../../bench/bo/bbob/functions';
import { bbobProblem, bbobSuite, bbobTestFunction } from '../../../bench/bo/bbob/suite';
import { makeObjective, problemForSeed, problemName, type RunRecord } from '../../../bench/bo/protocol';
import { dimensionOf, summariseClasses, summariseProblems } from '../../../bench/bo/bbob/report';
import { createRng } from '../../../src/engine/random/rng';

const FIDS = Object.keys(BBOB_FUNCTIONS).map(Number);

describe('BBOB functions (COCO definitions and instances)', () => {
  it('reproduces COCO bbob instance 1 f_opt values (the legacy RNG and fopt rule)', () => {
    // f_opt of instance 1 as listed by COCO's bbob suite (the data archive's best values for instance 1).
    const published: Record<number, number> = { 1: 79.48, 3: -462.09, 8: 149.15, 15: 1000, 16: 71.35, 20: -546.5, 22: -1000 };
    for (const [fid, fopt] of Object.entries(published)) expect(bbobFopt(Number(fid), 1)).toBe(fopt);
  });

  it('draws uniforms in (0, 1) and x_opt on the [−4, 4] grid', () => {
    const u = bbobUnif(1000, 12345);
    expect(Math.min(...u)).toBeGreaterThan(0);
    expect(Math.max(...u)).toBeLessThan(1);
    const mean = u.reduce((a, b) => a + b, 0) / u.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
    for (const x of bbobXopt(10001, 10)) {
      expect(Math.abs(x)).toBeLessThanOrEqual(4);
      expect(Math.abs(Math.round(((x + 4) / 8) * 1e4) - ((x + 4) / 8) * 1e4)).toBeLessThan(1e-6);
    }
  });

  it('builds orthogonal rotations (R Rᵀ = I)', () => {
    for (const dim of [2, 5, 10]) {
      for (const fid of [10, 15, 16, 22]) {
        for (const r of bbobInstance(fid, dim, 3).rotations) {
          for (let i = 0; i < dim; i++) {
            for (let j = 0; j < dim; j++) {
              const dot = r[i].reduce((s, v, k) => s + v * r[j][k], 0);
              expect(dot).toBeCloseTo(i === j ? 1 : 0, 12);
            }
          }
        }
      }
    }
    // Two seeds give different rotations.
    expect(bbobRotation(1, 3)[0][0]).not.toBe(bbobRotation(2, 3)[0][0]);
  });

  it('has f(x_opt) = f_opt and f ≥ f_opt elsewhere in the box, for every function, dimension and instance', () => {
    const rng = createRng('bbob-test');
    for (const fid of FIDS) {
      for (const dim of [2, 5, 10]) {
        for (const instance of [1, 2, 7]) {
          const inst = bbobInstance(fid, dim, instance);
          expect(inst.fopt).toBe(bbobFopt(fid, instance));
          expect(inst.value(inst.xopt)).toBeCloseTo(inst.fopt, 9);
          for (let k = 0; k < 200; k++) {
            const x = Array.from({ length: dim }, () => rng.uniform(-5, 5));
            expect(inst.value(x)).toBeGreaterThanOrEqual(inst.fopt - 1e-9);
          }
        }
      }
    }
  });

  it('instances differ: x_opt and f_opt move with the instance', () => {
    const a = bbobInstance(15, 5, 1);
    const b = bbobInstance(15, 5, 2);
    expect(a.xopt).not.toEqual(b.xopt);
    expect(a.fopt).not.toBe(b.fopt);
  });

  it('matches the definitions at hand-computed points', () => {
    // T_osz fixes 0 and ±1 (log|x| = 0) and keeps the sign; T_asy leaves non-positive entries and the first coordinate alone.
    expect(tOsz([0, 1, -1])).toEqual([0, 1, -1]);
    expect(tOsz([2])[0]).toBeCloseTo(Math.exp(Math.log(2) + 0.049 * (Math.sin(10 * Math.log(2)) + Math.sin(7.9 * Math.log(2)))), 14);
    expect(tAsy([4, -3, 4], 0.2)).toEqual([4, -3, 4 ** (1 + 0.2 * 1 * 2)]);
    expect(lambdaDiag(10, 3)).toEqual([1, 10 ** 0.25, 10 ** 0.5]);
    expect(fPen([6, -7, 2])).toBe(1 + 4);
    // f1 is the squared distance to x_opt: one unit away along an axis gives f_opt + 1.
    const sphere = bbobInstance(1, 4, 5);
    expect(sphere.value(sphere.xopt.map((v, i) => (i === 2 ? v + 1 : v)))).toBeCloseTo(sphere.fopt + 1, 12);
    // f8 at z = 0 (x = x_opt − 1/factor): Σ_{i<D} (0 − 1)² = D − 1.
    const rosen = bbobInstance(8, 5, 1);
    expect(rosen.value(rosen.xopt.map((v) => v - 1))).toBeCloseTo(rosen.fopt + 4, 10);
    // f3: one unit off x_opt in coordinate 0 (T_osz(1) = 1, Λ_1 = 1, T_asy leaves coordinate 0): 10(1 − cos 2π) + 1 = 1.
    const rastrigin = bbobInstance(3, 3, 2);
    expect(rastrigin.value(rastrigin.xopt.map((v, i) => (i === 0 ? v + 1 : v)))).toBeCloseTo(rastrigin.fopt + 1, 10);
    // f20: at x_opt every z_i = 100·2|x_opt,i| = 420.96874637, where z sin(√z) = 418.9828872724339 (Schwefel's constant).
    const z = 420.96874637;
    expect(z * Math.sin(Math.sqrt(z))).toBeCloseTo(418.9828872724339, 6);
  });
});

describe('BBOB suite problems', () => {
  it('runs a new COCO instance per seed and keeps the problem name', () => {
    const problem = bbobProblem(15, 2, 'plain');
    expect(problemName(problem)).toBe('bbob_f15_d2');
    const s0 = problemForSeed(problem, 0);
    const s4 = problemForSeed(problem, 4);
    expect(s0.fn.name).toBe('bbob_f15_d2_i1');
    expect(s4.fn.optimum).toBe(bbobFopt(15, 5));
    expect(problemName(bbobProblem(3, 5, 'noise'))).toBe('bbob_f3_d5+noise');
    expect(problemName(bbobProblem(3, 5, 'mulnoise'))).toBe('bbob_f3_d5+mulnoise');
  });

  it('mixed variant: integer and categorical coordinates, optimum on the grid with f* = f_opt', () => {
    for (const fid of [1, 3, 8, 10, 15, 16, 22]) {
      const fn = bbobTestFunction(fid, 5, 3, true);
      expect(fn.space.parameters.map((p) => p.kind)).toEqual(['continuous', 'integer', 'categorical', 'continuous', 'integer']);
      const inst = bbobInstance(fid, 5, 3, { snapXopt: (x) => x.map((v, i) => (i % 3 === 1 ? Math.round(v) : i % 3 === 2 ? [-4, -2, 0, 2, 4].reduce((a, b) => (Math.abs(b - v) < Math.abs(a - v) ? b : a)) : v)) });
      const choice = (v: number) => `c${v < 0 ? 'm' : ''}${Math.abs(v)}`;
      const params = { x1: inst.xopt[0], x2: inst.xopt[1], x3: choice(inst.xopt[2]), x4: inst.xopt[3], x5: inst.xopt[4] };
      expect(fn.value(params)).toBeCloseTo(fn.optimum, 9);
    }
    expect(bbobSuite({ fids: [20, 22], dims: [2], variants: ['mixed'] }).map(problemName)).toEqual(['bbob_f22_d2_mixed']);
  });

  it('multiplicative noise scales f − f_opt and leaves the optimum noiseless', () => {
    const problem = problemForSeed(bbobProblem(1, 2, 'mulnoise'), 0);
    const objective = makeObjective(problem, 0, 'test');
    const inst = bbobInstance(1, 2, 1);
    expect(objective({ x1: inst.xopt[0], x2: inst.xopt[1] })).toBeCloseTo(inst.fopt, 12);
    const far = { x1: 5, x2: 5 };
    const ratios = Array.from({ length: 400 }, () => (objective(far) - inst.fopt) / (problem.fn.value(far) - inst.fopt));
    expect(Math.min(...ratios)).toBeGreaterThan(0);
    const logs = ratios.map(Math.log);
    const sd = Math.sqrt(logs.reduce((s, v) => s + v * v, 0) / logs.length);
    expect(sd).toBeGreaterThan(0.85);
    expect(sd).toBeLessThan(1.15);
  });
});

describe('BBOB report: rows per dimension', () => {
  const run = (method: string, problem: string, seed: number, final: number): RunRecord => ({ method, problem, seed, regret: [10, final], bestEvaluatedRegret: [10, final], proposeMs: [1], duplicates: 0 });
  it('reads the dimension from a problem name and adds a row per dimension after the classes', () => {
    expect(dimensionOf('bbob_f8_d5+noise')).toBe(5);
    expect(dimensionOf('bbob_f10_d10')).toBe(10);
    expect(dimensionOf('branin')).toBeNull();
    const records = ['bbob_f1_d2', 'bbob_f1_d5', 'bbob_f15_d5+noise'].flatMap((p) => [run('ours', p, 0, 1), run('random', p, 0, p === 'bbob_f1_d5' ? 0.5 : 2)]);
    const summaries = summariseProblems(records, ['bbob_f1_d2', 'bbob_f1_d5', 'bbob_f15_d5+noise'], ['random']);
    const rows = summariseClasses(records, summaries, ['ours', 'random']);
    expect(rows.map((r) => r.cls)).toEqual(['separable', 'multimodal-global', 'd=2', 'd=5', 'overall']);
    const d5 = rows.find((r) => r.cls === 'd=5')!;
    expect([d5.problems, d5.wins, d5.worstRatioRandom, d5.worstProblem]).toEqual([2, 1, 2, 'bbob_f1_d5']);
  });
});
