import { stringify } from 'yaml';
import { parseExperimentConfig, type ConfigResult, type ConfigSection, type ExperimentConfig } from './experimentConfig';
import { readYamlDocument } from './yamlInput';

/**
 * Parses `experiment_config.yaml` text within the document limits of yamlInput.ts (size, aliases);
 * syntax errors give the line and column.
 */
export function parseConfigYaml(text: string, section: ConfigSection = {}): ConfigResult {
  const read = readYamlDocument(text);
  if (!read.ok) return { ok: false, errors: [read.reason] };
  const value: unknown = read.value;
  if (value !== null && (typeof value !== 'object' || Array.isArray(value))) {
    return { ok: false, errors: ['(root): the YAML must be a mapping of configuration keys'] };
  }
  return parseExperimentConfig(value, section);
}

/** Writes the configuration as YAML in the original pipeline's key order, numbers as given. */
export function configToYaml(config: ExperimentConfig): string {
  return (
    '# Latent Calibration Studio experiment configuration (the keys of the original pipeline\'s configs/experiment_config.yaml, plus the studio\'s own)\n' +
    stringify(config, { lineWidth: 0, flowCollectionPadding: false, collectionStyle: 'any' })
  );
}
