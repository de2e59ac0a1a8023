import { z } from 'zod';
import { PROPOSAL_STRATEGIES, type BuiltInStrategy } from '../optimizer/strategies';

/**
 * The experiment configuration. Keys and defaults are those of the first user's Python pipeline
 * (`configs/experiment_config.yaml`, see docs/decisions.md, 'Experiment config'); the keys marked
 * "(studio)" are this tool's additions, each with a default, so that pipeline's YAML imports
 * unchanged.
 */

const datasetSize = z
  .object({
    param_sets: z.number().int().positive(),
    replications: z.number().int().positive(),
    /** Informational, as in the original pipeline ("~16"): the generated count is param_sets × replications. */
    total_size: z.number().int().nonnegative(),
  })
  .strict();

const numericBounds = z.tuple([z.number(), z.number()]);
const categoricalBounds = z.array(z.string().min(1)).min(1);

const normalDistribution = z.object({ mean: z.number(), std: z.number().nonnegative() }).strict();
const categoricalDistribution = z.record(z.string(), z.number().min(0).max(1));
const parameterDistribution = z.union([normalDistribution, categoricalDistribution]);
const datasetDistribution = z.record(z.string(), parameterDistribution);

export const DATASET_TYPES = ['real', 'close', 'far'] as const;
export type InitialDatasetType = (typeof DATASET_TYPES)[number];

const defaults = {
  experiment_name: 'infineon_void_poc',
  experiment_dir: 'data/experiments/infineon_void_poc',
  base_image_dir: 'data/base_chips',
  // The original pipeline names dinov2_vitb14 (768-d, a 347 MB download); the studio defaults to ViT-S/14 (384-d, 88 MB),
  // which a browser fetches in seconds. Either can be chosen.
  dino_model: 'dinov2_vits14',
  pca_components: 2,
  real: { param_sets: 5, replications: 3, total_size: 16 },
  close: { param_sets: 8, replications: 3, total_size: 24 },
  far: { param_sets: 8, replications: 3, total_size: 24 },
  iteration_batch_size: 8,
  replications_per_iteration: 3,
  max_iterations: 10,
  param_bounds: {
    void_shape: ['circle', 'ellipse', 'irregular'],
    void_count: [3, 20],
    base_size: [5.0, 40.0],
    brightness_factor: [0.3, 0.8],
    size_std: [0.0, 15.0],
    position_spread: [0.1, 0.8],
  } as Record<string, [number, number] | string[]>,
  param_types: { void_count: 'integer' } as Record<string, 'continuous' | 'integer' | 'categorical'>,
  param_distributions: {
    real: {
      void_shape: { circle: 0.2, ellipse: 0.5, irregular: 0.3 },
      void_count: { mean: 8, std: 3 },
      base_size: { mean: 20, std: 5 },
      brightness_factor: { mean: 0.6, std: 0.1 },
      size_std: { mean: 7, std: 2 },
      position_spread: { mean: 0.5, std: 0.15 },
    },
    close: {
      void_shape: { circle: 0.25, ellipse: 0.45, irregular: 0.3 },
      void_count: { mean: 10, std: 3 },
      base_size: { mean: 18, std: 5 },
      brightness_factor: { mean: 0.55, std: 0.1 },
      size_std: { mean: 8, std: 2 },
      position_spread: { mean: 0.55, std: 0.15 },
    },
    far: {
      void_shape: { circle: 0.7, ellipse: 0.2, irregular: 0.1 },
      void_count: { mean: 15, std: 3 },
      base_size: { mean: 10, std: 5 },
      brightness_factor: { mean: 0.4, std: 0.1 },
      size_std: { mean: 3, std: 1 },
      position_spread: { mean: 0.8, std: 0.1 },
    },
  } as Record<InitialDatasetType, Record<string, z.infer<typeof parameterDistribution>>>,
  convergence_threshold: 0.05,
  early_stop_patience: 3,
  acquisition_function: 'ucb' as BuiltInStrategy,
  random_seed: 0,
  convergence_rule: 'noise_floor' as 'noise_floor' | 'absolute',
  projection: 'pca' as 'pca' | 'umap',
  confirmation_samples: 32,
  confirmation_alpha: 0.05,
  confirmation_delta: null as number | null,
};

/**
 * The least and most samples m of a confirmation. Against n ≈ 16 real samples the test's null variance
 * is ∝ v(n, m) = 1/(n(n−1)) + 1/(m(m−1)) + 2/(nm): below 16 the synthetic terms dominate (little power),
 * and beyond 64 the real set's 1/(n(n−1)) does (v at m = 64 is within 1.6× of its limit as m → ∞), so
 * more images buy little.
 */
export const CONFIRMATION_SAMPLES_RANGE = [16, 64] as const;

