import type { Row } from '../../lib/report';
import type { RunRecord } from '../protocol';
import { quantile } from '../stats';
import { bbobClassOf } from './suite';

/**
 * Aggregates of the BBOB suite: per problem (ours against each peer), per function class and overall.
 *  - wins: ours' median final regret below every peer's (the issue's "beats every peer");
 *  - ratio to random: ours' median final regret / random search's (the issue's "never worse than random");
 *  - normalised regret: a run's final regret / the regret of the best point of its initial design (the same
 *    16 Sobol points for every method of a seed), so functions of very different scales can be pooled;
 *  - ECDF of targets: COCO's aggregate (Hansen et al., "COCO: performance assessment"): the share of
 *    (problem, seed, target) triples whose target Δf = f − f_opt is reached, 51 targets 10^2 … 10^−8
 *    log-uniformly, here by the method's recommendation after each iteration (regret, not best-evaluated).
 */
export const ECDF_TARGETS = Array.from({ length: 51 }, (_, i) => 10 ** (2 - i * 0.2));
export const CLASS_ORDER = ['separable', 'moderate', 'ill-conditioned', 'multimodal-global', 'multimodal-weak'] as const;

export interface ProblemSummary {
  problem: string;
  cls: string;
  /** Median final regret per method. */
  final: Record<string, number>;
  bestPeer: string | null;
  ratioBestPeer: number | null;
  ratioRandom: number | null;
  win: boolean | null;
}

const groupBy = <T>(items: readonly T[], key: (t: T) => string) => {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
};

export function summariseProblems(records: readonly RunRecord[], problems: readonly string[], peers: readonly string[]): ProblemSummary[] {
  const byProblem = groupBy(records, (r) => r.problem);
  return problems.map((problem) => {
    const final: Record<string, number> = {};
    for (const [method, runs] of groupBy(byProblem.get(problem) ?? [], (r) => r.method)) final[method] = quantile(runs.map((r) => r.regret.at(-1)!), 0.5);
    const present = peers.filter((p) => p in final);
    const bestPeer = present.length ? present.reduce((a, b) => (final[b] < final[a] ? b : a)) : null;
    const ours = final.ours;
    const ratio = (other: number) => (ours === undefined ? null : ours === 0 && other === 0 ? 1 : ours / Math.max(other, 1e-300));
    return {
      problem,
      cls: bbobClassOf(problem) ?? 'other',
      final,
      bestPeer,
      ratioBestPeer: bestPeer ? ratio(final[bestPeer]) : null,
      ratioRandom: 'random' in final ? ratio(final.random) : null,
      win: ours === undefined || !bestPeer ? null : present.every((p) => ours < final[p]),
    };
  });
}

/** Final regret / the best initial-design point's regret, per run. */
const normalised = (r: RunRecord) => r.regret.at(-1)! / Math.max(r.bestEvaluatedRegret[0], 1e-300);

/** ECDF of targets reached by the recommendation, per iteration, over the given runs. */
export function ecdfCurve(runs: readonly RunRecord[]): number[] {
  if (runs.length === 0) return [];
  const length = runs[0].regret.length;
  return Array.from({ length }, (_, i) => {
    let hit = 0;
    for (const r of runs) for (const t of ECDF_TARGETS) if (r.regret[i] <= t) hit++;
    return hit / (runs.length * ECDF_TARGETS.length);
  });
}

export interface ClassRow {
  cls: string;
  problems: number;
  wins: number;
  worstRatioRandom: number;
  worstProblem: string;
  /** Median normalised final regret per method. */
  normalised: Record<string, number>;
  /** Final ECDF value per method. */
  ecdf: Record<string, number>;
  /** ECDF per iteration per method (for the plot). */
  curves: Record<string, number[]>;
}

/** Dimension of a suite problem's name (bbob_f8_d5+noise → 5), or null. */
export function dimensionOf(problem: string): number | null {
  const match = /_d(\d+)(?:\+|$)/.exec(problem);
  return match ? Number(match[1]) : null;
}

/** Rows per function class, then per dimension ('d=5'; when the suite has more than one), then overall. */
export function summariseClasses(records: readonly RunRecord[], summaries: readonly ProblemSummary[], methods: readonly string[]): ClassRow[] {
  const dims = [...new Set(summaries.map((s) => dimensionOf(s.problem)).filter((d): d is number => d !== null))].sort((a, b) => a - b);
  const classes = [...CLASS_ORDER.filter((c) => summaries.some((s) => s.cls === c)), ...(dims.length > 1 ? dims.map((d) => `d=${d}`) : []), 'overall'];
  const member = (cls: string, s: ProblemSummary) => cls === 'overall' || s.cls === cls || (cls.startsWith('d=') && dimensionOf(s.problem) === Number(cls.slice(2)));
  return classes.map((cls) => {
    const inClass = summaries.filter((s) => member(cls, s));
    const names = new Set(inClass.map((s) => s.problem));
    const runs = records.filter((r) => names.has(r.problem));
    const byMethod = groupBy(runs, (r) => r.method);
    const worst = inClass.filter((s) => s.ratioRandom !== null).reduce<ProblemSummary | null>((a, b) => (!a || b.ratioRandom! > a.ratioRandom! ? b : a), null);
    const row: ClassRow = {
      cls,
      problems: inClass.length,
      wins: inClass.filter((s) => s.win).length,
      worstRatioRandom: worst?.ratioRandom ?? Number.NaN,
      worstProblem: worst?.problem ?? '',
      normalised: {},
      ecdf: {},
      curves: {},
    };
    for (const m of methods) {
      const list = byMethod.get(m) ?? [];
      if (!list.length) continue;
      row.normalised[m] = quantile(list.map(normalised), 0.5);
      row.curves[m] = ecdfCurve(list);
      row.ecdf[m] = row.curves[m].at(-1)!;
    }
    return row;
  });
}

