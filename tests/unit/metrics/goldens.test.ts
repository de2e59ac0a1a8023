import { describe, expect, it } from 'vitest';
import { vstack } from '../../../src/engine/linalg/matrix';
import {
  densityCoverage,
  energyDistance,
  epsilonBallShare,
  frechetDistance,
  kernelInceptionDistance,
  medianHeuristicBandwidth,
  mmdSquaredBiased,
  mmdSquaredUnbiased,
  nearestRealDistances,
  precisionRecall,
  slicedWasserstein,
} from '../../../src/engine/metrics';
import { fitPca, projectPca } from '../../../src/engine/projection';
import { firstRows, loadGoldens, readNpy, type GoldenCase } from './fixtures';

/**
 * Our suite against numpy/scipy/sklearn on the committed fixtures (scripts/metrics_goldens.py).
 * Tolerances: |ours − reference| ≤ atol + rtol·|reference|, stated per quantity. The sums are done in
 * Float64 on both sides; what differs is summation order and, for Fréchet/Mahalanobis, the eigen-based
 * matrix square root vs scipy.linalg.sqrtm and our PCA (Gram eigenproblem) vs sklearn's SVD. Measured
 * worst relative deviations: MMD² 1e-12 (a small difference of ~0.7-sized means), energy 4e-13, FD and
 * Mahalanobis 2e-14; the bounds leave ≥ 100× headroom.
 */
const goldens = loadGoldens();

function close(actual: number, expected: number, atol: number, rtol: number, what: string) {
  const tolerance = atol + rtol * Math.abs(expected);
  if (!(Math.abs(actual - expected) <= tolerance)) {
    throw new Error(`${what}: got ${actual}, reference ${expected} (|Δ| = ${Math.abs(actual - expected)} > ${tolerance})`);
  }
}

function closeArray(actual: ArrayLike<number>, expected: number[], atol: number, rtol: number, what: string) {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => close(actual[i], e, atol, rtol, `${what}[${i}]`));
}

