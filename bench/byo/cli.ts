import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calibrate } from '../../src/cli/calibrate';
import type { Matrix } from '../../src/engine/linalg/matrix';
import type { ParameterSet, ParameterSpace } from '../../src/engine/space/space';
import { npyBytes, stack } from './simulator';

/**
 * The command line as a bench drives it: `calibrate(argv, io)` in-process (the same entry point
 * `npm run --silent calibrate -- …` runs), stdout captured, a non-zero exit thrown with its messages.
 */
export async function cli(argv: string[]): Promise<string> {
  let out = '';
  let err = '';
  const code = await calibrate(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
  if (code !== 0) throw new Error(`calibrate ${argv.join(' ')} exited ${code}: ${err.trim()}`);
  return out;
}

/** What `ask --format json` and `status --json` print: the study service's own shapes. */
export type { AskedSet, StudyStatus as StatusJson } from '../../src/app/studyService';

/** One told set: the id, and either its replicates for a pending set, or its own params (attached). */
export interface TellSet {
  param_set_id: string;
  embeddings: Matrix<Float32Array>;
  /** Given for an attached set (a new id); omitted for a set `ask` proposed (cells left empty). */
  params?: ParameterSet;
}

const csvCell = (v: string | number) => (typeof v === 'number' ? String(v) : /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** Writes SAMPLES.csv and EMB.npy for one tell into `dir`; returns their paths. */
export function writeTellFiles(dir: string, space: ParameterSpace, sets: readonly TellSet[], tag: string): { samples: string; embeddings: string } {
  const names = space.parameters.map((p) => p.name);
  const lines = [['sample_id', 'param_set_id', ...names].join(',')];
  for (const s of sets) {
    for (let r = 0; r < s.embeddings.rows; r++) {
      const cells = names.map((n) => (s.params ? csvCell(s.params[n]) : ''));
      lines.push([`${s.param_set_id}_r${r}`, s.param_set_id, ...cells].join(','));
    }
  }
  const samples = join(dir, `${tag}.samples.csv`);
  const embeddings = join(dir, `${tag}.emb.npy`);
  writeFileSync(samples, `${lines.join('\n')}\n`);
  writeFileSync(embeddings, npyBytes(stack(sets.map((s) => s.embeddings))));
  return { samples, embeddings };
}

/**
 * Scores of the told sets, read from `export --optuna-journal`: param_set_id → value of each COMPLETE
 * trial (the ids come from the trials' user attributes).
 */
export function journalScores(text: string): Map<string, number> {
  const idOf = new Map<number, string>();
  const valueOf = new Map<number, number>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const op = JSON.parse(line) as { op_code: number; trial_id?: number; user_attr?: Record<string, unknown>; state?: number; values?: number[] };
    if (op.op_code === 8 && op.trial_id !== undefined && typeof op.user_attr?.param_set_id === 'string') idOf.set(op.trial_id, op.user_attr.param_set_id);
    if (op.op_code === 6 && op.trial_id !== undefined && op.state === 1 && op.values) valueOf.set(op.trial_id, op.values[0]);
  }
  const out = new Map<string, number>();
  for (const [trial, value] of valueOf) {
    const id = idOf.get(trial);
    if (id === undefined) throw new Error(`journal trial ${trial} has a value but no param_set_id`);
    out.set(id, value);
  }
  return out;
}
