import { useConfigStore } from '../../src/state/configStore';
import { aliasBomb, bigYaml } from './hostileTexts';
import { digest, type CaseOutcome, type HostileCase } from './hostileCase';

/**
 * Experiment configs (family 'config') through the page's "Import config" (the config store's
 * importYaml, in Node): the message is what the page lists under the file's name, and "changed"
 * compares the config the next experiment would use before and after. A config inside a ZIP goes
 * through the import path instead (hostileZip.ts).
 */
async function configImport(file: string, text: string): Promise<CaseOutcome> {
  const store = useConfigStore;
  store.getState().reset();
  const before = await digest(store.getState().config);
  await store.getState().importYaml(new File([text], file, { type: 'application/yaml' }));
  const { importErrors, importWarnings, config } = store.getState();
  const message = importErrors
    ? `${importErrors.file}: ${importErrors.errors.join('; ')}`
    : importWarnings
      ? `${importWarnings.file}: accepted with warnings: ${importWarnings.warnings.join('; ')}`
      : '(accepted)';
  const changed = (await digest(config)) !== before;
  store.getState().reset();
  return { message, changed, detail: "the page's config compared before and after" };
}

const config = (id: string, description: string, expect: RegExp, text: () => string): HostileCase => ({
  id,
  family: 'config',
  description,
  expect,
  run: () => configImport(`${id}.yaml`, text()),
});

export function configCases(): HostileCase[] {
  return [
    config('config-alias-bomb', 'a YAML alias bomb (nine levels of nine aliases, ~500 bytes → 387 million strings)', /^config-alias-bomb\.yaml: its aliases \(\*name\) expand past the limit of 100: refused as an alias bomb/, () => aliasBomb('experiment_name')),
    config('config-10mb', 'a 10 MB YAML document', /^config-10mb\.yaml: the document is 10\.0 MB, over the 1\.0 MB limit for a configuration file$/, () => bigYaml(10)),
    config('config-wrong-type', 'max_iterations given as text', /^config-wrong-type\.yaml: max_iterations: .*expected number, received string/, () => 'max_iterations: lots\n'),
    config('config-wrong-type-list', 'param_bounds.void_count given as a mapping', /^config-wrong-type-list\.yaml: param_bounds\.void_count: /, () => 'param_bounds:\n  void_count: {min: 3, max: 20}\n'),
    config('config-unknown-key', 'a misspelt key max_iteration (refused by name: a silently ignored key would run another experiment than the one written)', /^config-unknown-key\.yaml: \(root\): unknown key max_iteration$/, () => 'max_iteration: 50\n'),
    config('config-out-of-range', 'iteration_batch_size 1000 (the range is 1..64)', /^config-out-of-range\.yaml: iteration_batch_size: .*(<=|≤) ?64/, () => 'iteration_batch_size: 1000\n'),
    config('config-negative-seed', 'random_seed −1', /^config-negative-seed\.yaml: random_seed: .*(>=|≥) ?0/, () => 'random_seed: -1\n'),
    config('config-alpha-out-of-range', 'confirmation_alpha 1.5 (a probability: between 0 and 1)', /^config-alpha-out-of-range\.yaml: confirmation_alpha: .*(<|less than) ?1/, () => 'confirmation_alpha: 1.5\n'),
    config('config-not-mapping', 'a YAML list instead of a mapping', /^config-not-mapping\.yaml: \(root\): the YAML must be a mapping of configuration keys$/, () => '- max_iterations\n- 5\n'),
    config('config-syntax', 'a flow list that never closes', /^config-syntax\.yaml: line \d+, column \d+: /, () => 'param_bounds:\n  void_count: [3, 20\n'),
  ];
}
