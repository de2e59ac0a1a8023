import { defineSpace, type ParameterSet, type ParameterSpace, type ParameterSpec } from '../../../engine/space/space';
import type { Constraints } from '../constraints/types';
import type { GeneratedTable } from '../generators/generatedTable';
import { gaussianCopula } from '../generators/gaussianCopula';
import { jitter } from '../generators/jitter';
import { isCategorical, type Table } from '../table';

/**
 * The generator settings the calibration searches, as one engine parameter space: the generator (a
 * categorical) and every generator's own settings side by side. A set's settings of the generator it
 * does not choose are ignored (the GP sees them and learns that they do not matter there); a tabular
 * VAE is not among the generators yet.
 *
 * | parameter | range | meaning |
 * |---|---|---|
 * | generator | jitter, gaussian_copula | which generator makes the table |
 * | class_balance | [0, 1] | rows per class ∝ n_c^(1−α) (0: train's shares, 1: equal); with a class column only |
 * | jitter_k | [0.05, 4], log | noise sd in MADs |
 * | jitter_per_class_mad | yes, no | MAD within the row's class; with a class column only |
 * | jitter_flip_probability | [0, 0.5] | categorical cells redrawn; with a categorical column besides the class only |
 * | copula_shrinkage | [0, 1] | λ of the normal scores' correlation toward the identity |
 * | copula_bandwidth | [0, 1] | smoothing of the marginals, in column sds |
 */
export const GENERATOR_NAMES = ['jitter', 'gaussian_copula'] as const;
export type GeneratorName = (typeof GENERATOR_NAMES)[number];

export const JITTER_K_RANGE: readonly [number, number] = [0.05, 4];
export const FLIP_RANGE: readonly [number, number] = [0, 0.5];
export const SHRINKAGE_RANGE: readonly [number, number] = [0, 1];
export const BANDWIDTH_RANGE: readonly [number, number] = [0, 1];

/** What of the table decides which settings exist. */
export interface SettingsContext {
  /** The class column (group, else a categorical target): per-class generation and balance. */
  classColumn: string | null;
  /** Whether some categorical column other than the class column can be redrawn by jitter. */
  redrawable: boolean;
}

export function settingsContext(train: Table, classColumn: string | null): SettingsContext {
  return { classColumn, redrawable: train.columns.some((c) => isCategorical(c) && c.role !== 'id' && c.name !== classColumn) };
}

export function settingsSpace(context: SettingsContext): ParameterSpace {
  const specs: ParameterSpec[] = [{ kind: 'categorical', name: 'generator', choices: GENERATOR_NAMES }];
  if (context.classColumn) specs.push({ kind: 'continuous', name: 'class_balance', low: 0, high: 1 });
  specs.push({ kind: 'continuous', name: 'jitter_k', low: JITTER_K_RANGE[0], high: JITTER_K_RANGE[1], log: true });
  if (context.classColumn) specs.push({ kind: 'categorical', name: 'jitter_per_class_mad', choices: ['yes', 'no'] });
  if (context.redrawable) specs.push({ kind: 'continuous', name: 'jitter_flip_probability', low: FLIP_RANGE[0], high: FLIP_RANGE[1] });
  specs.push({ kind: 'continuous', name: 'copula_shrinkage', low: SHRINKAGE_RANGE[0], high: SHRINKAGE_RANGE[1] });
  specs.push({ kind: 'continuous', name: 'copula_bandwidth', low: BANDWIDTH_RANGE[0], high: BANDWIDTH_RANGE[1] });
  return defineSpace(specs);
}

/**
 * The users' own starting point: jitter with k = 0.5 MAD, per class with every class given the same
 * count of rows, no categorical redraws; the copula's settings (used once a rule switches to it) a light
 * shrinkage and smoothing.
 */
export function defaultSettings(context: SettingsContext): ParameterSet {
  const out: Record<string, string | number> = { generator: 'jitter' };
  if (context.classColumn) out.class_balance = 1;
  out.jitter_k = 0.5;
  if (context.classColumn) out.jitter_per_class_mad = 'yes';
  if (context.redrawable) out.jitter_flip_probability = 0;
  out.copula_shrinkage = 0.1;
  out.copula_bandwidth = 0.1;
  return out;
}

/** The prefix of the parameters each generator reads (besides generator and class_balance). */
const OWN_PREFIX: Readonly<Record<GeneratorName, string>> = { jitter: 'jitter_', gaussian_copula: 'copula_' };

/** Parameters of the space that a generator does not read (the other generators' settings). */
export function inactiveParameters(space: ParameterSpace, generator: GeneratorName): string[] {
  const others = GENERATOR_NAMES.filter((g) => g !== generator).map((g) => OWN_PREFIX[g]);
  return space.parameters.map((p) => p.name).filter((name) => others.some((prefix) => name.startsWith(prefix)));
}

/**
 * A set with the settings its generator does not read put at the defaults: two sets that make the same
 * table are then one point of the space, so the optimizer neither re-proposes a setting it has seen
 * under another name nor wastes its search on dimensions that change nothing.
 */
export function canonicalSettings(space: ParameterSpace, params: ParameterSet, defaults: ParameterSet): ParameterSet {
  const out: Record<string, string | number> = { ...params };
  for (const name of inactiveParameters(space, params.generator as GeneratorName)) out[name] = defaults[name];
  return out;
}

/** The settings as a report shows them: the chosen generator's only, booleans as booleans. */
export function reportSettings(params: ParameterSet): Record<string, number | boolean> {
  const out: Record<string, number | boolean> = {};
  if (params.generator === 'jitter') {
    out.k = Number(params.jitter_k);
    if (params.jitter_per_class_mad !== undefined) out.per_class_mad = params.jitter_per_class_mad === 'yes';
    if (params.jitter_flip_probability !== undefined) out.flip_probability = Number(params.jitter_flip_probability);
  } else {
    out.shrinkage = Number(params.copula_shrinkage);
    out.bandwidth = Number(params.copula_bandwidth);
  }
  if (params.class_balance !== undefined) out.class_balance = Number(params.class_balance);
  return out;
}

/** "jitter k=0.5 per_class_mad=yes class_balance=1": a set in one line, the chosen generator's settings only. */
export function describeSettings(params: ParameterSet): string {
  const settings = reportSettings(params);
  const text = Object.entries(settings).map(([k, v]) => `${k}=${typeof v === 'boolean' ? (v ? 'yes' : 'no') : shortNumber(v)}`);
  return [String(params.generator), ...text].join(' ');
}

/** A number with 3 significant digits at most (for messages; reports keep full precision). */
export function shortNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return String(Number(v.toPrecision(3)));
}

export interface GenerateRequest {
  rows: number;
  seed: number;
  constraints: Constraints;
}

/** Generates a synthetic table from train with the settings of a parameter set. */
export function generateWith(train: Table, params: ParameterSet, context: SettingsContext, request: GenerateRequest): GeneratedTable {
  const options = {
    rows: request.rows,
    seed: request.seed,
    constraints: request.constraints,
    classColumn: context.classColumn,
    classBalance: params.class_balance === undefined ? 0 : Number(params.class_balance),
  };
  if (params.generator === 'jitter') {
    return jitter(
      train,
      {
        k: Number(params.jitter_k),
        perClassMad: params.jitter_per_class_mad === 'yes',
        flipProbability: params.jitter_flip_probability === undefined ? 0 : Number(params.jitter_flip_probability),
      },
      options,
    );
  }
  return gaussianCopula(train, { shrinkage: Number(params.copula_shrinkage), bandwidth: Number(params.copula_bandwidth) }, options);
}
