import { useCallback, useEffect, useEffectEvent, useId, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent, type MouseEvent, type RefObject } from 'react';
import type { Config, Data, Layout, PlotHoverEvent, PlotlyHTMLElement, PlotMouseEvent } from 'plotly.js-dist-min';
import { ChartLegend } from './ChartLegend';
import { applyLegendClicks, legendGroups, traceKey, traceShown, type LegendPlacement } from './legendItems';
import { drawMarkers, isMarkerTrace, markerSets, nearestMarker, stepMarker, type MarkerHit, type MarkerSet, type MarkerStep, type PlotFrame } from './markerCanvas';
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
  /** Draw order when several charts change at once: lower first (default 10; the latent map uses 0). */
  priority?: number;
  /**
   * Where the HTML legend goes (see legendItems.ts): beside the plot, above it, or none. Default: above
   * for a horizontal legend (layout.legend.orientation 'h'), else beside.
   */
  legend?: LegendPlacement | 'none';
  onHover?: (event: PlotHoverEvent, graph: PlotlyHTMLElement) => void;
  onUnhover?: (event: PlotMouseEvent) => void;
  onClick?: (event: PlotMouseEvent) => void;
  /**
   * Draw the markers-only scatter traces on a canvas over the plot (markerCanvas.ts) and let plotly.js
   * draw the rest (the axes): a change of those traces alone then costs no plotly.js draw. Linear axes only.
   */
  markersOnCanvas?: boolean;
  /** With markersOnCanvas: the marker nearest the pointer (within MARKER_HOVER_DISTANCE px), or null when none is. */
  onMarkerHover?: (hit: MarkerHit | null) => void;
  /** With markersOnCanvas: a click on (or near) a marker. */
  onMarkerClick?: (hit: MarkerHit) => void;
}

/** Keys that move among canvas markers (markerCanvas.ts stepMarker). */
const MARKER_KEYS: Record<string, MarkerStep> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
  PageDown: 'next',
  PageUp: 'previous',
  Home: 'first',
  End: 'last',
};
const MARKER_KEYS_HELP = 'Arrow keys move to the nearest point in that direction, Page Down and Page Up step through every point, Home and End go to the first and last, Enter opens the point, Escape leaves it.';

/** How near the pointer must be to a canvas marker's centre to hover it (plotly.js's hoverdistance). */
const MARKER_HOVER_DISTANCE = 12;

interface FullLayoutLike {
  width: number;
  height: number;
  _size?: { l: number; t: number; w: number; h: number };
  xaxis?: { range?: [number, number] };
  yaxis?: { range?: [number, number] };
}

/** The plot area and axis ranges plotly.js has drawn (its internal _fullLayout), or null before the first draw. */
function plotFrame(div: HTMLElement): { frame: PlotFrame; width: number; height: number } | null {
  const full = (div as { _fullLayout?: FullLayoutLike })._fullLayout;
  const size = full?._size;
  const x = full?.xaxis?.range;
  const y = full?.yaxis?.range;
  if (!full || !size || !x || !y) return null;
  return { frame: { left: size.l, top: size.t, width: size.w, height: size.h, x: [x[0], x[1]], y: [y[0], y[1]] }, width: full.width, height: full.height };
}

type GraphDiv = PlotlyHTMLElement & HTMLDivElement;

/**
 * The page's chart draws, one per main-thread task: a plotly.js draw is one synchronous block (tens of
 * ms per chart), so when a run's records change, the charts are redrawn in separate tasks, lowest
 * `priority` first (the map). Each draw starts just after a frame has been rendered, so the page's
 * layout is clean: plotly.js measures text and boxes while it draws, and on a dirty page (React's
 * commits, the previous chart's new SVG) each measurement forces a layout of the whole page first.
 * Input events are handled between two draws.
 */
const drawQueue = new Map<object, { priority: number; run: () => void }>();
let pumping = false;

/** Runs `task` in a new task right after the next frame is rendered (or after 100 ms without frames: a background tab). */
function afterNextFrame(task: () => void): void {
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    setTimeout(task, 0);
  };
  requestAnimationFrame(start);
  setTimeout(start, 100);
}

function queueDraw(key: object, priority: number, run: () => void): void {
  drawQueue.set(key, { priority, run });
  if (pumping) return;
  pumping = true;
  afterNextFrame(pumpDraws);
}

function pumpDraws(): void {
  let next: [object, { priority: number; run: () => void }] | null = null;
  for (const entry of drawQueue) if (!next || entry[1].priority < next[1].priority) next = entry;
  if (!next) {
    pumping = false;
    return;
  }
  drawQueue.delete(next[0]);
  try {
    next[1].run();
  } finally {
    if (drawQueue.size) afterNextFrame(pumpDraws);
    else pumping = false;
  }
}

