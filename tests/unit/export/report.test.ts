import { describe, expect, it } from 'vitest';
import { iterationFiles, reportHtml, type MapPoint } from '../../../src/storage/archive';
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

  it('escapes text from the records', () => {
    const { x, points } = report();
    const html = reportHtml({ experiment: { ...x.experiment, name: '<script>alert(1)</script>' }, iterations: x.iterations, points, sampleCount: 1 });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
