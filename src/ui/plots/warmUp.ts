import type { Data, Layout } from 'plotly.js-dist-min';
import type { ParameterSpace } from '../../engine/space/space';
import { distanceFigure, shareFigure, similarityFigure, type ConvergenceFloors, type ConvergenceRow } from './ConvergencePlot';
import { latentMapFigure } from './LatentMap';
import { evolutionFigure, evolutionRows } from './ParameterEvolution';
import { relevanceFigure } from './ParameterRelevance';
import { loadPlotly } from './plotly';
import type { LatentPoint } from './types';
import { axis, BASE_CONFIG, baseLayout } from './theme';

/**
 * The page's own figures (the same builders the charts use) on a few made-up numbers, and a markers-only
 * scatter first (the drawing code every kind shares).
 */
function figures(): Array<{ data: Data[]; layout: Partial<Layout>; height: number }> {
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
  const rows: ConvergenceRow[] = [
    { iteration: 0, batchScore: 0.4, bestPosteriorMean: 0.3, bestPosteriorStd: 0.05, nearestMean: 1.2, nearestMedian: 1.1, epsilonShare: 0 },
    { iteration: 1, batchScore: 0.1, bestPosteriorMean: 0.05, bestPosteriorStd: 0.02, nearestMean: 0.7, nearestMedian: 0.6, epsilonShare: 0.3 },
  ];
  const band = { low: -0.02, high: 0.04, mean: 0.01 };
  const floors: ConvergenceFloors = { batch: band, parameterSet: band, epsilonShare: { low: 0.2, high: 0.6, mean: 0.4 }, epsilon: 0.4 };
  const space: ParameterSpace = {
    parameters: [
      { kind: 'categorical', name: 'void_shape', choices: ['circle', 'ellipse'] },
      { kind: 'continuous', name: 'base_size', low: 5, high: 40 },
    ],
  };
  const sets = [{ void_shape: 'circle', base_size: 10 }, { void_shape: 'ellipse', base_size: 20 }];
  return [
    { data: [{ type: 'scatter', mode: 'markers', x: [0, 1, 2], y: [1, 0, 2], hoverinfo: 'none' } as Data], layout: { xaxis: axis('x', { range: [-1, 3], autorange: false }), yaxis: axis('y') }, height: 200 },
    // The map's plotly.js part: its axes (its points are drawn on a canvas).
    { data: [], layout: latentMapFigure(points, 's2', ['PC1', 'PC2'], { x: [-1.2, 1.2], y: [-1.2, 1.2] }).layout, height: 520 },
    { ...similarityFigure(rows, floors, 0.05, 'symlog', 'MMD²'), height: 350 },
    { ...distanceFigure(rows, floors), height: 250 },
    { ...shareFigure(rows, floors), height: 250 },
    { ...evolutionFigure(evolutionRows(space), [{ iteration: 1, sets }], sets[0], sets), height: 220 },
    { ...relevanceFigure([{ name: 'base_size', lengthscale: 0.5, relevance: 1 }, { name: 'void_shape', lengthscale: 2, relevance: 0.25 }]), height: 200 },
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
    for (const [k, figure] of figures().entries()) {
      await nextIdle();
      const t0 = performance.now();
      const div = document.createElement('div');
      div.setAttribute('aria-hidden', 'true');
      div.style.cssText = 'position:fixed;left:-10000px;top:0;width:640px;visibility:hidden;pointer-events:none;contain:strict;height:' + figure.height + 'px';
      document.body.appendChild(div);
      try {
        await plotly.newPlot(div, figure.data, { ...baseLayout(), ...figure.layout, showlegend: false, height: figure.height, width: 640 }, BASE_CONFIG);
      } finally {
        plotly.purge(div);
        div.remove();
        performance.measure(`warm-up ${k}`, { start: t0, end: performance.now() });
      }
    }
  })().catch((e: unknown) => console.warn('plotly.js warm-up stopped:', e));
  return warmed;
}
