import type { KeyboardEvent } from 'react';
import type { CalibrationFacts } from '../workbench';
import type { Evaluation } from '../loop/evaluation';
import { describeSettings } from '../loop/settingsSpace';
import { formatMetric, gateOpText, METRIC_LABELS } from './labels';

interface EvaluationsTableProps {
  evaluations: readonly Evaluation[];
  best: Evaluation | null;
  facts: CalibrationFacts | null;
  selected: number | null;
  onSelect(index: number): void;
}

/**
 * Every evaluation as a row: where its settings came from, the generator and settings, the utility, each
 * gate's value against its threshold (green or red, the holdout floor under it) and whether all are
 * green. The best evaluation is pinned above the rest; a row's button selects it for the diagnosis, the
 * plots and the export. Arrow Up/Down (Home, End) move between the rows' buttons and select the row.
 */
export function EvaluationsTable({ evaluations, best, facts, selected, onSelect }: EvaluationsTableProps) {
  const gates = evaluations[0]?.gates.gates ?? [];
  const row = (e: Evaluation, pinned: boolean) => (
    <tr key={`${pinned ? 'best' : 'row'}-${e.index}`} className={`tabular-eval${e.index === selected ? ' tabular-eval--selected' : ''}${pinned ? ' tabular-eval--pinned' : ''}`}>
      <th scope="row">
        <button type="button" className="button button--small" aria-pressed={e.index === selected} aria-label={`${pinned ? 'Best: ' : ''}evaluation ${e.index}`} onClick={() => onSelect(e.index)}>
          {pinned ? `★ ${e.index}` : e.index}
        </button>
      </th>
      <td className="tabular-eval__origin">{e.origin}</td>
      <td className="tabular-eval__settings" title={describeSettings(e.params)}>
        {describeSettings(e.params)}
      </td>
      <td className="tabular-num">{formatMetric(e.utility)}</td>
      {e.gates.gates.map((g) => (
        <td key={g.metric} className={`tabular-num tabular-gate tabular-gate--${g.pass === null ? 'na' : g.pass ? 'pass' : 'fail'}`} title={`${g.metric} ${gateOpText(g.op)} ${g.threshold}: ${g.pass === null ? 'does not apply' : g.pass ? 'passes' : 'fails'}`}>
          {formatMetric(g.value)}
        </td>
      ))}
      <td className={`tabular-green tabular-green--${e.gates.all_green ? 'yes' : 'no'}`}>{e.gates.all_green ? 'yes' : 'no'}</td>
    </tr>
  );
  return (
    <div className="tabular-evals-wrap">
      <table className="tabular-evals" aria-label="Evaluations" onKeyDown={moveBetweenRows}>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">from</th>
            <th scope="col">generator and settings</th>
            <th scope="col" className="tabular-num" title="mean of the fidelity complements (higher is better)">
              utility
            </th>
            {gates.map((g) => (
              <th key={g.metric} scope="col" className="tabular-num" title={g.metric}>
                {METRIC_LABELS[g.metric] ?? g.metric}
                <span className="tabular-gate__rule">
                  {gateOpText(g.op)} {g.threshold}
                </span>
              </th>
            ))}
            <th scope="col">all green</th>
          </tr>
          {facts && (
            <tr className="tabular-floor">
              <th scope="row" colSpan={3}>
                holdout floor (a perfect generator)
              </th>
              <td className="tabular-num">{formatMetric(facts.floorUtility)}</td>
              {gates.map((g) => (
                <td key={g.metric} className="tabular-num">
                  {formatMetric(facts.floor[g.metric])}
                </td>
              ))}
              <td />
            </tr>
          )}
        </thead>
        <tbody>
          {best && row(best, true)}
          {[...evaluations].reverse().map((e) => row(e, false))}
        </tbody>
      </table>
    </div>
  );
}

/** The row buttons of the table, in the order shown. */
function rowButtons(table: HTMLTableElement): HTMLButtonElement[] {
  return [...table.querySelectorAll<HTMLButtonElement>('tbody th button')];
}

/** Arrow keys within the evaluations: focus the neighbouring row's button and select it (a click). */
function moveBetweenRows(event: KeyboardEvent<HTMLTableElement>): void {
  const buttons = rowButtons(event.currentTarget);
  const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
  if (at < 0) return;
  const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: buttons.length - 1 }[event.key];
  if (to === undefined || to < 0 || to >= buttons.length || to === at) return;
  event.preventDefault();
  buttons[to].focus();
  buttons[to].click();
}
