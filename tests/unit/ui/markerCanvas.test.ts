import { describe, expect, it } from 'vitest';
import type { Data } from 'plotly.js-dist-min';
import { isMarkerTrace, markerSets, nearestMarker, stepMarker, visibleMarkers, type PlotFrame } from '../../../src/ui/plots/markerCanvas';

const scatter = (extra: Record<string, unknown>): Data => ({ type: 'scatter', mode: 'markers', x: [0], y: [0], ...extra }) as Data;

/** A 200 × 100 px plot area at (50, 10), showing x in [0, 10] and y in [0, 5]: 20 px per unit both ways. */
const frame: PlotFrame = { left: 50, top: 10, width: 200, height: 100, x: [0, 10], y: [0, 5] };

describe('markerSets (which traces the canvas draws)', () => {
  it('takes visible markers-only scatter traces with their style, and leaves lines, bars and hidden traces to plotly.js', () => {
    const data = [
      scatter({ uid: 'real', x: [1, 2], y: [3, 4], customdata: [7, 8], marker: { color: '#d9480f', size: 12, symbol: 'diamond', line: { color: '#fff', width: 1.2 } } }),
      scatter({ uid: 'hidden', visible: 'legendonly' }),
      { type: 'scatter', mode: 'lines+markers', x: [0], y: [0] } as Data,
      { type: 'bar', x: [0], y: [0] } as Data,
      scatter({ marker: { symbol: 'star-open', color: '#111' } }),
    ];
    expect(data.map(isMarkerTrace)).toEqual([true, true, false, false, true]);
    const sets = markerSets(data);
    expect(sets.map((s) => [s.traceIndex, s.key])).toEqual([
      [0, 'real'],
      [4, '4'],
    ]);
    expect(sets[0]).toMatchObject({ x: [1, 2], y: [3, 4], customdata: [7, 8], color: '#d9480f', size: 12, symbol: 'diamond', line: { color: '#fff', width: 1.2 }, opacity: 1 });
    // plotly.js's defaults where the trace says nothing: size 6, a circle, no outline.
    expect(sets[1]).toMatchObject({ size: 6, symbol: 'star-open', line: null, color: '#111' });
  });
});

describe('nearestMarker (hover and click on the canvas)', () => {
  const sets = markerSets([
    scatter({ uid: 'a', x: [1, 5], y: [1, 2.5], customdata: [10, 11] }),
    scatter({ uid: 'b', x: [5, 9.9], y: [2.5, 4.9], customdata: [20, 21] }),
    scatter({ uid: 'outside', x: [12], y: [2], customdata: [30] }),
  ]);

  it('maps data to pixels (y up) and finds the nearest marker within the distance', () => {
    // (1, 1) is drawn at x = 50 + 20, y = 10 + 100 − 20.
    expect(nearestMarker(sets, frame, 73, 88, 12)).toEqual({ traceIndex: 0, pointIndex: 0, customdata: 10, px: 70, py: 90 });
    expect(nearestMarker(sets, frame, 70, 90 - 13, 12)).toBeNull();
  });

  it('on a tie the marker drawn on top (the later trace) wins', () => {
    // (5, 2.5) is in both traces, at (150, 60).
    expect(nearestMarker(sets, frame, 151, 60, 12)).toMatchObject({ traceIndex: 1, pointIndex: 0, customdata: 20 });
  });

  it('never hovers outside the plot area, nor a marker centred outside the axes', () => {
    // The pointer left of the plot area, 2 px from where x = −0.1 would be.
    expect(nearestMarker(sets, frame, 48, 90, 12)).toBeNull();
    // (12, 2) lies at (290, 70), right of the area (which ends at 250): 41 px from the pointer, not hovered.
    expect(nearestMarker(sets, frame, 249, 70, 50)).toBeNull();
    expect(nearestMarker(sets, frame, 249, 20, 50)).toMatchObject({ customdata: 21 });
  });
});

