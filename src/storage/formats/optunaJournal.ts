/**
 * A study's history as Optuna's JournalStorage file: JSON lines, one storage operation per line, which
 * `optuna.load_study(study_name=..., storage=JournalStorage(JournalFileStorage(path)))` replays in order
 * (format of Optuna 3.1, optuna/storages/_journal/storage.py and file.py; checked against Debian's
 * python3-optuna 3.1.0 by scripts/check-optuna-journal.ts).
 *
 * Lines written, in this order:
 *   {"op_code": 0, "worker_id", "study_name", "directions": [1]}                     CREATE_STUDY (1 = MINIMIZE)
 *   then for each trial, in the order given (trial number = position, trial_id = position):
 *   {"op_code": 4, "worker_id", "study_id": 0, "datetime_start"}                         CREATE_TRIAL (state RUNNING)
 *   {"op_code": 5, "worker_id", "trial_id", "param_name", "param_value_internal", "distribution"}
 *                                                                           SET_TRIAL_PARAM, one per parameter
 *   {"op_code": 8, "worker_id", "trial_id", "user_attr": {key: value}}        SET_TRIAL_USER_ATTR, one per key
 *   {"op_code": 6, "worker_id", "trial_id", "state": 1, "values": [v], "datetime_complete"}
 *                                                              SET_TRIAL_STATE_VALUES, COMPLETE trials only
 * A RUNNING trial is one that was created and never finished, so it has no SET_TRIAL_STATE_VALUES line.
 *
 * The text is what Optuna itself writes for the same calls (Python's json.dumps with its default ", " and
 * ": " separators and ensure_ascii; floats in Python's repr form, "8.0", "1e-05"), so a journal from here
 * and one from Optuna differ only in worker id and datetimes.
 */
import { assertInSpace, type ParameterSet, type ParameterSpace, type ParameterSpec } from '../../engine/space/space';

/** Optuna's JournalOperation codes (optuna/storages/_journal/storage.py). */
export const JOURNAL_OP = {
  CREATE_STUDY: 0,
  DELETE_STUDY: 1,
  SET_STUDY_USER_ATTR: 2,
  SET_STUDY_SYSTEM_ATTR: 3,
  CREATE_TRIAL: 4,
  SET_TRIAL_PARAM: 5,
  SET_TRIAL_STATE_VALUES: 6,
  SET_TRIAL_INTERMEDIATE_VALUE: 7,
  SET_TRIAL_USER_ATTR: 8,
  SET_TRIAL_SYSTEM_ATTR: 9,
} as const;

/** Optuna's StudyDirection.MINIMIZE and TrialState.COMPLETE (optuna/study/_study_direction.py, optuna/trial/_state.py). */
const DIRECTION_MINIMIZE = 1;
const STATE_COMPLETE = 1;

/**
 * Optuna only compares a line's worker_id with its own (a random uuid plus a thread id) to tell its own
 * operations from other processes'; any other fixed text reads as "another worker".
 */
export const JOURNAL_WORKER_ID = 'latent-calibration-studio';

/** Used for every datetime the caller does not give, so that output never depends on the clock. */
export const JOURNAL_DEFAULT_DATETIME = '1970-01-01T00:00:00.000Z';

/** A date: a Date, or an ISO 8601 text with a zone (`Z` or `±hh:mm`), so the result never depends on the machine's time zone. */
export type JournalDatetime = Date | string;

export interface JournalTrial {
  params: ParameterSet;
  state: 'COMPLETE' | 'RUNNING';
  /** The score; required for COMPLETE, not allowed for RUNNING. */
  value?: number;
  /** E.g. `{ param_set_id: 'ps_007', replicates: 3 }`; whole numbers are written as Python ints. */
  userAttrs?: Record<string, string | number>;
  /** When the set was proposed; default: the study's `datetime`. */
  datetimeStart?: JournalDatetime;
  /** When it was scored (COMPLETE only); default: `datetimeStart`. */
  datetimeComplete?: JournalDatetime;
}

