import type { Matrix } from '../engine/linalg/matrix';
import type { SampleRecord } from '../engine/experiment/records';

/** Stacks per-sample Float32 embeddings into one row-major matrix (what the analysis functions take). */
export function embeddingMatrix(rows: ReadonlyArray<Float32Array>): Matrix<Float32Array> {
  if (rows.length === 0) return { rows: 0, cols: 0, data: new Float32Array(0) };
  const cols = rows[0].length;
  const data = new Float32Array(rows.length * cols);
  rows.forEach((r, i) => {
    if (r.length !== cols) throw new Error(`embedding ${i} has ${r.length} values, expected ${cols} (was the embedder changed mid-experiment?)`);
    data.set(r, i * cols);
  });
  return { rows: rows.length, cols, data };
}

/** The real set as scored: iteration 0's samples of dataset type 'real', by sample id (the order every score uses). */
export function realSetMatrix(iterationZero: ReadonlyArray<Pick<SampleRecord, 'sample_id' | 'metadata' | 'embedding'>>): Matrix<Float32Array> {
  const real = iterationZero.filter((s) => s.metadata.dataset_type === 'real').sort((a, b) => (a.sample_id < b.sample_id ? -1 : a.sample_id > b.sample_id ? 1 : 0));
  return embeddingMatrix(real.map((s) => s.embedding));
}