describe('stepMarker (keyboard navigation among the points)', () => {
  // Pixels (20 px per unit, y up): A (1,1) → (70, 90); B (5,1) → (150, 90); C (5,4) → (150, 30);
  // D (3,3) → (110, 50); E (1.5,4) → (80, 30); F off the axes; the second trace stars B again.
  const sets = markerSets([
    scatter({ uid: 'it', x: [1, 5, 5, 3, 1.5, 12], y: [1, 1, 4, 3, 4, 2], customdata: ['A', 'B', 'C', 'D', 'E', 'F'] }),
    scatter({ uid: 'best', x: [5], y: [1], customdata: ['B'], marker: { symbol: 'star-open' } }),
  ]);
  const ids = (hit: ReturnType<typeof stepMarker>) => hit?.customdata ?? null;
  const at = (id: string) => visibleMarkers(sets, frame).find((m) => m.customdata === id)!;

  it('lists each point inside the axes once, in drawing order', () => {
    expect(visibleMarkers(sets, frame).map((m) => m.customdata)).toEqual(['A', 'B', 'C', 'D', 'E']);
  });

  it('arrows go to the nearest point that way, straight ahead before off to the side', () => {
    expect(ids(stepMarker(sets, frame, at('A'), 'right'))).toBe('B');
    expect(ids(stepMarker(sets, frame, at('A'), 'up'))).toBe('E');
    // From B up: C is straight ahead (60 px), D nearer but 40 px aside (hypot(40, 80) = 89 > 60).
    expect(ids(stepMarker(sets, frame, at('B'), 'up'))).toBe('C');
    expect(ids(stepMarker(sets, frame, at('C'), 'left'))).toBe('D');
    expect(ids(stepMarker(sets, frame, at('D'), 'down'))).toBe('A');
    // Nothing lies left of A or below B: the focus stays where it is.
    expect(stepMarker(sets, frame, at('A'), 'left')).toBeNull();
    expect(stepMarker(sets, frame, at('B'), 'down')).toBeNull();
  });

  it('outside the 90° cone only when nothing is inside it', () => {
    // From E right: C straight ahead scores 70; D (30 px right, 20 px down) is in the cone, hypot(30, 40) = 50.
    expect(ids(stepMarker(sets, frame, at('E'), 'right'))).toBe('D');
    expect(ids(stepMarker(sets, frame, at('C'), 'down'))).toBe('B');
    expect(stepMarker(sets, frame, at('C'), 'right')).toBeNull();
    // From D left: A is 40 px left and 40 px down (on the cone's edge), E 30 px left, 20 px up: E.
    expect(ids(stepMarker(sets, frame, at('D'), 'left'))).toBe('E');
    // From E down: D (30 px right, 20 down) is nearer but outside the cone (30 > 20); A (10 left, 60 down) is in it.
    expect(ids(stepMarker(sets, frame, at('E'), 'down'))).toBe('A');
    // From B left: D (40 px left, 40 up, on the cone's edge) scores hypot(40, 80) = 89; A, 80 px straight left, 80.
    expect(ids(stepMarker(sets, frame, at('B'), 'left'))).toBe('A');
    // Nothing in the cone: the half-plane. Q is 20 px right of P and 40 px up, outside P's rightward cone.
    const pq = markerSets([scatter({ x: [1, 2], y: [1, 3], customdata: ['P', 'Q'] })]);
    const p = visibleMarkers(pq, frame)[0];
    expect(ids(stepMarker(pq, frame, p, 'right'))).toBe('Q');
    expect(stepMarker(pq, frame, p, 'left')).toBeNull();
  });

  it('next and previous walk the drawing order and wrap; first and last are its ends', () => {
    expect(ids(stepMarker(sets, frame, at('A'), 'next'))).toBe('B');
    expect(ids(stepMarker(sets, frame, at('E'), 'next'))).toBe('A');
    expect(ids(stepMarker(sets, frame, at('A'), 'previous'))).toBe('E');
    expect(ids(stepMarker(sets, frame, at('C'), 'first'))).toBe('A');
    expect(ids(stepMarker(sets, frame, null, 'last'))).toBe('E');
  });

  it('starts at the point nearest the centre of the plot area', () => {
    // The centre is (150, 60): B and C are 30 px away, D 41; the first of the closest in drawing order.
    expect(ids(stepMarker(sets, frame, null, 'right'))).toBe('B');
    expect(ids(stepMarker(sets, frame, null, 'next'))).toBe('B');
    expect(ids(stepMarker(sets, frame, null, 'previous'))).toBe('E');
  });

  it('a point gone from the data is replaced by its position as the origin; no points, no step', () => {
    const gone = { traceIndex: 9, pointIndex: 0, customdata: 'Z', px: 60, py: 90 };
    expect(ids(stepMarker(sets, frame, gone, 'right'))).toBe('A');
    expect(ids(stepMarker(sets, frame, gone, 'next'))).toBe('A');
    expect(stepMarker([], frame, null, 'right')).toBeNull();
  });
});
