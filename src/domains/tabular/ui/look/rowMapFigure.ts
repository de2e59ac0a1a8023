import { axis } from '../../../../ui/plots/theme';
import type { MapCloud, RowMapPoints } from '../../views';
import { formatCount, TABLE_STYLE, type Figure, type TableKey, type Trace } from './figure';

function cloudName(key: TableKey, cloud: MapCloud): string {
  const { rows, of } = cloud.used;
  return `${TABLE_STYLE[key].name} (${rows < of ? `${formatCount(rows)} of ${formatCount(of)}` : formatCount(of)})`;
}

/**
 * The rows on the fixed map, drawn on the canvas over the axes (markersOnCanvas): train first, large and
 * translucent, the holdout as rings, the synthetic rows last as small dots — a synthetic row that
 * copies a real one shows as a blue dot inside an orange disc, and real rows still show around a dense
 * synthetic cloud.
 */
export function rowMapFigure(m: RowMapPoints): Figure {
  const style: Record<TableKey, Record<string, unknown>> = {
    train: { color: TABLE_STYLE.train.color, size: 9, symbol: 'circle', opacity: 0.45 },
    holdout: { color: TABLE_STYLE.holdout.color, size: 8, symbol: 'circle-open', line: { color: TABLE_STYLE.holdout.color, width: 1.3 } },
    synthetic: { color: TABLE_STYLE.synthetic.color, size: 4, symbol: 'circle', opacity: 0.8 },
  };
  const order: TableKey[] = ['train', 'holdout', 'synthetic'];
  const data = order.map(
    (key) =>
      ({
        type: 'scatter',
        mode: 'markers',
        name: cloudName(key, m.clouds[key]),
        uid: `row-map-${key}`,
        x: m.clouds[key].x,
        y: m.clouds[key].y,
        marker: style[key],
        hoverinfo: 'none',
        legendrank: key === 'train' ? 1 : key === 'holdout' ? 2 : 3,
      }) as Trace,
  );
  return {
    data,
    layout: {
      xaxis: axis(m.axisLabels[0], { range: m.ranges.x, autorange: false, zeroline: false }),
      yaxis: axis(m.axisLabels[1], { range: m.ranges.y, autorange: false, zeroline: false }),
      hovermode: false,
      dragmode: 'zoom',
      showlegend: true,
      legend: { orientation: 'h', groupclick: 'toggleitem' },
      margin: { l: 60, r: 12, t: 8, b: 50 },
      uirevision: `${m.ranges.x.join(',')}|${m.ranges.y.join(',')}`,
    } as Figure['layout'],
  };
}

export function rowMapSummary(m: RowMapPoints): string {
  const shown = (['train', 'holdout', 'synthetic'] as const).map((k) => cloudName(k, m.clouds[k])).join(', ');
  const sampled = (['train', 'holdout', 'synthetic'] as const).some((k) => m.clouds[k].used.rows < m.clouds[k].used.of);
  return (
    `Each row placed on a map fitted once on the real rows (numeric columns standardised by train, categories one-hot, the two principal components): ` +
    `a faithful synthetic table covers the real cloud without a cloud of its own. Shown: ${shown}${sampled ? ', larger tables by a seeded subsample' : ''}.`
  );
}
