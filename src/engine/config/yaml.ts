import { parseDocument, stringify } from 'yaml';
import { parseExperimentConfig, type ConfigResult, type ConfigSection, type ExperimentConfig } from './experimentConfig';

/** Parses `experiment_config.yaml` text; syntax errors give the line and column. */
export function parseConfigYaml(text: string, section: ConfigSection = {}): ConfigResult {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const where = e.linePos?.[0] ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : 'YAML';
        return `${where}: ${e.message.split('\n')[0]}`;
      }),
    };
  }
  const value: unknown = doc.toJS();
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