for (const dim of [384, 768]) {
  const real = readNpy(`real_${dim}.npy`);
  const syntheticAll = readNpy(`synthetic_${dim}.npy`);
  const directions = readNpy(`directions_${dim}.npy`);
  const iteration0 = vstack([real, syntheticAll]);
  const pcaGolden = goldens.pca[String(dim)];
  const reduction = fitPca(iteration0, { components: goldens.pca_k });

  describe(`PCA and bandwidth, D = ${dim}`, () => {
    it('median-heuristic bandwidth equals numpy median(pdist) (rtol 1e-12)', () => {
      close(medianHeuristicBandwidth(iteration0), pcaGolden.bandwidth, 0, 1e-12, 'bandwidth');
    });

    it('PCA mean, axes and explained variance equal sklearn PCA (atol 1e-9 / rtol 1e-9)', () => {
      const model = fitPca(iteration0, { components: 2 });
      closeArray(model.mean, pcaGolden.mean, 1e-12, 0, 'mean');
      model.components.forEach((axis, c) => closeArray(axis, pcaGolden.components2[c], 1e-9, 0, `component ${c}`));
      closeArray(model.explainedVariance, pcaGolden.explained_variance2, 0, 1e-9, 'explained variance');
      closeArray(model.explainedVarianceRatio, pcaGolden.explained_variance_ratio2, 0, 1e-9, 'explained variance ratio');
      closeArray(reduction.explainedVariance, pcaGolden.explained_variance_k, 0, 1e-8, 'explained variance (k)');
    });
  });

  for (const rows of ['all', 'first3'] as const) {
    const name = rows === 'all' ? `d${dim}` : `d${dim}_m3`;
    const g: GoldenCase = goldens.cases[name];
    const synthetic = rows === 'all' ? syntheticAll : firstRows(syntheticAll, 3);
    const sigma = pcaGolden.bandwidth;

    describe(`golden case ${name} (${g.n} real × ${g.m} synthetic, D = ${dim})`, () => {
      it('MMD² unbiased and biased equal sklearn rbf_kernel sums (atol 1e-13, rtol 1e-10)', () => {
        close(mmdSquaredUnbiased(real, synthetic, sigma), g.mmd2_unbiased, 1e-13, 1e-10, 'MMD² unbiased');
        close(mmdSquaredBiased(real, synthetic, sigma), g.mmd2_biased, 1e-13, 1e-10, 'MMD² biased');
      });

      it('KID equals sklearn polynomial_kernel(degree 3, gamma 1/D, coef0 1) (atol 1e-13, rtol 1e-9)', () => {
        close(kernelInceptionDistance(real, synthetic), g.kid, 1e-13, 1e-9, 'KID');
      });

      it('energy distance equals the scipy cdist U-statistic (atol 1e-13, rtol 1e-10)', () => {
        close(energyDistance(real, synthetic), g.energy_distance, 1e-13, 1e-10, 'energy');
      });

      it('sliced Wasserstein p = 1 equals scipy wasserstein_distance per slice; p = 2 the quantile integral (rtol 1e-10)', () => {
        close(slicedWasserstein(real, synthetic, { directions, p: 1 }), g.sliced_wasserstein_1, 1e-14, 1e-10, 'SW1');
        close(slicedWasserstein(real, synthetic, { directions, p: 2 }), g.sliced_wasserstein_2, 1e-14, 1e-10, 'SW2');
      });

      it('Fréchet distance in PCA-k with Ledoit–Wolf equals sklearn ledoit_wolf + scipy sqrtm (rtol 1e-9)', () => {
        const fd = frechetDistance(real, synthetic, { reduction });
        close(fd.shrinkageReal, g.ledoit_wolf_shrinkage_real, 1e-10, 1e-8, 'LW shrinkage (real)');
        close(fd.shrinkageSynthetic, g.ledoit_wolf_shrinkage_synthetic, 1e-10, 1e-8, 'LW shrinkage (synthetic)');
        close(fd.value, g.frechet_ledoit_wolf, 1e-12, 1e-9, 'FD (Ledoit–Wolf)');
        if (g.frechet_unbiased_cov !== undefined) {
          close(frechetDistance(real, synthetic, { reduction, shrinkage: 'none' }).value, g.frechet_unbiased_cov, 1e-12, 1e-9, 'FD (np.cov)');
        }
      });

      it('nearest-real distances equal scipy cdist: euclidean, cosine (atol 1e-10), Mahalanobis in PCA-k (rtol 1e-9)', () => {
        const euclidean = nearestRealDistances(real, synthetic);
        closeArray(euclidean.distances, g.nearest_euclidean, 1e-10, 0, 'euclidean');
        expect(Array.from(euclidean.indices)).toEqual(g.nearest_euclidean_index);
        closeArray(nearestRealDistances(real, synthetic, { metric: 'cosine' }).distances, g.nearest_cosine, 1e-10, 0, 'cosine');
        closeArray(nearestRealDistances(real, synthetic, { metric: 'mahalanobis', reduction }).distances, g.nearest_mahalanobis, 1e-12, 1e-9, 'mahalanobis');
      });

      it('ε and the ε-ball share equal the numpy computation', () => {
        const r = epsilonBallShare(real, synthetic);
        close(r.epsilon, g.epsilon, 1e-12, 0, 'ε');
        expect(r.share).toBe(g.epsilon_ball_share);
      });

      it('precision/recall and density/coverage (k = 5 and 3) equal the numpy k-NN reference exactly', () => {
        for (const [k, ref] of [[5, g.prdc_k5], [3, g.prdc_k3]] as const) {
          const pr = precisionRecall(real, synthetic, { k });
          const dc = densityCoverage(real, synthetic, { k });
          expect({ precision: pr.precision, recall: pr.recall, density: dc.density, coverage: dc.coverage, kReal: pr.kReal, kSynthetic: pr.kSynthetic })
            .toEqual({ precision: ref.precision, recall: ref.recall, density: expect.closeTo(ref.density, 12), coverage: ref.coverage, kReal: ref.kReal, kSynthetic: ref.kSynthetic });
        }
      });

      it('2-D PCA coordinates of the synthetic rows equal sklearn transform (atol 1e-9)', () => {
        const model = fitPca(iteration0, { components: 2 });
        const projected = projectPca(model, synthetic);
        closeArray(projected.data, g.pca2_synthetic.flat(), 1e-9, 0, 'PCA-2 coordinates');
      });
    });
  }
}
