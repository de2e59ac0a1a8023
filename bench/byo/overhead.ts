import { spawnSync } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Matrix } from '../../src/engine/linalg/matrix';
import { createRng, type Rng } from '../../src/engine/random/rng';
import { cli, writeTellFiles, type AskedSet, type StatusJson, type TellSet } from './cli';
import { npyBytes, randomPoint, SPACE, spaceYaml } from './simulator';

/**
 * The command line's own cost: one `ask` and one `tell` as separate processes
 * (`npm run --silent calibrate -- …`, process start included) on a study holding 1,000 told samples of
 * 768 values. The study is built in-process with a few big tells: the 16-set initial design (48
 * samples), the first model-based batch (8 × 3 = 24), then 928 samples of 232 attached sets (4
 * replicates each) in 4 tells of 232 rows. Each repetition copies that study, times `ask --n 8`, then
 * times `tell` of those 8 sets × 3 replicates.
 */
export const OVERHEAD = { dim: 768, real: 64, samples: 1000, repeats: 5 } as const;

/**
 * The told samples' offset from the real set, per coordinate: far enough that no set is within the
 * confirmation's δ, so every timed ask is an ordinary batch of 8 (a confirmation asks for one set).
 */
export const SYNTHETIC_SHIFT = 1;

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function gaussian(rows: number, cols: number, rng: Rng, shift = 0): Matrix<Float32Array> {
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal(shift, 1);
  return { rows, cols, data };
}

export async function buildOverheadStudy(dir: string): Promise<{ study: string; status: StatusJson }> {
  const rng = createRng('byo-overhead');
  const study = join(dir, 'overhead-study');
  const spacePath = join(dir, 'overhead-space.yaml');
  const realPath = join(dir, 'overhead-real.npy');
  writeFileSync(spacePath, spaceYaml());
  writeFileSync(realPath, npyBytes(gaussian(OVERHEAD.real, OVERHEAD.dim, rng)));
  await cli(['init', study, '--space', spacePath, '--real', realPath, '--batch', '8', '--initial', '16', '--seed', '0']);
  let told = 0;
  const tell = async (sets: TellSet[], tag: string) => {
    const files = writeTellFiles(dir, SPACE, sets, `overhead-${tag}`);
    await cli(['tell', study, '--samples', files.samples, '--embeddings', files.embeddings]);
    told += sets.reduce((n, s) => n + s.embeddings.rows, 0);
  };
  const askAndTell = async (n: number, tag: string) => {
    const asked = JSON.parse(await cli(['ask', study, '--n', String(n), '--format', 'json'])) as AskedSet[];
    await tell(asked.map((a) => ({ param_set_id: a.param_set_id, embeddings: gaussian(3, OVERHEAD.dim, rng, SYNTHETIC_SHIFT) })), tag);
  };
  await askAndTell(16, 'initial');
  await askAndTell(8, 'batch1');
  const perSet = 4;
  const attachedSets = (OVERHEAD.samples - told) / perSet;
  if (!Number.isInteger(attachedSets)) throw new Error(`overhead: ${OVERHEAD.samples - told} samples left is not a whole number of ${perSet}-replicate sets`);
  const chunks = 4;
  for (let c = 0; c < chunks; c++) {
    const sets: TellSet[] = [];
    for (let k = Math.floor((c * attachedSets) / chunks); k < Math.floor(((c + 1) * attachedSets) / chunks); k++) {
      sets.push({ param_set_id: `attached_${k}`, params: randomPoint(rng), embeddings: gaussian(perSet, OVERHEAD.dim, rng, SYNTHETIC_SHIFT) });
    }
    await tell(sets, `attached${c}`);
  }
  const status = JSON.parse(await cli(['status', study, '--json'])) as StatusJson;
  if (status.samples !== OVERHEAD.samples) throw new Error(`overhead study holds ${status.samples} told samples, expected ${OVERHEAD.samples}`);
  return { study, status };
}

export interface OverheadRun {
  repeat: number;
  ask_s: number;
  tell_s: number;
}

/** One command as its own process, from the project root; wall time including npm's and tsx's start. */
function timedCommand(args: string[]): { seconds: number; stdout: string } {
  const started = performance.now();
  const run = spawnSync('npm', ['run', '--silent', 'calibrate', '--', ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = (performance.now() - started) / 1000;
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`npm run calibrate -- ${args.join(' ')} exited ${run.status}: ${run.stderr.trim()}`);
  return { seconds, stdout: run.stdout };
}

export function timeOverhead(dir: string, base: string): OverheadRun[] {
  const rng = createRng('byo-overhead-timing');
  const runs: OverheadRun[] = [];
  for (let repeat = 1; repeat <= OVERHEAD.repeats; repeat++) {
    const study = join(dir, `overhead-copy-${repeat}`);
    cpSync(base, study, { recursive: true });
    const ask = timedCommand(['ask', study, '--n', '8', '--format', 'json']);
    const asked = JSON.parse(ask.stdout) as AskedSet[];
    const files = writeTellFiles(dir, SPACE, asked.map((a) => ({ param_set_id: a.param_set_id, embeddings: gaussian(3, OVERHEAD.dim, rng, SYNTHETIC_SHIFT) })), `overhead-timed-${repeat}`);
    const tell = timedCommand(['tell', study, '--samples', files.samples, '--embeddings', files.embeddings]);
    runs.push({ repeat, ask_s: ask.seconds, tell_s: tell.seconds });
  }
  return runs;
}
