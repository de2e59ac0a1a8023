import { useMemo } from 'react';
import { ChartFrame, PlotlyChart } from '../../../../ui/plots';
import type { UtilityPrivacy } from '../../views';
import { tradeoffFigure, tradeoffSummary } from './tradeoffFigure';

/** Every evaluation's utility against its membership-inference AUC, with the feasible front and the selected one. */
export function UtilityPrivacyCard({ tradeoff }: { tradeoff: UtilityPrivacy }) {
  const figure = useMemo(() => tradeoffFigure(tradeoff), [tradeoff]);
  return (
    <ChartFrame title="Utility vs privacy" summary={tradeoffSummary(tradeoff)} chartId="tabular-utility-privacy">
      {(summaryId) => <PlotlyChart data={figure.data} layout={figure.layout} height={260} ariaLabel="Utility against MIA AUC for every evaluation" describedBy={summaryId} />}
    </ChartFrame>
  );
}
