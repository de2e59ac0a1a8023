import { create } from 'zustand';
import { PAGE_DOMAIN, domainById } from '../domains/registry';
import type { ExperimentConfig } from '../engine/config/experimentConfig';
import { configToYaml, parseConfigYaml } from '../engine/config/yaml';
import { configSizeProblem } from '../engine/config/yamlInput';

interface ConfigState {
  config: ExperimentConfig;
  /** Messages from the last import that failed (the previous config is kept). */
  importErrors: { file: string; errors: string[] } | null;
  /** Keys the last import accepted but does not use, each with why. */
  importWarnings: { file: string; warnings: string[] } | null;
  importYaml(file: File): Promise<boolean>;
  /** The 2-D map of the next new experiment: PCA or UMAP (fitted once at iteration 0). */
  setProjection(projection: ExperimentConfig['projection']): void;
  exportYaml(): Blob;
  reset(): void;
  dismissErrors(): void;
}

/** The page's domain: its default config and its section of the YAML. */
const pageDomain = () => {
  const domain = domainById(PAGE_DOMAIN);
  if (!domain) throw new Error(`the page's domain "${PAGE_DOMAIN}" is not registered`);
  return domain;
};

export const useConfigStore = create<ConfigState>((set, get) => ({
  config: pageDomain().defaultConfig(),
  importErrors: null,
  importWarnings: null,
  async importYaml(file) {
    // Refused by its size before a byte is read (parseConfigYaml checks the text too).
    const tooBig = configSizeProblem(file.size);
    if (tooBig) {
      set({ importErrors: { file: file.name, errors: [tooBig] } });
      return false;
    }
    const result = parseConfigYaml(await file.text(), pageDomain().configSection);
    if (!result.ok) {
      set({ importErrors: { file: file.name, errors: result.errors } });
      return false;
    }
    set({ config: result.config, importErrors: null, importWarnings: result.warnings.length ? { file: file.name, warnings: result.warnings } : null });
    return true;
  },
  setProjection(projection) {
    set({ config: { ...get().config, projection } });
  },
  exportYaml() {
    return new Blob([configToYaml(get().config)], { type: 'application/yaml' });
  },
  reset() {
    set({ config: pageDomain().defaultConfig(), importErrors: null, importWarnings: null });
  },
  dismissErrors() {
    set({ importErrors: null, importWarnings: null });
  },
}));