export interface JournalStudy {
  name: string;
  space: ParameterSpace;
  trials: readonly JournalTrial[];
  /** Optuna studies written here always minimize (the score is a distance). */
  direction?: 'minimize';
  /** Every datetime a trial does not give; default JOURNAL_DEFAULT_DATETIME. */
  datetime?: JournalDatetime;
}

/** The journal text: one JSON object per line, each line ending in "\n". */
export function optunaJournal(study: JournalStudy): string {
  if (study.direction !== undefined && study.direction !== 'minimize') {
    throw new Error(`Optuna journal: direction "${String(study.direction)}" is not supported (only minimize)`);
  }
  const fallback = pythonDatetime(study.datetime ?? JOURNAL_DEFAULT_DATETIME, 'the study datetime');
  const distributions = new Map(study.space.parameters.map((p) => [p.name, distributionJson(p)]));
  const lines: string[] = [];
  const log = (opCode: number, fields: Record<string, PyJson>): void => {
    lines.push(dumps({ op_code: opCode, worker_id: JOURNAL_WORKER_ID, ...fields }));
  };

  log(JOURNAL_OP.CREATE_STUDY, { study_name: study.name, directions: [DIRECTION_MINIMIZE] });
  study.trials.forEach((trial, trialId) => {
    const where = `trial ${trialId}`;
    try {
      assertInSpace(study.space, trial.params);
    } catch (error) {
      throw new Error(`Optuna journal: ${where}: ${(error as Error).message}`);
    }
    if (trial.state === 'COMPLETE') {
      if (typeof trial.value !== 'number' || !Number.isFinite(trial.value)) {
        throw new Error(`Optuna journal: ${where} is COMPLETE but its value ${String(trial.value)} is not a finite number`);
      }
    } else if (trial.state === 'RUNNING') {
      if (trial.value !== undefined) throw new Error(`Optuna journal: ${where} is RUNNING and cannot have a value`);
    } else {
      throw new Error(`Optuna journal: ${where}: state "${String(trial.state)}" is not COMPLETE or RUNNING`);
    }
    const start = trial.datetimeStart === undefined ? fallback : pythonDatetime(trial.datetimeStart, `${where} datetimeStart`);

    log(JOURNAL_OP.CREATE_TRIAL, { study_id: 0, datetime_start: start });
    for (const p of study.space.parameters) {
      log(JOURNAL_OP.SET_TRIAL_PARAM, {
        trial_id: trialId,
        param_name: p.name,
        param_value_internal: internalRepr(p, trial.params[p.name]),
        distribution: distributions.get(p.name) as string,
      });
    }
    for (const [key, value] of Object.entries(trial.userAttrs ?? {})) {
      log(JOURNAL_OP.SET_TRIAL_USER_ATTR, { trial_id: trialId, user_attr: { [key]: userAttrValue(value, `${where} user attribute "${key}"`) } });
    }
    if (trial.state === 'COMPLETE') {
      const complete = trial.datetimeComplete === undefined ? start : pythonDatetime(trial.datetimeComplete, `${where} datetimeComplete`);
      log(JOURNAL_OP.SET_TRIAL_STATE_VALUES, {
        trial_id: trialId,
        state: STATE_COMPLETE,
        values: [new PyFloat(trial.value as number)],
        datetime_complete: complete,
      });
    }
  });
  return lines.map((line) => `${line}\n`).join('');
}

/**
 * optuna.distributions.distribution_to_json: json.dumps({"name": class name, "attributes": the instance's
 * __dict__}), attributes in the order the constructors set them — FloatDistribution step, low, high, log
 * (low and high as floats); IntDistribution log, step, low, high; CategoricalDistribution choices.
 * ParameterSpec has no step, so step is null (float) or 1 (integer); log is the spec's log flag. Optuna
 * refuses log with low <= 0 (float) or low < 1 (integer), which defineSpace already rules out.
 */
export function distributionJson(p: ParameterSpec): string {
  switch (p.kind) {
    case 'continuous':
      return dumps({ name: 'FloatDistribution', attributes: { step: null, low: new PyFloat(p.low), high: new PyFloat(p.high), log: isLog(p) } });
    case 'integer':
      return dumps({ name: 'IntDistribution', attributes: { log: isLog(p), step: 1, low: p.low, high: p.high } });
    case 'categorical':
      return dumps({ name: 'CategoricalDistribution', attributes: { choices: [...p.choices] } });
  }
}

