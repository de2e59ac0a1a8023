/**
 * Paired comparison of one method in two runs files of bench:bo (a candidate setting against the
 * default, same seeds, so the same instances, initial designs and noise streams):
 *
 *   npx tsx bench/bo/compare.ts BASE_runs.json CANDIDATE_runs.json [--method ours] [--json OUT.json]
 *
 * Per problem and pooled: median final regret of each, runs where the candidate is better / worse, the
 * geometric mean of candidate / base, and the two-sided Wilcoxon signed-rank p on the paired log ratios
 * (ties dropped; normal approximation with the tie correction, Hollander & Wolfe 1999, §3.1 — for the
 * pooled rows; a problem's 5–10 pairs are too few for it to mean much).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { RunRecord } from './protocol';
import { quantile } from './stats';

interface Comparison {
  problem: string;
  pairs: number;
  base: number;
  candidate: number;
  better: number;
  worse: number;
  geometricMeanRatio: number;
  p: number | null;
}

function normalCdf(z: number): number {
  // Abramowitz & Stegun 7.1.26 on erf(|z|/√2).
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - (((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t) * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

export function wilcoxonSignedRank(differences: readonly number[]): number | null {
  const d = differences.filter((x) => x !== 0 && Number.isFinite(x));
  const n = d.length;
  if (n < 6) return null;
  const order = d.map((x, i) => ({ a: Math.abs(x), i })).sort((p, q) => p.a - q.a);
  const ranks = new Float64Array(n);
  let tieTerm = 0;
  for (let k = 0; k < n; ) {
    let j = k;
    while (j + 1 < n && order[j + 1].a === order[k].a) j++;
    const rank = (k + j + 2) / 2;
    for (let m = k; m <= j; m++) ranks[order[m].i] = rank;
    const t = j - k + 1;
    tieTerm += t * t * t - t;
    k = j + 1;
  }
  let wPlus = 0;
  d.forEach((x, i) => (wPlus += x > 0 ? ranks[i] : 0));
  const mean = (n * (n + 1)) / 4;
  const variance = (n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48;
  const z = (wPlus - mean) / Math.sqrt(variance);
  return 2 * (1 - normalCdf(Math.abs(z)));
}

function compare(problem: string, pairs: [RunRecord, RunRecord][]): Comparison {
  const floor = 1e-300;
  const logRatios = pairs.map(([b, c]) => Math.log(Math.max(c.regret.at(-1)!, floor) / Math.max(b.regret.at(-1)!, floor)));
  return {
    problem,
    pairs: pairs.length,
    base: quantile(pairs.map(([b]) => b.regret.at(-1)!), 0.5),
    candidate: quantile(pairs.map(([, c]) => c.regret.at(-1)!), 0.5),
    better: logRatios.filter((r) => r < 0).length,
    worse: logRatios.filter((r) => r > 0).length,
    geometricMeanRatio: Math.exp(logRatios.reduce((s, r) => s + r, 0) / Math.max(1, logRatios.length)),
    p: wilcoxonSignedRank(logRatios),
  };
}

function main() {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args.splice(i, 2)[1] : undefined;
  };
  const method = flag('method') ?? 'ours';
  const jsonOut = flag('json');
  const [baseFile, candidateFile] = args;
  if (!baseFile || !candidateFile) throw new Error('usage: compare.ts BASE_runs.json CANDIDATE_runs.json [--method ours] [--json OUT.json]');
  const load = (file: string) => (JSON.parse(readFileSync(file, 'utf8')) as { records: RunRecord[] }).records.filter((r) => r.method === method);
  const base = new Map(load(baseFile).map((r) => [`${r.problem}|${r.seed}`, r]));
  const byProblem = new Map<string, [RunRecord, RunRecord][]>();
  for (const c of load(candidateFile)) {
    const b = base.get(`${c.problem}|${c.seed}`);
    if (b) byProblem.set(c.problem, [...(byProblem.get(c.problem) ?? []), [b, c]]);
  }
  const rows = [...byProblem].map(([problem, pairs]) => compare(problem, pairs));
  const all = [...byProblem.values()].flat();
  const dims = [...new Set(rows.map((r) => /_d(\d+)/.exec(r.problem)?.[1]).filter(Boolean))];
  const pooled = [
    ...dims.map((d) => compare(`all d=${d}`, [...byProblem].filter(([p]) => p.includes(`_d${d}`)).flatMap(([, v]) => v))),
    compare('all', all),
  ];
  const fmt = (x: number) => (x === 0 ? '0' : x.toExponential(2));
  console.log(`${method}: ${baseFile} (base) vs ${candidateFile} (candidate)`);
  console.log(['problem'.padEnd(22), 'pairs', 'base'.padStart(9), 'cand.'.padStart(9), 'better/worse', 'geo-mean', 'p'].join('  '));
  for (const r of [...rows, ...pooled]) {
    console.log([r.problem.padEnd(22), String(r.pairs).padStart(5), fmt(r.base).padStart(9), fmt(r.candidate).padStart(9), `${r.better} / ${r.worse}`.padStart(12), r.geometricMeanRatio.toFixed(3).padStart(8), r.p === null ? '' : r.p.toPrecision(2)].join('  '));
  }
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ method, base: baseFile, candidate: candidateFile, rows: [...rows, ...pooled] }, null, 1) + '\n');
}

main();
