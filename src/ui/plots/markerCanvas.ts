import type { Data } from 'plotly.js-dist-min';

/**
 * Markers of scatter traces drawn on a 2-D canvas over a plotly.js chart that draws only the axes.
 *
 * Why: plotly.js draws each marker as an SVG path and styles it one by one; on the latent map (hundreds of
 * points, redrawn after every stage of a run) a draw took 60–120 ms of main-thread time on our 2-core
 * hosts, the page's longest tasks. The map's axes are fixed from iteration 0, so plotly.js now draws them
 * once and the points (a few ms on a canvas) are redrawn alone. Hover and click find the nearest marker
 * here too (plotly.js has no points to hover).
 *
 * What is drawn: visible `type: 'scatter'` traces with mode 'markers', linear axes, marker.color and
 * marker.size as one value per trace, symbols circle, square, diamond and star, each with an -open variant
 * (anything else is drawn as a circle), marker.line as the outline. Shapes follow plotly.js's own symbol
 * paths (src/components/drawing/symbol_defs.js): r = size / 2, a diamond's half-diagonal is 1.3 r, a
 * star's outer radius 1.4 r.
 */

/** A trace's markers, in the chart's data coordinates. */
export interface MarkerSet {
  /** Index of the trace in the chart's data. */
  traceIndex: number;
  /** The trace's uid (or its index), for tests and counts. */
  key: string;
  x: readonly number[];
  y: readonly number[];
  customdata: readonly unknown[] | undefined;
  color: string;
  size: number;
  symbol: string;
  line: { color: string; width: number } | null;
  opacity: number;
}

/** Where the plot area is inside the chart (CSS px) and the axis ranges it shows. */
export interface PlotFrame {
  left: number;
  top: number;
  width: number;
  height: number;
  x: readonly [number, number];
  y: readonly [number, number];
}

/** The marker under (or nearest to) a position. */
export interface MarkerHit {
  traceIndex: number;
  pointIndex: number;
  customdata: unknown;
  /** Marker centre relative to the chart's top-left corner (CSS px). */
  px: number;
  py: number;
}

interface ScatterLike {
  type?: string;
  mode?: string;
  visible?: boolean | 'legendonly';
  uid?: string;
  x?: ArrayLike<unknown>;
  y?: ArrayLike<unknown>;
  customdata?: readonly unknown[];
  marker?: { color?: unknown; size?: unknown; symbol?: unknown; opacity?: unknown; line?: { color?: unknown; width?: unknown } };
}

/** Whether plotly.js would draw this trace as markers only (the traces the canvas takes over). */
export function isMarkerTrace(trace: Data): boolean {
  const t = trace as ScatterLike;
  return (t.type ?? 'scatter') === 'scatter' && t.mode === 'markers';
}

/** The visible marker traces of `data`, ready to draw and hit-test. */
export function markerSets(data: readonly Data[]): MarkerSet[] {
  const sets: MarkerSet[] = [];
  data.forEach((trace, traceIndex) => {
    const t = trace as ScatterLike;
    if (!isMarkerTrace(trace) || (t.visible !== undefined && t.visible !== true)) return;
    const m = t.marker ?? {};
    const line = m.line && typeof m.line.width === 'number' && m.line.width > 0 ? { color: String(m.line.color ?? m.color ?? '#000'), width: m.line.width } : null;
    sets.push({
      traceIndex,
      key: t.uid ?? String(traceIndex),
      x: Array.from(t.x ?? [], Number),
      y: Array.from(t.y ?? [], Number),
      customdata: t.customdata,
      color: typeof m.color === 'string' ? m.color : '#1f77b4',
      size: typeof m.size === 'number' ? m.size : 6,
      symbol: typeof m.symbol === 'string' ? m.symbol : 'circle',
      line,
      opacity: typeof m.opacity === 'number' ? m.opacity : 1,
    });
  });
  return sets;
}

function toPixel(frame: PlotFrame, x: number, y: number): [number, number] {
  const px = frame.left + ((x - frame.x[0]) / (frame.x[1] - frame.x[0])) * frame.width;
  const py = frame.top + (1 - (y - frame.y[0]) / (frame.y[1] - frame.y[0])) * frame.height;
  return [px, py];
}

