import { useShallow } from 'zustand/react/shallow';
import { useTabularStore } from '../../../state/tabularStore';
import { FileDropZone } from '../../../ui/common/FileDropZone';
import { ProgressBar } from '../../../ui/common/ProgressBar';
import { EXAMPLE_TABLES } from '../examples';
import { GATE_PRESET_NAMES, GATE_PRESETS, type GatePresetName } from '../gates';
import { GENERATOR_NAMES } from '../generators/names';
import type { StrategyName } from '../loop/strategies';
import { describeGate, GENERATOR_LABELS, PRESET_LABELS, STRATEGY_LABELS } from './labels';

/**
 * The sidebar of a new table calibration: the real table (dropped, or one of the examples), then — once
 * it is read and reviewed in the main area — the gates, the search and its budget, and Optimize.
 */
export function NewTableForm() {
  const t = useTabularStore(
    useShallow((s) => ({ review: s.review, busy: s.busy, readProgress: s.readProgress, inputError: s.inputError, settings: s.settings, constraintsProblem: s.constraintsProblem, message: s.message })),
  );
  const { loadFile, loadExample, setSettings, create, dismiss } = useTabularStore.getState();
  const { settings, review } = t;
  const number = (label: string, value: number | null, apply: (v: number | null) => void, o: { min: number; max: number; step?: number; placeholder?: string }) => (
    <label className="study-field">
      <span>{label}</span>
      <input
        type="number"
        min={o.min}
        max={o.max}
        step={o.step ?? 1}
        placeholder={o.placeholder}
        value={value ?? ''}
        onChange={(e) => {
          if (e.target.value === '') return apply(null);
          const v = Number(e.target.value);
          if (Number.isFinite(v)) apply(Math.min(o.max, Math.max(o.min, v)));
        }}
      />
    </label>
  );

  return (
    <section className="panel" aria-label="New table calibration">
      <h2>New table calibration</h2>
      <p className="panel__note">Drop a real table: the page finds generator settings whose synthetic rows pass your fidelity, physics and privacy gates. The table never leaves this tab.</p>
      <FileDropZone label="Real table (CSV)" accept=".csv,.tsv,.txt,text/csv" multiple={false} what="a CSV table" hint="UTF-8 CSV with a header row; comma, semicolon or tab" disabled={t.busy !== null} onFiles={([f]) => void loadFile(f)} />
      {t.inputError && (
        <div className="messages" role="alert">
          <div className="messages__head">
            <strong>{t.inputError}</strong>
            <button type="button" className="button button--small button--ghost" aria-label="Dismiss the error" onClick={dismiss}>
              ×
            </button>
          </div>
          <p className="study-kept">Nothing was stored: everything already stored is as it was.</p>
        </div>
      )}
      <div className="tabular-examples" role="group" aria-label="Example tables">
        <span>Or try an example:</span>
        {EXAMPLE_TABLES.map((example) => (
          <button key={example.id} type="button" className="button button--small" title={example.about} disabled={t.busy !== null} onClick={() => void loadExample(example)}>
            {example.label}
          </button>
        ))}
      </div>
      {t.readProgress ? (
        <ProgressBar label={t.readProgress.label} done={t.readProgress.done} total={t.readProgress.total} />
      ) : (
        t.busy && (
          <p className="panel__note" role="status">
            {t.busy}
          </p>
        )
      )}
      {review && (
        <>
          <p className="panel__note">
            {review.file}: {review.rowCount.toLocaleString('en')} rows × {review.columns.length} columns. Check the columns and the constraints on the right.
          </p>
          <label className="study-field study-field--wide">
            <span>Name</span>
            <input type="text" value={settings.name} onChange={(e) => setSettings({ name: e.target.value })} />
          </label>
          <label className="study-field study-field--wide">
            <span>Gates</span>
            <select value={settings.gates} onChange={(e) => setSettings({ gates: e.target.value as GatePresetName })}>
              {GATE_PRESET_NAMES.map((name) => (
                <option key={name} value={name}>
                  {PRESET_LABELS[name]}
                </option>
              ))}
            </select>
          </label>
          <p className="tabular-gates-note">{GATE_PRESETS[settings.gates].gates.map(describeGate).join(' · ')}</p>
          <label className="study-field study-field--wide">
            <span>Search</span>
            <select value={settings.strategy} onChange={(e) => setSettings({ strategy: e.target.value as StrategyName })}>
              {(Object.keys(STRATEGY_LABELS) as StrategyName[]).map((name) => (
                <option key={name} value={name}>
                  {STRATEGY_LABELS[name]}
                </option>
              ))}
            </select>
          </label>
          <fieldset className="tabular-generators">
            <legend>Generators to search</legend>
            {GENERATOR_NAMES.map((g) => (
              <label key={g} title={GENERATOR_LABELS[g].note}>
                <input
                  type="checkbox"
                  checked={settings.generators.includes(g)}
                  onChange={(e) => setSettings({ generators: GENERATOR_NAMES.filter((x) => (x === g ? e.target.checked : settings.generators.includes(x))) })}
                />
                <span>
                  {GENERATOR_LABELS[g].name}
                  <span className="tabular-generators__note">{GENERATOR_LABELS[g].note}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <div className="study-settings">
            {number('Budget (evaluations)', settings.budget, (v) => setSettings({ budget: Math.round(v ?? 24) }), { min: 1, max: 200 })}
            {number('Synthetic rows', settings.rows, (v) => setSettings({ rows: v === null ? null : Math.round(v) }), { min: 1, max: 1_000_000, placeholder: String(review.rowCount) })}
            {number('Holdout share', settings.holdoutShare, (v) => setSettings({ holdoutShare: v ?? 0.2 }), { min: 0.05, max: 0.5, step: 0.05 })}
            {number('Seed', settings.seed, (v) => setSettings({ seed: Math.round(v ?? 0) }), { min: 0, max: 2 ** 31 - 1 })}
          </div>
          <button type="button" className="button button--primary" disabled={t.busy !== null || t.constraintsProblem !== null || settings.generators.length === 0}
            title={t.constraintsProblem ?? (settings.generators.length === 0 ? 'Choose at least one generator' : undefined)} onClick={() => void create()}>
            Optimize
          </button>
          {t.message?.kind === 'error' && (
            <p className="error" role="alert">
              {t.message.text}
            </p>
          )}
        </>
      )}
    </section>
  );
}
