import { useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ParamSetRecord } from '../../../engine/experiment/records';
import { proposalsCsv, proposalsJson } from '../../../storage/formats/proposals';
import { useExperimentStore } from '../../../state/experimentStore';
import { resultFiles, useStudyStore } from '../../../state/studyStore';
import { downloadFile } from '../../../ui/common/download';
import { FileDropZone } from '../../../ui/common/FileDropZone';
import { importedDomain, type ImportedConfig } from '../domain';
import { StudyMessages } from './StudyMessages';

const fmt = (x: number) => (Math.abs(x) >= 1e-3 || x === 0 ? x.toFixed(4) : x.toExponential(2));

/**
 * The ask/tell loop of an open study: where it stands, "Propose" (the sets are stored as pending at
 * once, so a reload or another tab never loses them), the pending sets to download (CSV or JSON) or
 * abandon, and the upload of their results (a samples table with its embeddings, or one JSON).
 */
export function StudyPanel() {
  const { current, iterations } = useExperimentStore(useShallow((s) => ({ current: s.current, iterations: s.iterations })));
  const startNew = useExperimentStore((s) => s.startNew);
  const study = useStudyStore();
  const [count, setCount] = useState<number | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const space = useMemo(() => (current ? importedDomain.space(current.config) : null), [current]);
  const pending = useMemo(() => iterations.flatMap((it) => it.paramSets).filter((p) => p.pending && !p.abandoned), [iterations]);
  const told = useMemo(() => iterations.flatMap((it) => it.paramSets).some((p) => p.dataset_type !== 'real' && !p.pending && !p.abandoned), [iterations]);
  const refreshStatus = study.refreshStatus;
  useEffect(() => void refreshStatus(), [current?.id, current?.updatedAt, refreshStatus]);
  if (!current || !space) return null;

  const status = study.status;
  const batch = current.config.iteration_batch_size;
  // The first ask proposes the initial design (its own size); every later one a batch.
  const designed = iterations.some((it) => it.paramSets.some((p) => p.origin === 'initial'));
  const n = count ?? (told || designed ? batch : ((current.config as ImportedConfig).initial_design ?? 2 * batch));
  const busy = study.busy !== null;
  const chosen = pending.filter((p) => selected.has(p.param_set_id));
  const stem = current.name.replace(/[^A-Za-z0-9_-]+/g, '_');
  const download = (format: 'csv' | 'json') => {
    const sets = pending.map((p) => ({ param_set_id: p.param_set_id, params: p.params }));
    if (format === 'csv') downloadFile(`${stem}_pending.csv`, proposalsCsv(space, sets), 'text/csv');
    else downloadFile(`${stem}_pending.json`, proposalsJson(sets), 'application/json');
  };

  return (
    <section className="panel" aria-label="Ask and tell">
      <h2>Ask / tell</h2>
      {status && (
        <dl className="study-status">
          <dt>Observations</dt>
          <dd>
            {status.observations} scored sets · {status.samples} samples · {status.iterations} iteration{status.iterations === 1 ? '' : 's'}
          </dd>
          <dt>Best</dt>
          <dd>{status.best ? `${status.best.param_set_id}: MMD² ${fmt(status.best.score)}` : 'none yet'}</dd>
          <dt>Noise floor</dt>
          <dd>{status.noise_floor ? `mean ${fmt(status.noise_floor.mean)}, high ${fmt(status.noise_floor.high)}` : 'fixed with the map, at the first model-based proposal'}</dd>
          {status.statement && (
            <>
              <dt>Confirmation</dt>
              <dd className="study-statement">{status.statement}</dd>
            </>
          )}
        </dl>
      )}
      {status?.confirming && (
        <p className="notice" role="status">
          {status.confirming.param_set_id} confirms the best set: evaluate it {status.confirming.samples} times and upload the results; they are tested against the real set.
        </p>
      )}
      <div className="study-ask">
        <label className="study-field">
          <span>Sets</span>
          <input type="number" min={1} max={256} value={n} aria-label="Sets to propose" onChange={(e) => setCount(Math.max(1, Math.min(256, Math.round(Number(e.target.value) || 1))))} />
        </label>
        <button type="button" className="button button--primary" disabled={busy} onClick={() => void study.ask(n)}>
          {study.busy === 'Proposing…' ? 'Proposing…' : told ? 'Propose next batch' : 'Propose initial design'}
        </button>
      </div>
      {busy && (
        <div className="progress" role="status" aria-label={study.busy!}>
          <div className="progress__row">{study.busy}</div>
          <progress />
        </div>
      )}

      <h3 className="study-subhead">Awaiting evaluation ({pending.length})</h3>
      {pending.length === 0 ? (
        <p className="panel__note">No pending sets. Propose a batch, or upload results of sets of your own (they join as attached observations).</p>
      ) : (
        <>
          <PendingTable sets={pending} names={space.parameters.map((p) => p.name)} selected={selected} onSelect={setSelected} />
          <div className="button-row">
            <button type="button" className="button button--small" onClick={() => download('csv')}>
              Download CSV
            </button>
            <button type="button" className="button button--small" onClick={() => download('json')}>
              Download JSON
            </button>
            <button type="button" className="button button--small button--danger" disabled={busy || chosen.length === 0} onClick={() => void study.abandon(chosen.map((p) => p.param_set_id)).then(() => setSelected(new Set()))}>
              Abandon selected
            </button>
          </div>
        </>
      )}

      <h3 className="study-subhead">Results</h3>
      <FileDropZone
        label="Result files"
        accept=".csv,.npy,.json"
        what="results"
        disabled={busy}
        hint={<>A samples .csv (sample_id, param_set_id, {space.parameters.map((p) => p.name).join(', ')}) with its embeddings (.npy, .csv or .json), or one results .json</>}
        onFiles={(files) => void resultFiles(files).then(study.tell)}
      />
      <StudyMessages />
      <button type="button" className="button button--ghost button--small study-new" disabled={busy} onClick={() => startNew(importedDomain.id)}>
        New study
      </button>
    </section>
  );
}

/** The pending sets with their parameters, each selectable for abandoning. */
function PendingTable({ sets, names, selected, onSelect }: { sets: readonly ParamSetRecord[]; names: readonly string[]; selected: ReadonlySet<string>; onSelect(s: ReadonlySet<string>): void }) {
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onSelect(next);
  };
  return (
    <div className="study-table-wrap">
      <table className="study-table" aria-label="Pending parameter sets">
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Select</span>
            </th>
            <th scope="col">set</th>
            {names.map((n) => (
              <th scope="col" key={n}>
                {n}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sets.map((p) => (
            <tr key={p.param_set_id}>
              <td>
                <input type="checkbox" aria-label={`Select ${p.param_set_id}`} checked={selected.has(p.param_set_id)} onChange={() => toggle(p.param_set_id)} />
              </td>
              <th scope="row">{p.param_set_id}</th>
              {names.map((n) => (
                <td key={n}>{formatValue(p.params[n])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function formatValue(v: number | string | undefined): string {
  if (typeof v !== 'number') return v ?? '';
  return Number.isInteger(v) ? String(v) : v.toPrecision(4);
}
