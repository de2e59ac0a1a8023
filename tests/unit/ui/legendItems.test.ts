import { describe, expect, it } from 'vitest';
import type { Data, Layout } from 'plotly.js-dist-min';
import { applyLegendClicks, legendGroups, traceShown } from '../../../src/ui/plots/legendItems';

const scatter = (extra: Record<string, unknown>): Data => ({ type: 'scatter', mode: 'markers', x: [0], y: [0], ...extra }) as Data;

describe('legendGroups (the HTML legend of a plotly figure)', () => {
  it('orders entries by legendrank, then trace order, under their group titles', () => {
    const data = [
      scatter({ name: 'far', uid: 'far', legendgroup: 'it0', legendgrouptitle: { text: 'Iteration 0' }, legendrank: 3 }),
      scatter({ name: 'close', uid: 'close', legendgroup: 'it0', legendrank: 2 }),
      scatter({ name: 'iteration 1', uid: 'it1', legendgroup: 'opt', legendgrouptitle: { text: 'Optimizer' }, legendrank: 101 }),
      scatter({ name: 'real', uid: 'real', legendgroup: 'it0', legendrank: 1 }),
    ];
    const groups = legendGroups(data, { legend: { groupclick: 'toggleitem' } } as Partial<Layout>);
    expect(groups.map((g) => [g.title, g.items.map((i) => i.name)])).toEqual([
      ['Iteration 0', ['real', 'close', 'far']],
      ['Optimizer', ['iteration 1']],
    ]);
    // toggleitem: an entry toggles its own trace only.
    expect(groups[0].items[0].traces).toEqual([3]);
  });

  it('by default an entry toggles its whole legend group, hidden members included', () => {
    const data = [scatter({ name: 'band', legendgroup: 'floor' }), scatter({ name: 'band mean', legendgroup: 'floor', showlegend: false }), scatter({ name: 'batch' })];
    const groups = legendGroups(data, {});
    expect(groups.flatMap((g) => g.items.map((i) => [i.name, i.traces]))).toEqual([
      ['band', [0, 1]],
      ['batch', [2]],
    ]);
  });

  it('lists what plotly.js lists: no legend for one trace unless asked, none when turned off, no heatmaps', () => {
    expect(legendGroups([scatter({ name: 'only' })], {})).toEqual([]);
    expect(legendGroups([scatter({ name: 'only' })], { showlegend: true }).flatMap((g) => g.items.map((i) => i.name))).toEqual(['only']);
    expect(legendGroups([scatter({ name: 'a' }), scatter({ name: 'b' })], { showlegend: false })).toEqual([]);
    const mixed = [scatter({ name: 'a' }), scatter({ name: 'b', showlegend: false }), { type: 'heatmap', name: 'h', z: [[1]] } as Data, scatter({ name: 'c', visible: false })];
    expect(legendGroups(mixed, { showlegend: true }).flatMap((g) => g.items.map((i) => i.name))).toEqual(['a']);
  });

  it('describes each swatch: marker shape and colour, dashed line, filled band', () => {
    const data = [
      scatter({ name: 'best', marker: { color: '#111', symbol: 'star-open' } }),
      { type: 'scatter', mode: 'lines', name: 'threshold', x: [0], y: [0], line: { color: '#b42318', dash: 'dot' } } as Data,
      { type: 'scatter', mode: 'lines', name: 'floor', x: [0], y: [0], fill: 'toself', fillcolor: 'rgba(0,0,0,0.2)', line: { width: 0 } } as Data,
    ];
    const [best, threshold, floor] = legendGroups(data, {})[0].items.map((i) => i.swatch);
    expect(best).toEqual({ marker: { color: '#111', symbol: 'star', open: true } });
    expect(threshold).toEqual({ line: { color: '#b42318', dash: '1.5 2.5' } });
    expect(floor).toEqual({ fill: 'rgba(0,0,0,0.2)' });
  });
});

describe('legend clicks', () => {
  it('override a trace’s own visibility, and only the traces clicked', () => {
    const data = [scatter({ name: 'a', uid: 'a' }), scatter({ name: 'b', uid: 'b', visible: 'legendonly' }), scatter({ name: 'c', uid: 'c' })];
    const clicks = new Map([
      ['a', false],
      ['b', true],
    ]);
    expect(data.map((t, i) => traceShown(t, i, clicks))).toEqual([false, true, true]);
    const drawn = applyLegendClicks(data, clicks) as Array<{ visible?: unknown }>;
    expect(drawn.map((t) => t.visible)).toEqual(['legendonly', true, undefined]);
    expect(drawn[2]).toBe(data[2]);
    expect(applyLegendClicks(data, new Map())).toBe(data);
  });
});
