import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { StudyInputError } from '../engine/studyInputError';

/** A folder an output goes to must exist (checked before any work, so bad input writes nothing). */
export async function checkOutputFolder(path: string, flag: string): Promise<void> {
  const folder = dirname(path);
  const stat = await fs.stat(folder).catch(() => null);
  if (!stat?.isDirectory()) throw new StudyInputError(path, `the folder ${folder} of ${flag} does not exist`);
}

/**
 * Writes every file through a temporary file beside it and a rename, the renames only after every
 * temporary file is written: a failure while writing leaves no output (the temporary files are removed),
 * and a reader never sees half a file.
 */
export async function writeOutputs(files: ReadonlyArray<{ path: string; text: string }>): Promise<void> {
  const temporary = files.map((f) => `${f.path}.tmp-${process.pid}`);
  try {
    for (const [i, f] of files.entries()) await fs.writeFile(temporary[i], f.text);
  } catch (error) {
    await Promise.all(temporary.map((t) => fs.rm(t, { force: true })));
    throw error;
  }
  for (const [i, f] of files.entries()) await fs.rename(temporary[i], f.path);
}
