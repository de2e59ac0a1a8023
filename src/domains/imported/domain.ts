import { z } from 'zod';
import { defaultExperimentConfig, type ExperimentConfig } from '../../engine/config/experimentConfig';
import type { Domain } from '../../engine/domain';
import { defineSpace, type ParameterSpace, type ParameterSpec } from '../../engine/space/space';

/**
 * Bring your own generator: the parameter space is the user's, the samples come from their generator
 * and their encoder as vectors (ask/tell), and nothing is generated here.
 */

/** The imported domain's keys of the experiment config: the user's parameter space, in column order. */
export const importedConfigSection = {
  space: z.array(z.custom<ParameterSpec>((v) => typeof v === 'object' && v !== null && 'name' in v && 'kind' in v, 'must be a parameter {kind, name, …}')).default([]),
  /** How many sets the first ask returns before any observation (a space-filling design). */
  initial_design: z.number().int().min(1).optional(),
};

export type ImportedConfig = ExperimentConfig & { space: ParameterSpec[]; initial_design?: number };

/**
 * A study's config: the shared keys with no void space or initial-design distributions (the initial
 * design is space-filling, the real set is the user's), and the user's space.
 */
export function importedConfig(space: ParameterSpace, overrides: Partial<ExperimentConfig> = {}): ImportedConfig {
  return {
    ...defaultExperimentConfig(importedConfigSection),
    experiment_name: 'study',
    param_bounds: {},
    param_types: {},
    param_distributions: { real: {}, close: {}, far: {} },
    ...overrides,
    space: [...space.parameters],
  };
}

export const importedDomain: Domain = {
  id: 'imported',
  label: 'Your own generator',
  observation: 'vector',
  inputs: [],
  configSection: importedConfigSection,
  defaultConfig: () => importedConfig(defineSpace([])),
  space: (config) => defineSpace((config as Partial<ImportedConfig>).space ?? []),
  job: (request) => ({ ...request, fields: {} }),
};
