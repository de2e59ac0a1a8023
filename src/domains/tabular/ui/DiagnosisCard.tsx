import type { Evaluation } from '../loop/evaluation';
import type { Failure } from '../loop/diagnose';
import { describeSettings } from '../loop/settingsSpace';
import { formatMetric } from './labels';

interface DiagnosisCardProps {
  evaluation: Evaluation;
  failures: readonly Failure[] | null;
  running: boolean;
  onRun(failure: Failure): void;
}

/**
 * Why an evaluation is not all green: each failure type with its gates, the root cause in words and the
 * model's suggestion with its predicted values; "Run this suggestion" evaluates the suggested settings
 * next.
 */
export function DiagnosisCard({ evaluation, failures, running, onRun }: DiagnosisCardProps) {
  return (
    <section className="panel" aria-label="Diagnosis">
      <h2>
        Evaluation {evaluation.index}: {evaluation.gates.all_green ? 'all green' : `${evaluation.passed} of ${evaluation.applicable} gates pass`}
      </h2>
      <p className="panel__note">
        {describeSettings(evaluation.params)} · utility {formatMetric(evaluation.utility)}
        {evaluation.note ? ` · ${evaluation.note}` : ''}
        {evaluation.predicted ? ` · the model predicted utility ${formatMetric(evaluation.predicted.utility)}, P(all green) ${formatMetric(evaluation.predicted.p_all_green)}` : ''}
      </p>
      {evaluation.gates.all_green ? (
        <p className="notice">Every gate of the preset passes.</p>
      ) : failures === null ? (
        <p className="panel__note">Diagnosing…</p>
      ) : (
        <ul className="tabular-failures">
          {failures.map((f) => (
            <li key={f.type} className="tabular-failure">
              <strong className="tabular-failure__type">{f.type}</strong>
              <span className="tabular-failure__gates">{f.gates.map((g) => `${g.metric} ${formatMetric(g.value)} (threshold ${g.threshold}, floor ${formatMetric(g.floor)})`).join('; ')}</span>
              <p>
                <em>Cause:</em> {f.cause}
              </p>
              <p>
                <em>Suggestion:</em> {f.suggestion}
              </p>
              {f.suggested && (
                <button type="button" className="button button--small" disabled={running} onClick={() => onRun(f)}>
                  Run this suggestion
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
