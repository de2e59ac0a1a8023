import { useEffect, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { evaluationsOf } from '../../../app/tabularService';
import { useExperimentStore } from '../../../state/experimentStore';
import { useTabularStore } from '../../../state/tabularStore';
import { ProgressBar } from '../../../ui/common/ProgressBar';
import type { TabularConfig } from '../domain';
import { isBetter } from '../loop/selection';
import { GENERATOR_NAMES } from '../generators/names';
import { GENERATOR_LABELS, PRESET_LABELS, STRATEGY_LABELS } from './labels';

/**
 * The sidebar of an open table calibration: what it is, how far it got, Optimize (which resumes from the
 * last stored evaluation) and Stop, and the best evaluation so far. A calibration that was running when
 * the tab closed resumes when it is opened again.
 */
export function CalibrationPanel() {
  const { current, iterations } = useExperimentStore(useShallow((s) => ({ current: s.current, iterations: s.iterations })));
  const startNew = useExperimentStore((s) => s.startNew);
  const t = useTabularStore(useShallow((s) => ({ running: s.running, progress: s.progress, training: s.training, message: s.message, facts: s.facts })));
  const { optimize, stop, openCurrent, dismiss } = useTabularStore.getState();
  const history = useMemo(() => evaluationsOf(iterations), [iterations]);
  const id = current?.domain === 'tabular' ? current.id : null;
  const interrupted = current?.status === 'running';

  useEffect(() => {
    if (!id) return;
    void openCurrent();
    // A calibration that was running when its tab closed carries on (after the old tab's lock is gone).
    if (interrupted && !useTabularStore.getState().running) void optimize({ resume: true });
    // Only on opening another calibration: a status change of this one is the run's own.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id]);

  if (!current || current.domain !== 'tabular') return null;
  const config = current.config as TabularConfig;
  const best = history.reduce<(typeof history)[number] | null>((b, e) => (b === null || isBetter(e, b) ? e : b), null);
  const done = history.length >= config.budget || current.status === 'finished';

  return (
    <section className="panel" aria-label="Table calibration">
      <h2>{current.name}</h2>
      <dl className="study-status">
        <dt>Table</dt>
        <dd>
          {config.table_file}
          {t.facts ? ` · ${t.facts.rows.train} train / ${t.facts.rows.holdout} holdout rows · ${t.facts.rows.synthetic} synthetic per evaluation` : ''}
        </dd>
        <dt>Gates</dt>
        <dd>{PRESET_LABELS[config.gates]}</dd>
        <dt>Generators</dt>
        <dd>{(config.generators ?? GENERATOR_NAMES).map((g) => GENERATOR_LABELS[g].name).join(', ')}</dd>
        <dt>Search</dt>
        <dd>
          {STRATEGY_LABELS[config.strategy]}, {history.length} of {config.budget} evaluations
        </dd>
        <dt>Best</dt>
        <dd>{best ? `evaluation ${best.index} (${best.generator}): ${best.gates.all_green ? 'all green' : `${best.passed} of ${best.applicable} gates pass`}` : 'none yet'}</dd>
      </dl>
      {t.running && t.progress && <ProgressBar label="Evaluations" done={t.progress.done} total={t.progress.total} />}
      {t.running && t.training && <ProgressBar label="Training the VAE (passes over train)" done={t.training.done} total={t.training.total} />}
      <div className="run-buttons tabular-run-buttons">
        <button type="button" className="button button--primary" disabled={t.running || done} onClick={() => void optimize()}>
          {history.length > 0 && !done ? 'Resume' : 'Optimize'}
        </button>
        <button type="button" className="button" disabled={t.running || done} title="One evaluation, then stop" onClick={() => void optimize({ limit: 1 })}>
          Step
        </button>
        <button type="button" className="button" disabled={!t.running} onClick={stop}>
          Stop
        </button>
      </div>
      {current.statusDetail && !t.running && <p className="panel__note">{current.statusDetail}</p>}
      {t.message && (
        <div className={t.message.kind === 'error' ? 'messages' : 'notice'} role={t.message.kind === 'error' ? 'alert' : 'status'}>
          {t.message.text}
          {t.message.kind === 'error' && (
            <button type="button" className="button button--small button--ghost" aria-label="Dismiss the error" onClick={dismiss}>
              ×
            </button>
          )}
        </div>
      )}
      <button type="button" className="button button--small study-new" disabled={t.running} onClick={() => startNew('tabular')}>
        New table calibration
      </button>
    </section>
  );
}
