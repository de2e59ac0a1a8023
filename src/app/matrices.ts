import type { Matrix } from '../engine/linalg/matrix';

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