const NO_CLICKS: ReadonlyMap<string, boolean> = new Map();

/** How far outside the viewport a chart already counts as on screen (drawn before it scrolls in). */
const ON_SCREEN_MARGIN = '200px 0px';

/** Whether the element is on screen or within ON_SCREEN_MARGIN of it (true where IntersectionObserver is missing). */
function useOnScreen(ref: RefObject<HTMLElement | null>): boolean {
  const [onScreen, setOnScreen] = useState(typeof IntersectionObserver === 'undefined');
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => setOnScreen(entries[entries.length - 1].isIntersecting), { rootMargin: ON_SCREEN_MARGIN });
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return onScreen;
}

/**
 * One plotly.js chart. plotly.js is loaded lazily (a small placeholder shows meanwhile); updates go
 * through Plotly.react (diffing, no full redraw), the chart follows its container's width through a
 * ResizeObserver, it is drawn only while on screen (or near it), and it is purged on unmount. Pass
 * memoised `data`/`layout`: every new object redraws.
 */
export function PlotlyChart({
  data,
  layout,
  config,
  height,
  ariaLabel,
  describedBy,
  className,
  style,
  priority = 10,
  legend,
  onHover,
  onUnhover,
  onClick,
  markersOnCanvas = false,
  onMarkerHover,
  onMarkerClick,
}: PlotlyChartProps) {
  const { plotly, error } = usePlotly();
  const graphRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<HTMLDivElement>(null);
  const onScreen = useOnScreen(chartRef);
  const [drawn, setDrawn] = useState(false);
  const [drawError, setDrawError] = useState<string | null>(null);
  /** What the graph shows now (JSON of data, layout, config): an equal figure is not drawn again. */
  const shown = useRef<string | null>(null);

  // The legend is HTML (legendItems.ts); its clicks (trace key → drawn) override the traces' own visibility.
  const placement: LegendPlacement | 'none' = legend ?? ((layout.legend as { orientation?: string } | undefined)?.orientation === 'h' ? 'top' : 'right');
  const groups = useMemo(() => (placement === 'none' ? [] : legendGroups(data, layout)), [placement, data, layout]);
  // As plotly.js does for its own legend, the clicks hold while layout.uirevision stays the same (the map
  // keys it to its fixed axes: another experiment's map starts with every trace as its figure says).
  const uirevision = (layout as { uirevision?: unknown }).uirevision;
  const [legendState, setLegendState] = useState<{ uirevision: unknown; clicks: ReadonlyMap<string, boolean> }>(() => ({ uirevision, clicks: new Map() }));
  const legendClicks = legendState.uirevision === uirevision ? legendState.clicks : NO_CLICKS;
  // A new uirevision forgets the clicks (coming back to an earlier one does not bring them back).
  if (legendState.uirevision !== uirevision) setLegendState({ uirevision, clicks: NO_CLICKS });
  const drawnData = useMemo(() => applyLegendClicks(data, legendClicks), [data, legendClicks]);
  // With markersOnCanvas plotly.js gets the other traces (none on the map: it draws the axes alone).
  const plotData = useMemo(() => (markersOnCanvas ? drawnData.filter((t) => !isMarkerTrace(t)) : drawnData), [markersOnCanvas, drawnData]);
  const markers = useMemo(() => (markersOnCanvas ? markerSets(drawnData) : []), [markersOnCanvas, drawnData]);
  const isShown = useCallback((index: number) => traceShown(data[index], index, legendClicks), [data, legendClicks]);
  const toggle = useCallback(
    (index: number) => {
      const item = groups.flatMap((g) => g.items).find((it) => it.index === index);
      if (!item) return;
      const show = !traceShown(data[index], index, legendClicks);
      const next = new Map(legendClicks);
      for (const i of item.traces) next.set(traceKey(data[i], i), show);
      setLegendState({ uirevision, clicks: next });
    },
    [groups, data, legendClicks, uirevision],
  );

  const hover = useEffectEvent((e: PlotHoverEvent) => onHover?.(e, graphRef.current as GraphDiv));
  const unhover = useEffectEvent((e: PlotMouseEvent) => onUnhover?.(e));
  const click = useEffectEvent((e: PlotMouseEvent) => onClick?.(e));

  // Mount/unmount: listeners once per graph div, purge at the end.
  useEffect(() => {
    const div = graphRef.current as GraphDiv | null;
    if (!plotly || !div) return;
    return () => {
      drawQueue.delete(div);
      shown.current = null;
      plotly.purge(div);
    };
  }, [plotly]);

  // Canvas markers (markersOnCanvas): painted in an animation frame after the markers or the axes change.
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const painted = useRef<{ markers: MarkerSet[]; frame: PlotFrame } | null>(null);
  const paintFrame = useRef(0);
  const paint = useEffectEvent(() => {
    paintFrame.current = 0;
    const div = graphRef.current;
    const canvas = canvasRef.current;
    const at = div && plotFrame(div);
    if (!canvas || !at) return;
    const t0 = performance.now();
    const ratio = window.devicePixelRatio || 1;
    const width = Math.round(at.width * ratio);
    const height = Math.round(at.height * ratio);
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
      canvas.style.width = `${at.width}px`;
      canvas.style.height = `${at.height}px`;
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, at.width, at.height);
    const counts = drawMarkers(ctx, markers, at.frame);
    // What was drawn, per trace (uid → markers inside the axes): read by tests and by nobody else.
    canvas.dataset.markers = JSON.stringify(counts);
    painted.current = { markers, frame: at.frame };
    performance.measure(`markers ${ariaLabel.slice(0, 60)}`, { start: t0, end: performance.now() });
  });
  const repaint = useEffectEvent(() => {
    if (!markersOnCanvas || paintFrame.current) return;
    paintFrame.current = requestAnimationFrame(() => paint());
  });
  useEffect(() => {
    if (drawn) repaint();
  }, [drawn, markers]);
  useEffect(() => () => cancelAnimationFrame(paintFrame.current), []);

  // Draw and update, each chart in a task of its own (not inside React's commit, where every chart of the
  // page would redraw in one long main-thread task when the run's records change).
  useEffect(() => {
    const div = graphRef.current as GraphDiv | null;
    // A chart off screen is not drawn (its draw waits until it is scrolled near): during a run the page
    // spends the main thread on the charts the user can see.
    if (!plotly || !div || !onScreen) return;
    let live = true;
    const fullLayout = { ...baseLayout(), ...layout, showlegend: false, height, autosize: true } as Partial<Layout>;
    const fullConfig = { ...BASE_CONFIG, ...config };
    // Records re-read after a stage often give equal figures (new objects, same numbers): skip those.
    const figure = JSON.stringify([plotData, fullLayout, fullConfig]);
    if (figure === shown.current) return;
    const draw = () => {
      const first = !(div as { _fullLayout?: unknown })._fullLayout;
      const t0 = performance.now();
      shown.current = figure;
      const result = plotly.react(div, plotData, fullLayout, fullConfig);
      // User Timing: each draw's synchronous cost shows in DevTools and in bench:loop.
      performance.measure(`draw ${first ? '(first) ' : ''}${ariaLabel.slice(0, 60)}`, { start: t0, end: performance.now() });
      return result.then(
        (gd) => {
          if (!live) return;
          const graph = gd as GraphDiv & { __vizBound?: boolean };
          if (!graph.__vizBound) {
            graph.__vizBound = true;
            graph.on('plotly_hover', (e: PlotHoverEvent) => hover(e));
            graph.on('plotly_unhover', (e: PlotMouseEvent) => unhover(e));
            graph.on('plotly_click', (e: PlotMouseEvent) => click(e));
            // A zoom, a double-click reset or a resize moves the axes: the canvas markers follow.
            graph.on('plotly_relayout', () => repaint());
            graph.on('plotly_afterplot', () => repaint());
          }
          repaint();
          setDrawError(null);
          setDrawn(true);
        },
        (e: unknown) => {
          shown.current = null;
          if (live) setDrawError(e instanceof Error ? e.message : String(e));
        },
      );
    };
    queueDraw(div, priority, draw);
    return () => {
      live = false;
      drawQueue.delete(div);
    };
  }, [plotly, onScreen, plotData, layout, config, height, ariaLabel, priority]);

  // Hover and click on canvas markers: the nearest one to the pointer, in the frame last painted.
  const hoveredMarker = useRef<MarkerHit | null>(null);
  const plotRef = useRef<HTMLDivElement>(null);
  const markerAt = (e: MouseEvent): MarkerHit | null => {
    const div = graphRef.current;
    const at = painted.current;
    if (!div || !at) return null;
    const box = div.getBoundingClientRect();
    return nearestMarker(at.markers, at.frame, e.clientX - box.left, e.clientY - box.top, MARKER_HOVER_DISTANCE);
  };
  const setHoveredMarker = (hit: MarkerHit | null) => {
    const was = hoveredMarker.current;
    if (was === hit || (was && hit && was.traceIndex === hit.traceIndex && was.pointIndex === hit.pointIndex)) return;
    hoveredMarker.current = hit;
    // A pointer cursor over a point that opens on click (plotly.js's drag layer shows a crosshair).
    plotRef.current?.classList.toggle('viz-chart__plot--on-marker', !!hit && !!onMarkerClick);
    onMarkerHover?.(hit);
  };
  // The keyboard reaches the same points: the plot area takes the focus, arrows move between points (a
  // point is "hovered" as under the pointer), Enter or Space clicks it, Escape lets it go.
  const keysHelpId = useId();
  const onMarkerKey = (e: KeyboardEvent) => {
    const at = painted.current;
    const step = MARKER_KEYS[e.key];
    if (at && step) {
      e.preventDefault();
      const hit = stepMarker(at.markers, at.frame, hoveredMarker.current, step);
      if (hit) setHoveredMarker(hit);
    } else if ((e.key === 'Enter' || e.key === ' ') && hoveredMarker.current) {
      e.preventDefault();
      onMarkerClick?.(hoveredMarker.current);
    } else if (e.key === 'Escape' && hoveredMarker.current) {
      e.preventDefault();
      setHoveredMarker(null);
    }
  };
  const markerEvents = markersOnCanvas
    ? {
        // No hover while a button is down (a zoom box is being dragged).
        onMouseMove: (e: MouseEvent) => setHoveredMarker(e.buttons ? null : markerAt(e)),
        onMouseLeave: () => setHoveredMarker(null),
        onClick: (e: MouseEvent) => {
          const hit = markerAt(e);
          if (hit) onMarkerClick?.(hit);
        },
        tabIndex: 0,
        role: 'application',
        'aria-label': `Points of ${ariaLabel}`,
        'aria-describedby': keysHelpId,
        'aria-keyshortcuts': 'ArrowLeft ArrowRight ArrowUp ArrowDown PageDown PageUp Home End Enter Escape',
        onKeyDown: onMarkerKey,
        onBlur: () => setHoveredMarker(null),
      }
    : {};

  // Follow the container's width. A resize is a plotly.js redraw: it goes through the draw queue (one chart
  // per task, not every chart of the page in one frame) and waits while the chart is off screen.
  const resizeKey = useRef({});
  const resizePending = useRef(false);
  const resize = useEffectEvent(() => {
    const div = graphRef.current;
    if (!plotly || !div || !resizePending.current || !onScreen) return;
    queueDraw(resizeKey.current, priority, () => {
      resizePending.current = false;
      if (!(div as { _fullLayout?: unknown })._fullLayout) return;
      const t0 = performance.now();
      void plotly.Plots.resize(div);
      performance.measure(`resize ${ariaLabel.slice(0, 60)}`, { start: t0, end: performance.now() });
    });
  });
  useEffect(() => {
    if (onScreen) resize();
  }, [onScreen]);
  useEffect(() => {
    const div = graphRef.current as GraphDiv | null;
    if (!plotly || !div || typeof ResizeObserver === 'undefined') return;
    const key = resizeKey.current;
    // The width from the observer's entries (measured by the browser's own layout): reading clientWidth
    // here, right after React mounted the results, would force the whole page's layout inside this task.
    let lastWidth: number | null = null;
    const observer = new ResizeObserver((entries) => {
      const width = entries[entries.length - 1].contentRect.width;
      const first = lastWidth === null;
      if (width === lastWidth) return;
      lastWidth = width;
      if (first) return; // the first observation reports the size the chart is (or will be) drawn at
      resizePending.current = true;
      resize();
    });
    observer.observe(div);
    return () => {
      drawQueue.delete(key);
      observer.disconnect();
    };
  }, [plotly]);

  const message = error ? `The chart library could not be loaded: ${error}` : drawError ? `The chart could not be drawn: ${drawError}` : null;
  return (
    <div ref={chartRef} className={`viz-chart viz-chart--legend-${placement} ${className ?? ''}`} style={{ ...style, minHeight: height }} data-drawn={drawn ? 'true' : 'false'}>
      {placement !== 'none' && <ChartLegend groups={groups} placement={placement} isShown={isShown} onToggle={toggle} label={`Legend: ${ariaLabel}`} />}
      <div ref={plotRef} className="viz-chart__plot" style={{ height }} {...markerEvents}>
        <div ref={graphRef} className="viz-chart__graph viz-chart__graph--contained" style={{ height }} role="img" aria-label={ariaLabel} aria-describedby={describedBy} />
        {markersOnCanvas && <canvas ref={canvasRef} className="viz-chart__markers" aria-hidden="true" />}
        {markersOnCanvas && (
          <span id={keysHelpId} className="visually-hidden">
            {MARKER_KEYS_HELP}
          </span>
        )}
      </div>
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