/** The confirmation keys' defaults, for configs stored before the keys existed. */
export const CONFIRMATION_DEFAULTS = {
  confirmation_samples: defaults.confirmation_samples,
  confirmation_alpha: defaults.confirmation_alpha,
  confirmation_delta: defaults.confirmation_delta,
} as const;

const PROBABILITY_TOLERANCE = 1e-6;

/** The keys every experiment has, whatever its domain. */
const baseShape = {
  experiment_name: z.string().min(1).default(defaults.experiment_name),
  experiment_dir: z.string().default(defaults.experiment_dir),
  base_image_dir: z.string().default(defaults.base_image_dir),
  dino_model: z.string().min(1).default(defaults.dino_model),
  pca_components: z.number().int().min(2).max(3).default(defaults.pca_components),
  real: datasetSize.default(defaults.real),
  close: datasetSize.default(defaults.close),
  far: datasetSize.default(defaults.far),
  iteration_batch_size: z.number().int().min(1).max(64).default(defaults.iteration_batch_size),
  replications_per_iteration: z.number().int().min(1).max(32).default(defaults.replications_per_iteration),
  max_iterations: z.number().int().min(1).max(200).default(defaults.max_iterations),
  param_bounds: z.record(z.string(), z.union([numericBounds, categoricalBounds])).default(defaults.param_bounds),
  /** (studio) Kinds the YAML cannot carry (YAML reads 5.0 as 5): names not listed are continuous, or categorical when their bounds are a list of names. */
  param_types: z.record(z.string(), z.enum(['continuous', 'integer', 'categorical'])).default(defaults.param_types),
  param_distributions: z
    .object({ real: datasetDistribution, close: datasetDistribution, far: datasetDistribution })
    .strict()
    .default(defaults.param_distributions),
  /** Absolute threshold on the best posterior mean (rule `absolute`). Any number: unbiased MMD² can be negative. */
  convergence_threshold: z.number().default(defaults.convergence_threshold),
  early_stop_patience: z.number().int().min(1).default(defaults.early_stop_patience),
  acquisition_function: z.enum(PROPOSAL_STRATEGIES).default(defaults.acquisition_function),
  /** (studio) Seed of every random draw of the experiment. */
  random_seed: z.number().int().nonnegative().default(defaults.random_seed),
  /** (studio) Convergence threshold: reaching the real-vs-real noise floor, or the original absolute `convergence_threshold` (docs/decisions.md, 'Convergence'). */
  convergence_rule: z.enum(['noise_floor', 'absolute']).default(defaults.convergence_rule),
  /** (studio) The 2-D map: PCA or UMAP, fitted once on iteration 0 and never refitted. */
  projection: z.enum(['pca', 'umap']).default(defaults.projection),
  /** (studio) m, the samples a confirmation generates of the best parameter set (engine/pipeline/confirmationPlan.ts). */
  confirmation_samples: z.number().int().min(CONFIRMATION_SAMPLES_RANGE[0]).max(CONFIRMATION_SAMPLES_RANGE[1]).default(defaults.confirmation_samples),
  /** (studio) α of the confirmation's permutation test: p < α reads "distinguishable". */
  confirmation_alpha: z.number().gt(0).lt(1).default(defaults.confirmation_alpha),
  /** (studio) δ, the confirmation's tolerance in MMD² (kernel units); null: the real-vs-real floor's 95th percentile at the test's sizes. */
  confirmation_delta: z.number().positive().nullable().default(defaults.confirmation_delta),
};

/** A domain's own keys of the experiment config (voids: position_rule), each with a default. */
export type ConfigSection = Readonly<Record<string, z.ZodType>>;

/**
 * The schema of an experiment config: the keys every experiment has and a domain's section beside
 * them at the top level (so the original pipeline's flat YAML keeps its shape); any other key is an
 * error naming it.
 */
export function experimentConfigSchemaWith(section: ConfigSection = {}) {
  return z.object({ ...baseShape, ...section }).strict().superRefine((config, ctx) => checkConsistency(config as BaseConfig, ctx));
}

type BaseConfig = z.output<z.ZodObject<typeof baseShape>>;

export const experimentConfigSchema = experimentConfigSchemaWith();

