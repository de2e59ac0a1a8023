/**
 * npm run bench:bo-timing — the optimizer's fit + propose time per iteration (batch 8, UCB with the default
 * settings: EI members from 5 parameters on) as a study grows: 16, 96, 300 and 500 observations on the
 * void-like 6-D mixed space and on Hartmann-6, warm-started as the closed loop calls it and cold
 * (bench/bo/timing.ts). Targets: ≤ 300 ms at 96 observations and
 * ≤ 1.5 s at 500 (one core of this machine). The same rows as `npm run bench:bo`'s timing table, without
 * its regret runs. Options: --repeats N (data sets per size, default 5; 3 at 300 and above).
 * Writes bench/results/bo-timing.json.
 */
import { cpus, loadavg } from 'node:os';
import { hartmann6, voidLike } from './bo/functions';
import { timeFitPropose, type TimingRow } from './bo/timing';
import { machineInfo, printTable, writeBenchResult, type Figure } from './lib/report';

const i = process.argv.indexOf('--repeats');
const repeats = i >= 0 ? Number(process.argv[i + 1]) : 5;
const SIZES = [16, 96, 300, 500];
const TARGETS: Record<number, number> = { 96: 300, 500: 1500 };

const rows: TimingRow[] = [];
for (const fn of [voidLike, hartmann6]) {
  for (const n of SIZES) {
    console.error(`bench:bo-timing — ${fn.name} at ${n} observations…`);
    rows.push(timeFitPropose(fn, n, n >= 300 ? Math.min(3, repeats) : repeats));
  }
}

const table = rows.map((t) => ({
  function: t.fn,
  observations: t.observations,
  repeats: t.repeats,
  warm_min_ms: Math.round(t.warmMs),
  warm_median_ms: Math.round(t.warmMedianMs),
  warm_cpu_median_ms: Math.round(t.warmCpuMs),
  cold_min_ms: Math.round(t.coldMs),
  cold_fit_ms: Math.round(t.coldFitMs),
  cold_propose_ms: Math.round(t.coldProposeMs),
  load_1m: t.loadAverage1m,
}));
printTable(table, 'Fit + propose per iteration (batch 8, UCB with the default settings): min = what the code costs, median = what a busy machine gives');

const figures: Record<string, Figure> = {};
for (const t of rows.filter((r) => r.fn === voidLike.name)) {
  figures[`fit_propose_ms_at_${t.observations}`] = {
    value: Math.round(t.warmMs),
    unit: `ms (void-like 6-D mixed space, batch 8, warm-started; fastest of ${t.repeats} data sets; 1-min load average ${t.loadAverage1m} on ${cpus().length} cores)`,
    target: TARGETS[t.observations] ?? null,
    better: 'lower',
  };
  figures[`fit_propose_ms_at_${t.observations}_median`] = { value: Math.round(t.warmMedianMs), unit: `ms (same, median of ${t.repeats})`, target: null, better: 'lower' };
}
writeBenchResult({ bench: 'bo-timing', machine: machineInfo({ load_average_1m_at_end: +loadavg()[0].toFixed(2) }), figures, rows: table });
