import { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { Data, Layout } from 'plotly.js-dist-min';
import { ChartFrame } from './ChartFrame';
import type { MarkerHit } from './markerCanvas';
import { PlotlyChart } from './PlotlyChart';
import { SampleCard } from './SampleCard';
import { useCardInside } from './useCardInside';
import { parameterLabel } from '../params/parameterLabels';
import { axis, COLORS, formatNumber, formatParam, iterationColor } from './theme';
import type { AxisRanges, LatentPoint } from './types';
import './plots.css';

export interface LatentMapProps {
  points: readonly LatentPoint[];
  /** param_set_id of the current best (best posterior mean); its samples get a star outline. */
  bestParamSetId?: string | null;
  /** Axis titles, e.g. ["PC1 (41.2 % of variance)", "PC2 (17.9 %)"] (see projectionAxisLabels). */
  axisLabels: [string, string];
  /** Fixed ranges computed once from iteration 0 (see fixedRanges): the axes never rescale. */
  ranges: AxisRanges;
  /** Fetches a sample's thumbnail on hover when the point carries none (a Blob is shown and released). */
  loadThumbnail?: (sample_id: string) => Promise<Blob | string | undefined>;
  /** Called when a point is clicked (e.g. to open it in the gallery). */
  onSelectSample?: (sample_id: string) => void;
  /** Title above the map. */
  title?: string;
  height?: number;
  /** Milliseconds per iteration while playing. */
  playIntervalMs?: number;
}

interface SliderState {
  /** null: follow the latest iteration. */
  upTo: number | null;
  playing: boolean;
}

type SliderAction = { type: 'set'; value: number; max: number } | { type: 'play'; max: number } | { type: 'pause' } | { type: 'tick'; max: number };

function sliderReducer(state: SliderState, action: SliderAction): SliderState {
  switch (action.type) {
    case 'set':
      return { playing: false, upTo: action.value >= action.max ? null : action.value };
    case 'play':
      // From the start when at the end; otherwise on from where it is.
      return { playing: true, upTo: state.upTo === null || state.upTo >= action.max ? 0 : state.upTo };
    case 'pause':
      return { ...state, playing: false };
    case 'tick': {
      const next = (state.upTo ?? action.max) + 1;
      return next >= action.max ? { playing: false, upTo: null } : { ...state, upTo: next };
    }
  }
}

const TRACE_KEY = 'latent';

/**
 * The fixed 2-D map of the latent space: real, close, far and every optimizer iteration, the current best
 * starred, a slider to replay the iterations, and a hover card with the thumbnail, parameters and score.
 */
export function LatentMap({
  points,
  bestParamSetId,
  axisLabels,
  ranges,
  loadThumbnail,
  onSelectSample,
  title = 'Latent map (fixed 2-D projection)',
  height = 520,
  playIntervalMs = 900,
}: LatentMapProps) {
  const lastIteration = useMemo(() => points.reduce((m, p) => Math.max(m, p.iteration), 0), [points]);
  const [slider, dispatch] = useReducer(sliderReducer, { upTo: null, playing: false });
  const upTo = slider.upTo === null ? lastIteration : Math.min(slider.upTo, lastIteration);

  useEffect(() => {
    if (!slider.playing) return;
    const id = setInterval(() => dispatch({ type: 'tick', max: lastIteration }), playIntervalMs);
    return () => clearInterval(id);
  }, [slider.playing, lastIteration, playIntervalMs]);

  const groups = useMemo(() => groupPoints(points), [points]);
  const data = useMemo(() => buildTraces(groups, lastIteration, upTo, bestParamSetId ?? null), [groups, lastIteration, upTo, bestParamSetId]);
  const layout = useMemo(() => mapLayout(axisLabels, ranges), [axisLabels, ranges]);

  // Hover card: the point, where to put it, and its thumbnail when loaded on demand.
  const wrapRef = useRef<HTMLDivElement>(null);
  const [hovered, setHovered] = useState<{ point: LatentPoint; left: number; top: number; px: number; py: number } | null>(null);
  const [thumbs, setThumbs] = useState<ReadonlyMap<string, Blob | string | null>>(() => new Map());
  const requested = useRef(new Set<string>());

  useEffect(() => {
    const id = hovered?.point.sample_id;
    if (!id || hovered.point.thumbnail || !loadThumbnail || requested.current.has(id)) return;
    requested.current.add(id);
    loadThumbnail(id).then(
      (t) => setThumbs((m) => new Map(m).set(id, t ?? null)),
      () => setThumbs((m) => new Map(m).set(id, null)),
    );
  }, [hovered, loadThumbnail]);

  const pointOf = (hit: MarkerHit | null) => (hit && typeof hit.customdata === 'number' ? points[hit.customdata] : undefined);
  const onMarkerHover = (hit: MarkerHit | null) => {
    const point = pointOf(hit);
    const wrap = wrapRef.current;
    if (!hit || !point || !wrap) {
      setHovered(null);
      return;
    }
    const cardWidth = 290;
    const width = wrap.clientWidth;
    const left = hit.px + 16 + cardWidth > width ? Math.max(4, hit.px - 16 - cardWidth) : hit.px + 16;
    // Beside the point; useCardInside moves it up when it would end below the map.
    setHovered({ point, left, top: Math.max(4, hit.py - 40), px: hit.px, py: hit.py });
  };
  useCardInside(wrapRef, hovered);
  const onMarkerClick = (hit: MarkerHit) => {
    const point = pointOf(hit);
    if (point) onSelectSample?.(point.sample_id);
  };

  const summary = useMemo(() => mapSummary(groups, upTo, lastIteration, bestParamSetId ?? null, ranges), [groups, upTo, lastIteration, bestParamSetId, ranges]);

  const hoveredThumb = hovered ? (hovered.point.thumbnail ?? thumbs.get(hovered.point.sample_id) ?? undefined) : undefined;
  const hoveredState = hovered && !hoveredThumb ? (loadThumbnail && !thumbs.has(hovered.point.sample_id) ? 'loading' : 'none') : 'ready';

  const controls = (
    <div className="viz-slider">
      <button
        type="button"
        className="button button--small"
        onClick={() => dispatch(slider.playing ? { type: 'pause' } : { type: 'play', max: lastIteration })}
        disabled={lastIteration === 0}
        aria-pressed={slider.playing}
      >
        {slider.playing ? '❚❚ Pause' : '▶ Play'}
      </button>
      <label className="viz-slider__label">
        <span>Show iterations up to</span>
        <input
          type="range"
          min={0}
          max={lastIteration}
          step={1}
          value={upTo}
          disabled={lastIteration === 0}
          onChange={(e) => dispatch({ type: 'set', value: Number(e.target.value), max: lastIteration })}
          aria-valuetext={upTo === 0 ? 'iteration 0 only (real, close, far)' : `iterations 1 to ${upTo} of ${lastIteration}`}
        />
        <output className="viz-slider__value">
          {upTo} / {lastIteration}
        </output>
      </label>
    </div>
  );

  return (
    <ChartFrame title={title} summary={summary} controls={controls} chartId="latent-map">
      {(summaryId) => (
        <div ref={wrapRef} className="viz-map" onMouseLeave={() => setHovered(null)}>
          <PlotlyChart
            data={data}
            layout={layout}
            height={height}
            priority={0}
            ariaLabel={`${title}: ${axisLabels[0]} against ${axisLabels[1]}`}
            describedBy={summaryId}
            markersOnCanvas
            onMarkerHover={onMarkerHover}
            onMarkerClick={onMarkerClick}
          />
          {hovered && <span className="viz-map__ring" aria-hidden="true" style={{ left: hovered.px, top: hovered.py }} />}
          {/* What the pointer shows on the card, read out when a point is reached from the keyboard. */}
          <p className="visually-hidden" aria-live="polite">
            {hovered ? pointAnnouncement(hovered.point) : ''}
          </p>
          {hovered && (
            <SampleCard
              sample={hovered.point}
              thumbnail={hoveredThumb}
              thumbnailState={hoveredState}
              style={{ position: 'absolute', left: hovered.left, top: hovered.top, width: 290 }}
            />
          )}
        </div>
      )}
    </ChartFrame>
  );
}

/** One line for a screen reader: the point's id, what it is, its set's score and its parameters. */
function pointAnnouncement(p: LatentPoint): string {
  const kind =
    p.dataset_type === 'real' ? 'real image' : p.dataset_type === 'synthetic' ? `iteration ${p.iteration}` : p.dataset_type === 'confirmation' ? `confirmation, iteration ${p.iteration}` : `${p.dataset_type}, iteration 0`;
  const score = p.score !== undefined && p.score !== null ? `, set MMD² ${formatNumber(p.score)}` : '';
  const params = Object.entries(p.params).map(([k, v]) => {
    const { label, unit } = parameterLabel(k);
    return `${label} ${formatParam(v)}${unit ? ` ${unit}` : ''}`;
  });
  return `${p.sample_id}, ${kind}${score}${params.length ? `; ${params.join(', ')}` : ''}`;
}

interface Groups {
  real: number[];
  close: number[];
  far: number[];
  /** iteration → point indices (iterations ≥ 1). */
  iterations: Map<number, number[]>;
  points: readonly LatentPoint[];
}

function groupPoints(points: readonly LatentPoint[]): Groups {
  const g: Groups = { real: [], close: [], far: [], iterations: new Map(), points };
  points.forEach((p, i) => {
    if (p.dataset_type === 'real') g.real.push(i);
    else if (p.dataset_type === 'close') g.close.push(i);
    else if (p.dataset_type === 'far') g.far.push(i);
    else {
      const list = g.iterations.get(p.iteration) ?? [];
      list.push(i);
      g.iterations.set(p.iteration, list);
    }
  });
  return g;
}

function scatter(
  name: string,
  indices: number[],
  points: readonly LatentPoint[],
  marker: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Data {
  return {
    type: 'scatter',
    mode: 'markers',
    name,
    x: indices.map((i) => points[i].x),
    y: indices.map((i) => points[i].y),
    customdata: indices,
    hoverinfo: 'none',
    marker,
    cliponaxis: true,
    ...extra,
  } as Data;
}

/**
 * The map's traces, drawn on a canvas (markerCanvas.ts) in the array's order, later on top: far, close,
 * the iterations oldest first, then real, then the best's stars. The legend's order comes from
 * `legendrank` (real, close, far; the iterations; the best). Only the few real diamonds and the best's
 * stars have outlines: on the hundreds of other points an outline would hide the overlaps.
 */
function buildTraces(g: Groups, last: number, upTo: number, best: string | null): Data[] {
  const { points } = g;
  const traces: Data[] = [];
  const group0 = { legendgroup: 'it0', legendgrouptitle: { text: 'Iteration 0' } };
  // A study's iteration 0 has no close or far sets (its design and the client's own sets are iteration 0's samples): no empty legend rows.
  if (g.far.length > 0 || g.close.length > 0) {
    traces.push(
      scatter(`far (${g.far.length})`, g.far, points, { color: COLORS.far, size: 8, symbol: 'square' }, { ...group0, legendrank: 3, uid: `${TRACE_KEY}-far` }),
      scatter(`close (${g.close.length})`, g.close, points, { color: COLORS.close, size: 8, symbol: 'circle' }, { ...group0, legendrank: 2, uid: `${TRACE_KEY}-close` }),
    );
  }
  const iterations = [...g.iterations.keys()].sort((a, b) => a - b);
  for (const it of iterations) {
    const idx = g.iterations.get(it)!;
    traces.push(
      scatter(`iteration ${it} (${idx.length})`, idx, points, { color: iterationColor(it, last), size: 9, symbol: 'circle' }, {
        legendgroup: 'opt',
        legendgrouptitle: { text: 'Optimizer' },
        legendrank: 100 + it,
        visible: it <= upTo ? true : 'legendonly',
        uid: `${TRACE_KEY}-it${it}`,
      }),
    );
  }
  traces.push(
    scatter(`real (${g.real.length})`, g.real, points, { color: COLORS.real, size: 12, symbol: 'diamond', line: { color: '#ffffff', width: 1.2 } }, { ...group0, legendrank: 1, uid: `${TRACE_KEY}-real` }),
  );
  if (best) {
    const idx = points.map((_, i) => i).filter((i) => points[i].param_set_id === best && points[i].dataset_type !== 'real');
    const shown = idx.length > 0 && points[idx[0]].iteration <= upTo;
    traces.push(
      scatter(`current best (${best})`, idx, points, { color: COLORS.best, size: 22, symbol: 'star-open', line: { color: COLORS.best, width: 2 } }, {
        legendgroup: 'best',
        legendgrouptitle: { text: 'Surrogate' },
        legendrank: 100000,
        visible: shown ? true : 'legendonly',
        uid: `${TRACE_KEY}-best`,
      }),
    );
  }
  return traces;
}

/** The map's figure for `points` with every iteration shown (the page's warm-up draws a tiny one). */
export function latentMapFigure(points: readonly LatentPoint[], best: string | null, labels: [string, string], ranges: AxisRanges): { data: Data[]; layout: Partial<Layout> } {
  const last = points.reduce((m, p) => Math.max(m, p.iteration), 0);
  return { data: buildTraces(groupPoints(points), last, last, best), layout: mapLayout(labels, ranges) };
}

function mapLayout(labels: [string, string], ranges: AxisRanges): Partial<Layout> {
  return {
    xaxis: axis(labels[0], { range: ranges.x, autorange: false, zeroline: false }),
    yaxis: axis(labels[1], { range: ranges.y, autorange: false, zeroline: false }),
    // plotly.js draws only the axes; the points are on a canvas, hovered there (PlotlyChart markersOnCanvas).
    hovermode: false,
    dragmode: 'zoom',
    // The legend is HTML beside the plot (PlotlyChart); an entry toggles its own trace, not its group.
    legend: { groupclick: 'toggleitem' },
    margin: { l: 60, r: 12, t: 10, b: 50 },
    // Keep the user's zoom and legend clicks across updates; a new set of fixed ranges resets them.
    uirevision: `${ranges.x.join(',')}|${ranges.y.join(',')}`,
  } as Partial<Layout>;
}

function mapSummary(g: Groups, upTo: number, last: number, best: string | null, ranges: AxisRanges): string {
  if (g.points.length === 0) return 'No samples yet: the map is drawn once iteration 0 has been embedded and projected.';
  // A study's iteration 0 holds the client's own samples (its design, its earlier batch) instead of close and far.
  const own = g.iterations.get(0)?.length ?? 0;
  const zero = own > 0 && g.close.length === 0 && g.far.length === 0 ? `${g.real.length} real and ${own} of your samples` : `${g.real.length} real, ${g.close.length} close and ${g.far.length} far samples`;
  const parts = [`${zero} from iteration 0`];
  if (last > 0) {
    const shown = [...g.iterations].filter(([it]) => it >= 1 && it <= upTo).reduce((s, [, idx]) => s + idx.length, 0);
    const which = upTo === 1 ? 'iteration 1' : `iterations 1–${upTo}`;
    parts.push(upTo > 0 ? `${shown} proposed samples of ${which}${upTo < last ? ` (${last - upTo} later hidden)` : ''}` : `iterations 1–${last} hidden`);
  }
  let text = `Showing ${parts.join(', and ')}.`;
  if (best) {
    const p = g.points.find((q) => q.param_set_id === best && q.dataset_type !== 'real');
    if (p) text += ` Current best: ${best} (iteration ${p.iteration}${p.score !== undefined && p.score !== null ? `, MMD² ${formatNumber(p.score)}` : ''}).`;
  }
  const latest = g.iterations.get(upTo);
  if (latest && latest.length > 0) {
    const d = latest.map((i) => g.points[i].nearestRealDistance).filter((v): v is number => typeof v === 'number');
    if (d.length) text += ` Iteration ${upTo}: median distance to nearest real ${formatNumber(median(d))}.`;
  }
  const outside = g.points.filter((p) => p.iteration <= upTo && (p.x < ranges.x[0] || p.x > ranges.x[1] || p.y < ranges.y[0] || p.y > ranges.y[1])).length;
  if (outside > 0) text += ` ${outside} point${outside === 1 ? ' lies' : 's lie'} outside the fixed axes.`;
  return text;
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
