/**
 * A dense row-major matrix. Embeddings travel as Float32Array (what the model emits and what .npy
 * export writes); the science (PCA, covariances, GP factorizations) runs in Float64.
 */
export interface Matrix<T extends Float32Array | Float64Array = Float32Array | Float64Array> {
  readonly rows: number;
  readonly cols: number;
  readonly data: T;
}

export function zeros(rows: number, cols: number): Matrix<Float64Array> {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/** Builds a Float64 matrix from nested arrays (tests, small fixtures). */
export function fromRows(rows: ReadonlyArray<ArrayLike<number>>): Matrix<Float64Array> {
  const r = rows.length;
  const c = r > 0 ? rows[0].length : 0;
  const data = new Float64Array(r * c);
  rows.forEach((row, i) => {
    if (row.length !== c) throw new Error(`row ${i} has ${row.length} values, expected ${c}`);
    for (let j = 0; j < c; j++) data[i * c + j] = row[j];
  });
  return { rows: r, cols: c, data };
}

/** Row i as a view (no copy). */
export function row<T extends Float32Array | Float64Array>(m: Matrix<T>, i: number): T {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols) as T;
}

/** Stacks matrices with equal column counts vertically. */
export function vstack(parts: ReadonlyArray<Matrix>): Matrix<Float64Array> {
  if (parts.length === 0) return zeros(0, 0);
  const cols = parts[0].cols;
  const rows = parts.reduce((n, p) => {
    if (p.cols !== cols) throw new Error(`vstack: ${p.cols} columns, expected ${cols}`);
    return n + p.rows;
  }, 0);
  const data = new Float64Array(rows * cols);
  let offset = 0;
  for (const p of parts) {
    data.set(p.data, offset);
    offset += p.data.length;
  }
  return { rows, cols, data };
}
