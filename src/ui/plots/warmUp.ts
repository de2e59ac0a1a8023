import type { Data, Layout } from 'plotly.js-dist-min';
import { latentMapFigure } from './LatentMap';
import { loadPlotly } from './plotly';
import type { LatentPoint } from './types';
import { axis, BASE_CONFIG, baseLayout, COLORS, UNIT_COLORSCALE } from './theme';

/**
 * Small figures of each kind the page draws: the latent map's own figure on five points; markers; a
 * grouped legend; lines with a filled band, dashes and error bars; a heatmap with cell text; bars.
 */
function figures(): Array<{ data: Data[]; layout: Partial<Layout> }> {
  const xy = { x: [0, 1, 2], y: [1, 0, 2] };
  const point = (i: number, dataset_type: LatentPoint['dataset_type'], iteration: number, param_set_id: string): LatentPoint => ({
    sample_id: `warm_${i}`,
    iteration,
    dataset_type,
    param_set_id,
    params: {},
    x: Math.cos(i),
    y: Math.sin(i),
  });
  const points = [point(0, 'real', 0, 'r'), point(1, 'close', 0, 'c'), point(2, 'far', 0, 'f'), point(3, 'synthetic', 1, 's1'), point(4, 'synthetic', 2, 's2')];
  const map = latentMapFigure(points, 's2', ['PC1', 'PC2'], { x: [-1.2, 1.2], y: [-1.2, 1.2] });
  return [
    map,
    { data: [{ type: 'scatter', mode: 'markers', ...xy, hoverinfo: 'none' } as Data], layout: { xaxis: axis('x', { range: [-1, 3], autorange: false }), yaxis: axis('y') } },
    {
      data: [
        { type: 'scatter', mode: 'markers', ...xy, name: 'a', legendgroup: 'g', legendgrouptitle: { text: 'A' }, legendrank: 2, marker: { symbol: 'diamond', line: { color: '#fff', width: 1 } } },
        { type: 'scatter', mode: 'markers', ...xy, name: 'b', legendgroup: 'h', legendgrouptitle: { text: 'B' }, legendrank: 1, visible: 'legendonly', marker: { symbol: 'star-open', size: 20 } },
      ] as Data[],
      layout: { hovermode: 'closest', legend: { x: 1.02, xanchor: 'left', y: 1, groupclick: 'toggleitem', tracegroupgap: 10, itemsizing: 'constant' }, uirevision: 'w' } as Partial<Layout>,
    },
    {
      data: [
        { type: 'scatter', mode: 'lines', x: [0, 2, 2, 0, 0], y: [0, 0, 1, 1, 0], fill: 'toself', fillcolor: COLORS.floor, line: { width: 0 }, hoverinfo: 'skip' },
        { type: 'scatter', mode: 'lines', x: [0, 2], y: [0.5, 0.5], line: { dash: 'dash' }, showlegend: false },
        { type: 'scatter', mode: 'lines+markers', ...xy, text: ['a', 'b', 'c'], hovertemplate: '%{text}<extra></extra>', error_y: { type: 'data', symmetric: false, array: [0.1, 0.1, 0.1], arrayminus: [0.1, 0.1, 0.1] } },
      ] as Data[],
      layout: { xaxis: axis('it', { tickmode: 'array', tickvals: [0, 1, 2], ticktext: ['0<br>(a)', '1', '2'] }), yaxis: axis('v', { tickformat: '.0%' }), legend: { orientation: 'h', y: 1, yanchor: 'bottom' } } as Partial<Layout>,
    },
    {
      data: [
        { type: 'heatmap', x: ['a', 'b'], y: ['p', 'q'], z: [[0, 1], [0.5, null]], text: [['0', '1'], ['½', '']], texttemplate: '%{text}', colorscale: UNIT_COLORSCALE, zmin: 0, zmax: 1, xgap: 2, ygap: 2, colorbar: { title: { text: 't', side: 'right' }, thickness: 10 } },
        { type: 'heatmap', x: ['c'], y: ['p', 'q'], z: [[1], [0]], xaxis: 'x2', showscale: false },
      ] as Data[],
      layout: { xaxis: axis('', { domain: [0, 0.7], type: 'category' }), xaxis2: axis('', { domain: [0.75, 1], type: 'category', anchor: 'y' }), yaxis: axis('', { autorange: 'reversed', type: 'category' }) } as Partial<Layout>,
    },
    {
      data: [{ type: 'bar', orientation: 'h', x: [1, 0.4], y: ['p', 'q'], text: ['a', 'b'], textposition: 'auto', insidetextanchor: 'end', cliponaxis: false } as Data],
      layout: { xaxis: axis('r', { range: [0, 1.05] }), yaxis: axis('', { autorange: 'reversed' }), bargap: 0.3 } as Partial<Layout>,
    },
  ];
}

const nextIdle = () =>
  new Promise<void>((resolve) => {
    if (typeof window.requestIdleCallback === 'function') window.requestIdleCallback(() => resolve(), { timeout: 2000 });
    else setTimeout(resolve, 50);
  });

let warmed: Promise<void> | null = null;

/**
 * Runs plotly.js's drawing code once, on small hidden charts of each kind the page draws, one chart per
 * idle period after the page opens. V8 compiles a function on its first call, and plotly.js's first
 * draw of a kind compiles most of its drawing code: about 150–200 ms of the first map draw, which would
 * otherwise land in the middle of iteration 0. Best effort: a failure only means no warm-up.
 */
export function warmUpPlotly(): Promise<void> {
  warmed ??= (async () => {
    const plotly = await loadPlotly();
    for (const figure of figures()) {
      await nextIdle();
      const div = document.createElement('div');
      div.setAttribute('aria-hidden', 'true');
      div.style.cssText = 'position:fixed;left:-10000px;top:0;width:480px;height:300px;visibility:hidden;pointer-events:none';
      document.body.appendChild(div);
      try {
        await plotly.newPlot(div, figure.data, { ...baseLayout(), ...figure.layout, height: 300, width: 480 }, BASE_CONFIG);
      } finally {
        plotly.purge(div);
        div.remove();
      }
    }
  })().catch(() => undefined);
  return warmed;
}
