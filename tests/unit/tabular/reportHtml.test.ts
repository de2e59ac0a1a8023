import { describe, expect, it } from 'vitest';
import { parseConstraints } from '../../../src/domains/tabular/constraints/parseConstraints';
import { validateConstraints } from '../../../src/domains/tabular/constraints/validateConstraints';
import { readTable } from '../../../src/domains/tabular/csv/readTable';
import { calibrationReport } from '../../../src/domains/tabular/loop/report';
import { escapeHtml, reportHtml } from '../../../src/domains/tabular/loop/reportHtml';
import { calibrateTable } from '../../../src/domains/tabular/loop/runCalibration';
import { fixtureText } from './fixtures';

// The glass table with a hostile class column name, read from a hostile file name: both reach the report.
const HOSTILE_COLUMN = '<script>alert("type")</script>';
const HOSTILE_FILE = '<img src=x onerror=alert(1)>&fgl.csv';
const text = fixtureText('fgl.csv').replace('"type"', `"${HOSTILE_COLUMN.replace(/"/g, '""')}"`);
const fgl = readTable(text, HOSTILE_FILE, { roles: { [HOSTILE_COLUMN]: 'group' } });
const constraints = validateConstraints(parseConstraints(fixtureText('fgl_constraints.yaml'), 'c.yaml'), fgl, 'c.yaml').constraints;

function report(gates: 'seed003_original' | 'seed003_adjusted', strategy: 'random' | 'rules') {
  const result = calibrateTable({ real: fgl, constraints, group: HOSTILE_COLUMN, seed: 3, gates, strategy, budget: 3 });
  return calibrationReport(result, { input: HOSTILE_FILE, constraints: 'fgl_constraints.yaml', target: null, group: HOSTILE_COLUMN });
}

/** The rows of the table that follows `<table class="NAME">`. */
function rows(html: string, name: string): string[] {
  const body = html.split(`<table class="${name}">`)[1].split('</table>')[0].split('<tbody>')[1];
  return body.split('</tr>').filter((r) => r.includes('<tr'));
}

describe('reportHtml: the calibration report as a self-contained page', () => {
  const failed = report('seed003_original', 'random');
  const html = reportHtml(failed, { title: 'Glass <synthetic>' });

  it('is one page with inline CSS, no script and nothing to load', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<(script|link|img|iframe|object)\b/i);
    expect(html).not.toMatch(/\s(src|href|on\w+)=["']/i);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('<h1>Glass &lt;synthetic&gt;</h1>');
  });

  it('escapes the hostile file and column names wherever they appear', () => {
    expect(html).toContain(escapeHtml(HOSTILE_FILE));
    expect(html).toContain('&lt;script&gt;alert(&quot;type&quot;)&lt;/script&gt;');
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('puts the verdict first, naming the failed gates', () => {
    expect(failed.all_green).toBe(false);
    const verdict = html.split('<header>')[1].split('</header>')[0];
    expect(verdict).toContain('Not all green');
    for (const g of failed.gates.filter((x) => x.pass === false)) expect(verdict).toContain(g.metric);
    expect(html.indexOf('Not all green')).toBeLessThan(html.indexOf('Generator and settings'));
  });

  it('has one gates row per gate with its op, threshold, floor and ✓ or ✗', () => {
    const gateRows = rows(html, 'gates');
    expect(gateRows).toHaveLength(failed.gates.length);
    failed.gates.forEach((g, k) => {
      expect(gateRows[k]).toContain(`<th scope="row">${g.metric}</th>`);
      expect(gateRows[k]).toContain(`<td>${escapeHtml(g.op)}</td><td>${g.threshold}</td>`);
      expect(gateRows[k]).toContain(g.pass === null ? '—' : g.pass ? '✓' : '✗');
    });
  });

  it('shows the generator and settings, every metric with its floor, each failure, and every evaluation', () => {
    expect(html).toContain(`<strong>${failed.generator}</strong>`);
    for (const key of Object.keys(failed.settings)) expect(html).toContain(`${key} = `);
    expect(rows(html, 'metrics').map((r) => r.match(/<th scope="row">([^<]+)</)?.[1])).toEqual(Object.keys(failed.metrics));
    expect(failed.failures.length).toBeGreaterThan(0);
    for (const f of failed.failures) {
      expect(html).toContain(`<h3>${f.type}</h3>`);
      expect(html).toContain(escapeHtml(f.cause));
      expect(html).toContain(escapeHtml(f.suggestion));
    }
    const evaluations = rows(html, 'evaluations');
    expect(evaluations).toHaveLength(failed.evaluations.length);
    expect(evaluations.filter((r) => r.includes('(best)'))).toHaveLength(1);
    for (const n of failed.notes) expect(html).toContain(escapeHtml(n));
  });

  it('says all green when it is, without a failures section', () => {
    // The rules loop starts from the users' defaults, which pass their own adjusted gates.
    const green = report('seed003_adjusted', 'rules');
    expect(green.all_green).toBe(true);
    const page = reportHtml(green);
    expect(page).toContain('<strong>All green</strong>');
    expect(page).not.toContain('<h2>Failures</h2>');
    expect(page).toContain('<h1>Calibration report</h1>');
  });
});