/** Whether a pixel lies in the plot area (false for NaN): only markers centred there are drawn or hovered. */
function inside(frame: PlotFrame, px: number, py: number): boolean {
  return px >= frame.left && px <= frame.left + frame.width && py >= frame.top && py <= frame.top + frame.height;
}

/** Adds one marker's outline to the current path (centred on px, py). */
function tracePath(ctx: CanvasRenderingContext2D, shape: string, px: number, py: number, r: number): void {
  switch (shape) {
    case 'square':
      ctx.rect(px - r, py - r, 2 * r, 2 * r);
      return;
    case 'diamond': {
      const d = 1.3 * r;
      ctx.moveTo(px + d, py);
      ctx.lineTo(px, py + d);
      ctx.lineTo(px - d, py);
      ctx.lineTo(px, py - d);
      ctx.closePath();
      return;
    }
    case 'star': {
      // Five points up; the inner radius is 0.382 of the outer (a regular star).
      const outer = 1.4 * r;
      const inner = 0.382 * outer;
      for (let k = 0; k < 10; k++) {
        const radius = k % 2 === 0 ? outer : inner;
        const angle = -Math.PI / 2 + (k * Math.PI) / 5;
        const vx = px + radius * Math.cos(angle);
        const vy = py + radius * Math.sin(angle);
        if (k === 0) ctx.moveTo(vx, vy);
        else ctx.lineTo(vx, vy);
      }
      ctx.closePath();
      return;
    }
    default:
      ctx.moveTo(px + r, py);
      ctx.arc(px, py, r, 0, 2 * Math.PI);
  }
}

/**
 * Draws `sets` in order (later on top) into `ctx`, whose transform maps CSS px to canvas pixels, clipped
 * to the plot area. Only markers centred inside the axes are drawn (a point outside the fixed axes, or
 * outside a zoomed view, is not). Returns how many markers of each set were drawn.
 */
export function drawMarkers(ctx: CanvasRenderingContext2D, sets: readonly MarkerSet[], frame: PlotFrame): Record<string, number> {
  const counts: Record<string, number> = {};
  ctx.save();
  ctx.beginPath();
  ctx.rect(frame.left, frame.top, frame.width, frame.height);
  ctx.clip();
  for (const set of sets) {
    const open = set.symbol.endsWith('-open');
    const shape = open ? set.symbol.slice(0, -'-open'.length) : set.symbol;
    const r = set.size / 2;
    // One path per set: a fill (and a stroke) per trace, not per point.
    ctx.beginPath();
    let n = 0;
    for (let i = 0; i < set.x.length; i++) {
      const [px, py] = toPixel(frame, set.x[i], set.y[i]);
      if (!inside(frame, px, py)) continue;
      tracePath(ctx, shape, px, py, r);
      n++;
    }
    counts[set.key] = n;
    ctx.globalAlpha = set.opacity;
    if (open) {
      ctx.strokeStyle = set.line?.color ?? set.color;
      ctx.lineWidth = set.line?.width ?? 1;
      ctx.stroke();
    } else {
      ctx.fillStyle = set.color;
      ctx.fill();
      if (set.line) {
        ctx.strokeStyle = set.line.color;
        ctx.lineWidth = set.line.width;
        ctx.stroke();
      }
    }
  }
  ctx.restore();
  return counts;
}

/**
 * The marker nearest to (px, py) within `maxDistance` CSS px of its centre, or null: plotly.js's
 * hovermode 'closest' with hoverdistance. On equal distances the one drawn on top wins.
 */
export function nearestMarker(sets: readonly MarkerSet[], frame: PlotFrame, px: number, py: number, maxDistance: number): MarkerHit | null {
  if (!inside(frame, px, py)) return null;
  let best: MarkerHit | null = null;
  let bestDistance = maxDistance;
  for (const set of sets) {
    for (let i = 0; i < set.x.length; i++) {
      const [mx, my] = toPixel(frame, set.x[i], set.y[i]);
      const d = Math.hypot(mx - px, my - py);
      if (d <= bestDistance && inside(frame, mx, my)) {
        bestDistance = d;
        best = { traceIndex: set.traceIndex, pointIndex: i, customdata: set.customdata?.[i], px: mx, py: my };
      }
    }
  }
  return best;
}

