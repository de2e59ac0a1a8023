import { calibrate } from './calibrate';

// `npm run --silent calibrate -- COMMAND …`: the exit status is the command's.
const status = await calibrate(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
process.exitCode = status;