/** Bounds, kinds and distributions agree with each other; each issue names its key path. */
function checkConsistency(config: BaseConfig, ctx: z.RefinementCtx): void {
    const bounds = config.param_bounds;
    for (const [name, b] of Object.entries(bounds)) {
      const declared = config.param_types[name];
      if (typeof b[0] === 'string') {
        const choices = b as string[];
        if (new Set(choices).size !== choices.length) {
          ctx.addIssue({ code: 'custom', path: ['param_bounds', name], message: 'choices are repeated' });
        }
        if (declared && declared !== 'categorical') {
          ctx.addIssue({ code: 'custom', path: ['param_types', name], message: `is ${declared} but its bounds are a list of choices` });
        }
      } else {
        const [low, high] = b as [number, number];
        if (low > high) {
          ctx.addIssue({ code: 'custom', path: ['param_bounds', name], message: `min ${low} is greater than max ${high}` });
        }
        if (declared === 'categorical') {
          ctx.addIssue({ code: 'custom', path: ['param_types', name], message: 'is categorical but its bounds are numbers' });
        }
        if (declared === 'integer' && (!Number.isInteger(low) || !Number.isInteger(high))) {
          ctx.addIssue({ code: 'custom', path: ['param_bounds', name], message: `integer bounds must be whole numbers, got [${low}, ${high}]` });
        }
      }
    }
    for (const name of Object.keys(config.param_types)) {
      if (!(name in bounds)) ctx.addIssue({ code: 'custom', path: ['param_types', name], message: 'is not a parameter in param_bounds' });
    }
    for (const dataset of DATASET_TYPES) {
      const distribution = config.param_distributions[dataset];
      for (const name of Object.keys(distribution)) {
        if (!(name in bounds)) {
          ctx.addIssue({ code: 'custom', path: ['param_distributions', dataset, name], message: 'is not a parameter in param_bounds' });
        }
      }
      for (const [name, b] of Object.entries(bounds)) {
        const d = distribution[name];
        const path = ['param_distributions', dataset, name];
        if (d === undefined) {
          ctx.addIssue({ code: 'custom', path, message: 'is missing (every parameter needs a distribution)' });
          continue;
        }
        const isNormal = 'mean' in d && 'std' in d && typeof d.mean === 'number';
        if (typeof b[0] === 'string') {
          const choices = b as string[];
          if (isNormal) {
            ctx.addIssue({ code: 'custom', path, message: `is categorical (${choices.join(', ')}): give a probability per choice, not mean/std` });
            continue;
          }
          const probabilities = d as Record<string, number>;
          for (const key of Object.keys(probabilities)) {
            if (!choices.includes(key)) {
              ctx.addIssue({ code: 'custom', path: [...path, key], message: `unknown choice "${key}" (expected one of ${choices.join(', ')})` });
            }
          }
          const sum = Object.values(probabilities).reduce((s, p) => s + p, 0);
          if (Math.abs(sum - 1) > PROBABILITY_TOLERANCE) {
            ctx.addIssue({ code: 'custom', path, message: `probabilities sum to ${+sum.toFixed(6)}, not 1` });
          }
        } else {
          if (!isNormal) {
            ctx.addIssue({ code: 'custom', path, message: 'is numeric: give {mean, std}' });
            continue;
          }
          const [low, high] = b as [number, number];
          const { mean } = d as { mean: number; std: number };
          if (mean < low || mean > high) {
            ctx.addIssue({ code: 'custom', path: [...path, 'mean'], message: `${mean} is outside param_bounds.${name} [${low}, ${high}]` });
          }
        }
      }
    }
}

/** An experiment's config as the engine reads it; a domain's section keys ride along in the same object. */
export type ExperimentConfig = BaseConfig;

export type ConfigResult = { ok: true; config: ExperimentConfig; warnings: string[] } | { ok: false; errors: string[] };

/**
 * Keys of the original Python pipeline's config that the studio accepts (its YAML imports unchanged)
 * but has no use for, and why. A value other than the default gets a warning naming the key.
 */
const UNUSED_KEYS: Record<string, string> = {
  experiment_dir: 'not used: experiments are stored in this browser and exported as a ZIP',
  base_image_dir: 'not used: the base chips are the ones in the Base chips panel (or stored with the experiment)',
  dino_model: 'not used: the embedding model is chosen in the Embedding model panel and stored with each experiment',
};

/** Validates a plain object (e.g. parsed YAML); fills defaults; errors name the key path and the problem. */
export function parseExperimentConfig(input: unknown, section: ConfigSection = {}): ConfigResult {
  const result = experimentConfigSchemaWith(section).safeParse(input ?? {});
  if (!result.success) return { ok: false, errors: result.error.issues.map(formatIssue) };
  const given = (input ?? {}) as Record<string, unknown>;
  const warnings = Object.entries(UNUSED_KEYS)
    .filter(([key]) => key in given && given[key] !== defaults[key as keyof typeof defaults])
    .map(([key, why]) => `${key}: ${why}`);
  if (result.data.pca_components !== 2) warnings.push(`pca_components: ${result.data.pca_components} asked, but the map has 2 axes; 2 are used`);
  return { ok: true, config: result.data as ExperimentConfig, warnings };
}

function formatIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.') || '(root)';
  if (issue.code === 'unrecognized_keys') return `${path}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
  return `${path}: ${issue.message}`;
}

export function defaultExperimentConfig(section: ConfigSection = {}): ExperimentConfig {
  return experimentConfigSchemaWith(section).parse({}) as ExperimentConfig;
}
