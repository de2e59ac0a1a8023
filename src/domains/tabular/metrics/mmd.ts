import type { Matrix } from '../../../engine/linalg/matrix';
import { medianHeuristicBandwidth, mmdSquaredUnbiased } from '../../../engine/metrics';

/**
 * The Gaussian kernel's bandwidth for mmd2, fixed once on the featurised train rows (the engine's median
 * heuristic: σ = median pairwise distance, over a seeded subsample of 1000 rows beyond that). A table
 * where more than half of all row pairs coincide has no median distance; σ = 1 (one standard
 * deviation, the features being standardised) stands in.
 */
export function tableBandwidth(trainFeatures: Matrix, seed = 0): number {
  try {
    return medianHeuristicBandwidth(trainFeatures, { seed });
  } catch {
    return 1;
  }
}

/**
 * mmd2: the unbiased MMD² (Gretton et al. 2012, eq. 3) between featurised train and synthetic rows with
 * k(x, y) = exp(−‖x − y‖²/(2σ²)) — the engine's estimator, whose synthetic×synthetic term uses a seeded
 * subsample of at most 1000 rows (still unbiased).
 */
export function mmd2(trainFeatures: Matrix, syntheticFeatures: Matrix, bandwidth: number, seed = 0): number {
  return mmdSquaredUnbiased(trainFeatures, syntheticFeatures, bandwidth, { seed });
}
