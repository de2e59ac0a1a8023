import type { calibrationReport } from './report';

/** REPORT.json's data (calibrationReport), which the HTML page shows. */
export type CalibrationReport = ReturnType<typeof calibrationReport>;

export interface ReportHtmlOptions {
  /** The page's heading and title (default "Calibration report"). */
  title?: string;
}

/**
 * The calibration report as one self-contained HTML page, to save beside the synthetic table: the
 * verdict first (all green or not, naming the failed gates), then the generator and its settings, the
 * gates with their thresholds, values and holdout floors, the failures with their causes and
 * suggestions, every metric with its floor (docs/tabular.md's keys), the evaluations in order, and the
 * report's notes. Inline CSS, no script, nothing loaded (a Content-Security-Policy forbids it), and every
 * text from the report HTML-escaped — file and column names come from the user's files. Numbers are
 * shown to 4 significant digits; REPORT.json keeps them in full.
 */
export function reportHtml(report: CalibrationReport, options: ReportHtmlOptions = {}): string {
  const title = options.title ?? 'Calibration report';
  const gates = report.gates;
  const applicable = gates.filter((g) => g.pass !== null);
  const failed = applicable.filter((g) => g.pass === false);
  const verdict = report.all_green
    ? `<p class="verdict verdict--green"><strong>All green</strong>: every applicable gate of ${esc(report.gates_preset)} passes (${applicable.length} of ${gates.length} apply to this table).</p>`
    : `<p class="verdict verdict--red"><strong>Not all green</strong>: ${failed.length} of ${applicable.length} applicable gates of ${esc(report.gates_preset)} fail (${failed.map((g) => esc(g.metric)).join(', ')}). The best attempt is shown.</p>`;

  const facts: Array<[string, string]> = [
    ['Real table', esc(report.input)],
    ['Constraints', report.constraints === null ? 'none' : esc(report.constraints)],
    ['Target', report.target === null ? 'none' : esc(report.target)],
    ['Group', report.group === null ? 'none' : esc(report.group)],
    ['Class column', report.class_column === null ? 'none' : esc(report.class_column)],
    ['Rows', `${num(report.rows.real)} real (${num(report.rows.train)} train, ${num(report.rows.holdout)} holdout), ${num(report.rows.synthetic)} synthetic`],
    ['Generator', `<strong>${esc(report.generator)}</strong>`],
    ['Settings', settingsText(report.settings)],
    ['Utility', `${num(report.utility.value)} (holdout floor ${num(report.utility.floor)})`],
    ['Search', `${esc(report.strategy)}, budget ${num(report.budget)}, seed ${num(report.seed)}; ${report.evaluations.length} evaluation${report.evaluations.length === 1 ? '' : 's'}, stopped by ${esc(stopReason(report.stopped))}`],
    ['Best evaluation', `#${num(report.best_evaluation)}`],
    ['Generators searched', report.generators_searched.map(esc).join(', ')],
  ];

  const gateRows = gates
    .map((g) => `<tr class="${g.pass === null ? 'na' : g.pass ? 'ok' : 'bad'}"><th scope="row">${esc(g.metric)}</th><td>${esc(g.op)}</td><td>${num(g.threshold)}</td><td>${num(g.value)}</td><td>${num(g.floor)}</td><td>${passMark(g.pass)}</td></tr>`)
    .join('\n');

  const failures = report.failures
    .map(
      (f) => `<article class="failure">
<h3>${esc(f.type)}</h3>
<p><strong>Cause:</strong> ${esc(f.cause)}</p>
<p><strong>Suggestion:</strong> ${esc(f.suggestion)}</p>
<p class="small">Failed: ${f.gates.map((g) => `${esc(g.metric)} ${num(g.value)} ${esc(g.op)} ${num(g.threshold)} (holdout ${num(g.floor)})`).join('; ')}</p>
</article>`,
    )
    .join('\n');

  const metricRows = Object.entries(report.metrics)
    .map(([key, m]) => {
      const entry = m as { value: number | null; floor: number | null; applicable: boolean; spread?: number };
      const value = entry.applicable ? num(entry.value) : 'not applicable';
      const spread = entry.spread === undefined ? '' : ` ± ${num(entry.spread)}`;
      return `<tr${entry.applicable ? '' : ' class="na"'}><th scope="row">${esc(key)}</th><td>${value}${spread}</td><td>${num(entry.floor)}</td></tr>`;
    })
    .join('\n');

  const gateMetrics = gates.map((g) => g.metric);
  const evaluationRows = report.evaluations
    .map((e) => {
      const best = e.index === report.best_evaluation;
      const cells = gateMetrics.map((metric) => `<td${e.failed.includes(metric) ? ' class="bad"' : ''}>${num(e.metrics[metric])}</td>`).join('');
      const predicted = e.predicted ? `predicted utility ${num(e.predicted.utility)}, P(all green) ${num(e.predicted.p_all_green)}` : '';
      const note = [e.note ?? '', predicted].filter((t) => t.length > 0).map(esc).join('; ');
      return `<tr${best ? ' class="best"' : ''}><th scope="row">${num(e.index)}${best ? ' (best)' : ''}</th><td>${esc(e.origin)}</td><td>${esc(e.generator)}</td><td class="settings">${settingsText(e.settings, '<br>')}</td><td>${num(e.utility)}</td>${cells}<td>${num(e.gates_passed)} / ${num(e.gates_applicable)}</td><td>${passMark(e.all_green)}</td><td class="note">${note}</td></tr>`;
    })
    .join('\n');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}: ${esc(report.input)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${esc(title)}</h1>
${verdict}
</header>
<section>
<h2>Generator and settings</h2>
<dl>
${facts.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('\n')}
</dl>
<p class="small">Selection: ${esc(report.selection)}.</p>
</section>
<section>
<h2>Gates (${esc(report.gates_preset)})</h2>
<table class="gates">
<thead><tr><th scope="col">metric</th><th scope="col">op</th><th scope="col">threshold</th><th scope="col">value</th><th scope="col">holdout floor</th><th scope="col">pass</th></tr></thead>
<tbody>
${gateRows}
</tbody>
</table>
<p class="small">A gate whose metric does not apply to this table (—) does not block all green. The holdout floor is the same metric for real rows the generator never saw.</p>
</section>
${report.failures.length > 0 ? `<section>\n<h2>Failures</h2>\n${failures}\n</section>\n` : ''}<section>
<h2>Metrics</h2>
<table class="metrics">
<thead><tr><th scope="col">metric</th><th scope="col">value</th><th scope="col">holdout floor</th></tr></thead>
<tbody>
${metricRows}
</tbody>
</table>
</section>
<section>
<h2>Evaluations</h2>
<div class="wide">
<table class="evaluations">
<thead><tr><th scope="col">#</th><th scope="col">origin</th><th scope="col">generator</th><th scope="col">settings</th><th scope="col">utility</th>${gateMetrics.map((m) => `<th scope="col">${breakable(m)}</th>`).join('')}<th scope="col">gates passed</th><th scope="col">all green</th><th scope="col">note</th></tr></thead>
<tbody>
${evaluationRows}
</tbody>
</table>
</div>
</section>
${report.notes.length > 0 ? `<section>\n<h2>Notes</h2>\n<ul>\n${report.notes.map((n) => `<li>${esc(n)}</li>`).join('\n')}\n</ul>\n</section>\n` : ''}</body>
</html>
`;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML, safe in element content and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const esc = (v: unknown): string => escapeHtml(String(v));

/** A number to 4 significant digits (integers whole), "—" for null, non-finite ones spelled out. */
function num(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(4)));
}

function passMark(pass: boolean | null): string {
  if (pass === null) return '<span class="mark">—</span> n/a';
  return pass ? '<span class="mark">✓</span> pass' : '<span class="mark">✗</span> fail';
}

function settingsText(settings: Record<string, number | boolean>, separator = ', '): string {
  const parts = Object.entries(settings).map(([k, v]) => `${esc(k)} = ${typeof v === 'boolean' ? (v ? 'yes' : 'no') : num(v)}`);
  return parts.length > 0 ? parts.join(separator) : 'none';
}

/** A metric key as a column heading that may wrap after its underscores. */
function breakable(key: string): string {
  return esc(key).replace(/_/g, '_<wbr>');
}

function stopReason(stopped: CalibrationReport['stopped']): string {
  if (stopped === 'all_green') return 'the first all-green table';
  if (stopped === 'no_rule_left') return 'no rule left to try';
  return 'the budget';
}

const STYLE = `
:root { color-scheme: light; font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; font-size: 14px; line-height: 1.45; color: #1f2933; background: #fff; }
body { margin: 24px auto; max-width: 1100px; padding: 0 16px; }
h1 { font-size: 20px; margin: 0 0 8px; }
h2 { font-size: 16px; margin: 24px 0 8px; border-bottom: 1px solid #d9e2ec; padding-bottom: 4px; }
h3 { font-size: 14px; margin: 0 0 4px; }
.verdict { padding: 10px 14px; border-radius: 6px; margin: 0; }
.verdict--green { background: #e3f9e5; border: 1px solid #8eedc7; color: #05603a; }
.verdict--red { background: #fef3f2; border: 1px solid #f3c2bd; color: #b42318; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
dt { color: #616e7c; }
dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #e4e7eb; padding: 3px 10px 3px 0; text-align: left; vertical-align: top; }
thead th { color: #616e7c; font-weight: 600; }
tbody th { font-weight: 500; }
tr.ok .mark { color: #05603a; }
tr.bad, td.bad { color: #b42318; }
tr.na { color: #9aa5b1; }
tr.best { background: #f0f4ff; }
.mark { font-weight: 700; }
.failure { border-left: 3px solid #f3c2bd; padding: 4px 0 4px 12px; margin: 8px 0; }
.failure p { margin: 2px 0; }
.small { color: #616e7c; font-size: 12px; }
.wide { overflow-x: auto; }
.evaluations { font-size: 12px; }
.evaluations thead th { vertical-align: bottom; }
.evaluations td.settings { white-space: nowrap; }
.evaluations td.note { min-width: 220px; }
@media print { body { margin: 0; } .wide { overflow: visible; } }
`;
