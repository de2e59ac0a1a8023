import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A headline number of a bench, with its target (one shape for every bench file: see docs/decisions.md, 'Benchmarks: one result shape'). */
export interface Figure {
  value: number;
  unit: string;
  target: number | null;
  better: 'higher' | 'lower';
}

export type Row = Record<string, string | number | boolean | null>;

export interface BenchResult {
  bench: string;
  date: string;
  machine: Record<string, string | number>;
  figures: Record<string, Figure>;
  rows: Row[];
}

export function machineInfo(extra: Record<string, string | number> = {}): Record<string, string | number> {
  const list = cpus();
  return {
    cpus: list.length,
    cpu_model: list[0]?.model ?? 'unknown',
    memory_gib: +(totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    platform: `${process.platform}/${process.arch}`,
    ...extra,
  };
}

/** Prints rows as an aligned text table. */
export function printTable(rows: Row[], title?: string): void {
  if (title) console.log(`\n${title}`);
  if (rows.length === 0) return;
  const keys = Object.keys(rows[0]);
  const cell = (v: Row[string]) => (typeof v === 'number' ? formatNumber(v) : String(v ?? ''));
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => cell(r[k]).length)));
  const line = (values: string[]) => values.map((v, i) => v.padStart(widths[i])).join('  ');
  console.log(line(keys));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(keys.map((k) => cell(r[k]))));
}

function formatNumber(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 100) return v.toFixed(1);
  if (a >= 1) return v.toFixed(3);
  return v.toPrecision(3);
}

/** Prints a bench's figures against their targets. */
export function printFigures(bench: string, figures: Record<string, Figure>): void {
  printTable(
    Object.entries(figures).map(([name, f]) => ({
      figure: name,
      value: f.value,
      unit: f.unit,
      target: f.target,
      met: f.target === null ? '' : (f.better === 'higher' ? f.value >= f.target : f.value <= f.target) ? 'yes' : 'NO',
    })),
    `${bench}: figures`,
  );
}

/** Prints the figures against their targets and writes bench/results/NAME.json. */
export function writeBenchResult(result: Omit<BenchResult, 'date'> & { date?: string }): string {
  const full: BenchResult = { ...result, date: result.date ?? new Date().toISOString() };
  printFigures(full.bench, full.figures);
  const here = dirname(fileURLToPath(import.meta.url));
  const path = join(here, '..', 'results', `${full.bench}.json`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(full, null, 2) + '\n');
  console.log(`\nwrote ${path}`);
  return path;
}
