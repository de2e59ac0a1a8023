import { useId, useMemo } from 'react';
import { parameterSpaceFromConfig } from '../../../engine/config/space';
import { assertInSpace } from '../../../engine/space/space';
import { useChipsStore } from './state/chipsStore';
import { useConfigStore } from '../../../state/configStore';
import { usePreviewStore } from './state/previewStore';
import { ParameterInputs } from '../../../ui/params/ParameterPanel';

/** One parameter set, the position rule and the base chip choice, and the "Generate preview" button. */
export function GeneratorPanel() {
  const config = useConfigStore((s) => s.config);
  const chips = useChipsStore((s) => s.chips);
  const preview = usePreviewStore();
  const space = useMemo(() => parameterSpaceFromConfig(config), [config]);
  const ruleId = useId();
  const chipId = useId();
  const invalid = useMemo(() => {
    try {
      assertInSpace(space, preview.params);
      return null;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }, [space, preview.params]);
  const busy = preview.progress !== null;
  const chipIds = chips.map((c) => c.id);
  const chipChoice = preview.chipChoice === 'auto' || chipIds.includes(preview.chipChoice) ? preview.chipChoice : 'auto';

  return (
    <section className="panel" aria-labelledby="params-heading">
      <h2 id="params-heading">Void parameters</h2>
      <div className="button-row" role="group" aria-label="Draw a parameter set from a configured distribution">
        <span className="panel__note">Draw from:</span>
        {(['real', 'close', 'far'] as const).map((d) => (
          <button key={d} type="button" className="button button--small button--ghost" onClick={() => preview.drawFrom(config, d)}>
            {d}
          </button>
        ))}
      </div>
      <ParameterInputs parameters={space.parameters} values={preview.params} onChange={preview.setParam} />
      <div className="param">
        <label htmlFor={ruleId} className="param__label">
          Position rule
        </label>
        <select id={ruleId} value={preview.positionRule} onChange={(e) => preview.setPositionRule(e.target.value as 'centered' | 'corner')}>
          <option value="centered">Centred window (default)</option>
          <option value="corner">Original corner rule U(0, spread × size)</option>
        </select>
      </div>
      <div className="param">
        <label htmlFor={chipId} className="param__label">
          Base chip
        </label>
        <select id={chipId} value={chipChoice} onChange={(e) => preview.setChipChoice(e.target.value)}>
          <option value="auto">A chip per replication (as in a run)</option>
          {chipIds.map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </select>
      </div>
      <button
        type="button"
        className="button button--primary"
        disabled={busy || invalid !== null || chips.length === 0}
        title={invalid ?? undefined}
        onClick={() => void preview.generate(config, chipIds)}
      >
        Generate preview
      </button>
      <p className="panel__note">
        {config.replications_per_iteration} replications (seeds 0–{config.replications_per_iteration - 1}); each image is reproducible from its base chip, parameters and seed.
      </p>
    </section>
  );
}
