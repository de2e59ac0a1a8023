import { z } from 'zod';
import { defaultExperimentConfig, type ExperimentConfig } from '../../engine/config/experimentConfig';
import type { Domain } from '../../engine/domain';
import { defineSpace, type ParameterSpec } from '../../engine/space/space';
import { GATE_PRESET_NAMES, type GatePresetName } from './gates';
import { GENERATOR_NAMES, type GeneratorName } from './generators/names';
import type { StrategyName } from './loop/strategies';
import { COLUMN_ROLES, COLUMN_TYPES, type ColumnRole, type ColumnType } from './table';

/**
 * Synthetic tables: the user's real table (a CSV kept as dropped), generators of synthetic rows tuned by
 * the tabular calibration (loop/) against fidelity, physics and privacy gates (docs/tabular.md). The
 * engine's image pipeline does not run here: each evaluation is one iteration record whose `detail` is
 * the evaluation (app/tabularService.ts), and the table's own worker makes and measures the rows.
 */

const STRATEGIES = ['bo', 'rules', 'random'] as const satisfies readonly StrategyName[];

/** The tabular domain's keys of the experiment config: how the table is read and how it is calibrated. */
export const tabularConfigSection = {
  /** The real table's file name (its bytes are the experiment's 'table' input). */
  table_file: z.string().default(''),
  /** Column type overrides by header name (inferred when absent). */
  column_types: z.record(z.string(), z.enum(COLUMN_TYPES as unknown as [ColumnType, ...ColumnType[]])).default({}),
  /** Column roles by header name (feature when absent); at most one target and one group. */
  column_roles: z.record(z.string(), z.enum(COLUMN_ROLES as unknown as [ColumnRole, ...ColumnRole[]])).default({}),
  /** The constraints YAML (docs/tabular.md), as the user gave or built it; empty: none. */
  constraints: z.string().default(''),
  gates: z.enum(GATE_PRESET_NAMES).default('seed003_adjusted'),
  strategy: z.enum(STRATEGIES).default('bo'),
  budget: z.number().int().min(1).max(200).default(24),
  /** Rows of each synthetic table; null: the real table's row count. */
  synthetic_rows: z.number().int().min(1).max(1_000_000).nullable().default(null),
  holdout_share: z.number().gt(0).lt(1).default(0.2),
  /** The generators the calibration searches (a table made before the choice existed searches all). */
  generators: z.array(z.enum(GENERATOR_NAMES)).min(1).default([...GENERATOR_NAMES]),
  /** The settings space of the calibration (generator and its settings), fixed when the experiment is made. */
  space: z.array(z.custom<ParameterSpec>((v) => typeof v === 'object' && v !== null && 'name' in v && 'kind' in v, 'must be a parameter {kind, name, …}')).default([]),
};

export interface TabularSettings {
  table_file: string;
  column_types: Record<string, ColumnType>;
  column_roles: Record<string, ColumnRole>;
  constraints: string;
  gates: GatePresetName;
  strategy: StrategyName;
  budget: number;
  synthetic_rows: number | null;
  holdout_share: number;
  generators: GeneratorName[];
  space: ParameterSpec[];
}

export type TabularConfig = ExperimentConfig & TabularSettings;

/** A table calibration's config: the shared keys without the void space or initial-design distributions, and the tabular keys. */
export function tabularConfig(settings: Partial<TabularSettings> & { experiment_name?: string; random_seed?: number } = {}): TabularConfig {
  const base = defaultExperimentConfig(tabularConfigSection) as TabularConfig;
  return { ...base, param_bounds: {}, param_types: {}, param_distributions: { real: {}, close: {}, far: {} }, experiment_name: 'table', ...settings };
}

/** The column with a role, or null. */
export function columnWithRole(config: Pick<TabularSettings, 'column_roles'>, role: ColumnRole): string | null {
  return Object.entries(config.column_roles).find(([, r]) => r === role)?.[0] ?? null;
}

export const tabularDomain: Domain = {
  id: 'tabular',
  label: 'Synthetic tables',
  observation: 'vector',
  inputs: [],
  configSection: tabularConfigSection,
  defaultConfig: () => tabularConfig(),
  space: (config) => defineSpace((config as Partial<TabularConfig>).space ?? []),
  job: (request) => ({ ...request, fields: {} }),
};
