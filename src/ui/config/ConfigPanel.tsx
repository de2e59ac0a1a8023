import { useConfigStore } from '../../state/configStore';
import { MessageList } from '../common/MessageList';
import { downloadFile } from '../common/download';

/** Import and export experiment_config.yaml (the first user's pipeline reads and writes it), and choose the map. */
export function ConfigPanel() {
  const { config, importErrors, importWarnings, importYaml, exportYaml, reset, dismissErrors, setProjection } = useConfigStore();
  const download = () => downloadFile('experiment_config.yaml', exportYaml());
  return (
    <section className="panel">
      <h2>Experiment config</h2>
      <p className="panel__note">
        <strong>{config.experiment_name}</strong>: {config.real.param_sets}×{config.real.replications} real, {config.close.param_sets}×{config.close.replications} close,{' '}
        {config.far.param_sets}×{config.far.replications} far; {config.max_iterations} iterations of {config.iteration_batch_size}×{config.replications_per_iteration}.
      </p>
      <div className="button-row">
        <label className="button button--small">
          Import YAML
          <input
            type="file"
            className="visually-hidden"
            aria-label="Experiment config"
            accept=".yaml,.yml,application/yaml,text/yaml"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void importYaml(file);
            }}
          />
        </label>
        <button type="button" className="button button--small" onClick={download}>
          Export YAML
        </button>
        <button type="button" className="button button--small button--ghost" onClick={reset}>
          Defaults
        </button>
      </div>
      <label className="param">
        <span className="param__label">2-D map (fitted once at iteration 0)</span>
        <select value={config.projection} onChange={(e) => setProjection(e.target.value as typeof config.projection)} aria-label="2-D map">
          <option value="pca">PCA (linear; axes show explained variance)</option>
          <option value="umap">UMAP (non-linear; keeps neighbourhoods)</option>
        </select>
      </label>
      {importWarnings && (
        <MessageList
          title={`${importWarnings.file} was imported; these keys are not used`}
          items={importWarnings.warnings.map((w) => {
            const colon = w.indexOf(': ');
            return { name: w.slice(0, colon), reason: w.slice(colon + 2) };
          })}
          onDismiss={dismissErrors}
        />
      )}
      {importErrors && (
        <MessageList
          title={`${importErrors.file} was not imported (the current config is kept)`}
          items={importErrors.errors.map((e) => {
            const colon = e.indexOf(': ');
            return { name: e.slice(0, colon), reason: e.slice(colon + 2) };
          })}
          onDismiss={dismissErrors}
        />
      )}
    </section>
  );
}
