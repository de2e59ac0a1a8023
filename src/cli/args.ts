import { promises as fs } from 'node:fs';
import { parseArgs } from 'node:util';
import { StudyInputError } from '../engine/studyInputError';

/** Where a command writes: stdout carries only the data asked for, stderr the messages. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** Bad use of the command line itself (an unknown command or option, a missing argument). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type Options = Record<string, { type: 'string' | 'boolean' }>;
export type Values = Record<string, string | boolean | undefined>;

/** A command's options and positionals; an unknown option or a wrong count of positionals is a UsageError. */
export function parse(args: readonly string[], options: Options, positionals: { min: number; max?: number; names: string }) {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const count = parsed.positionals.length;
  if (count < positionals.min || (positionals.max !== undefined && count > positionals.max)) throw new UsageError(`expected ${positionals.names}`);
  return { values: parsed.values as Values, positionals: parsed.positionals };
}

export function required(values: Values, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

/** A whole-number option (≥ 1; `--seed` ≥ 0), or `fallback` when absent. */
export function positiveInteger(values: Values, name: string, fallback?: number): number | undefined {
  const v = values[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isInteger(n) || n < (name === 'seed' ? 0 : 1)) throw new UsageError(`--${name} must be a whole number${name === 'seed' ? '' : ' ≥ 1'}, got "${String(v)}"`);
  return n;
}

/** A file's bytes; a missing or unreadable file is bad input naming it. */
export async function readInput(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await fs.readFile(path));
  } catch (e) {
    throw new StudyInputError(path, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message);
  }
}
