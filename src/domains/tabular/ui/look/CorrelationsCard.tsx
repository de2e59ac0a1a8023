import { useMemo } from 'react';
import { ChartFrame, PlotlyChart } from '../../../../ui/plots';
import type { CorrelationMatrices } from '../../views';
import { correlationFigure, correlationSummary } from './correlationFigure';

/** Train's and the synthetic table's correlation matrices side by side, and their difference. */
export function CorrelationsCard({ correlations }: { correlations: CorrelationMatrices }) {
  const figure = useMemo(() => (correlations.columns.length >= 2 ? correlationFigure(correlations) : null), [correlations]);
  return (
    <ChartFrame title="Correlations" summary={correlationSummary(correlations)} chartId="tabular-correlations">
      {(summaryId) =>
        figure ? (
          <PlotlyChart
            data={figure.data}
            layout={figure.layout}
            height={figure.height}
            legend="none"
            ariaLabel="Correlation heatmaps: real (train), synthetic, and their difference"
            describedBy={summaryId}
          />
        ) : null
      }
    </ChartFrame>
  );
}
