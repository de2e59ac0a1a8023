import { useEffect, useEffectEvent, useRef, useState, type CSSProperties } from 'react';
import type { Config, Data, Layout, PlotHoverEvent, PlotlyHTMLElement, PlotMouseEvent } from 'plotly.js-dist-min';
import { usePlotly } from './plotly';
import { BASE_CONFIG, baseLayout } from './theme';
import './plots.css';

export interface PlotlyChartProps {
  data: Data[];
  layout: Partial<Layout>;
  config?: Partial<Config>;
  /** Height of the drawing area in px (the width follows the container). */
  height: number;
  /** Accessible name of the drawing (the plot is exposed as one image; give a text summary beside it). */
  ariaLabel: string;
  /** id of the element that describes the drawing (a text summary). */
  describedBy?: string;
  className?: string;
  style?: CSSProperties;
  onHover?: (event: PlotHoverEvent, graph: PlotlyHTMLElement) => void;
  onUnhover?: (event: PlotMouseEvent) => void;
  onClick?: (event: PlotMouseEvent) => void;
}

type GraphDiv = PlotlyHTMLElement & HTMLDivElement;

/**
 * One plotly.js chart. plotly.js is loaded lazily (a small placeholder shows meanwhile); updates go
 * through Plotly.react (diffing, no full redraw), the chart follows its container's width through a
 * ResizeObserver, and it is purged on unmount. Pass memoised `data`/`layout`: every new object redraws.
 */
export function PlotlyChart({ data, layout, config, height, ariaLabel, describedBy, className, style, onHover, onUnhover, onClick }: PlotlyChartProps) {
  const { plotly, error } = usePlotly();
  const graphRef = useRef<HTMLDivElement>(null);
  const [drawn, setDrawn] = useState(0);
  const [drawError, setDrawError] = useState<string | null>(null);

  const hover = useEffectEvent((e: PlotHoverEvent) => onHover?.(e, graphRef.current as GraphDiv));
  const unhover = useEffectEvent((e: PlotMouseEvent) => onUnhover?.(e));
  const click = useEffectEvent((e: PlotMouseEvent) => onClick?.(e));

  // Mount/unmount: listeners once per graph div, purge at the end.
  useEffect(() => {
    const div = graphRef.current as GraphDiv | null;
    if (!plotly || !div) return;
    return () => {
      plotly.purge(div);
    };
  }, [plotly]);

  // Draw and update, each chart in a task of its own (not inside React's commit, where every chart of the
  // page would redraw in one long main-thread task when the run's records change).
  useEffect(() => {
    const div = graphRef.current as GraphDiv | null;
    if (!plotly || !div) return;
    let live = true;
    const fullLayout = { ...baseLayout(), ...layout, height, autosize: true } as Partial<Layout>;
    const draw = () =>
      plotly.react(div, data, fullLayout, { ...BASE_CONFIG, ...config }).then(
        (gd) => {
          if (!live) return;
          const graph = gd as GraphDiv & { __vizBound?: boolean };
          if (!graph.__vizBound) {
            graph.__vizBound = true;
            graph.on('plotly_hover', (e: PlotHoverEvent) => hover(e));
            graph.on('plotly_unhover', (e: PlotMouseEvent) => unhover(e));
            graph.on('plotly_click', (e: PlotMouseEvent) => click(e));
          }
          setDrawError(null);
          setDrawn((n) => n + 1);
        },
        (e: unknown) => live && setDrawError(e instanceof Error ? e.message : String(e)),
      );
    const timer = setTimeout(draw, 0);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [plotly, data, layout, config, height]);

  // Follow the container's width (one resize per animation frame at most).
  useEffect(() => {
    const div = graphRef.current as GraphDiv | null;
    if (!plotly || !div || typeof ResizeObserver === 'undefined') return;
    let frame = 0;
    let lastWidth = div.clientWidth;
    const observer = new ResizeObserver(() => {
      if (div.clientWidth === lastWidth) return;
      lastWidth = div.clientWidth;
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        if ((div as { _fullLayout?: unknown })._fullLayout) void plotly.Plots.resize(div);
      });
    });
    observer.observe(div);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
    };
  }, [plotly]);

  const message = error ? `The chart library could not be loaded: ${error}` : drawError ? `The chart could not be drawn: ${drawError}` : null;
  return (
    <div className={`viz-chart ${className ?? ''}`} style={{ ...style, minHeight: height }} data-drawn={drawn > 0 ? 'true' : 'false'}>
      <div ref={graphRef} className="viz-chart__graph" role="img" aria-label={ariaLabel} aria-describedby={describedBy} />
      {!plotly && !error && (
        <div className="viz-chart__placeholder" role="status" style={{ height }}>
          Loading chart…
        </div>
      )}
      {message && (
        <p className="error" role="alert">
          {message}
        </p>
      )}
    </div>
  );
}
