import { useMemo } from 'react';
import { ChartFrame, PlotlyChart } from '../../../../ui/plots';
import type { DcrDistributions } from '../../views';
import { dcrFigure, dcrSummary } from './dcrFigure';

/** Distances to the closest train row: synthetic rows against holdout rows, and the attack's AUC in words. */
export function DcrCard({ dcr }: { dcr: DcrDistributions }) {
  const figure = useMemo(() => dcrFigure(dcr), [dcr]);
  return (
    <ChartFrame title="Distance to closest record" summary={dcrSummary(dcr)} chartId="tabular-dcr">
      {(summaryId) => (
        <PlotlyChart data={figure.data} layout={figure.layout} height={260} ariaLabel="Distance to the closest train row: synthetic and holdout rows" describedBy={summaryId} />
      )}
    </ChartFrame>
  );
}
