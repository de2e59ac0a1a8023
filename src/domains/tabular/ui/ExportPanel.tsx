import { useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { evaluationsOf } from '../../../app/tabularService';
import { useExperimentStore } from '../../../state/experimentStore';
import { useTabularStore } from '../../../state/tabularStore';
import { downloadFile } from '../../../ui/common/download';
import { SPREADSHEET_SAFETY_NOTE } from '../csv/spreadsheetSafe';
import type { TabularConfig } from '../domain';
import { reportJson } from '../loop/report';

/**
 * Export of an open table calibration: the selected evaluation's synthetic table (as many rows as
 * asked, made again with its settings; optionally escaped for spreadsheets), the report as JSON or HTML,
 * the constraints YAML, and the whole calibration as the shared experiment ZIP (the Experiments panel's
 * Export ZIP: the table, every evaluation, and these files under domain/), which Import ZIP reads back.
 */
export function ExportPanel() {
  const { current, iterations, exporting } = useExperimentStore(useShallow((s) => ({ current: s.current, iterations: s.iterations, exporting: s.archive !== null })));
  const t = useTabularStore(useShallow((s) => ({ selected: s.selected, busy: s.busy, running: s.running, facts: s.facts })));
  const history = useMemo(() => evaluationsOf(iterations), [iterations]);
  const [rows, setRows] = useState<number | null>(null);
  const [safe, setSafe] = useState(false);
  if (!current || current.domain !== 'tabular' || history.length === 0) return null;
  const config = current.config as TabularConfig;
  const stem = current.name.replace(/[^A-Za-z0-9_-]+/g, '_');
  const index = t.selected ?? history[history.length - 1].index;
  const evaluated = t.facts?.rows.synthetic ?? config.synthetic_rows ?? (current.target.kind === 'user' ? current.target.imageCount : 0);
  const count = rows ?? evaluated;
  const { syntheticCsv, report } = useTabularStore.getState();
  const busy = t.busy !== null;

  return (
    <section className="panel" aria-label="Export">
      <h2>Export</h2>
      <p className="panel__note">Evaluation {index} (select another in the table of evaluations).</p>
      <div className="study-settings">
        <label className="study-field">
          <span>Rows to write</span>
          <input type="number" min={1} max={1_000_000} value={count || ''} onChange={(e) => setRows(e.target.value === '' ? null : Math.max(1, Math.min(1_000_000, Math.round(Number(e.target.value) || 1))))} />
        </label>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={safe} onChange={(e) => setSafe(e.target.checked)} />
        <span>Safe to open in a spreadsheet</span>
      </label>
      <p className="tabular-gates-note">{SPREADSHEET_SAFETY_NOTE}</p>
      {count !== evaluated && <p className="tabular-gates-note">{`The table is made again with evaluation ${index}'s settings and seed; its metrics were measured on ${evaluated} rows.`}</p>}
      <div className="button-row">
        <DownloadButton
          label="Synthetic CSV"
          disabled={busy}
          make={async () => {
            const csv = await syntheticCsv(index, count, safe);
            return csv === null ? null : { name: `${stem}_evaluation_${index}_synthetic.csv`, text: csv, type: 'text/csv' };
          }}
        />
        <DownloadButton
          label="Report (JSON)"
          disabled={busy}
          make={async () => {
            const r = await report();
            return r ? { name: `${stem}_report.json`, text: reportJson(r.json), type: 'application/json' } : null;
          }}
        />
        <DownloadButton
          label="Report (HTML)"
          disabled={busy}
          make={async () => {
            const r = await report();
            return r ? { name: `${stem}_report.html`, text: r.html, type: 'text/html' } : null;
          }}
        />
        <button type="button" className="button button--small" disabled={busy || config.constraints.trim() === ''} onClick={() => downloadFile(`${stem}_constraints.yaml`, config.constraints, 'application/yaml')}>
          Constraints YAML
        </button>
        <button type="button" className="button button--small" disabled={busy || t.running || exporting} onClick={() => void useExperimentStore.getState().exportZip()}>
          Experiment ZIP
        </button>
      </div>
      {t.busy && (
        <p className="panel__note" role="status">
          {t.busy}
        </p>
      )}
    </section>
  );
}

/** A button that makes a file (null: nothing to save, the store says why) and downloads it. */
function DownloadButton({ label, disabled, make }: { label: string; disabled: boolean; make: () => Promise<{ name: string; text: string; type: string } | null> }) {
  return (
    <button
      type="button"
      className="button button--small"
      disabled={disabled}
      onClick={async () => {
        const file = await make();
        if (file) downloadFile(file.name, file.text, file.type);
      }}
    >
      {label}
    </button>
  );
}
