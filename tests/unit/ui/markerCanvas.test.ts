import { describe, expect, it } from 'vitest';
import type { Data } from 'plotly.js-dist-min';
import { isMarkerTrace, markerSets, nearestMarker, type PlotFrame } from '../../../src/ui/plots/markerCanvas';

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
