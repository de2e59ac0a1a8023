import type { Matrix } from '../../engine/linalg/matrix';
import type { ParameterSpace, ParameterValue } from '../../engine/space/space';
import { StudyInputError } from '../../engine/studyInputError';
import { parseCsvRecords, parseNumberCell, type CsvRecord } from './csvText';

/**
 * The samples table a user tells a study: header `sample_id,param_set_id,<parameter names in the
 * space's order>`, one row per generated sample, row k describing row k of the embeddings file.
 *
 * The reader checks the shape and the types; what the values mean against the study (whether a
 * param_set_id is pending, whether a pending set's parameters may be left empty or must repeat the
 * proposal) is the caller's decision, so empty parameter cells come back as `missing`, and values
 * outside the space's bounds as `outside` (an attached observation may lie outside them).
 */
export interface SampleRow {
  /** 1-based row of the file (the header is row 1, the first sample row 2). */
  readonly row: number;
  /** 0-based position among the sample rows: the row of the embeddings file it describes. */
  readonly index: number;
  readonly sample_id: string;
  /** null when the cell is empty: the row is a parameter set of its own. */
  readonly param_set_id: string | null;
  /** The parameters present in the row, typed: numbers for int and float, the choice for categoricals. */
  readonly params: Partial<Record<string, ParameterValue>>;
  /** Parameters whose cell is empty, in the space's order. */
  readonly missing: readonly string[];
  /** Numeric parameters whose value lies outside [low, high], in the space's order. */
  readonly outside: readonly string[];
}

const FIXED = ['sample_id', 'param_set_id'] as const;

function checkHeader(header: readonly string[], space: ParameterSpace, file: string): void {
  const names = space.parameters.map((p) => p.name);
  const expected = [...FIXED, ...names];
  const contract = `the header must be ${expected.join(',')}`;
  const cells = header.map((h) => h.trim());
  const seen = new Set<string>();
  cells.forEach((h, j) => {
    if (h === '') throw new StudyInputError(file, `column ${j + 1} has an empty name; ${contract}`, { row: 1 });
    if (seen.has(h)) throw new StudyInputError(file, `the column appears twice in the header; ${contract}`, { row: 1, column: h });
    seen.add(h);
    if (!expected.includes(h)) {
      throw new StudyInputError(file, `"${h}" is not a parameter of the space (its parameters are ${names.join(', ')}); ${contract}`, {
        row: 1,
        column: h,
      });
    }
  });
  for (const name of expected) {
    if (!seen.has(name)) {
      const what = (FIXED as readonly string[]).includes(name) ? 'the column' : 'the parameter';
      throw new StudyInputError(file, `${what} is missing from the header; ${contract}`, { row: 1, column: name });
    }
  }
  const misplaced = cells.findIndex((h, j) => h !== expected[j]);
  if (misplaced >= 0) {
    throw new StudyInputError(file, `the column is in position ${misplaced + 1}, where ${expected[misplaced]} belongs; ${contract}`, {
      row: 1,
      column: cells[misplaced],
    });
  }
}

/**
 * Reads a samples table against `space`. `file` names it in errors. Sample ids and param_set ids are
 * trimmed; numbers parse with Number() after trimming; an empty cell is missing.
 */
export function readSamplesCsv(text: string, space: ParameterSpace, file = 'samples.csv'): SampleRow[] {
  return readSampleRecords(parseCsvRecords(text, file), space, file);
}

/** Reads a samples table already split into records (the header first), with readSamplesCsv's checks. */
export function readSampleRecords(records: readonly CsvRecord[], space: ParameterSpace, file: string): SampleRow[] {
  const header = records[0].fields;
  checkHeader(header, space, file);
  if (records.length === 1) throw new StudyInputError(file, 'the file has a header but no sample rows');

  const rowOfId = new Map<string, number>();
  return records.slice(1).map(({ row, fields }, index): SampleRow => {
    if (fields.length !== header.length) {
      throw new StudyInputError(file, `the row has ${fields.length} values but the header has ${header.length} columns`, { row });
    }
    const sampleId = fields[0].trim();
    if (sampleId === '') throw new StudyInputError(file, 'sample_id is empty: every row needs its own id', { row, column: 'sample_id' });
    const earlier = rowOfId.get(sampleId);
    if (earlier !== undefined) {
      throw new StudyInputError(file, `sample_id "${sampleId}" is used by row ${earlier} and row ${row}`, { row, column: 'sample_id' });
    }
    rowOfId.set(sampleId, row);
    const setId = fields[1].trim();

    const params: Record<string, ParameterValue> = {};
    const missing: string[] = [];
    const outside: string[] = [];
    space.parameters.forEach((p, k) => {
      const cell = fields[FIXED.length + k].trim();
      const fail = (detail: string): never => {
        throw new StudyInputError(file, detail, { row, column: p.name });
      };
      if (cell === '') {
        missing.push(p.name);
        return;
      }
      if (p.kind === 'categorical') {
        if (!p.choices.includes(cell)) fail(`${JSON.stringify(cell)} is not one of ${p.choices.join(', ')}`);
        params[p.name] = cell;
        return;
      }
      const parsed = parseNumberCell(cell);
      if (!parsed.ok) return fail(parsed.reason);
      if (p.kind === 'integer' && !Number.isInteger(parsed.value)) fail(`${cell} is not an integer`);
      params[p.name] = parsed.value;
      if (parsed.value < p.low || parsed.value > p.high) outside.push(p.name);
    });
    return { row, index, sample_id: sampleId, param_set_id: setId === '' ? null : setId, params, missing, outside };
  });
}

/** Refuses a samples table and an embeddings matrix whose row counts differ (row k describes row k). */
export function checkSamplesAlign(samples: readonly SampleRow[], vectors: Matrix, samplesFile: string, vectorsFile: string): void {
  if (samples.length !== vectors.rows) {
    throw new StudyInputError(
      samplesFile,
      `${samples.length} sample rows, but ${vectorsFile} has ${vectors.rows} vectors: row k of the samples describes vector k`,
    );
  }
}
