import { gramMatrix } from '../linalg/innerProducts';
import type { Matrix } from '../linalg/matrix';
import { assertSample } from '../linalg/validateMatrix';
import { createRng } from '../random/rng';
import { sampleWithoutReplacement } from './splits';
import { median } from './summary';

export interface BandwidthOptions {
  /** Above this many rows, a seeded subsample of this size is used (default 1000: ~500k pairs). */
  maxRows?: number;
  seed?: number;
}

/**
 * The median heuristic for the Gaussian kernel's bandwidth (Gretton et al., JMLR 2012, §8; Garreau et
 * al., "Large sample analysis of the median heuristic", 2017):
 *   σ = median{ ‖x_i − x_j‖ : i < j }
 * used as k(x,y) = exp(−‖x−y‖²/(2σ²)) (so sklearn's rbf_kernel gamma = 1/(2σ²)). The median of an even
 * number of pairs is the mean of the middle two (numpy). Unit: embedding distance.
 *
 * Compute it once on the iteration-0 embeddings (real + close + far), store it with the experiment and
 * pass it to every later score: re-estimating it per iteration would change the metric under the
 * optimizer's feet.
 */
export function medianHeuristicBandwidth(embeddings: Matrix, options: BandwidthOptions = {}): number {
  const fn = 'medianHeuristicBandwidth';
  assertSample(fn, 'embeddings', embeddings, 2, 'a distance needs a pair of rows');
  const maxRows = options.maxRows ?? 1000;
  let rows: Matrix = embeddings;
  if (embeddings.rows > maxRows) {
    const picked = sampleWithoutReplacement(createRng(options.seed ?? 0).fork('bandwidth'), embeddings.rows, maxRows).sort();
    const d = embeddings.cols;
    const data = new Float64Array(maxRows * d);
    picked.forEach((r, i) => data.set(embeddings.data.subarray(r * d, (r + 1) * d), i * d));
    rows = { rows: maxRows, cols: d, data };
  }
  const n = rows.rows;
  const gram = gramMatrix(rows);
  const distances = new Float64Array((n * (n - 1)) / 2);
  let o = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) distances[o++] = Math.sqrt(Math.max(0, gram[i * n + i] + gram[j * n + j] - 2 * gram[i * n + j]));
  }
  const sigma = median(distances);
  if (!(sigma > 0)) throw new Error(`${fn}: the median pairwise distance of \`embeddings\` is 0 (more than half of the pairs are duplicates); no bandwidth can be derived`);
  return sigma;
}
