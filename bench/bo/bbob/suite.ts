import { defineSpace, type ParameterSet, type ParameterSpec } from '../../../src/engine/space/space';
import type { TestFunction } from '../functions';
import type { Problem } from '../protocol';
import { BBOB_FUNCTIONS, bbobInstance, type BbobClass } from './functions';

/**
 * The BBOB suite as bench problems (`npm run bench:bo -- --suite bbob`). A problem is one (function,
 * dimension, variant); each seed s runs on COCO instance s + 1, a new x_opt, f_opt and rotations, so
 * no default can be tuned to a fixed optimum. The search box is COCO's [−5, 5]^D. Variants:
 *   plain      the noiseless function
 *   noise      additive N(0, σ²), σ = 10 % of f's standard deviation over the box (as the default suite)
 *   mulnoise   multiplicative, COCO's Gaussian noise model f_GN(f, β) = f·exp(β N(0, 1)) applied to
 *              f − f_opt (Hansen et al., "Real-parameter black-box optimization benchmarking 2009:
 *              noisy functions definitions"); β = 1 is that document's "severe" level, the default here
 *   mixed      coordinate i (0-based) is continuous when i mod 3 = 0, integer −5…5 when i mod 3 = 1, and
 *              categorical with 5 choices standing for −4, −2, 0, 2, 4 when i mod 3 = 2; x_opt is moved onto
 *              that grid (as COCO's bbob-mixint places the optimum on a feasible point), so f* = f_opt
 *              still holds. f20 has no mixed variant (its x_opt is part of its definition).
 * Regret is always f(recommendation) − f_opt on the noiseless instance.
 */
export type BbobVariant = 'plain' | 'noise' | 'mulnoise' | 'mixed';
export const BBOB_VARIANTS: readonly BbobVariant[] = ['plain', 'noise', 'mulnoise', 'mixed'];
export const BBOB_DIMS = [2, 5, 10] as const;
export const DEFAULT_MULTIPLICATIVE_BETA = 1;

const CATEGORY_VALUES = [-4, -2, 0, 2, 4];
const CATEGORY_CHOICES = CATEGORY_VALUES.map((v) => `c${v < 0 ? 'm' : ''}${Math.abs(v)}`);

type CoordinateKind = 'continuous' | 'integer' | 'categorical';
const coordinateKind = (i: number, mixed: boolean): CoordinateKind => (!mixed ? 'continuous' : i % 3 === 1 ? 'integer' : i % 3 === 2 ? 'categorical' : 'continuous');

/** `bbob_f15_d5` or `bbob_f15_d5_mixed`: the function name of a problem (noise is in problemName). */
export function bbobFunctionName(fid: number, dim: number, mixed: boolean): string {
  return `bbob_f${fid}_d${dim}${mixed ? '_mixed' : ''}`;
}

export function parseBbobFunctionName(name: string): { fid: number; dim: number; mixed: boolean } | null {
  const m = /^bbob_f(\d+)_d(\d+)(_mixed)?$/.exec(name);
  return m ? { fid: Number(m[1]), dim: Number(m[2]), mixed: Boolean(m[3]) } : null;
}

export function bbobClassOf(problemName: string): BbobClass | null {
  const m = /^bbob_f(\d+)_/.exec(problemName);
  return m ? (BBOB_FUNCTIONS[Number(m[1])]?.class ?? null) : null;
}

/** The bench's view of COCO instance `instance` of f`fid` in `dim` dimensions (mixed: see above). */
export function bbobTestFunction(fid: number, dim: number, instance: number, mixed: boolean): TestFunction {
  const kinds = Array.from({ length: dim }, (_, i) => coordinateKind(i, mixed));
  const snapXopt = mixed
    ? (xopt: number[]) =>
        xopt.map((v, i) => (kinds[i] === 'integer' ? Math.round(v) : kinds[i] === 'categorical' ? CATEGORY_VALUES.reduce((a, b) => (Math.abs(b - v) < Math.abs(a - v) ? b : a)) : v))
    : undefined;
  const inst = bbobInstance(fid, dim, instance, { snapXopt });
  const specs: ParameterSpec[] = kinds.map((kind, i) =>
    kind === 'categorical' ? { kind, name: `x${i + 1}`, choices: CATEGORY_CHOICES } : { kind, name: `x${i + 1}`, low: -5, high: 5 },
  );
  const toVector = (p: ParameterSet) => kinds.map((kind, i) => (kind === 'categorical' ? CATEGORY_VALUES[CATEGORY_CHOICES.indexOf(String(p[`x${i + 1}`]))] : Number(p[`x${i + 1}`])));
  return {
    // The instance in the name: noiseStd caches σ per function name, and σ is a property of the instance.
    name: `${bbobFunctionName(fid, dim, mixed)}_i${instance}`,
    space: defineSpace(specs),
    value: (p) => inst.value(toVector(p)),
    optimum: inst.fopt,
  };
}

/** COCO instance of a bench seed: seed 0 → instance 1 (COCO numbers instances from 1). */
export const instanceOfSeed = (seed: number) => seed + 1;

export function bbobProblem(fid: number, dim: number, variant: BbobVariant, beta = DEFAULT_MULTIPLICATIVE_BETA): Problem {
  const mixed = variant === 'mixed';
  const template = bbobTestFunction(fid, dim, 1, mixed);
  return {
    fn: { ...template, name: bbobFunctionName(fid, dim, mixed) },
    noisy: variant === 'noise',
    ...(variant === 'mulnoise' ? { multiplicativeBeta: beta } : {}),
    instance: (seed) => bbobTestFunction(fid, dim, instanceOfSeed(seed), mixed),
  };
}

/** Rebuilds a problem from what the pool sends a worker process (function name and noise). */
export function bbobProblemFromName(name: string, noisy: boolean, multiplicativeBeta?: number): Problem | null {
  const parsed = parseBbobFunctionName(name);
  if (!parsed) return null;
  const variant: BbobVariant = parsed.mixed ? 'mixed' : noisy ? 'noise' : multiplicativeBeta ? 'mulnoise' : 'plain';
  const problem = bbobProblem(parsed.fid, parsed.dim, variant, multiplicativeBeta);
  // A mixed problem with noise is not one of the suite's variants, but the worker need not refuse it.
  return { ...problem, noisy, ...(multiplicativeBeta ? { multiplicativeBeta } : {}) };
}

export function bbobSuite(options: { fids: number[]; dims: number[]; variants: BbobVariant[]; beta?: number }): Problem[] {
  const problems: Problem[] = [];
  for (const variant of options.variants) {
    for (const dim of options.dims) {
      for (const fid of options.fids) {
        if (variant === 'mixed' && fid === 20) continue;
        problems.push(bbobProblem(fid, dim, variant, options.beta));
      }
    }
  }
  return problems;
}
