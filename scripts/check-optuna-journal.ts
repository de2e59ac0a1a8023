/**
 * Writes the fixture study's Optuna journal (tests/fixtures/formats/optunaJournalStudy.ts) to a temporary
 * file, loads it with Optuna 3.1 through scripts/check_optuna_journal.py, and compares what Optuna sees
 * with what was written: study name and direction, and per trial its number, state, params (with their
 * Python types), distributions, value, user attributes and datetimes. Floats are compared exactly: the
 * Python side prints repr, which parses back to the same double. It also fails when Optuna, writing the
 * same trials through its own storage calls, would write different text (worker ids and datetimes aside).
 *
 * Usage: npm run check:optuna [-- --update-fixture]
 *   --update-fixture  after a clean comparison, copy the verified journal to
 *                     tests/fixtures/formats/optuna-journal.jsonl (the unit test's golden).
 * Needs Debian's Optuna: apt-get install -y python3-optuna (run with /usr/bin/python3). Not part of npm test.
 * Exit 0 when Optuna sees exactly what was written, 1 with the differences otherwise.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixtureStudy } from '../tests/fixtures/formats/optunaJournalStudy';
import { JOURNAL_DEFAULT_DATETIME, distributionJson, optunaJournal, pythonDatetime, type JournalStudy } from '../src/storage/formats/optunaJournal';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PYTHON = '/usr/bin/python3';
const FIXTURE = join(root, 'tests/fixtures/formats/optuna-journal.jsonl');

interface SeenTrial {
  number: number;
  state: string;
  params: Record<string, unknown>;
  param_types: Record<string, string>;
  distributions: Record<string, unknown>;
  value: number | null;
  value_type: string;
  user_attrs: Record<string, unknown>;
  datetime_start: string | null;
  datetime_complete: string | null;
}
interface Seen {
  optuna_version: string;
  study_name: string;
  directions: string[];
  trials: SeenTrial[];
  rewrite_differences: string[];
}

/** What Optuna should report for each trial of `study`, in the shape check_optuna_journal.py prints. */
function expectedTrials(study: JournalStudy): SeenTrial[] {
  const fallback = study.datetime ?? JOURNAL_DEFAULT_DATETIME;
  return study.trials.map((t, number) => {
    const start = pythonDatetime(t.datetimeStart ?? fallback, 'start');
    return {
      number,
      state: t.state,
      params: Object.fromEntries(study.space.parameters.map((p) => [p.name, t.params[p.name]])),
      param_types: Object.fromEntries(study.space.parameters.map((p) => [p.name, p.kind === 'categorical' ? 'str' : p.kind === 'integer' ? 'int' : 'float'])),
      distributions: Object.fromEntries(study.space.parameters.map((p) => [p.name, JSON.parse(distributionJson(p))])),
      value: t.state === 'COMPLETE' ? (t.value as number) : null,
      value_type: t.state === 'COMPLETE' ? 'float' : 'NoneType',
      user_attrs: { ...t.userAttrs },
      datetime_start: start,
      datetime_complete: t.state === 'COMPLETE' ? (t.datetimeComplete === undefined ? start : pythonDatetime(t.datetimeComplete, 'complete')) : null,
    };
  });
}

/** Exact structural comparison (numbers with Object.is); returns one line per difference. */
function differences(path: string, expected: unknown, seen: unknown, out: string[] = []): string[] {
  if (typeof expected === 'number' || typeof seen === 'number') {
    if (!Object.is(expected, seen)) out.push(`${path}: wrote ${JSON.stringify(expected)}, Optuna has ${JSON.stringify(seen)}`);
  } else if (expected !== null && seen !== null && typeof expected === 'object' && typeof seen === 'object') {
    if (Array.isArray(expected) !== Array.isArray(seen)) {
      out.push(`${path}: wrote ${JSON.stringify(expected)}, Optuna has ${JSON.stringify(seen)}`);
      return out;
    }
    const e = expected as Record<string, unknown>;
    const s = seen as Record<string, unknown>;
    for (const key of new Set([...Object.keys(e), ...Object.keys(s)])) {
      if (!(key in s)) out.push(`${path}.${key}: wrote ${JSON.stringify(e[key])}, Optuna has nothing`);
      else if (!(key in e)) out.push(`${path}.${key}: not written, Optuna has ${JSON.stringify(s[key])}`);
      else differences(`${path}.${key}`, e[key], s[key], out);
    }
  } else if (expected !== seen) {
    out.push(`${path}: wrote ${JSON.stringify(expected)}, Optuna has ${JSON.stringify(seen)}`);
  }
  return out;
}

function main(): number {
  const update = process.argv.includes('--update-fixture');
  const study = fixtureStudy;
  const journal = optunaJournal(study);
  const dir = mkdtempSync(join(tmpdir(), 'optuna-journal-'));
  try {
    const file = join(dir, 'journal.jsonl');
    writeFileSync(file, journal);
    const run = spawnSync(PYTHON, [join(root, 'scripts/check_optuna_journal.py'), file, study.name], { encoding: 'utf8' });
    if (run.error || run.status !== 0) {
      console.error(run.error?.message ?? run.stderr);
      console.error(`${PYTHON} could not load the journal (needs Debian's Optuna: apt-get install -y python3-optuna)`);
      return 1;
    }
    const seen = JSON.parse(run.stdout) as Seen;
    const expected = { study_name: study.name, directions: ['MINIMIZE'], trials: expectedTrials(study) };
    const diffs = differences('study', expected, { study_name: seen.study_name, directions: seen.directions, trials: seen.trials });
    diffs.push(...seen.rewrite_differences.map((d) => `text differs from Optuna's own writing of the same trials: ${d}`));

    const lines = journal.split('\n').length - 1;
    console.log(`Optuna ${seen.optuna_version} loaded "${seen.study_name}" from ${lines} journal lines: ${seen.trials.length} trials, directions ${seen.directions.join(',')}`);
    for (const t of seen.trials) {
      const params = Object.entries(t.params).map(([k, v]) => `${k}=${JSON.stringify(v)}:${t.param_types[k]}`).join(' ');
      console.log(`  #${t.number} ${t.state.padEnd(8)} value=${t.value === null ? 'None' : String(t.value)} ${params} ${JSON.stringify(t.user_attrs)}`);
    }
    if (diffs.length > 0) {
      console.error(`${diffs.length} difference(s) between the journal written and what Optuna loaded:`);
      for (const d of diffs) console.error(`  ${d}`);
      return 1;
    }
    console.log('every trial matches: number, state, params and their types, distributions, value, user attributes, datetimes');
    console.log("Optuna's own JournalStorage writes the same trials as the same text (worker ids and datetimes masked)");
    if (update) {
      writeFileSync(FIXTURE, journal);
      console.log(`wrote ${FIXTURE}`);
    } else if (!existsSync(FIXTURE) || readFileSync(FIXTURE, 'utf8') !== journal) {
      console.error(`the verified journal differs from ${FIXTURE}; rerun with --update-fixture to replace the golden`);
      return 1;
    }
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = main();
