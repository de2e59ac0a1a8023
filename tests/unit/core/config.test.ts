import { describe, expect, it } from 'vitest';
import { defaultExperimentConfig, parseExperimentConfig } from '../../../src/engine/config/experimentConfig';
import { configToYaml, parseConfigYaml } from '../../../src/engine/config/yaml';
import { voidsDomain, type VoidsConfig } from '../../../src/domains/voids/domain';

// The first user's configs/experiment_config.yaml, verbatim (comments included): it must import unchanged.
const SEED_YAML = `
# Experiment setup
experiment_name: "infineon_void_poc"
experiment_dir: "data/experiments/infineon_void_poc"
base_image_dir: "data/base_chips"  # 5 NoVoids images
dino_model: "dinov2_vitb14"  # 768-dim embeddings
pca_components: 2            # for visualization
real:
  param_sets: 5
  replications: 3
  total_size: 16  # ~5*3
close:
  param_sets: 8
  replications: 3
  total_size: 24
far:
  param_sets: 8
  replications: 3
  total_size: 24
iteration_batch_size: 8      # param sets per iteration
replications_per_iteration: 3
max_iterations: 10
param_bounds:
  void_shape: ['circle', 'ellipse', 'irregular']
  void_count: [3, 20]
  base_size: [5.0, 40.0]
  brightness_factor: [0.3, 0.8]
  size_std: [0.0, 15.0]
  position_spread: [0.1, 0.8]
param_distributions:
  real:
    void_shape: {circle: 0.2, ellipse: 0.5, irregular: 0.3}
    void_count: {mean: 8, std: 3}
    base_size: {mean: 20, std: 5}
    brightness_factor: {mean: 0.6, std: 0.1}
    size_std: {mean: 7, std: 2}
    position_spread: {mean: 0.5, std: 0.15}
  close:
    void_shape: {circle: 0.25, ellipse: 0.45, irregular: 0.3}
    void_count: {mean: 10, std: 3}
    base_size: {mean: 18, std: 5}
    brightness_factor: {mean: 0.55, std: 0.1}
    size_std: {mean: 8, std: 2}
    position_spread: {mean: 0.55, std: 0.15}
  far:
    void_shape: {circle: 0.7, ellipse: 0.2, irregular: 0.1}
    void_count: {mean: 15, std: 3}
    base_size: {mean: 10, std: 5}
    brightness_factor: {mean: 0.4, std: 0.1}
    size_std: {mean: 3, std: 1}
    position_spread: {mean: 0.8, std: 0.1}
convergence_threshold: 0.05  # distribution similarity metric
early_stop_patience: 3       # stop if no improvement for N iterations
acquisition_function: "ucb"  # or "ei", "pi"
`;

function errorsOf(yaml: string): string[] {
  const r = parseConfigYaml(yaml);
  if (r.ok) throw new Error('expected the configuration to be rejected');
  return r.errors;
}

const withReplaced = (from: string, to: string) => {
  if (!SEED_YAML.includes(from)) throw new Error(`fixture does not contain ${from}`);
  return SEED_YAML.replace(from, to);
};

