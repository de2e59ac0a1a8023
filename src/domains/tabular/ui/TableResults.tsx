import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { evaluationsOf } from '../../../app/tabularService';
import { useExperimentStore } from '../../../state/experimentStore';
import { useTabularStore } from '../../../state/tabularStore';
import { isBetter } from '../loop/selection';
import { describeSettings } from '../loop/settingsSpace';
import { DiagnosisCard } from './DiagnosisCard';
import { EvaluationsTable } from './EvaluationsTable';
import { TabularLook } from './look/TabularLook';
import { TableReviewPanel } from './TableReviewPanel';
import './tabular.css';

/**
 * The main area of the tabular domain: the review of a dropped table before a calibration exists; once
 * one is open, its evaluations (best pinned), the diagnosis of the selected one and its plots.
 */
export function TableResults() {
  const { current, iterations } = useExperimentStore(useShallow((s) => ({ current: s.current, iterations: s.iterations })));
  const t = useTabularStore(useShallow((s) => ({ facts: s.facts, selected: s.selected, diagnosis: s.diagnosis, look: s.look, lookBusy: s.lookBusy, running: s.running, review: s.review })));
  const history = useMemo(() => evaluationsOf(iterations), [iterations]);
  const best = useMemo(() => history.reduce<(typeof history)[number] | null>((b, e) => (b === null || isBetter(e, b) ? e : b), null), [history]);

  if (!current || current.domain !== 'tabular') {
    if (t.review) return <TableReviewPanel />;
    return (
      <section className="panel" aria-label="Results">
        <h2>Synthetic tables</h2>
        <p className="panel__note">
          Drop a CSV (or pick an example) on the left. You review its columns and constraints here, choose the gates, and the optimizer searches the generators’ settings (jitter, Gaussian copula, a
          small VAE) until a synthetic table passes every gate. Each evaluation then appears here with its diagnosis and its plots.
        </p>
      </section>
    );
  }

  const selected = history.find((e) => e.index === t.selected) ?? best;
  const diagnosis = selected && t.diagnosis?.experimentId === current.id && t.diagnosis.index === selected.index ? t.diagnosis.failures : null;
  const look = selected && t.look?.experimentId === current.id && t.look.index === selected.index ? t.look.data : null;
  return (
    <div className="results">
      <section className="panel" aria-label="Evaluations of the calibration">
        <div className="results-head">
          <h2>Evaluations</h2>
          {best && <span className={`badge${best.gates.all_green ? ' badge--ok' : ''}`}>{best.gates.all_green ? `all green at evaluation ${best.index}` : 'not all green yet'}</span>}
        </div>
        {history.length === 0 ? (
          <p className="panel__note">{t.running ? 'The first evaluation is being made…' : 'No evaluation yet: Optimize starts the search.'}</p>
        ) : (
          <EvaluationsTable evaluations={history} best={best} facts={t.facts} selected={selected?.index ?? null} onSelect={(index) => void useTabularStore.getState().select(index)} />
        )}
      </section>
      {selected && (
        <DiagnosisCard
          evaluation={selected}
          failures={diagnosis}
          running={t.running}
          onRun={(f) => f.suggested && void useTabularStore.getState().runSuggestion(f.suggested.params, `suggestion for ${f.type} of evaluation ${selected.index}: ${describeSettings(f.suggested.params)}`)}
        />
      )}
      {selected && (look ? <TabularLook data={look} /> : <p className="panel__note">{t.lookBusy ? `Drawing evaluation ${selected.index}…` : ''}</p>)}
    </div>
  );
}
