import { useId } from 'react';
import type { ParameterSpec, ParameterValue } from '../../engine/space/space';
import { parameterLabel } from './parameterLabels';

interface ParameterPanelProps {
  parameters: readonly ParameterSpec[];
  values: Record<string, ParameterValue>;
  onChange(name: string, value: ParameterValue): void;
}

/** Bounds-aware inputs for any parameter space: selects for categoricals, slider + number for numbers. */
export function ParameterInputs({ parameters, values, onChange }: ParameterPanelProps) {
  return (
    <div className="params">
      {parameters.map((p) => (
        <ParameterInput key={p.name} spec={p} value={values[p.name]} onChange={(v) => onChange(p.name, v)} />
      ))}
    </div>
  );
}

function ParameterInput({ spec, value, onChange }: { spec: ParameterSpec; value: ParameterValue | undefined; onChange(v: ParameterValue): void }) {
  const id = useId();
  const { label, unit, help } = parameterLabel(spec.name);
  if (spec.kind === 'categorical') {
    return (
      <div className="param">
        <label htmlFor={id} className="param__label" title={help}>
          {label}
        </label>
        <select id={id} value={String(value ?? spec.choices[0])} onChange={(e) => onChange(e.target.value)}>
          {spec.choices.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </div>
    );
  }
  const step = spec.kind === 'integer' ? 1 : niceStep(spec.high - spec.low);
  const numeric = typeof value === 'number' ? value : Number.NaN;
  const invalid = !Number.isFinite(numeric) || numeric < spec.low || numeric > spec.high || (spec.kind === 'integer' && !Number.isInteger(numeric));
  const errorId = `${id}-error`;
  return (
    <div className="param">
      <label htmlFor={id} className="param__label" title={help}>
        {label}
        {unit ? <span className="param__unit"> ({unit})</span> : null}
      </label>
      <div className="param__controls">
        <input
          type="range"
          aria-label={`${label} slider`}
          min={spec.low}
          max={spec.high}
          step={step}
          value={Number.isFinite(numeric) ? Math.min(spec.high, Math.max(spec.low, numeric)) : spec.low}
          onChange={(e) => onChange(Number(e.target.value))}
        />
        <input
          id={id}
          type="number"
          min={spec.low}
          max={spec.high}
          step={step}
          value={Number.isFinite(numeric) ? roundForDisplay(numeric, step) : ''}
          aria-invalid={invalid}
          aria-describedby={invalid ? errorId : undefined}
          onChange={(e) => onChange(e.target.value === '' ? Number.NaN : Number(e.target.value))}
        />
      </div>
      <div className="param__bounds">
        {spec.low} – {spec.high}
      </div>
      {invalid && (
        <div id={errorId} className="param__error" role="alert">
          {spec.kind === 'integer' ? 'A whole number' : 'A number'} from {spec.low} to {spec.high}
        </div>
      )}
    </div>
  );
}

/** A slider step giving about 350 positions, rounded to 1, 2 or 5 × 10^k. */
function niceStep(range: number): number {
  const raw = range / 350;
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : 5) * power;
}

function roundForDisplay(x: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  return Number(x.toFixed(decimals));
}
