import type { ExperimentRecord, IterationRecord } from '../../engine/experiment/records';
import type { MapPoint } from './bundle';
import { summarizeHistory } from './history';
import { recipeSection, regionSection } from './reportTrust';
import { escapeXml, formatNumber, iterationColor, lineChartSvg, scatterSvg, type ScatterSeries } from './svgPlots';
import { variantComparisonSection } from './reportVariants';

/**
 * report.html: one self-contained page (inline CSS and SVG, no scripts, no external resources) with
 * the latent map, the convergence curve with its noise-floor band, the current best parameter sets,
 * the next batch, the target's hidden parameters when the target was simulated, the plausible region
 * and the distribution recipe.
 * Every input comes from the records, so the same experiment always gives the same bytes.
 */

export interface ReportInput {
  experiment: ExperimentRecord;
  /** Sorted by iteration. */
  iterations: readonly IterationRecord[];
  points: readonly MapPoint[];
  sampleCount: number;
  /** The domain's own files in the archive (domain/…), pointed to at the end; none for an image domain. */
  domainFiles?: readonly string[];
}

const DATASET_COLORS: Record<string, string> = { real: '#111111', close: '#2ca02c', far: '#d62728' };

const esc = escapeXml;

function sameParams(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

function fmtValue(v: unknown): string {
  return typeof v === 'number' ? formatNumber(v) : String(v);
}

/** A proposal's acquisition value, named after the acquisition that chose it when the record says ('ucb 1.2', 'ei −0.3'); '–' for a re-evaluation. */
function acquisitionLabel(p: { acquisitionValue: number | null; acquisition?: string }): string {
  if (p.acquisitionValue === null) return '–';
  return p.acquisition ? `${p.acquisition} ${formatNumber(p.acquisitionValue)}` : formatNumber(p.acquisitionValue);
}

function latestProposal(iterations: readonly IterationRecord[]) {
  for (let i = iterations.length - 1; i >= 0; i--) if (iterations[i].proposal) return iterations[i].proposal;
  return undefined;
}

export function latentMapSvg(input: ReportInput): string {
  const { points, iterations } = input;
  const series: ScatterSeries[] = [];
  for (const type of ['close', 'far', 'real']) {
    const pts = points.filter((p) => p.iteration === 0 && p.dataset_type === type);
    if (pts.length > 0) series.push({ label: type, color: DATASET_COLORS[type], points: pts.map(toScatter) });
  }
  const later = [...new Set(points.filter((p) => p.iteration > 0).map((p) => p.iteration))].sort((a, b) => a - b);
  later.forEach((iteration, i) => {
    const pts = points.filter((p) => p.iteration === iteration);
    series.push({ label: `iteration ${iteration}`, color: iterationColor(i, later.length), points: pts.map(toScatter) });
  });
  const best = latestProposal(iterations)?.current_best[0];
  if (best) {
    const bestSets = new Set(
      iterations.flatMap((r) => r.paramSets.filter((ps) => sameParams(ps.params, best.params)).map((ps) => `${r.iteration}/${ps.param_set_id}`)),
    );
    const pts = points.filter((p) => bestSets.has(`${p.iteration}/${p.param_set_id}`));
    if (pts.length > 0) series.push({ label: 'current best', color: '#ff7f0e', points: pts.map(toScatter), radius: 7, ring: true });
  }
  const kind = input.experiment.projection?.kind === 'umap' ? 'UMAP' : 'PCA';
  return scatterSvg(series, { title: `Latent map (${kind} fitted at iteration 0, fixed)`, xLabel: `${kind} 1`, yLabel: `${kind} 2`, width: 720, height: 560 });
}

function toScatter(p: MapPoint) {
  return { x: p.x, y: p.y, title: `${p.sample_id} (${p.dataset_type}, ${p.param_set_id})` };
}

export function convergenceSvg(iterations: readonly IterationRecord[]): string {
  const { summary } = summarizeHistory(iterations);
  return lineChartSvg(
    [
      { label: 'iteration batch vs real: MMD² (unbiased)', color: '#1f77b4', points: summary.map((r) => ({ x: r.iteration, y: r.mmd2_unbiased ?? NaN })) },
      { label: 'best parameter-set MMD² so far', color: '#ff7f0e', dashed: true, points: summary.map((r) => ({ x: r.iteration, y: r.best_score_so_far ?? NaN })) },
    ],
    [{ label: 'noise floor (real vs real, central band)', color: '#7f7f7f', points: summary.map((r) => ({ x: r.iteration, low: r.noise_floor?.low ?? NaN, high: r.noise_floor?.high ?? NaN })) }],
    { title: 'Convergence', xLabel: 'iteration', yLabel: 'MMD² (kernel units)', integerX: true, width: 720, height: 420 },
  );
}

function paramsTable(caption: string, rows: Array<{ params: Readonly<Record<string, unknown>>; extra: Record<string, string> }>): string {
  if (rows.length === 0) return '';
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.params)))];
  const extras = [...new Set(rows.flatMap((r) => Object.keys(r.extra)))];
  const head = ['#', ...names, ...extras].map((h) => `<th>${esc(h)}</th>`).join('');
  const body = rows
    .map((r, i) => `<tr><td>${i + 1}</td>${names.map((n) => `<td>${esc(fmtValue(r.params[n] ?? ''))}</td>`).join('')}${extras.map((e) => `<td>${esc(r.extra[e] ?? '')}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table><caption>${esc(caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function targetSection(experiment: ExperimentRecord): string {
  if (experiment.target.kind === 'user') {
    return `<p>Target: the user's own ${experiment.target.imageCount} real images. There are no true parameters to recover, so no parameter-recovery report is possible.</p>`;
  }
  const hidden = experiment.hiddenRealParamSets ?? [];
  return (
    '<p>Target: simulated "real" images from the config\'s hidden real distribution; the optimizer never saw these parameters. Compare them with the current best above.</p>' +
    paramsTable('Hidden real parameter sets', hidden.map((h) => ({ params: h.params, extra: { param_set_id: h.param_set_id } })))
  );
}

/** Where the domain's own report and results are: the page above shows only what every domain has. */
function domainFilesNote(paths: readonly string[]): string {
  if (paths.length === 0) return '';
  return `\n<p>This experiment's domain wrote its own files beside this report: ${paths.map((p) => `<code>${esc(p)}</code>`).join(', ')}.</p>`;
}

export function reportHtml(input: ReportInput): string {
  const { experiment, iterations } = input;
  const { summary } = summarizeHistory(iterations);
  const proposal = latestProposal(iterations);
  const best = (proposal?.current_best ?? []).map((b) => ({
    params: b.params,
    extra: {
      'posterior mean': formatNumber(b.posteriorMean),
      'posterior sd': b.posteriorStd === null ? '–' : formatNumber(b.posteriorStd),
      observed: formatNumber(b.observed),
      n: String(b.observationCount),
    },
  }));
  const next = (proposal?.next_params ?? []).map((p) => ({ params: p.params, extra: { acquisition: acquisitionLabel(p) } }));
  const iterationRows = summary
    .map(
      (r) =>
        `<tr><td>${r.iteration}</td><td>${esc(r.stage)}</td><td>${r.mmd2_unbiased === null ? '–' : esc(formatNumber(r.mmd2_unbiased))}</td><td>${
          r.noise_floor ? `${esc(formatNumber(r.noise_floor.low))} … ${esc(formatNumber(r.noise_floor.high))}` : '–'
        }</td><td>${r.best_score_so_far === null ? '–' : esc(formatNumber(r.best_score_so_far))}</td><td>${esc(r.convergence_detail ?? '')}</td></tr>`,
    )
    .join('\n');
  const convergence = experiment.convergence;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(experiment.name)} — Latent Calibration Studio report</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; max-width: 1100px; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: right; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.25rem; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1rem; }
dt { font-weight: bold; }
figure { margin: 1rem 0; }
</style>
</head>
<body>
<h1>${esc(experiment.name)}</h1>
<dl>
<dt>Experiment id</dt><dd>${esc(experiment.id)}</dd>
<dt>Created</dt><dd>${esc(experiment.createdAt)}</dd>
<dt>Last updated</dt><dd>${esc(experiment.updatedAt)}</dd>
<dt>Status</dt><dd>${esc(experiment.status)}${experiment.statusDetail ? ` — ${esc(experiment.statusDetail)}` : ''}</dd>
<dt>Embedder</dt><dd>${esc(experiment.embedder.label)} (${experiment.embedder.dimension}-d${experiment.embedder.normalized ? ', L2-normalised' : ''})</dd>
<dt>Iterations</dt><dd>${iterations.length}</dd>
<dt>Samples</dt><dd>${input.sampleCount}</dd>
<dt>Convergence</dt><dd>${convergence ? esc(convergence.converged ? convergence.detail : `not converged yet: ${convergence.detail}`) : '–'}</dd>
<dt>Confirmation</dt><dd>${experiment.confirmation ? esc(`iteration ${experiment.confirmation.iteration} (${experiment.confirmation.trigger === 'user' ? 'asked by the user' : 'the threshold rule'}), ${experiment.confirmation.param_set_id}: ${experiment.confirmation.statement}`) : 'none yet: the loop confirms its best set when the threshold rule believes it has converged'}</dd>
${variantComparisonSection(experiment.variantComparison)}
</dl>
<h2>Latent map</h2>
<figure>
${latentMapSvg(input)}
</figure>
<h2>Convergence</h2>
<figure>
${convergenceSvg(iterations)}
</figure>
<table><caption>Per iteration</caption><thead><tr><th>iteration</th><th>stage</th><th>MMD² (batch)</th><th>noise floor band</th><th>best so far</th><th>convergence</th></tr></thead><tbody>
${iterationRows}
</tbody></table>
<h2>Parameters</h2>
${paramsTable('Current best (by posterior mean)', best)}
${paramsTable('Next batch (recommended)', next)}
${targetSection(experiment)}
<h2>Plausible region</h2>
${regionSection(iterations)}
<h2>Distribution recipe</h2>
${recipeSection(experiment)}
<p>Files: see README.md in this archive for the layout and how to load it with numpy.</p>${domainFilesNote(input.domainFiles ?? [])}
</body>
</html>
`;
}