/** Rows of the class table; `ecdf` gets a ten-character bar (a text plot) for ours. */
export function classTableRows(rows: readonly ClassRow[], methods: readonly string[]): Row[] {
  const bar = (v: number) => '#'.repeat(Math.round(10 * v)).padEnd(10, '.');
  return rows.map((r) => ({
    class: r.cls,
    problems: r.problems,
    'ours beats every peer': `${r.wins}/${r.problems} (${Math.round((100 * r.wins) / Math.max(1, r.problems))} %)`,
    'worst ours/random': Number.isFinite(r.worstRatioRandom) ? +r.worstRatioRandom.toPrecision(3) : '',
    'worst on': r.worstProblem,
    ...Object.fromEntries(methods.filter((m) => m in r.normalised).map((m) => [`norm. regret ${m}`, +r.normalised[m].toPrecision(3)])),
    ...Object.fromEntries(methods.filter((m) => m in r.ecdf).map((m) => [`ECDF ${m}`, +r.ecdf[m].toFixed(3)])),
    'ECDF ours (plot)': 'ours' in r.ecdf ? bar(r.ecdf.ours) : '',
  }));
}

const COLOURS: Record<string, string> = { ours: '#d62728', ours_ei: '#ff9896', sklearn_gp_ei: '#1f77b4', optuna_tpe: '#2ca02c', random: '#7f7f7f', sobol: '#bcbd22' };

/** ECDF of targets reached against evaluations, one panel per class and one overall (an SVG document). */
export function ecdfSvg(rows: readonly ClassRow[], evaluations: readonly number[], title: string): string {
  const panelW = 320;
  const panelH = 220;
  const cols = 3;
  const margin = { l: 44, r: 10, t: 28, b: 34 };
  const nRows = Math.ceil(rows.length / cols);
  const width = cols * panelW;
  const height = nRows * panelH + 60;
  const xMin = evaluations[0];
  const xMax = evaluations.at(-1)!;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="16" text-anchor="middle" font-size="13">${escapeXml(title)}</text>`,
  ];
  rows.forEach((row, k) => {
    const ox = (k % cols) * panelW;
    const oy = 24 + Math.floor(k / cols) * panelH;
    const w = panelW - margin.l - margin.r;
    const h = panelH - margin.t - margin.b;
    const px = (e: number) => ox + margin.l + ((e - xMin) / Math.max(1, xMax - xMin)) * w;
    const py = (v: number) => oy + margin.t + (1 - v) * h;
    parts.push(`<text x="${ox + margin.l + w / 2}" y="${oy + 16}" text-anchor="middle">${escapeXml(`${row.cls} (${row.problems} problems, ours wins ${row.wins})`)}</text>`);
    parts.push(`<rect x="${ox + margin.l}" y="${oy + margin.t}" width="${w}" height="${h}" fill="none" stroke="#999"/>`);
    for (const v of [0, 0.25, 0.5, 0.75, 1]) {
      parts.push(`<line x1="${ox + margin.l}" x2="${ox + margin.l + w}" y1="${py(v)}" y2="${py(v)}" stroke="#eee"/>`);
      parts.push(`<text x="${ox + margin.l - 4}" y="${py(v) + 4}" text-anchor="end">${v}</text>`);
    }
    for (const e of [xMin, Math.round((xMin + xMax) / 2), xMax]) parts.push(`<text x="${px(e)}" y="${oy + margin.t + h + 14}" text-anchor="middle">${e}</text>`);
    parts.push(`<text x="${ox + margin.l + w / 2}" y="${oy + margin.t + h + 28}" text-anchor="middle" fill="#555">evaluations</text>`);
    for (const [method, curve] of Object.entries(row.curves)) {
      const points = curve.map((v, i) => `${px(evaluations[i]).toFixed(1)},${py(v).toFixed(1)}`).join(' ');
      parts.push(`<polyline points="${points}" fill="none" stroke="${COLOURS[method] ?? '#000'}" stroke-width="${method === 'ours' ? 2.5 : 1.5}"/>`);
    }
  });
  const methods = [...new Set(rows.flatMap((r) => Object.keys(r.curves)))];
  methods.forEach((m, i) => {
    const x = 20 + i * 150;
    const y = height - 14;
    parts.push(`<line x1="${x}" x2="${x + 24}" y1="${y - 4}" y2="${y - 4}" stroke="${COLOURS[m] ?? '#000'}" stroke-width="2.5"/>`);
    parts.push(`<text x="${x + 30}" y="${y}">${escapeXml(m)}</text>`);
  });
  parts.push(`<text x="${width - 8}" y="${height - 4}" text-anchor="end" fill="#555">share of (problem, seed, target) reached; 51 targets Δf = 10^2 … 10^−8</text>`);
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
