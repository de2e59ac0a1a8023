import { describe, expect, it } from 'vitest';
import { defineSpace } from '../../../src/engine/space/space';
import { plausibleRegion } from '../../../src/engine/trust/plausibleRegion';
import { historyJson, iterationFiles, reportHtml, type HistoryFile, type MapPoint } from '../../../src/storage/archive';
import { fromTaggedJson } from '../../../src/storage/archive/taggedJson';
import { buildSyntheticExperiment } from '../../helpers/experimentFixture';

function report(userTarget = false) {
  const x = buildSyntheticExperiment({ userTarget });
  const points: MapPoint[] = [0, 1].flatMap((n) => iterationFiles(x.experiment, n, x.samples.filter((s) => s.iteration === n)).points);
  return { x, points, html: reportHtml({ experiment: x.experiment, iterations: x.iterations, points, sampleCount: x.samples.length }) };
}

const svgs = (html: string) => html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];

describe('report.html', () => {
  it('is one self-contained page: inline SVG, no scripts, nothing fetched from elsewhere', () => {
    const { html } = report();
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    // the only URL is the SVG namespace
    expect([...html.matchAll(/https?:\/\/[^"'\s)]+/g)].map((m) => m[0])).toEqual(['http://www.w3.org/2000/svg', 'http://www.w3.org/2000/svg']);
    expect(svgs(html)).toHaveLength(2);
  });

  it('draws every projected sample on the latent map, coloured by real / close / far / iteration, with the best ringed', () => {
    const { html, points } = report();
    const map = svgs(html)[0] ?? '';
    const dots = (series: string) => (map.match(new RegExp(`<g data-series="${series}">([\\s\\S]*?)</g>`))?.[1].match(/<circle /g) ?? []).length;
    expect(dots('real')).toBe(points.filter((p) => p.dataset_type === 'real').length);
    expect(dots('close')).toBe(2);
    expect(dots('far')).toBe(2);
    expect(dots('iteration 1')).toBe(5); // 6 samples, the last one not projected yet
    expect(dots('current best')).toBeGreaterThan(0);
    expect(map).toContain('fill="#111111"'); // real in black
    expect(map).toMatch(/<title>iter1_synthetic_000 \(synthetic, ps_010\)<\/title>/);
  });

  it('draws the convergence curve over the noise-floor band', () => {
    const { html } = report();
    const curve = svgs(html)[1] ?? '';
    expect(curve).toMatch(/<polygon data-series="noise floor \(real vs real, central band\)" points="[\d.,\s]+"/);
    const line = curve.match(/<g data-series="iteration batch vs real: MMD² \(unbiased\)">([\s\S]*?)<\/g>/)![1];
    expect(line.match(/<circle /g)).toHaveLength(2);
    expect(line).toContain('<polyline');
  });

  it('shows the hidden parameters for a simulated target and says why there are none for user images', () => {
    expect(report(false).html).toContain('Hidden real parameter sets');
    const user = report(true).html;
    expect(user).not.toContain('Hidden real parameter sets');
    expect(user).toContain('no parameter-recovery report is possible');
  });

  it('names the acquisition that chose each proposed set next to its value, and a dash for a re-evaluation', () => {
    const x = buildSyntheticExperiment({});
    const latest = x.iterations[x.iterations.length - 1].proposal!;
    const page = (next: typeof latest.next_params) =>
      reportHtml({ experiment: x.experiment, iterations: [...x.iterations.slice(0, -1), { ...x.iterations[x.iterations.length - 1], proposal: { ...latest, next_params: next } }], points: [], sampleCount: 0 });
    const nextTable = (html: string) => html.slice(html.indexOf('Next batch (recommended)'));
    const named = nextTable(page([{ ...latest.next_params[0], acquisition: 'ei' }, latest.next_params[1]]));
    expect(named).toMatch(/<td>ei 1\.25<\/td>/);
    expect(named).toMatch(/<td>–<\/td>/);
    // A record made before proposals named their acquisition: the value alone.
    expect(nextTable(page(latest.next_params))).toMatch(/<td>1\.25<\/td>/);
  });

  it('escapes text from the records', () => {
    const { x, points } = report();
    const html = reportHtml({ experiment: { ...x.experiment, name: '<script>alert(1)</script>' }, iterations: x.iterations, points, sampleCount: 1 });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('tables the latest proposal\'s plausible region (parameter, best, plausible interval, identifiable?) and says when there is no recipe', () => {
    const { x, points } = report();
    const space = defineSpace([
      { kind: 'continuous', name: 'base_size', low: 5, high: 40 },
      { kind: 'continuous', name: 'size_std', low: 0, high: 15 },
      { kind: 'categorical', name: 'void_shape', choices: ['circle', 'ellipse', 'irregular'] },
    ]);
    // μ depends on base_size and the shape only: size_std is not identifiable.
    const region = plausibleRegion(space, (p) => ({ mean: ((Number(p.base_size) - 20) / 10) ** 2 + (p.void_shape === 'ellipse' ? 0 : 1), std: 0.1 }), { tolerance: 0.25, seed: 1 });
    const iterations = x.iterations.map((it, i) => (i === 0 ? { ...it, proposal: { ...it.proposal!, region } } : it));
    const html = reportHtml({ experiment: x.experiment, iterations, points, sampleCount: x.samples.length });
    const table = html.match(/<table><caption>Plausible region<\/caption>[\s\S]*?<\/table>/)![0];
    expect(table).toContain('<th>parameter</th><th>best</th><th>plausible interval</th><th>identifiable?</th>');
    const rows = [...table.matchAll(/<tr><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)].map((m) => m.slice(1));
    expect(rows.map((r) => r[0])).toEqual(['base_size', 'size_std', 'void_shape']);
    expect(rows[0][3]).toBe('yes');
    expect(rows[0][2]).toMatch(/^1\d(\.\d+)? … 2\d(\.\d+)?$/);
    expect(rows[1][3]).toMatch(/^no: .*more real samples, a different embedding, or fix it/);
    expect(rows[2][2]).toBe('{ellipse}');
    expect(html).toContain('from the proposal after iteration 0');
    expect(html).toContain('No distribution recipe computed.');

    // history.json carries the same table for a Python reader.
    const history = fromTaggedJson<HistoryFile>(historyJson(x.experiment.id, iterations));
    expect(history.plausible_region?.rows.map((r) => [r.parameter, r.identifiable])).toEqual([['base_size', true], ['size_std', false], ['void_shape', true]]);
    expect(fromTaggedJson<HistoryFile>(historyJson(x.experiment.id, x.iterations)).plausible_region).toBeNull();
  });
});
