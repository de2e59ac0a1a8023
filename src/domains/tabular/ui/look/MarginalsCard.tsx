import { useId, useMemo, useState } from 'react';
import { ChartFrame, PlotlyChart } from '../../../../ui/plots';
import type { Marginal } from '../../views';
import { marginalFigure, marginalSummary, type MarginalView } from './marginalFigure';

const VIEWS: ReadonlyArray<{ view: MarginalView; label: string }> = [
  { view: 'histogram', label: 'Histogram' },
  { view: 'ecdf', label: 'ECDF' },
];

/** One column at a time: real (train), holdout and synthetic overlaid, as a histogram or an ECDF (numbers) or shares per category. */
export function MarginalsCard({ marginals }: { marginals: readonly Marginal[] }) {
  const [column, setColumn] = useState(marginals[0]?.column ?? '');
  const [view, setView] = useState<MarginalView>('histogram');
  const selectId = useId();
  const marginal = marginals.find((m) => m.column === column) ?? marginals[0];
  const figure = useMemo(() => (marginal ? marginalFigure(marginal, view) : null), [marginal, view]);
  const categorical = marginal?.kind === 'categorical';

  const controls = (
    <>
      <span className="viz-select">
        <label htmlFor={selectId}>Column</label>
        <select id={selectId} value={marginal?.column ?? ''} onChange={(e) => setColumn(e.target.value)} disabled={marginals.length === 0}>
          {marginals.map((m) => (
            <option key={m.column} value={m.column}>
              {m.column} ({m.kind === 'numeric' ? (m.integer ? 'whole numbers' : 'numbers') : 'categories'})
            </option>
          ))}
        </select>
      </span>
      <span className="look-toggle" role="group" aria-label="Plot as">
        {VIEWS.map((v) => (
          <button
            key={v.view}
            type="button"
            className="button button--small look-toggle__button"
            aria-pressed={!categorical && view === v.view}
            disabled={categorical}
            onClick={() => setView(v.view)}
          >
            {v.label}
          </button>
        ))}
        {categorical && <span className="look-toggle__note">categories: shares per category</span>}
      </span>
    </>
  );

  return (
    <ChartFrame title="Marginals" summary={marginal ? marginalSummary(marginal) : 'The table has no columns to compare.'} controls={controls} chartId="tabular-marginals">
      {(summaryId) =>
        figure && marginal ? (
          <PlotlyChart
            data={figure.data}
            layout={figure.layout}
            height={300}
            ariaLabel={`${marginal.column}: ${categorical ? 'shares per category' : view === 'ecdf' ? 'empirical CDF' : 'histogram'} of real (train), holdout and synthetic`}
            describedBy={summaryId}
          />
        ) : null
      }
    </ChartFrame>
  );
}
