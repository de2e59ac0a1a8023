import type { Matrix } from '../linalg/matrix';
import { assertPositiveFinite } from '../linalg/validateMatrix';
import { mean, median } from '../metrics/summary';
import { checkSamples } from './trustArguments';

/**
 * How far a model variant (int8 or fp16 weights, another export) moves an experiment's embeddings, measured
 * against the only yardstick that matters for the experiment: its own noise floor.
 *
 * Input: the embeddings of the same N images (rows in the same order) under a reference variant X and a
 * candidate variant Y, as scored (L2-normalised), the experiment's fixed Gaussian kernel
 * k(a, b) = exp(−‖a − b‖²/(2σ²)) and its noise floor (an MMD² value, kernel units).
 *
 * Per image: the cosine cos(x_i, y_i) = x_i·y_i / (‖x_i‖ ‖y_i‖).
 * For the set: the unbiased MMD² between the two variants' embedding distributions, written for paired
 * samples as the U-statistic over pairs of images (Gretton et al., JMLR 2012, Lemma 6):
 *   MMD²_u = 1/(N(N−1)) Σ_{i≠j} [k(x_i, x_j) + k(y_i, y_j) − k(x_i, y_j) − k(x_j, y_i)],
 * which leaves out each image's own cross term k(x_i, y_i) — so it is exactly 0 when the variants agree
 * on every image, and unbiased for the population MMD² between them (pairs i ≠ j are independent).
 * Verdict: the candidate is *safe for this experiment* when MMD²_u < share · floor (share 10 % by
 * default): switching variants then moves the embeddings by less than a tenth of what sampling noise
 * alone already puts between two real sets.
 */
export interface VariantDriftInput {
  reference: Matrix;
  candidate: Matrix;
  bandwidth: number;
  /** The noise floor, kernel units (> 0). */
  floor: number;
  /** Share of the floor under which the candidate is safe; default 0.1. */
  share?: number;
}

export interface VariantDrift {
  cosines: Float64Array;
  cosine: { min: number; median: number; mean: number };
  mmd2: number;
  floor: number;
  share: number;
  /** share · floor: the largest MMD² still safe. */
  threshold: number;
  /** mmd2 / floor. */
  ratio: number;
  verdict: 'safe' | 'not safe';
  statement: string;
}

export const DEFAULT_DRIFT_SHARE = 0.1;

function cosines(x: Matrix, y: Matrix): Float64Array {
  const d = x.cols;
  const out = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    let xy = 0;
    let xx = 0;
    let yy = 0;
    for (let c = 0; c < d; c++) {
      const a = x.data[i * d + c];
      const b = y.data[i * d + c];
      xy += a * b;
      xx += a * a;
      yy += b * b;
    }
    out[i] = xy / Math.sqrt(xx * yy);
  }
  return out;
}

/** k(a_i, b_j) for every i, j (N × N, row-major). */
function crossKernel(a: Matrix, b: Matrix, bandwidth: number): Float64Array {
  const n = a.rows;
  const d = a.cols;
  const scale = -1 / (2 * bandwidth * bandwidth);
  const k = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sq = 0;
      for (let c = 0; c < d; c++) {
        const t = a.data[i * d + c] - b.data[j * d + c];
        sq += t * t;
      }
      k[i * n + j] = Math.exp(sq * scale);
    }
  }
  return k;
}

export function pairedMmd2(x: Matrix, y: Matrix, bandwidth: number): number {
  const n = x.rows;
  const kxx = crossKernel(x, x, bandwidth);
  const kyy = crossKernel(y, y, bandwidth);
  const kxy = crossKernel(x, y, bandwidth);
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i !== j) total += kxx[i * n + j] + kyy[i * n + j] - kxy[i * n + j] - kxy[j * n + i];
    }
  }
  return total / (n * (n - 1));
}

const percent = (v: number) => `${(100 * v).toPrecision(2)} %`;
const number = (v: number) => v.toPrecision(3);

export function variantDrift(input: VariantDriftInput): VariantDrift {
  const fn = 'variantDrift';
  checkSamples(fn, input.reference, input.candidate, input.bandwidth);
  if (input.reference.rows !== input.candidate.rows) {
    throw new Error(`${fn}: \`reference\` has ${input.reference.rows} rows and \`candidate\` ${input.candidate.rows}; they must embed the same images`);
  }
  assertPositiveFinite(fn, 'floor', input.floor);
  const share = input.share ?? DEFAULT_DRIFT_SHARE;
  if (!(share > 0 && share <= 1)) throw new Error(`${fn}: option \`share\` must be in (0, 1], got ${share}`);
  const cos = cosines(input.reference, input.candidate);
  const mmd2 = pairedMmd2(input.reference, input.candidate, input.bandwidth);
  const threshold = share * input.floor;
  const ratio = mmd2 / input.floor;
  const verdict = mmd2 < threshold ? 'safe' : 'not safe';
  const statement =
    `${verdict} for this experiment: the MMD² between the two variants' embeddings of the same ${input.reference.rows} images is ` +
    `${number(mmd2)}, ${percent(ratio)} of the noise floor ${number(input.floor)} (${verdict === 'safe' ? 'below' : 'not below'} the ${percent(share)} allowed)`;
  return {
    cosines: cos,
    cosine: { min: Math.min(...cos), median: median(cos), mean: mean(cos) },
    mmd2,
    floor: input.floor,
    share,
    threshold,
    ratio,
    verdict,
    statement,
  };
}
