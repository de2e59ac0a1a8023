import { useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useExperimentStore, withoutProgress } from '../../state/experimentStore';

const MB = 1024 * 1024;

/** Stored experiments: open, rename, duplicate the config, delete (with confirmation); storage use; ZIP. */
export function ExperimentsPanel() {
  // Everything but the progress ticks (those re-render the progress view alone).
  const exp = useExperimentStore(useShallow(withoutProgress));
  const [editing, setEditing] = useState<string | null>(null);
  const [draft, setDraft] = useState('');
  const [confirming, setConfirming] = useState<string | null>(null);
  const zipInput = useRef<HTMLInputElement>(null);
  const busy = exp.run !== 'idle';
  return (
    <section className="panel">
      <h2>Experiments</h2>
      {exp.experiments.length === 0 && <p className="panel__note">None yet: “Run iteration 0”, “Create study” or a table’s “Optimize” makes one. Everything is stored in this browser, and Import ZIP opens an exported one.</p>}
      <ul className="experiments" aria-label="Stored experiments">
        {exp.experiments.map((e) => (
          <li key={e.id} className={e.id === exp.current?.id ? 'experiments__item experiments__item--current' : 'experiments__item'}>
            {editing === e.id ? (
              <form
                onSubmit={(ev) => {
                  ev.preventDefault();
                  void exp.rename(e.id, draft.trim() || e.name);
                  setEditing(null);
                }}
              >
                <input aria-label="Experiment name" value={draft} onChange={(ev) => setDraft(ev.target.value)} autoFocus />
                <button type="submit" className="button button--small">
                  Save
                </button>
              </form>
            ) : (
              <button type="button" className="experiments__open" disabled={busy} onClick={() => void exp.open(e.id)} aria-current={e.id === exp.current?.id}>
                <span className="experiments__name">{e.name}</span>
                <span className="experiments__meta">
                  {e.status}
                  {e.convergence?.converged ? ` (${e.convergence.reason})` : ''}
                </span>
              </button>
            )}
            <div className="experiments__actions">
              <button type="button" className="button button--small button--ghost" aria-label={`Rename ${e.name}`} onClick={() => (setEditing(e.id), setDraft(e.name))}>
                Rename
              </button>
              <button type="button" className="button button--small button--ghost" aria-label={`Duplicate the config of ${e.name}`} disabled={busy} onClick={() => void exp.duplicate(e.id)}>
                Duplicate
              </button>
              {confirming === e.id ? (
                <span role="alertdialog" aria-label={`Delete ${e.name}?`} className="experiments__confirm">
                  Delete all its data?
                  <button type="button" className="button button--small button--danger" onClick={() => (void exp.remove(e.id), setConfirming(null))}>
                    Delete
                  </button>
                  <button type="button" className="button button--small" onClick={() => setConfirming(null)}>
                    Keep
                  </button>
                </span>
              ) : (
                <button type="button" className="button button--small button--ghost" aria-label={`Delete ${e.name}`} disabled={busy && e.id === exp.current?.id} onClick={() => setConfirming(e.id)}>
                  Delete
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
      <div className="button-row">
        <button type="button" className="button button--small" disabled={!exp.current || busy || exp.archive !== null} onClick={() => void exp.exportZip()}>
          Export ZIP
        </button>
        <button type="button" className="button button--small" disabled={busy || exp.archive !== null} onClick={() => zipInput.current?.click()}>
          Import ZIP
        </button>
        <input
          ref={zipInput}
          type="file"
          className="visually-hidden"
          tabIndex={-1}
          aria-label="Experiment ZIP file"
          accept=".zip,application/zip"
          onChange={(ev) => {
            const file = ev.target.files?.[0];
            ev.target.value = '';
            if (file) void exp.importZip(file);
          }}
        />
      </div>
      {exp.archive && (
        <div role="status" className="panel__note">
          {exp.archive.label}: {exp.archive.done} / {exp.archive.total}
          <progress max={Math.max(1, exp.archive.total)} value={exp.archive.done} aria-label={exp.archive.label} />
        </div>
      )}
      {exp.storage && (
        <p className="panel__note">
          Storage: {(exp.storage.usage / MB).toFixed(1)} MB used of {(exp.storage.quota / MB / 1024).toFixed(1)} GB
          {exp.storage.persisted ? ' (persistent)' : ' (the browser may evict it under pressure)'}
        </p>
      )}
    </section>
  );
}
