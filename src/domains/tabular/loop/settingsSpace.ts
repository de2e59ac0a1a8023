import { defineSpace, type ParameterSet, type ParameterSpace, type ParameterSpec } from '../../../engine/space/space';
import { GENERATOR_NAMES, type GeneratorName } from '../generators/names';
import { isCategorical, type Table } from '../table';

/**
 * The generator settings the calibration searches, as one engine parameter space: the generator (a
 * categorical) and every generator's own settings side by side. A set's settings of the generator it
 * does not choose are ignored (canonicalSettings puts them at their defaults, so the GP sees one point
 * per table a set makes).
 *
 * | parameter | range | meaning |
 * |---|---|---|
 * | generator | jitter, gaussian_copula, vae | which generator makes the table |
 * | class_balance | [0, 1] | rows per class ∝ n_c^(1−α) (0: train's shares, 1: equal); with a class column only |
 * | jitter_k | [0.05, 4], log | noise sd in MADs |
 * | jitter_per_class_mad | yes, no | MAD within the row's class; with a class column only |
 * | jitter_flip_probability | [0, 0.5] | categorical cells redrawn; with a categorical column besides the class only |
 * | copula_shrinkage | [0, 1] | λ of the normal scores' correlation toward the identity |
 * | copula_bandwidth | [0, 1] | smoothing of the marginals, in column sds |
 * | vae_epochs | 10 to 60 | the VAE's passes over train (its cost grows with them: docs/tabular.md) |
 * | vae_latent_size | 2 to 16 | dimensions of its latent space |
 * | vae_kl_weight | [0.1, 4], log | β, the weight of the KL term |
 * | vae_learning_rate | [0.001, 0.03], log | Adam's step size |
 *
 * The VAE's other settings stay at the generator's defaults (two hidden layers of 32 units, batches of
 * 64 rows, latent codes drawn around train rows' posteriors): each searched dimension costs the
 * optimizer evaluations, and a VAE evaluation costs a training run.
 */
export { GENERATOR_NAMES, type GeneratorName };

export const JITTER_K_RANGE: readonly [number, number] = [0.05, 4];
export const FLIP_RANGE: readonly [number, number] = [0, 0.5];
export const SHRINKAGE_RANGE: readonly [number, number] = [0, 1];
export const BANDWIDTH_RANGE: readonly [number, number] = [0, 1];
export const VAE_EPOCHS_RANGE: readonly [number, number] = [10, 60];
export const VAE_LATENT_RANGE: readonly [number, number] = [2, 16];
export const VAE_KL_RANGE: readonly [number, number] = [0.1, 4];
export const VAE_LEARNING_RATE_RANGE: readonly [number, number] = [0.001, 0.03];

/** What of the table decides which settings exist. */
export interface SettingsContext {
  /** The class column (group, else a categorical target): per-class generation and balance. */
  classColumn: string | null;
  /** Whether some categorical column other than the class column can be redrawn by jitter. */
  redrawable: boolean;
  /** The generators searched (default all of GENERATOR_NAMES; the space holds only their settings). */
  generators?: readonly GeneratorName[];
}

export function settingsContext(train: Table, classColumn: string | null, generators: readonly GeneratorName[] = GENERATOR_NAMES): SettingsContext {
  const context: SettingsContext = { classColumn, redrawable: train.columns.some((c) => isCategorical(c) && c.role !== 'id' && c.name !== classColumn) };
  if (generators !== GENERATOR_NAMES) context.generators = GENERATOR_NAMES.filter((g) => generators.includes(g));
  return context;
}

/** The generators a context searches, in GENERATOR_NAMES order. */
export function searchedGenerators(context: SettingsContext): readonly GeneratorName[] {
  return context.generators ?? GENERATOR_NAMES;
}

export function settingsSpace(context: SettingsContext): ParameterSpace {
  const generators = searchedGenerators(context);
  if (generators.length === 0) throw new Error('settingsSpace: no generator to search');
  const specs: ParameterSpec[] = [{ kind: 'categorical', name: 'generator', choices: generators }];
  if (context.classColumn) specs.push({ kind: 'continuous', name: 'class_balance', low: 0, high: 1 });
  if (generators.includes('jitter')) {
    specs.push({ kind: 'continuous', name: 'jitter_k', low: JITTER_K_RANGE[0], high: JITTER_K_RANGE[1], log: true });
    if (context.classColumn) specs.push({ kind: 'categorical', name: 'jitter_per_class_mad', choices: ['yes', 'no'] });
    if (context.redrawable) specs.push({ kind: 'continuous', name: 'jitter_flip_probability', low: FLIP_RANGE[0], high: FLIP_RANGE[1] });
  }
  if (generators.includes('gaussian_copula')) {
    specs.push({ kind: 'continuous', name: 'copula_shrinkage', low: SHRINKAGE_RANGE[0], high: SHRINKAGE_RANGE[1] });
    specs.push({ kind: 'continuous', name: 'copula_bandwidth', low: BANDWIDTH_RANGE[0], high: BANDWIDTH_RANGE[1] });
  }
  if (generators.includes('vae')) {
    specs.push({ kind: 'integer', name: 'vae_epochs', low: VAE_EPOCHS_RANGE[0], high: VAE_EPOCHS_RANGE[1] });
    specs.push({ kind: 'integer', name: 'vae_latent_size', low: VAE_LATENT_RANGE[0], high: VAE_LATENT_RANGE[1] });
    specs.push({ kind: 'continuous', name: 'vae_kl_weight', low: VAE_KL_RANGE[0], high: VAE_KL_RANGE[1], log: true });
    specs.push({ kind: 'continuous', name: 'vae_learning_rate', low: VAE_LEARNING_RATE_RANGE[0], high: VAE_LEARNING_RATE_RANGE[1], log: true });
  }
  return defineSpace(specs);
}

/** The VAE's default settings: few passes, since training is most of an evaluation's time (docs/tabular.md). */
export const VAE_DEFAULTS = { vae_epochs: 40, vae_latent_size: 8, vae_kl_weight: 1, vae_learning_rate: 0.005 } as const;

/**
 * The users' own starting point: jitter with k = 0.5 MAD, per class with every class given the same
 * count of rows, no categorical redraws; the copula's settings (used once a rule switches to it) a light
 * shrinkage and smoothing; the VAE's VAE_DEFAULTS. Without jitter among the searched generators, the
 * first searched one starts.
 */
export function defaultSettings(context: SettingsContext): ParameterSet {
  const generators = searchedGenerators(context);
  const out: Record<string, string | number> = { generator: generators[0] };
  if (context.classColumn) out.class_balance = 1;
  if (generators.includes('jitter')) {
    out.jitter_k = 0.5;
    if (context.classColumn) out.jitter_per_class_mad = 'yes';
    if (context.redrawable) out.jitter_flip_probability = 0;
  }
  if (generators.includes('gaussian_copula')) {
    out.copula_shrinkage = 0.1;
    out.copula_bandwidth = 0.1;
  }
  if (generators.includes('vae')) Object.assign(out, VAE_DEFAULTS);
  return out;
}

/** The prefix of the parameters each generator reads (besides generator and class_balance). */
const OWN_PREFIX: Readonly<Record<GeneratorName, string>> = { jitter: 'jitter_', gaussian_copula: 'copula_', vae: 'vae_' };

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
  } else if (params.generator === 'vae') {
    out.epochs = Number(params.vae_epochs);
    out.latent_size = Number(params.vae_latent_size);
    out.kl_weight = Number(params.vae_kl_weight);
    out.learning_rate = Number(params.vae_learning_rate);
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
