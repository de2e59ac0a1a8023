import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { calibrate } from '../../src/cli/calibrate';

/** One command of the command line, in-process: its exit status, stdout and stderr. */
export async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await calibrate(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

/** Every file of a folder with its SHA-256: "byte for byte unchanged" is this list being equal. */
export function folderDigest(folder: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(`${p.slice(folder.length)} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`);
    }
  };
  walk(folder);
  return out;
}