/** Read loosely so that a spec without the optional log flag (absent or undefined) is linear. */
function isLog(p: ParameterSpec): boolean {
  return (p as { log?: unknown }).log === true;
}

/**
 * Optuna's to_internal_repr: float(value) for FloatDistribution and IntDistribution, the index of the
 * choice (a Python int) for CategoricalDistribution.
 */
function internalRepr(p: ParameterSpec, value: ParameterSet[string]): PyJson {
  if (p.kind === 'categorical') return p.choices.indexOf(String(value));
  return new PyFloat(Number(value));
}

function userAttrValue(value: string | number, where: string): PyJson {
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) throw new Error(`Optuna journal: ${where} is ${value}, not a finite number`);
  return Number.isSafeInteger(value) ? value : new PyFloat(value);
}

/**
 * Python's datetime.isoformat(timespec="microseconds") of a naive datetime, the form Optuna writes and
 * reads back with datetime.fromisoformat: "YYYY-MM-DDTHH:MM:SS.ffffff". Written in UTC.
 */
export function pythonDatetime(value: JournalDatetime, what: string): string {
  let date: Date;
  if (typeof value === 'string') {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
      throw new Error(`Optuna journal: ${what} "${value}" is not an ISO 8601 date and time with a zone (Z or ±hh:mm)`);
    }
    date = new Date(value);
  } else {
    date = value;
  }
  if (Number.isNaN(date.getTime())) throw new Error(`Optuna journal: ${what} is not a valid date`);
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  if (!/^\d{4}-/.test(iso)) throw new Error(`Optuna journal: ${what} ${iso} is outside the years 0000..9999`);
  return `${iso.slice(0, 23)}000`;
}

// ---- Python's json.dumps, for the values a journal line holds ----

/** A number written as a Python float (with ".0" or an exponent); plain numbers are written as Python ints. */
export class PyFloat {
  constructor(readonly value: number) {}
}

export type PyJson = null | boolean | string | number | PyFloat | readonly PyJson[] | { readonly [key: string]: PyJson };

/** json.dumps(value) with Python's defaults: separators ", " and ": ", ensure_ascii, keys in insertion order. */
export function dumps(value: PyJson): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return pythonString(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error(`Optuna journal: ${value} is not a whole number; wrap floats in PyFloat`);
    return String(value);
  }
  if (value instanceof PyFloat) return pythonFloatRepr(value.value);
  if (Array.isArray(value)) return `[${value.map(dumps).join(', ')}]`;
  const entries = Object.entries(value as { readonly [key: string]: PyJson });
  return `{${entries.map(([k, v]) => `${pythonString(k)}: ${dumps(v)}`).join(', ')}}`;
}

/**
 * A JSON string as Python's json.dumps writes it with ensure_ascii: JSON.stringify's escapes (\" \\ \b \f
 * \n \r \t, \u00XX for other control characters) plus every character outside printable ASCII (from
 * U+007F up, astral characters as their two UTF-16 surrogates) as \uXXXX with lower-case hex digits.
 */
function pythonString(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Python's float repr (what json.dumps writes for a float): the shortest digits that round-trip, in fixed
 * notation with at least one digit after the point when the decimal exponent is in [-4, 16), otherwise
 * d.ddde±XX with at least two exponent digits ("1e-05", "1.5e+16"). JavaScript's toExponential() without
 * an argument gives the same shortest digits.
 */
export function pythonFloatRepr(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`Optuna journal: ${x} cannot be written (Python would write a non-JSON token)`);
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mantissa, exponentText] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const e = Math.abs(exponent).toString().padStart(2, '0');
    return `${sign}${digits[0]}${fraction}e${exponent < 0 ? '-' : '+'}${e}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  if (digits.length <= exponent + 1) return `${sign}${digits}${'0'.repeat(exponent + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
}
