import { useMemo } from 'react';
import { ChartFrame, PlotlyChart } from '../../../../ui/plots';
import type { RowMapPoints } from '../../views';
import { rowMapFigure, rowMapSummary } from './rowMapFigure';

/**
 * The rows on the calibration's fixed map. Drawn with the shared PlotlyChart rather than LatentMap:
 * LatentMap's groups, legend, slider and hover card are those of image samples (real / close / far,
 * optimizer iterations, thumbnails), and train, holdout and synthetic rows fit none of them.
 */
export function RowMapCard({ map }: { map: RowMapPoints }) {
  const figure = useMemo(() => rowMapFigure(map), [map]);
  return (
    <ChartFrame title="Map of rows" summary={rowMapSummary(map)} chartId="tabular-row-map">
      {(summaryId) => (
        <PlotlyChart
          data={figure.data}
          layout={figure.layout}
          height={420}
          markersOnCanvas
          ariaLabel={`Map of rows: ${map.axisLabels[0]} against ${map.axisLabels[1]}`}
          describedBy={summaryId}
        />
      )}
    </ChartFrame>
  );
}
