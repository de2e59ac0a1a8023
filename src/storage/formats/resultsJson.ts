import type { Matrix } from '../../engine/linalg/matrix';
import type { ParameterSpace } from '../../engine/space/space';
import { StudyInputError } from '../../engine/studyInputError';
import { parseJsonText, type CsvRecord } from './csvText';
import { readSampleRecords, type SampleRow } from './samplesCsv';
import { vectorsFromArrays } from './vectors';

/**
 * Results told in one JSON file instead of a samples table and an embeddings file (the page accepts
 * both):
 *
 *   {"samples": [{"sample_id": "s1", "param_set_id": "ps_0003", "embedding": [0.12, …]},
 *                {"sample_id": "s2", "param_set_id": null, "params": {"gain": 1.5, "shape": "disc"}, "embedding": […]}]}
 *
 * (a bare array of samples is read alike). `params` may be left out for a pending set, as its CSV cells
 * may be left empty. Each sample is checked as a row of the samples table is (row k here is sample k,
 * counted from 1), and the embeddings as a JSON vectors file.
 */
export function readResultsJson(text: string, space: ParameterSpace, file = 'results.json'): { samples: SampleRow[]; vectors: Matrix<Float32Array> } {
  const value = parseJsonText(text, file);
  const list = Array.isArray(value) ? value : isObject(value) && Array.isArray(value.samples) ? value.samples : null;
  if (!list) throw new StudyInputError(file, 'the file must hold {"samples": [...]} or an array of samples, each {sample_id, param_set_id, params, embedding}');
  if (list.length === 0) throw new StudyInputError(file, 'the file holds no samples');
  const names = space.parameters.map((p) => p.name);
  const records: CsvRecord[] = [{ row: 0, fields: ['sample_id', 'param_set_id', ...names] }];
  const embeddings: unknown[] = [];
  list.forEach((entry: unknown, k) => {
    const row = k + 1;
    if (!isObject(entry)) throw new StudyInputError(file, 'a sample must be an object {sample_id, param_set_id, params, embedding}', { row });
    for (const key of Object.keys(entry)) {
      if (!['sample_id', 'param_set_id', 'params', 'embedding'].includes(key)) throw new StudyInputError(file, `unknown key "${key}" (a sample has sample_id, param_set_id, params, embedding)`, { row });
    }
    const params = entry.params ?? {};
    if (!isObject(params)) throw new StudyInputError(file, '"params" must be an object of parameter name → value', { row });
    for (const key of Object.keys(params)) {
      if (!names.includes(key)) throw new StudyInputError(file, `"${key}" is not a parameter of the space (its parameters are ${names.join(', ')})`, { row, column: key });
    }
    if (typeof entry.sample_id !== 'string' && typeof entry.sample_id !== 'number') throw new StudyInputError(file, 'sample_id must be a text or a number', { row, column: 'sample_id' });
    const setId = entry.param_set_id;
    if (setId !== undefined && setId !== null && typeof setId !== 'string') throw new StudyInputError(file, 'param_set_id must be a text, or null for a set of its own', { row, column: 'param_set_id' });
    if (!('embedding' in entry)) throw new StudyInputError(file, 'the sample has no "embedding"', { row });
    records.push({ row, fields: [String(entry.sample_id), setId ?? '', ...names.map((n) => cellOf(params[n], file, row, n))] });
    embeddings.push(entry.embedding);
  });
  return { samples: readSampleRecords(records, space, file), vectors: vectorsFromArrays(embeddings, file) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON parameter value as the samples table's cell: a number or a text; absent or null is empty. */
function cellOf(value: unknown, file: string, row: number, column: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new StudyInputError(file, `${value} is not a finite number`, { row, column });
    return String(value);
  }
  if (typeof value === 'string') return value;
  throw new StudyInputError(file, `${JSON.stringify(value)} is neither a number nor a text`, { row, column });
}