describe('experiment configuration', () => {
  it("imports the first user's YAML unchanged and equals the defaults apart from the model", () => {
    const r = parseConfigYaml(SEED_YAML);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect({ ...r.config, dino_model: 'x' }).toEqual({ ...defaultExperimentConfig(), dino_model: 'x' });
    expect(r.config.dino_model).toBe('dinov2_vitb14');
    expect(r.config.param_types.void_count).toBe('integer');
    // Every key is read or named: that file's model differs from the default and is chosen elsewhere.
    expect(r.warnings).toEqual(['dino_model: not used: the embedding model is chosen in the Embedding model panel and stored with each experiment']);
  });

  it('warns, naming the key, about each key it accepts but does not use', () => {
    const r = parseConfigYaml(withReplaced('pca_components: 2', 'pca_components: 3').replace('data/base_chips', 'my/chips').replace('data/experiments/infineon_void_poc', 'runs/a'));
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.warnings.map((w) => w.split(':')[0]).sort()).toEqual(['base_image_dir', 'dino_model', 'experiment_dir', 'pca_components']);
    expect(r.warnings).toContain('pca_components: 3 asked, but the map has 2 axes; 2 are used');
    const ours = parseConfigYaml(configToYaml(defaultExperimentConfig()));
    expect(ours.ok && ours.warnings).toEqual([]);
  });

  it('reads a domain\'s own keys beside the shared ones (the void section: position_rule), and only with that domain', () => {
    const voids = voidsDomain.defaultConfig() as VoidsConfig;
    expect(voids.position_rule).toBe('centered');
    expect('position_rule' in defaultExperimentConfig()).toBe(false);
    const corner = parseConfigYaml(`${SEED_YAML}\nposition_rule: corner\n`, voidsDomain.configSection);
    expect(corner.ok && (corner.config as VoidsConfig).position_rule).toBe('corner');
    expect(errorsOf(`${SEED_YAML}\nposition_rule: corner\n`)).toEqual(['(root): unknown key position_rule']);
    const roundTrip = parseConfigYaml(configToYaml(voids), voidsDomain.configSection);
    expect(roundTrip.ok && roundTrip.config).toEqual(voids);
  });

  it('reads the map projection (PCA by default, UMAP on request) and refuses others', () => {
    expect(defaultExperimentConfig().projection).toBe('pca');
    const umap = parseConfigYaml(`${SEED_YAML}\nprojection: umap\n`);
    expect(umap.ok && umap.config.projection).toBe('umap');
    expect(errorsOf(`${SEED_YAML}\nprojection: tsne\n`)[0]).toMatch(/^projection: /);
  });

  it('fills every default from an empty document and round-trips through YAML', () => {
    const empty = parseConfigYaml('');
    expect(empty.ok).toBe(true);
    const config = defaultExperimentConfig();
    const again = parseConfigYaml(configToYaml(config));
    if (!again.ok) throw new Error(again.errors.join('\n'));
    expect(again.config).toEqual(config);
  });

  it('names the key and the problem for min > max', () => {
    expect(errorsOf(withReplaced('base_size: [5.0, 40.0]', 'base_size: [40.0, 5.0]'))).toContainEqual(
      'param_bounds.base_size: min 40 is greater than max 5',
    );
  });

  it('names a distribution mean outside its bounds', () => {
    expect(errorsOf(withReplaced('base_size: {mean: 20, std: 5}', 'base_size: {mean: 50, std: 5}'))).toContainEqual(
      'param_distributions.real.base_size.mean: 50 is outside param_bounds.base_size [5, 40]',
    );
  });

  it('names an unknown shape and a probability vector that does not sum to 1', () => {
    const errors = errorsOf(
      withReplaced('void_shape: {circle: 0.7, ellipse: 0.2, irregular: 0.1}', 'void_shape: {circle: 0.7, square: 0.2, irregular: 0.05}'),
    );
    expect(errors).toContainEqual('param_distributions.far.void_shape.square: unknown choice "square" (expected one of circle, ellipse, irregular)');
    expect(errors).toContainEqual('param_distributions.far.void_shape: probabilities sum to 0.95, not 1');
  });

  it('names wrong types, unknown keys and missing distributions', () => {
    expect(errorsOf(withReplaced('max_iterations: 10', 'max_iterations: "ten"')).join('\n')).toMatch(/^max_iterations: .*number/m);
    expect(errorsOf(withReplaced('param_sets: 5', 'param_sets: 2.5')).join('\n')).toMatch(/^real\.param_sets: .*int/m);
    expect(errorsOf(SEED_YAML + 'max_iteration: 3\n')).toContainEqual('(root): unknown key max_iteration');
    expect(errorsOf(withReplaced('    size_std: {mean: 3, std: 1}\n', ''))).toContainEqual(
      'param_distributions.far.size_std: is missing (every parameter needs a distribution)',
    );
    expect(errorsOf(withReplaced('base_size: {mean: 10, std: 5}', 'base_size: {mean: 10, std: -5}')).join('\n')).toMatch(
      /^param_distributions\.far\.base_size/m,
    );
  });

  it('reports YAML syntax errors with their line', () => {
    expect(errorsOf('real:\n  param_sets: [1, 2\n')[0]).toMatch(/^line \d+, column \d+: /);
    expect(errorsOf('- just\n- a list\n')).toEqual(['(root): the YAML must be a mapping of configuration keys']);
  });

  it('accepts a generic space with declared integer kinds', () => {
    const r = parseExperimentConfig({
      param_bounds: { layers: [1, 8], rate: [0, 1], mode: ['a', 'b'] },
      param_types: { layers: 'integer' },
      param_distributions: Object.fromEntries(
        ['real', 'close', 'far'].map((k) => [k, { layers: { mean: 4, std: 1 }, rate: { mean: 0.5, std: 0.1 }, mode: { a: 0.5, b: 0.5 } }]),
      ),
    });
    expect(r.ok).toBe(true);
  });
});
