/**
 * A child process for the study lock tests (run with `node --import tsx`): takes the lock of a study
 * folder and does what the test asks inside it.
 *   rounds FOLDER LOG N HOLD_MS [AT]  (from the epoch ms AT on, so that all start together) N times:
 *                                 append "start" to LOG, wait, append "end" (two separate writes)
 *   hold FOLDER MS [LOG]          take the lock, print "held", wait MS (forever when 0), append "done", release
 */
import { appendFileSync } from 'node:fs';
import { withStudyLock } from '../../../src/cli/studyLock';

const [mode, folder, ...rest] = process.argv.slice(2);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

if (mode === 'rounds') {
  const [log, n, holdMs, at] = rest;
  if (at) await sleep(Number(at) - Date.now());
  for (let round = 0; round < Number(n); round++) {
    await withStudyLock(folder, async () => {
      appendFileSync(log, `start ${process.pid} ${round}\n`);
      await sleep(Number(holdMs) * Math.random());
      appendFileSync(log, `end ${process.pid} ${round}\n`);
    });
  }
} else if (mode === 'hold') {
  const [ms, log] = rest;
  await withStudyLock(folder, async () => {
    process.stdout.write('held\n');
    // Forever: a timer keeps the process alive until the test kills it.
    await (Number(ms) === 0 ? new Promise(() => setInterval(() => undefined, 1 << 30)) : sleep(Number(ms)));
    if (log) appendFileSync(log, `done ${process.pid}\n`);
  });
} else {
  throw new Error(`unknown mode ${mode}`);
}
