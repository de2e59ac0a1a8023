import type { Matrix } from '../engine/linalg/matrix';
import type { ParameterSpace } from '../engine/space/space';
import { StudyInputError } from '../engine/studyInputError';
import { decodeInputText } from '../storage/formats/csvText';
import { readResultsJson } from '../storage/formats/resultsJson';
import { checkSamplesAlign, readSamplesCsv, type SampleRow } from '../storage/formats/samplesCsv';
import { readVectors, vectorsFormatOf } from '../storage/formats/vectors';
import type { ToldSample } from './studyService';

/** Samples table rows and their embeddings (row k describes vector k) as the samples a study is told. */
export function toldSamples(rows: readonly SampleRow[], vectors: Matrix<Float32Array>): ToldSample[] {
  return rows.map((r) => ({
    sample_id: r.sample_id,
    param_set_id: r.param_set_id,
    params: r.params,
    vector: vectors.data.slice(r.index * vectors.cols, (r.index + 1) * vectors.cols),
    row: r.row,
  }));
}

export interface ResultFile {
  name: string;
  bytes: Uint8Array;
}

/**
 * The results a user uploads in the page: one JSON file (samples with their embeddings), or a samples
 * table (.csv) with an embeddings file (.npy, .csv or .json). Which file is which is read from the
 * names: of two files, the one whose name ends in .npy, or else the one that is not a samples table
 * (its header starts with sample_id), holds the embeddings. Returns the samples and the file that names
 * them in messages.
 */
export function readStudyResults(files: readonly ResultFile[], space: ParameterSpace): { samples: ToldSample[]; file: string } {
  if (files.length === 1) {
    const [only] = files;
    if (!/\.json$/i.test(only.name)) throw new StudyInputError(only.name, 'one file must be a results .json (samples with their embeddings); otherwise give the samples .csv and the embeddings file together');
    const { samples, vectors } = readResultsJson(decodeInputText(only.bytes, only.name), space, only.name);
    return { samples: toldSamples(samples, vectors), file: only.name };
  }
  if (files.length !== 2) throw new StudyInputError(files.map((f) => f.name).join(', ') || 'results', 'give one results .json, or a samples .csv and its embeddings (.npy, .csv or .json)');
  // The first bytes are enough to see the header; a character cut at the end decodes as U+FFFD.
  const isTable = (f: ResultFile) => /\.csv$/i.test(f.name) && /^\uFEFF?\s*"?sample_id"?\s*,/.test(new TextDecoder().decode(f.bytes.subarray(0, 64)));
  const table = files.find(isTable);
  if (!table) throw new StudyInputError(files.map((f) => f.name).join(', '), 'neither file is a samples table (a .csv whose header starts with sample_id,param_set_id)');
  const embeddings = files.find((f) => f !== table)!;
  vectorsFormatOf(embeddings.name);
  const rows = readSamplesCsv(decodeInputText(table.bytes, table.name), space, table.name);
  const vectors = readVectors(embeddings.bytes, embeddings.name);
  checkSamplesAlign(rows, vectors, table.name, embeddings.name);
  return { samples: toldSamples(rows, vectors), file: table.name };
}