/**
 * Every marker centred inside the axes, in drawing order (bottom first). A point drawn twice (the map's
 * best set is starred by a second trace over its own) is listed once, at its first drawing: markers with
 * equal customdata are the same point.
 */
export function visibleMarkers(sets: readonly MarkerSet[], frame: PlotFrame): MarkerHit[] {
  const out: MarkerHit[] = [];
  const seen = new Set<unknown>();
  for (const set of sets) {
    for (let i = 0; i < set.x.length; i++) {
      const [px, py] = toPixel(frame, set.x[i], set.y[i]);
      if (!inside(frame, px, py)) continue;
      const customdata = set.customdata?.[i];
      if (customdata !== undefined) {
        if (seen.has(customdata)) continue;
        seen.add(customdata);
      }
      out.push({ traceIndex: set.traceIndex, pointIndex: i, customdata, px, py });
    }
  }
  return out;
}

/** A key press on the chart's points: a direction on screen, or a step through the drawing order. */
export type MarkerStep = 'left' | 'right' | 'up' | 'down' | 'next' | 'previous' | 'first' | 'last';

/** Screen direction (CSS px, y down) of each arrow step. */
const DIRECTIONS: Partial<Record<MarkerStep, [number, number]>> = { left: [-1, 0], right: [1, 0], up: [0, -1], down: [0, 1] };

/**
 * Keyboard navigation among the markers inside the axes (what a pointer can hover).
 * - Arrows: the nearest marker in that direction — centre at least half a pixel further along it, inside
 *   the 90° cone around it when any is (else the half-plane), ranked by hypot(along, 2 · across) so a
 *   marker straight ahead beats a nearer one off to the side. Null when nothing lies that way: the
 *   focus stays.
 * - next / previous: the neighbour in drawing order, wrapping — reaches every point, even one hidden
 *   under another; first / last: the ends of that order.
 * With no current marker, arrows and 'next' start at the marker nearest the centre of the plot area
 * (where a user looking at the map expects to begin) and 'previous' at the last.
 * `from` is matched by trace and point index; when that marker is gone (new data), its pixel position is
 * the origin.
 */
export function stepMarker(sets: readonly MarkerSet[], frame: PlotFrame, from: MarkerHit | null, step: MarkerStep): MarkerHit | null {
  const all = visibleMarkers(sets, frame);
  if (all.length === 0) return null;
  if (step === 'first') return all[0];
  if (step === 'last') return all[all.length - 1];
  const at = from ? all.findIndex((m) => m.traceIndex === from.traceIndex && m.pointIndex === from.pointIndex) : -1;
  if (!from) {
    if (step === 'previous') return all[all.length - 1];
    const cx = frame.left + frame.width / 2;
    const cy = frame.top + frame.height / 2;
    return all.reduce((a, b) => (Math.hypot(b.px - cx, b.py - cy) < Math.hypot(a.px - cx, a.py - cy) ? b : a));
  }
  if (step === 'next' || step === 'previous') {
    if (at < 0) return all[0];
    return all[(at + (step === 'next' ? 1 : all.length - 1)) % all.length];
  }
  const [dx, dy] = DIRECTIONS[step]!;
  let inCone: { hit: MarkerHit; score: number } | null = null;
  let inHalf: { hit: MarkerHit; score: number } | null = null;
  for (let k = 0; k < all.length; k++) {
    if (k === at) continue;
    const m = all[k];
    const along = (m.px - from.px) * dx + (m.py - from.py) * dy;
    if (along < 0.5) continue;
    const across = Math.abs((m.px - from.px) * dy - (m.py - from.py) * dx);
    const score = Math.hypot(along, 2 * across);
    if (across <= along && (!inCone || score < inCone.score)) inCone = { hit: m, score };
    if (!inHalf || score < inHalf.score) inHalf = { hit: m, score };
  }
  return (inCone ?? inHalf)?.hit ?? null;
}
