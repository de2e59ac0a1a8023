import { create } from 'zustand';
import { defaultExperimentConfig, type ExperimentConfig } from '../engine/config/experimentConfig';
import { configToYaml, parseConfigYaml } from '../engine/config/yaml';

interface ConfigState {
  config: ExperimentConfig;
  /** Messages from the last import that failed (the previous config is kept). */
  importErrors: { file: string; errors: string[] } | null;
  importYaml(file: File): Promise<boolean>;
  exportYaml(): Blob;
  reset(): void;
  dismissErrors(): void;
}

export const useConfigStore = create<ConfigState>((set, get) => ({
  config: defaultExperimentConfig(),
  importErrors: null,
  async importYaml(file) {
    const result = parseConfigYaml(await file.text());
    if (!result.ok) {
      set({ importErrors: { file: file.name, errors: result.errors } });
      return false;
    }
    set({ config: result.config, importErrors: null });
    return true;
  },
  exportYaml() {
    return new Blob([configToYaml(get().config)], { type: 'application/yaml' });
  },
  reset() {
    set({ config: defaultExperimentConfig(), importErrors: null });
  },
  dismissErrors() {
    set({ importErrors: null });
  },
}));
