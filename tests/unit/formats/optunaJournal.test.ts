import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineSpace } from '../../../src/engine/space/space';
import {
  JOURNAL_OP,
  JOURNAL_WORKER_ID,
  PyFloat,
  distributionJson,
  dumps,
  optunaJournal,
  pythonDatetime,
  pythonFloatRepr,
  type JournalStudy,
} from '../../../src/storage/formats/optunaJournal';
import { fixtureSpace, fixtureStudy } from '../../fixtures/formats/optunaJournalStudy';

// The golden was loaded by Optuna 3.1.0 (scripts/check-optuna-journal.ts, which rewrites it with
// --update-fixture), so reproducing it byte for byte means Optuna still reads what it read then.
const GOLDEN = readFileSync(new URL('../../fixtures/formats/optuna-journal.jsonl', import.meta.url), 'utf8');

const parse = (journal: string): Array<Record<string, unknown>> =>
  journal
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

const { CREATE_STUDY, CREATE_TRIAL, SET_TRIAL_PARAM, SET_TRIAL_USER_ATTR, SET_TRIAL_STATE_VALUES } = JOURNAL_OP;

describe('optunaJournal', () => {
  it('reproduces the journal Optuna loaded, byte for byte', () => {
    expect(optunaJournal(fixtureStudy)).toBe(GOLDEN);
  });

  it('writes one operation per line, each line ending in a newline, in pure ASCII', () => {
    const journal = optunaJournal(fixtureStudy);
    expect(journal.endsWith('\n')).toBe(true);
    // 1 study + 7 trials × (create + 4 params + 2 user attributes) + 5 completions
    expect(journal.split('\n').length - 1).toBe(1 + 7 * (1 + 4 + 2) + 5);
    expect(/^[\x20-\x7e\n]*$/.test(journal)).toBe(true);
    expect(journal).toContain('irr\\\\u00e9gulier'); // inside the distribution, itself a JSON string
  });

  it('writes the op codes in order: the study, then each trial created, its params, its attributes, then its completion', () => {
    const lines = parse(optunaJournal(fixtureStudy));
    const trial = (complete: boolean): number[] => [
      CREATE_TRIAL,
      SET_TRIAL_PARAM,
      SET_TRIAL_PARAM,
      SET_TRIAL_PARAM,
      SET_TRIAL_PARAM,
      SET_TRIAL_USER_ATTR,
      SET_TRIAL_USER_ATTR,
      ...(complete ? [SET_TRIAL_STATE_VALUES] : []),
    ];
    expect(lines.map((l) => l.op_code)).toEqual([CREATE_STUDY, ...[0, 1, 2, 3, 4].flatMap(() => trial(true)), ...trial(false), ...trial(false)]);
    expect(lines.every((l) => l.worker_id === JOURNAL_WORKER_ID)).toBe(true);
    expect(lines[0]).toEqual({ op_code: 0, worker_id: JOURNAL_WORKER_ID, study_name: 'void_calibration', directions: [1] });
    // trial ids follow the order of the trials
    const trialIds = lines.filter((l) => l.op_code === SET_TRIAL_PARAM).map((l) => l.trial_id);
    expect(trialIds).toEqual([0, 1, 2, 3, 4, 5, 6].flatMap((id) => [id, id, id, id]));
  });

  it("writes each kind's distribution as optuna.distributions.distribution_to_json does", () => {
    const [brightness, noise, count, shape] = fixtureSpace.parameters;
    expect(distributionJson(brightness)).toBe('{"name": "FloatDistribution", "attributes": {"step": null, "low": 0.3, "high": 0.8, "log": false}}');
    expect(distributionJson(noise)).toBe('{"name": "FloatDistribution", "attributes": {"step": null, "low": 1e-05, "high": 1.0, "log": true}}');
    expect(distributionJson(count)).toBe('{"name": "IntDistribution", "attributes": {"log": false, "step": 1, "low": 3, "high": 20}}');
    expect(distributionJson(shape)).toBe('{"name": "CategoricalDistribution", "attributes": {"choices": ["circle", "ellipse", "irr\\u00e9gulier"]}}');
    expect(distributionJson({ kind: 'integer', name: 'n', low: 1, high: 1000, log: true })).toBe(
      '{"name": "IntDistribution", "attributes": {"log": true, "step": 1, "low": 1, "high": 1000}}',
    );
    expect(distributionJson({ kind: 'continuous', name: 'x', low: 1, high: 2, log: false })).toContain('"log": false');
    const lines = parse(optunaJournal(fixtureStudy)).filter((l) => l.op_code === SET_TRIAL_PARAM && l.trial_id === 0);
    expect(lines.map((l) => l.distribution)).toEqual(fixtureSpace.parameters.map(distributionJson));
  });

  it('stores categoricals as the index of the choice, integers and floats as Python floats', () => {
    const journal = optunaJournal(fixtureStudy);
    const params = parse(journal).filter((l) => l.op_code === SET_TRIAL_PARAM);
    const shapes = params.filter((l) => l.param_name === 'void_shape').map((l) => l.param_value_internal);
    const choices = ['circle', 'ellipse', 'irrégulier'];
    expect(shapes).toEqual(fixtureStudy.trials.map((t) => choices.indexOf(t.params.void_shape as string)));
    expect(shapes).toEqual([0, 1, 2, 1, 0, 2, 0]);
    const counts = params.filter((l) => l.param_name === 'void_count').map((l) => l.param_value_internal);
    expect(counts).toEqual(fixtureStudy.trials.map((t) => t.params.void_count));
    // the text: a categorical index is an int, an integer parameter a float ("3.0"), as Optuna writes them
    expect(journal).toContain('"param_name": "void_shape", "param_value_internal": 2, ');
    expect(journal).toContain('"param_name": "void_count", "param_value_internal": 3.0, ');
    expect(journal).toContain('"param_name": "noise_scale", "param_value_internal": 1.5e-05, ');
    expect(journal).toContain('"param_name": "brightness_factor", "param_value_internal": 0.30000000000000004, ');
  });

  it('completes scored trials with their value and leaves pending ones RUNNING, with no value', () => {
    const lines = parse(optunaJournal(fixtureStudy));
    const completions = lines.filter((l) => l.op_code === SET_TRIAL_STATE_VALUES);
    expect(completions.map((l) => [l.trial_id, l.state, l.values])).toEqual([
      [0, 1, [0.0123456789]],
      [1, 1, [2]],
      [2, 1, [-0.00321]],
      [3, 1, [1e-7]],
      [4, 1, [0.0004999999999999999]],
    ]);
    for (const id of [5, 6]) {
      const own = lines.filter((l) => l.trial_id === id);
      expect(own.some((l) => 'values' in l || 'value' in l || 'state' in l)).toBe(false);
    }
    const creations = lines.filter((l) => l.op_code === CREATE_TRIAL);
    expect(creations.every((l) => !('state' in l) && l.study_id === 0)).toBe(true); // no state: Optuna creates it RUNNING
    expect(optunaJournal(fixtureStudy)).toContain('"state": 1, "values": [2.0], ');
  });

  it('carries the param_set_id and the number of replicates as trial user attributes', () => {
    const attrs = parse(optunaJournal(fixtureStudy)).filter((l) => l.op_code === SET_TRIAL_USER_ATTR);
    expect(attrs.slice(0, 2)).toEqual([
      { op_code: 8, worker_id: JOURNAL_WORKER_ID, trial_id: 0, user_attr: { param_set_id: 'ps_001' } },
      { op_code: 8, worker_id: JOURNAL_WORKER_ID, trial_id: 0, user_attr: { replicates: 3 } },
    ]);
    expect(attrs.at(-2)?.user_attr).toEqual({ param_set_id: 'ps_007' });
  });

  it('writes datetimes as Python naive isoformat with microseconds, in UTC, with the documented defaults', () => {
    const lines = parse(optunaJournal(fixtureStudy));
    const starts = lines.filter((l) => l.op_code === CREATE_TRIAL).map((l) => l.datetime_start);
    expect(starts[0]).toBe('2025-03-01T10:01:00.250000');
    expect(starts[6]).toBe('2025-03-01T09:00:00.000000'); // no start given: the study's datetime
    const completes = lines.filter((l) => l.op_code === SET_TRIAL_STATE_VALUES).map((l) => l.datetime_complete);
    expect(completes[0]).toBe('2025-03-01T10:01:42.250000');
    expect(completes[4]).toBe('2025-03-01T10:03:00.250000'); // no completion given: the start
    expect(pythonDatetime('2025-03-01T12:00:00+02:00', 'x')).toBe('2025-03-01T10:00:00.000000');
    expect(pythonDatetime(new Date(Date.UTC(2024, 1, 29, 23, 59, 59, 999)), 'x')).toBe('2024-02-29T23:59:59.999000');
    const { datetime: _ignored, ...withoutDatetime } = fixtureStudy;
    const epoch = parse(optunaJournal({ ...withoutDatetime, trials: [{ ...fixtureStudy.trials[6] }] }));
    expect(epoch[1].datetime_start).toBe('1970-01-01T00:00:00.000000');
    // a time without a zone would depend on the machine's time zone
    expect(() => pythonDatetime('2025-03-01T10:00:00', 'the start')).toThrow(/with a zone/);
  });

  it('is deterministic: the same study gives the same text, independent of the trials objects', () => {
    const again: JournalStudy = JSON.parse(JSON.stringify({ ...fixtureStudy, space: { parameters: fixtureSpace.parameters } }));
    expect(optunaJournal(fixtureStudy)).toBe(optunaJournal(fixtureStudy));
    expect(optunaJournal(again)).toBe(optunaJournal(fixtureStudy));
  });

  it('writes floats as Python repr and strings as json.dumps with ensure_ascii (values checked against Python 3.11)', () => {
    const cases: Array<[number, string]> = [
      [1e-5, '1e-05'],
      [0.0001, '0.0001'],
      [1e16, '1e+16'],
      [1e15, '1000000000000000.0'],
      [2, '2.0'],
      [-0, '-0.0'],
      [5e-324, '5e-324'],
      [Number.MAX_VALUE, '1.7976931348623157e+308'],
      [1234567890123456.8, '1234567890123456.8'],
      [12345678901234568, '1.2345678901234568e+16'],
      [-123.456, '-123.456'],
      [1e22, '1e+22'],
    ];
    for (const [x, text] of cases) expect(pythonFloatRepr(x)).toBe(text);
    expect(dumps('a"b\\c\n\u0001\u007f é ✓ 😀')).toBe('"a\\"b\\\\c\\n\\u0001\\u007f \\u00e9 \\u2713 \\ud83d\\ude00"');
    expect(dumps({ a: [1, new PyFloat(1), null, true] })).toBe('{"a": [1, 1.0, null, true]}');
  });

  it('refuses what Optuna could not read back faithfully', () => {
    const space = defineSpace([{ kind: 'integer', name: 'n', low: 1, high: 5 }]);
    const study = (trial: JournalStudy['trials'][number]): JournalStudy => ({ name: 's', space, trials: [trial] });
    expect(() => optunaJournal(study({ params: { n: 2 }, state: 'COMPLETE' }))).toThrow(/trial 0 is COMPLETE/);
    expect(() => optunaJournal(study({ params: { n: 2 }, state: 'COMPLETE', value: Number.NaN }))).toThrow(/not a finite number/);
    expect(() => optunaJournal(study({ params: { n: 2 }, state: 'RUNNING', value: 1 }))).toThrow(/RUNNING and cannot have a value/);
    expect(() => optunaJournal(study({ params: { n: 9 }, state: 'RUNNING' }))).toThrow(/trial 0: parameter "n": 9 is outside/);
    expect(() => optunaJournal(study({ params: { n: 2 }, state: 'RUNNING', userAttrs: { r: Infinity } }))).toThrow(/user attribute "r"/);
    expect(() => optunaJournal({ ...study({ params: { n: 2 }, state: 'RUNNING' }), direction: 'maximize' as 'minimize' })).toThrow(/only minimize/);
  });

  it('writes whole-number user attributes as ints and others as floats', () => {
    const space = defineSpace([{ kind: 'continuous', name: 'x', low: 0, high: 1 }]);
    const journal = optunaJournal({ name: 's', space, trials: [{ params: { x: 0.5 }, state: 'RUNNING', userAttrs: { replicates: 3, weight: 0.25, id: 'ps_1' } }] });
    expect(journal).toContain('"user_attr": {"replicates": 3}}');
    expect(journal).toContain('"user_attr": {"weight": 0.25}}');
    expect(journal).toContain('"user_attr": {"id": "ps_1"}}');
  });
});
