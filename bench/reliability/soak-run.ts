/**
 * Runs the load and soak of bench/reliability/soak.ts and prints its table and figures:
 *   npx tsx bench/reliability/soak-run.ts --iterations 50 --embedder image-statistics [--json /tmp/soak.json] [--profile-from 40]
 * Writes no results file (the reliability bench assembles its own from runSoak); --json writes the
 * whole SoakResult where asked.
 */
import { writeFileSync } from 'node:fs';
import { printFigures, printTable } from '../lib/report';
import type { StudioEmbedder } from '../lib/studioPage';
import { runSoak, soakRows } from './soak';

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
}

async function main(): Promise<void> {
  const iterations = Number(argument('iterations') ?? 50);
  const embedder = (argument('embedder') ?? 'image-statistics') as StudioEmbedder;
  if (embedder !== 'image-statistics' && embedder !== 'dinov2-standin') throw new Error(`--embedder image-statistics | dinov2-standin, got ${embedder}`);
  const profileFrom = argument('profile-from');
  const result = await runSoak({ iterations, embedder, ...(profileFrom ? { cpuProfileFrom: Number(profileFrom) } : {}) });
  printTable(soakRows(result), `Soak: ${iterations} iterations, ${result.machine.embedder}, Auto-run in Chromium (Vite dev server)`);
  const s = result.samples;
  console.log(`\nsamples: ${s.stored} stored of ${s.expected} expected; lost ${s.lost.length}${s.lost.length ? ` (${s.lost.slice(0, 5).join(', ')}…)` : ''}, duplicated ${s.duplicated.length}, unexpected ${s.unexpected.length}`);
  const e = result.export;
  console.log(
    `export: ${e.seconds} s, ${(e.bytes / 1e6).toFixed(1)} MB, ${e.pngs} PNGs, ${e.metadataRows} metadata rows (lost ${e.lost.length}, duplicated ${e.duplicated.length}); longest main-thread task during it ${e.longestTaskMs} ms${e.longestTaskWhat ? `: ${e.longestTaskWhat}` : ''}`,
  );
  console.log(`tasks overlapping the bench's forced GCs (left out): ${result.measurementTasks.count}, longest ${result.measurementTasks.longestMs} ms`);
  if (result.profile) {
    printTable(result.profile.self, `main-thread JS from iteration ${result.profile.fromIteration}: self time`);
    printTable(result.profile.appInclusive, 'the app code: inclusive time');
  }
  printFigures(`soak (${embedder}, ${iterations} iterations)`, result.figures);
  const json = argument('json');
  if (json) {
    writeFileSync(json, JSON.stringify(result, null, 2) + '\n');
    console.log(`\nwrote ${json}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
